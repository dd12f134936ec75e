//! The portal's pages: each reads what it shows, then renders it as [`Html`].

use shared::api::DrawSummary;
use shared::draw::{SeedParts, TeamOutcome};
use shared::labels::{self, Lang};
use shared::records::PublicResultList;
use worker::Response;

use super::html::{
    Html, empty, lang_field, markup, markup_into, page, table_head, url_encode, with_lang,
};
use super::{PAGE_SIZE, cache, lang_of, result_filter};
use crate::ctx::Ctx;
use crate::db::{self, publications::PublicationFilter};
use crate::error::AppResult;

fn results_table(list: &PublicResultList, lang: Lang) -> Html {
    if list.results.is_empty() {
        return empty(lang.pick("没有符合条件的已公开结果。", "No published result matches."));
    }
    let mut html = table_head(&[
        lang.pick("检查对象", "Object"),
        lang.pick("统一社会信用代码", "Credit code"),
        lang.pick("抽查任务", "Task"),
        lang.pick("检查日期", "Date"),
        lang.pick("检查事项", "Items"),
        lang.pick("检查结果", "Result"),
        lang.pick("实施部门", "Department"),
    ]);
    for result in &list.results {
        let items = Html::join(result.items.iter().map(|item| markup!(item)), "；");
        let phrase = match lang {
            Lang::Zh => result.phrase.as_str(),
            Lang::En => labels::result(lang, result.result),
        };
        markup_into!(html;
            "<tr data-testid=\"result-row\"><td>",
            result.object_name,
            "<br><small>",
            labels::category_title(lang, result.category),
            "</small></td><td class=\"code\">",
            result.credit_code,
            "</td><td>",
            result.task_name,
            "</td><td>",
            result.inspected_on,
            "</td><td>",
            items,
            "</td><td>",
            phrase,
            "</td><td>",
            result.department,
            "</td></tr>"
        );
    }
    html.push_raw("</tbody></table>");
    html
}

/// `GET /public/results`: the search form and one page of results.
pub(crate) async fn results_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    let filter = result_filter(&ctx);
    let url = ctx.req.url()?;
    let path = url.path().to_owned() + &url.query().map(|q| format!("?{q}")).unwrap_or_default();
    cache::serve(&ctx, async {
        let (list, total) = db::publications::search(&ctx.db, &filter, PAGE_SIZE).await?;
        let quarters = Html::join(
            (1..=4_i64).map(|q| {
                let selected = if filter.quarter == Some(q) {
                    Html::raw(" selected")
                } else {
                    Html::new()
                };
                markup!("<option value=\"", q, "\"", selected, ">", q, "</option>")
            }),
            "",
        );
        let mut body = markup!(
            "<form method=\"get\" action=\"/public/results\" class=\"search\"><label>",
            lang.pick("企业名称或信用代码", "Name or credit code"),
            " <input name=\"q\" value=\"",
            filter.q.as_deref().unwrap_or(""),
            "\" maxlength=\"100\" placeholder=\"",
            lang.pick("例如：化工", "e.g. chemical"),
            "\"></label><label>",
            lang.pick("年度", "Year"),
            " <input name=\"year\" value=\"",
            filter.year.map(|y| y.to_string()).unwrap_or_default(),
            "\" inputmode=\"numeric\" size=\"5\"></label><label>",
            lang.pick("季度", "Quarter"),
            " <select name=\"quarter\"><option value=\"\">",
            lang.pick("全部", "All"),
            "</option>",
            quarters,
            "</select></label>",
            lang_field(lang),
            "<button type=\"submit\">",
            lang.pick("查询", "Search"),
            "</button></form>"
        );
        let withheld = if list.withheld > 0 {
            markup!(
                "；",
                lang.pick("另有", "plus"),
                " ",
                list.withheld,
                " ",
                lang.pick("条依法不予公开", "withheld by law (依法不予公开)")
            )
        } else {
            Html::new()
        };
        markup_into!(body;
            "<p class=\"summary\" data-testid=\"result-summary\">",
            lang.pick("共", "Found"),
            " ",
            total,
            " ",
            lang.pick("条已公开结果", "published result(s)"),
            withheld,
            "</p>",
            results_table(&list, lang)
        );
        let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        if pages > 1 {
            let mut query = String::new();
            if let Some(q) = &filter.q {
                query.push_str(&format!("&q={}", url_encode(q)));
            }
            if let Some(year) = filter.year {
                query.push_str(&format!("&year={year}"));
            }
            if let Some(quarter) = filter.quarter {
                query.push_str(&format!("&quarter={quarter}"));
            }
            let page_link =
                |page: i64| with_lang(&format!("/public/results?page={page}{query}"), lang);
            body.push_raw("<nav class=\"pages\">");
            if filter.page > 1 {
                markup_into!(body;
                    "<a rel=\"prev\" href=\"",
                    page_link(filter.page - 1),
                    "\">",
                    lang.pick("上一页", "Previous"),
                    "</a> "
                );
            }
            markup_into!(body; filter.page, " / ", pages);
            if filter.page < pages {
                markup_into!(body;
                    " <a rel=\"next\" href=\"",
                    page_link(filter.page + 1),
                    "\">",
                    lang.pick("下一页", "Next"),
                    "</a>"
                );
            }
            body.push_raw("</nav>");
        }
        let title = lang.pick("检查结果公开", "Published results");
        Ok((200, page(lang, title, &path, body)))
    })
    .await
}

/// `GET /public`: the portal's front page.
pub(crate) async fn index_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    cache::serve(&ctx, async {
        let draws = db::tasks::committed(&ctx.db).await?;
        let filter = PublicationFilter {
            q: None,
            year: None,
            quarter: None,
            page: 1,
        };
        let (list, total) = db::publications::search(&ctx.db, &filter, PAGE_SIZE).await?;
        let latest = PublicResultList {
            results: list.results.into_iter().take(10).collect(),
            withheld: list.withheld,
        };
        let body = markup!(
            "<form method=\"get\" action=\"/public/results\" class=\"search\"><label>",
            lang.pick(
                "查询企业检查结果（名称或统一社会信用代码）",
                "Look up an enterprise (name or credit code)"
            ),
            " <input name=\"q\" maxlength=\"100\"></label>",
            lang_field(lang),
            "<button type=\"submit\">",
            lang.pick("查询", "Search"),
            "</button></form><h2>",
            lang.pick("最近抽取", "Latest draws"),
            "</h2>",
            draws_table(&draws[..draws.len().min(10)], lang),
            "<h2>",
            lang.pick("最近公开的检查结果", "Latest published results"),
            " <small>(",
            total,
            ")</small></h2>",
            results_table(&latest, lang)
        );
        let title = lang.pick("双随机、一公开", "Random inspections, public results");
        Ok((200, page(lang, title, "/public", body)))
    })
    .await
}

fn draws_table(draws: &[DrawSummary], lang: Lang) -> Html {
    if draws.is_empty() {
        return empty(lang.pick("尚无抽取。", "No draw yet."));
    }
    let mut html = table_head(&[
        lang.pick("抽查任务", "Task"),
        lang.pick("期间", "Period"),
        lang.pick("抽取时间", "Committed"),
        lang.pick("抽中对象数", "Objects"),
        lang.pick("状态", "Status"),
    ]);
    for draw in draws {
        let committed_at = draw.committed_at[..16.min(draw.committed_at.len())].replace('T', " ");
        let status = match &draw.void {
            Some(_) => lang.pick("已作废", "Void"),
            None => lang.pick("有效", "Valid"),
        };
        markup_into!(html;
            "<tr data-testid=\"draw-row\"><td><a href=\"",
            with_lang(&format!("/public/draws/{}", draw.id), lang),
            "\">",
            draw.task_name,
            "</a></td><td>",
            draw.period.year,
            " Q",
            draw.period.quarter,
            "</td><td>",
            committed_at,
            "</td><td>",
            draw.selected,
            "</td><td>",
            status,
            "</td></tr>"
        );
    }
    html.push_raw("</tbody></table>");
    html
}

/// `GET /public/draws`: every committed draw, voided ones included.
pub(crate) async fn draws_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    cache::serve(&ctx, async {
        let draws = db::tasks::committed(&ctx.db).await?;
        let title = lang.pick("抽取记录", "Committed draws");
        Ok((
            200,
            page(lang, title, "/public/draws", draws_table(&draws, lang)),
        ))
    })
    .await
}

/// `GET /public/draws/:id`: one draw with everything needed to verify it.
pub(crate) async fn draw_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    let id = ctx.id_param("id")?;
    let path = format!("/public/draws/{id}");
    cache::serve(&ctx, async {
        let Some(draw) = db::tasks::public_draw(&ctx.db, id).await? else {
            let title = lang.pick("没有这次抽取", "No such draw");
            return Ok((404, page(lang, title, &path, Html::new())));
        };
        let input = &draw.bundle.input;
        let selected: Vec<i64> = draw
            .bundle
            .result
            .inspections
            .iter()
            .map(|inspection| inspection.object.get())
            .collect();
        let codes = db::portal::credit_codes(&ctx.db, &selected).await?;
        let code_of = |id: i64| {
            codes
                .iter()
                .find(|(object, _)| *object == id)
                .map_or("", |(_, code)| code.as_str())
        };
        let name_of_object = |id: i64| {
            input
                .objects
                .iter()
                .find(|object| object.id.get() == id)
                .map_or("", |object| object.name.as_str())
        };
        let name_of_inspector = |id: i64| {
            input
                .inspectors
                .iter()
                .find(|inspector| inspector.id.get() == id)
                .map_or("", |inspector| inspector.name.as_str())
        };
        let summary = &draw.draw;
        let mut body = Html::new();
        if let Some(void) = &summary.void {
            markup_into!(body;
                "<p class=\"void\">",
                lang.pick("本次抽取已作废", "This draw was voided"),
                "：",
                void.reason,
                "（",
                void.voided_at,
                "）</p>"
            );
        }
        let (server_entropy, witness) = match &draw.bundle.seed_parts {
            SeedParts::Commit {
                server_entropy,
                witness,
            } => (server_entropy.to_hex(), witness.clone().unwrap_or_default()),
            SeedParts::Preview { .. } => (String::new(), String::new()),
        };
        markup_into!(body;
            "<dl class=\"facts\"><dt>",
            lang.pick("抽查任务", "Task"),
            "</dt><dd>",
            summary.task_name,
            "</dd><dt>",
            lang.pick("期间", "Period"),
            "</dt><dd>",
            summary.period.year,
            " Q",
            summary.period.quarter,
            "</dd><dt>",
            lang.pick("封存哈希", "Sealed input hash"),
            "</dt><dd class=\"hash\" data-testid=\"sealed-hash\">",
            summary.sealed_hash.to_hex(),
            "</dd><dt>",
            lang.pick("服务器熵", "Server entropy"),
            "</dt><dd class=\"hash\">",
            server_entropy,
            "</dd><dt>",
            lang.pick("见证随机数", "Witness entropy"),
            "</dt><dd>",
            if witness.is_empty() { "—" } else { witness.as_str() },
            "</dd><dt>",
            lang.pick("种子", "Seed"),
            "</dt><dd class=\"hash\" data-testid=\"seed\">",
            summary.seed.to_hex(),
            "</dd><dt>",
            lang.pick("算法版本", "Algorithm version"),
            "</dt><dd>",
            summary.algorithm_version,
            "</dd><dt>",
            lang.pick("结果哈希", "Result hash"),
            "</dt><dd class=\"hash\">",
            summary.result_hash.to_hex(),
            "</dd><dt>",
            lang.pick("抽取时间", "Committed at"),
            "</dt><dd>",
            summary.committed_at,
            "</dd></dl><p class=\"verify\"><a href=\"/draws/",
            id,
            "\">",
            lang.pick("在浏览器中复核", "Verify in your browser"),
            "</a> · <a href=\"/api/public/draws/",
            id,
            "\" download=\"suicha-draw-",
            id,
            ".json\">",
            lang.pick("下载复核包", "Download the bundle"),
            "</a> · <code>suicha verify suicha-draw-",
            id,
            ".json</code></p><h2>",
            lang.pick("抽中的检查对象与检查组", "Drawn objects and teams"),
            " (",
            selected.len(),
            ")</h2>",
            table_head(&[
                "#",
                lang.pick("检查对象", "Object"),
                lang.pick("统一社会信用代码", "Credit code"),
                lang.pick("类别", "Category"),
                lang.pick("检查组（带队人员在前）", "Team (lead first)"),
            ])
        );
        for (index, inspection) in draw.bundle.result.inspections.iter().enumerate() {
            let object = inspection.object.get();
            let team = match &inspection.team {
                TeamOutcome::Assigned { members, .. } => Html::join(
                    members
                        .iter()
                        .map(|member| markup!(name_of_inspector(member.get()))),
                    "、",
                ),
                TeamOutcome::Infeasible { .. } => {
                    markup!(lang.pick("未能组成检查组", "No feasible team"))
                }
            };
            let joint = if inspection.joint {
                lang.pick("（联合检查）", " (joint)")
            } else {
                ""
            };
            markup_into!(body;
                "<tr data-testid=\"selection-row\"><td>",
                index + 1,
                "</td><td>",
                name_of_object(object),
                joint,
                "</td><td class=\"code\">",
                code_of(object),
                "</td><td>",
                labels::category_title(lang, inspection.category),
                "</td><td>",
                team,
                "</td></tr>"
            );
        }
        body.push_raw("</tbody></table>");
        let title = format!("{} #{id}", lang.pick("抽取", "Draw"));
        Ok((200, page(lang, &title, &path, body)))
    })
    .await
}

fn bp_percent(bp: u32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// `GET /public/plans`: the published annual plans (年度抽查计划), the latest version of each
/// year in full and every earlier version listed (all versions stay public).
pub(crate) async fn plans_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    cache::serve(&ctx, async {
        let published = db::plans::published(&ctx.db, None)
            .await?
            .into_iter()
            .map(|stored| stored.into_public())
            .collect::<AppResult<Vec<_>>>()?;
        let checklist = db::checklist::all(&ctx.db).await?;
        let mut body = Html::new();
        if published.is_empty() {
            body.push(empty(lang.pick(
                "尚无公开的年度抽查计划。",
                "No annual plan has been published yet.",
            )));
        }
        let mut seen_years = Vec::new();
        for plan in &published {
            if seen_years.contains(&plan.year) {
                markup_into!(body;
                    "<p class=\"summary\">",
                    plan.year,
                    " ",
                    lang.pick("年度", ""),
                    " ",
                    lang.pick("历史版本", "earlier version"),
                    " v",
                    plan.version,
                    "，",
                    lang.pick("公开于", "published"),
                    " ",
                    plan.published_at,
                    "</p>"
                );
                continue;
            }
            seen_years.push(plan.year);
            markup_into!(body;
                "<section data-testid=\"plan\"><h2>",
                plan.body.title,
                " · v",
                plan.version,
                "</h2><p class=\"summary\">",
                lang.pick("公开于", "Published"),
                " ",
                plan.published_at,
                "</p>",
                table_head(&[
                    lang.pick("监管对象类别", "Category"),
                    lang.pick("全年最低抽查比例", "Yearly minimum"),
                    "Q1",
                    "Q2",
                    "Q3",
                    "Q4",
                ])
            );
            for category in shared::plan::CATEGORIES {
                let target = plan.body.targets.get(category);
                let quarters = Html::join(
                    target
                        .quarterly_bp
                        .iter()
                        .map(|bp| markup!("<td>", bp_percent(*bp), "</td>")),
                    "",
                );
                markup_into!(body;
                    "<tr><td>",
                    labels::category_title(lang, category),
                    "</td><td>",
                    bp_percent(target.yearly_min_bp),
                    "</td>",
                    quarters,
                    "</tr>"
                );
            }
            markup_into!(body;
                "</tbody></table><h3>",
                lang.pick("抽查事项与责任科室", "Checklist items and sections"),
                "</h3>",
                table_head(&[
                    lang.pick("编号", "Code"),
                    lang.pick("抽查内容", "What is checked"),
                    lang.pick("责任科室", "Section"),
                ])
            );
            for coverage in &plan.body.coverage {
                let item = checklist.iter().find(|row| row.id == coverage.item);
                markup_into!(body;
                    "<tr><td>",
                    item.map_or("", |row| row.code.as_str()),
                    "</td><td>",
                    item.map_or("", |row| row.content.as_str()),
                    "</td><td>",
                    labels::section(lang, &coverage.section),
                    "</td></tr>"
                );
            }
            body.push_raw("</tbody></table>");
            if !plan.body.notes.trim().is_empty() {
                markup_into!(body; "<p>", plan.body.notes, "</p>");
            }
            markup_into!(body;
                "<p class=\"verify\"><a href=\"/api/public/plans/",
                plan.year,
                "\">JSON</a></p></section>"
            );
        }
        let title = lang.pick("年度抽查计划", "Annual inspection plans");
        Ok((200, page(lang, title, "/public/plans", body)))
    })
    .await
}

/// `GET /public/checklist`: the checklist of inspection items (随机抽查事项清单).
pub(crate) async fn checklist_page(ctx: Ctx) -> AppResult<Response> {
    let lang = lang_of(&ctx);
    cache::serve(&ctx, async {
        let rows = db::checklist::all(&ctx.db).await?;
        let mut body = table_head(&[
            lang.pick("编号", "Code"),
            lang.pick("责任科室", "Section"),
            lang.pick("抽查内容", "What is checked"),
            lang.pick("依据", "Legal basis"),
        ]);
        for row in rows {
            markup_into!(body;
                "<tr data-testid=\"checklist-row\"><td>",
                row.code,
                "</td><td>",
                row.section,
                "</td><td>",
                row.content,
                "</td><td>",
                row.legal_basis,
                "</td></tr>"
            );
        }
        body.push_raw("</tbody></table>");
        let title = lang.pick("随机抽查事项清单", "Checklist of inspection items");
        Ok((200, page(lang, title, "/public/checklist", body)))
    })
    .await
}

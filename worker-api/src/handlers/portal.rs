//! The public portal (信息公开): what the bureau publishes, rendered by the worker as plain HTML
//! that works without JavaScript — the checklist, the committed draws, and the published
//! results searchable by enterprise name or credit code, year and quarter — plus the same
//! results as JSON.
//!
//! Only public data is read here: `publications` (a frozen snapshot of the public fields of
//! non-confidential results), committed draws, and the checklist. Confidential records cannot
//! be published (a trigger refuses it), so they are in no response; they are only counted.
//!
//! Caching: every page carries an ETag and `Cache-Control: public`, and is stored in the
//! edge cache under a key that includes `public_generation`, a counter that every publication,
//! commit and void bumps in the same transaction. A publication therefore makes every cached
//! page unreachable at once: correct invalidation without purging.

use std::fmt::Write as _;

use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use shared::draw::{Category, TeamOutcome};
use shared::records::{InspectionKind, InspectionResult, PublicResult, PublicResultList};
use worker::{Cache, D1Database, Response, query};

use super::{draws, plans};
use crate::ctx::{Ctx, json};
use crate::db::{self, Param, bind, vocabulary};
use crate::error::{AppError, AppResult};

/// Results per page of the portal and of the JSON list.
const PAGE_SIZE: i64 = 50;
/// Seconds a browser or the edge may reuse a page without asking; the generation key makes
/// the edge cache exact, this only bounds how stale a visitor's own browser copy can be.
const MAX_AGE: u32 = 60;

/// The portal's language: Chinese unless `?lang=en`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

impl Lang {
    fn of(ctx: &Ctx) -> Lang {
        match ctx.query("lang").as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Lang::Zh => "",
            Lang::En => "lang=en",
        }
    }
}

/// HTML-escapes text for element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query value.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn with_lang(path: &str, lang: Lang) -> String {
    match (lang.suffix(), path.contains('?')) {
        ("", _) => path.to_owned(),
        (suffix, true) => format!("{path}&{suffix}"),
        (suffix, false) => format!("{path}?{suffix}"),
    }
}

fn category_label(category: Category, lang: Lang) -> &'static str {
    match category {
        Category::General => lang.t("一般监管对象", "General"),
        Category::Key => lang.t("重点监管对象", "Key"),
        Category::Special => lang.t("特殊监管对象", "Special"),
    }
}

fn phrase(result: InspectionResult, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => result.phrase_zh(),
        Lang::En => result.phrase_en(),
    }
}

/// The page around `body`: one small stylesheet, no script.
fn page(lang: Lang, title: &str, path: &str, body: &str) -> String {
    let other = match lang {
        Lang::Zh => {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!(
                "<a href=\"{}{sep}lang=en\" lang=\"en\">English</a>",
                esc(path)
            )
        }
        Lang::En => {
            let plain = path
                .replace("?lang=en&", "?")
                .replace("&lang=en", "")
                .replace("?lang=en", "");
            format!("<a href=\"{}\" lang=\"zh\">中文</a>", esc(&plain))
        }
    };
    let nav = [
        ("/public", lang.t("首页", "Home")),
        ("/public/results", lang.t("检查结果", "Results")),
        ("/public/plans", lang.t("年度抽查计划", "Annual plans")),
        ("/public/draws", lang.t("抽取记录", "Draws")),
        ("/public/checklist", lang.t("抽查事项清单", "Checklist")),
    ]
    .iter()
    .map(|(href, label)| format!("<a href=\"{}\">{label}</a>", esc(&with_lang(href, lang))))
    .collect::<Vec<_>>()
    .join(" ");
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title} · {site}</title><link rel=\"stylesheet\" href=\"/portal.css\"></head>\
         <body><header><p class=\"site\">{site}</p><nav>{nav} <span class=\"lang\">{other}</span></nav></header>\
         <main><h1>{title}</h1>{body}</main>\
         <footer>{footer} · <a href=\"/\">{staff}</a></footer></body></html>",
        code = if lang == Lang::En { "en" } else { "zh-CN" },
        title = esc(title),
        site = lang.t(
            "县生态环境局 · 双随机、一公开",
            "County Ecology and Environment Bureau · Random inspections, public results"
        ),
        footer = lang.t(
            "抽取结果可由任何人复核：每次抽取公布封存哈希、熵、种子与完整输入。",
            "Anyone can verify a draw: each publishes its sealed hash, entropy, seed and full input."
        ),
        staff = lang.t("工作人员入口", "Staff sign-in"),
    )
}

#[derive(Deserialize)]
struct Generation {
    generation: i64,
}

/// A page looked up in the edge cache: the key is the URL plus the public generation, so
/// anything published since makes a new key.
enum Lookup {
    Hit(Response),
    Miss(Miss),
}

struct Miss {
    key: String,
    generation: i64,
    if_none_match: Option<String>,
}

async fn lookup(ctx: &Ctx) -> AppResult<Lookup> {
    let generation: Generation = ctx
        .db
        .prepare("SELECT generation FROM public_generation WHERE id = 1")
        .first(None)
        .await?
        .ok_or_else(|| AppError::Internal("public_generation is empty".to_owned()))?;
    let mut key = ctx.req.url()?;
    key.query_pairs_mut()
        .append_pair("__generation", &generation.generation.to_string());
    let key = key.to_string();
    let if_none_match = ctx.req.headers().get("if-none-match").ok().flatten();
    match Cache::default()
        .get(key.as_str(), false)
        .await
        .ok()
        .flatten()
    {
        Some(mut cached) => {
            // A cached response's headers are immutable: answer with a fresh copy.
            let mut response =
                Response::ok(cached.text().await?)?.with_status(cached.status_code());
            for name in ["content-type", "etag", "cache-control"] {
                if let Some(value) = cached.headers().get(name)? {
                    response.headers_mut().set(name, &value)?;
                }
            }
            response.headers_mut().set("x-cache", "hit")?;
            Ok(Lookup::Hit(finish(response, if_none_match)?))
        }
        None => Ok(Lookup::Miss(Miss {
            key,
            generation: generation.generation,
            if_none_match,
        })),
    }
}

/// Stores a rendered page (when it is a 200) and answers with it.
async fn store(miss: Miss, content_type: &str, status: u16, body: String) -> AppResult<Response> {
    let etag = format!(
        "\"g{}-{}\"",
        miss.generation,
        &crate::auth::to_hex(&Sha256::digest(body.as_bytes()))[..16]
    );
    let mut response = Response::ok(body)?.with_status(status);
    let headers = response.headers_mut();
    headers.set("content-type", content_type)?;
    headers.set("etag", &etag)?;
    headers.set(
        "cache-control",
        &format!("public, max-age={MAX_AGE}, must-revalidate"),
    )?;
    if status == 200 {
        // A failed put only costs a later miss.
        let _ = Cache::default()
            .put(miss.key.as_str(), response.cloned()?)
            .await;
    }
    response.headers_mut().set("x-cache", "miss")?;
    finish(response, miss.if_none_match)
}

/// Serves `render`'s page through the edge cache; `render` runs only on a miss.
macro_rules! cached {
    ($ctx:expr, $render:expr) => {
        match lookup(&$ctx).await? {
            Lookup::Hit(response) => Ok(response),
            Lookup::Miss(miss) => {
                let rendered: AppResult<(u16, String)> = async { $render }.await;
                let (status, body) = rendered?;
                store(miss, "text/html; charset=utf-8", status, body).await
            }
        }
    };
}

/// Answers 304 when the visitor already has this version.
fn finish(response: Response, if_none_match: Option<String>) -> AppResult<Response> {
    let etag = response.headers().get("etag").ok().flatten();
    if let (Some(etag), Some(wanted)) = (etag, if_none_match)
        && wanted.split(',').any(|tag| tag.trim() == etag)
    {
        let mut not_modified = Response::empty()?.with_status(304);
        let headers = not_modified.headers_mut();
        headers.set("etag", &etag)?;
        headers.set(
            "cache-control",
            &format!("public, max-age={MAX_AGE}, must-revalidate"),
        )?;
        return Ok(not_modified);
    }
    Ok(response)
}

/// The filter of the results list, from the query string.
struct ResultFilter {
    q: Option<String>,
    year: Option<i64>,
    quarter: Option<i64>,
    page: i64,
}

impl ResultFilter {
    fn of(ctx: &Ctx) -> ResultFilter {
        ResultFilter {
            q: ctx
                .query("q")
                .map(|q| q.trim().chars().take(100).collect::<String>())
                .filter(|q| !q.is_empty()),
            year: ctx
                .query("year")
                .and_then(|y| y.parse().ok())
                .filter(|y| (2000..=2999).contains(y)),
            quarter: ctx
                .query("quarter")
                .and_then(|q| q.parse().ok())
                .filter(|q| (1..=4).contains(q)),
            page: ctx
                .query("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The WHERE clause over `publications p` and its parameters. A query is matched as part
    /// of the name, or as the whole credit code.
    fn clause(&self) -> (String, Vec<Param>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut params = Vec::new();
        if let Some(q) = &self.q {
            params.push(Param::Text(q.clone()));
            params.push(Param::Text(q.to_uppercase()));
            clauses.push(format!(
                "(instr(p.object_name, ?{}) > 0 OR p.credit_code = ?{})",
                params.len() - 1,
                params.len()
            ));
        }
        if let Some(year) = self.year {
            params.push(Param::Int(year));
            clauses.push(format!("p.year = ?{}", params.len()));
        }
        if let Some(quarter) = self.quarter {
            params.push(Param::Int(quarter));
            clauses.push(format!("p.quarter = ?{}", params.len()));
        }
        (clauses.join(" AND "), params)
    }
}

#[derive(Deserialize)]
struct PublicationRow {
    inspection_id: i64,
    year: i64,
    quarter: i64,
    object_name: String,
    credit_code: String,
    category: String,
    task_name: String,
    kind: String,
    inspected_on: String,
    items_json: String,
    result: String,
    phrase: String,
    department: String,
    published_at: String,
}

impl PublicationRow {
    fn into_result(self) -> AppResult<PublicResult> {
        Ok(PublicResult {
            inspection_id: self.inspection_id,
            year: self.year as i32,
            quarter: self.quarter as u8,
            object_name: self.object_name,
            credit_code: self.credit_code,
            category: vocabulary("category", &self.category)?,
            task_name: self.task_name,
            kind: vocabulary::<InspectionKind>("kind", &self.kind)?,
            inspected_on: self.inspected_on,
            items: db::stored_json("items_json", &self.items_json)?,
            result: vocabulary("result", &self.result)?,
            phrase: self.phrase,
            department: self.department,
            published_at: self.published_at,
        })
    }
}

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

/// The published results matching `filter` (one page), how many match in all, and how many
/// confidential results the same period holds (counted, never shown).
async fn results(db: &D1Database, filter: &ResultFilter) -> AppResult<(PublicResultList, i64)> {
    let (clause, params) = filter.clause();
    let offset = (filter.page - 1) * PAGE_SIZE;
    let rows: Vec<PublicationRow> = bind(
        db,
        &format!(
            "SELECT p.inspection_id, p.year, p.quarter, p.object_name, p.credit_code, p.category, p.task_name,
                    p.kind, p.inspected_on, p.items_json, p.result, p.phrase, p.department, p.published_at
               FROM publications p WHERE {clause}
              ORDER BY p.published_at DESC, p.inspection_id DESC LIMIT {PAGE_SIZE} OFFSET {offset}"
        ),
        &params,
    )?
    .all()
    .await?
    .results()?;
    let total: CountRow = bind(
        db,
        &format!("SELECT count(*) AS n FROM publications p WHERE {clause}"),
        &params,
    )?
    .first(None)
    .await?
    .ok_or_else(|| AppError::Internal("count".to_owned()))?;
    // Withheld: confidential records of live inspections in the same period. A name search
    // does not narrow it (matching a confidential record's name would reveal it).
    let mut period = vec!["r.confidential = 1".to_owned()];
    let mut period_params = Vec::new();
    if let Some(year) = filter.year {
        period_params.push(Param::Int(year));
        period.push(format!("i.year = ?{}", period_params.len()));
    }
    if let Some(quarter) = filter.quarter {
        period_params.push(Param::Int(quarter));
        period.push(format!("i.quarter = ?{}", period_params.len()));
    }
    let withheld: CountRow = bind(
        db,
        &format!(
            "SELECT count(*) AS n FROM inspection_records r JOIN live_inspections i ON i.id = r.inspection_id
              WHERE {}",
            period.join(" AND ")
        ),
        &period_params,
    )?
    .first(None)
    .await?
    .ok_or_else(|| AppError::Internal("count".to_owned()))?;
    let results = rows
        .into_iter()
        .map(PublicationRow::into_result)
        .collect::<AppResult<Vec<_>>>()?;
    Ok((
        PublicResultList {
            results,
            withheld: withheld.n as u64,
        },
        total.n,
    ))
}

/// `GET /api/public/results?q=&year=&quarter=&page=`: published results as JSON.
pub(crate) async fn results_json(ctx: Ctx) -> AppResult<Response> {
    let filter = ResultFilter::of(&ctx);
    let (list, _) = results(&ctx.db, &filter).await?;
    json(&list)
}

/// The paragraph shown instead of an empty table.
fn empty(text: &str) -> String {
    format!("<p class=\"empty\">{}</p>", esc(text))
}

/// The start of a table: its header row and the opening `<tbody>`.
fn table_head(headers: &[&str]) -> String {
    let cells: String = headers
        .iter()
        .map(|header| format!("<th>{header}</th>"))
        .collect();
    format!("<table><thead><tr>{cells}</tr></thead><tbody>")
}

fn results_table(list: &PublicResultList, lang: Lang) -> String {
    if list.results.is_empty() {
        return empty(lang.t("没有符合条件的已公开结果。", "No published result matches."));
    }
    let mut html = table_head(&[
        lang.t("检查对象", "Object"),
        lang.t("统一社会信用代码", "Credit code"),
        lang.t("抽查任务", "Task"),
        lang.t("检查日期", "Date"),
        lang.t("检查事项", "Items"),
        lang.t("检查结果", "Result"),
        lang.t("实施部门", "Department"),
    ]);
    for result in &list.results {
        let _ = write!(
            html,
            "<tr data-testid=\"result-row\"><td>{}<br><small>{}</small></td><td class=\"code\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&result.object_name),
            category_label(result.category, lang),
            esc(&result.credit_code),
            esc(&result.task_name),
            esc(&result.inspected_on),
            result
                .items
                .iter()
                .map(|item| esc(item))
                .collect::<Vec<_>>()
                .join("；"),
            match lang {
                Lang::Zh => esc(&result.phrase),
                Lang::En => phrase(result.result, lang).to_owned(),
            },
            esc(&result.department),
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// `GET /public/results`: the search form and one page of results.
pub(crate) async fn results_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let filter = ResultFilter::of(&ctx);
    let db = &ctx.db;
    let path = ctx.req.url()?.path().to_owned()
        + &ctx
            .req
            .url()?
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
    cached!(ctx, {
        let (list, total) = results(db, &filter).await?;
        let mut body = String::new();
        let _ = write!(
            body,
            "<form method=\"get\" action=\"/public/results\" class=\"search\">\
             <label>{} <input name=\"q\" value=\"{}\" maxlength=\"100\" placeholder=\"{}\"></label>\
             <label>{} <input name=\"year\" value=\"{}\" inputmode=\"numeric\" size=\"5\"></label>\
             <label>{} <select name=\"quarter\"><option value=\"\">{}</option>{}</select></label>{}\
             <button type=\"submit\">{}</button></form>",
            lang.t("企业名称或信用代码", "Name or credit code"),
            esc(filter.q.as_deref().unwrap_or("")),
            lang.t("例如：化工", "e.g. chemical"),
            lang.t("年度", "Year"),
            filter.year.map(|y| y.to_string()).unwrap_or_default(),
            lang.t("季度", "Quarter"),
            lang.t("全部", "All"),
            (1..=4)
                .map(|q| format!(
                    "<option value=\"{q}\"{}>{q}</option>",
                    if filter.quarter == Some(q) {
                        " selected"
                    } else {
                        ""
                    }
                ))
                .collect::<String>(),
            if lang == Lang::En {
                "<input type=\"hidden\" name=\"lang\" value=\"en\">"
            } else {
                ""
            },
            lang.t("查询", "Search"),
        );
        let _ = write!(
            body,
            "<p class=\"summary\" data-testid=\"result-summary\">{} {total} {}{}</p>",
            lang.t("共", "Found"),
            lang.t("条已公开结果", "published result(s)"),
            if list.withheld > 0 {
                format!(
                    "；{} {} {}",
                    lang.t("另有", "plus"),
                    list.withheld,
                    lang.t("条依法不予公开", "withheld by law (依法不予公开)")
                )
            } else {
                String::new()
            }
        );
        body.push_str(&results_table(&list, lang));
        let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        if pages > 1 {
            let mut query = String::new();
            if let Some(q) = &filter.q {
                let _ = write!(query, "&q={}", url_encode(q));
            }
            if let Some(year) = filter.year {
                let _ = write!(query, "&year={year}");
            }
            if let Some(quarter) = filter.quarter {
                let _ = write!(query, "&quarter={quarter}");
            }
            body.push_str("<nav class=\"pages\">");
            if filter.page > 1 {
                let _ = write!(
                    body,
                    "<a rel=\"prev\" href=\"{}\">{}</a> ",
                    esc(&with_lang(
                        &format!("/public/results?page={}{query}", filter.page - 1),
                        lang
                    )),
                    lang.t("上一页", "Previous")
                );
            }
            let _ = write!(body, "{} / {pages}", filter.page);
            if filter.page < pages {
                let _ = write!(
                    body,
                    " <a rel=\"next\" href=\"{}\">{}</a>",
                    esc(&with_lang(
                        &format!("/public/results?page={}{query}", filter.page + 1),
                        lang
                    )),
                    lang.t("下一页", "Next")
                );
            }
            body.push_str("</nav>");
        }
        Ok((
            200,
            page(
                lang,
                lang.t("检查结果公开", "Published results"),
                &path,
                &body,
            ),
        ))
    })
}

/// `GET /public`: the portal's front page.
pub(crate) async fn index_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let db = &ctx.db;
    let path = "/public".to_owned();
    cached!(ctx, {
        let draws = draws::committed_draws(db).await?;
        let filter = ResultFilter {
            q: None,
            year: None,
            quarter: None,
            page: 1,
        };
        let (list, total) = results(db, &filter).await?;
        let mut body = String::new();
        let _ = write!(
            body,
            "<form method=\"get\" action=\"/public/results\" class=\"search\"><label>{} \
             <input name=\"q\" maxlength=\"100\"></label>{}<button type=\"submit\">{}</button></form>",
            lang.t(
                "查询企业检查结果（名称或统一社会信用代码）",
                "Look up an enterprise (name or credit code)"
            ),
            if lang == Lang::En {
                "<input type=\"hidden\" name=\"lang\" value=\"en\">"
            } else {
                ""
            },
            lang.t("查询", "Search"),
        );
        let _ = write!(
            body,
            "<h2>{}</h2>{}",
            lang.t("最近抽取", "Latest draws"),
            draws_table(&draws[..draws.len().min(10)], lang)
        );
        let _ = write!(
            body,
            "<h2>{} <small>({total})</small></h2>{}",
            lang.t("最近公开的检查结果", "Latest published results"),
            results_table(
                &PublicResultList {
                    results: list.results.into_iter().take(10).collect(),
                    withheld: list.withheld,
                },
                lang
            )
        );
        Ok((
            200,
            page(
                lang,
                lang.t("双随机、一公开", "Random inspections, public results"),
                &path,
                &body,
            ),
        ))
    })
}

fn draws_table(draws: &[shared::api::DrawSummary], lang: Lang) -> String {
    if draws.is_empty() {
        return empty(lang.t("尚无抽取。", "No draw yet."));
    }
    let mut html = table_head(&[
        lang.t("抽查任务", "Task"),
        lang.t("期间", "Period"),
        lang.t("抽取时间", "Committed"),
        lang.t("抽中对象数", "Objects"),
        lang.t("状态", "Status"),
    ]);
    for draw in draws {
        let _ = write!(
            html,
            "<tr data-testid=\"draw-row\"><td><a href=\"{}\">{}</a></td><td>{} Q{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&with_lang(&format!("/public/draws/{}", draw.id), lang)),
            esc(&draw.task_name),
            draw.period.year,
            draw.period.quarter,
            esc(&draw.committed_at[..16.min(draw.committed_at.len())].replace('T', " ")),
            draw.selected,
            match &draw.void {
                Some(_) => lang.t("已作废", "Void"),
                None => lang.t("有效", "Valid"),
            }
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// `GET /public/draws`: every committed draw, voided ones included.
pub(crate) async fn draws_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let db = &ctx.db;
    cached!(ctx, {
        let draws = draws::committed_draws(db).await?;
        Ok((
            200,
            page(
                lang,
                lang.t("抽取记录", "Committed draws"),
                "/public/draws",
                &draws_table(&draws, lang),
            ),
        ))
    })
}

#[derive(Deserialize)]
struct CodeRow {
    id: i64,
    credit_code: String,
}

/// `GET /public/draws/:id`: one draw with everything needed to verify it.
pub(crate) async fn draw_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let id = ctx.id_param("id")?;
    let db = &ctx.db;
    cached!(ctx, {
        let draw = match draws::public_draw(db, id).await {
            Ok(draw) => draw,
            Err(AppError::NotFound(_)) => {
                return Ok((
                    404,
                    page(
                        lang,
                        lang.t("没有这次抽取", "No such draw"),
                        &format!("/public/draws/{id}"),
                        "",
                    ),
                ));
            }
            Err(err) => return Err(err),
        };
        let input = &draw.bundle.input;
        let selected: Vec<i64> = draw
            .bundle
            .result
            .inspections
            .iter()
            .map(|inspection| inspection.object.get())
            .collect();
        let selected_json =
            serde_json::to_string(&selected).map_err(|err| AppError::Internal(err.to_string()))?;
        let codes: Vec<CodeRow> = query!(
            &db,
            "SELECT id, credit_code FROM objects WHERE id IN (SELECT value FROM json_each(?1))",
            &selected_json
        )?
        .all()
        .await?
        .results()?;
        let code_of = |id: i64| {
            codes
                .iter()
                .find(|row| row.id == id)
                .map(|row| row.credit_code.as_str())
                .unwrap_or("")
        };
        let name_of_object = |id: i64| {
            input
                .objects
                .iter()
                .find(|object| object.id.get() == id)
                .map(|object| object.name.as_str())
                .unwrap_or("")
        };
        let name_of_inspector = |id: i64| {
            input
                .inspectors
                .iter()
                .find(|inspector| inspector.id.get() == id)
                .map(|inspector| inspector.name.clone())
                .unwrap_or_default()
        };
        let summary = &draw.draw;
        let mut body = String::new();
        if let Some(void) = &summary.void {
            let _ = write!(
                body,
                "<p class=\"void\">{}：{}（{}）</p>",
                lang.t("本次抽取已作废", "This draw was voided"),
                esc(&void.reason),
                esc(&void.voided_at)
            );
        }
        let (server_entropy, witness) = match &draw.bundle.seed_parts {
            shared::draw::SeedParts::Commit {
                server_entropy,
                witness,
            } => (server_entropy.to_hex(), witness.clone().unwrap_or_default()),
            shared::draw::SeedParts::Preview { .. } => (String::new(), String::new()),
        };
        let _ = write!(
            body,
            "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} Q{}</dd>\
             <dt>{}</dt><dd class=\"hash\" data-testid=\"sealed-hash\">{}</dd>\
             <dt>{}</dt><dd class=\"hash\">{}</dd><dt>{}</dt><dd>{}</dd>\
             <dt>{}</dt><dd class=\"hash\" data-testid=\"seed\">{}</dd><dt>{}</dt><dd>{}</dd>\
             <dt>{}</dt><dd class=\"hash\">{}</dd><dt>{}</dt><dd>{}</dd></dl>",
            lang.t("抽查任务", "Task"),
            esc(&summary.task_name),
            lang.t("期间", "Period"),
            summary.period.year,
            summary.period.quarter,
            lang.t("封存哈希", "Sealed input hash"),
            summary.sealed_hash.to_hex(),
            lang.t("服务器熵", "Server entropy"),
            server_entropy,
            lang.t("见证随机数", "Witness entropy"),
            esc(if witness.is_empty() { "—" } else { &witness }),
            lang.t("种子", "Seed"),
            summary.seed.to_hex(),
            lang.t("算法版本", "Algorithm version"),
            summary.algorithm_version,
            lang.t("结果哈希", "Result hash"),
            summary.result_hash.to_hex(),
            lang.t("抽取时间", "Committed at"),
            esc(&summary.committed_at),
        );
        let _ = write!(
            body,
            "<p class=\"verify\"><a href=\"/draws/{id}\">{}</a> · <a href=\"/api/public/draws/{id}\" download=\"suicha-draw-{id}.json\">{}</a> · <code>suicha verify suicha-draw-{id}.json</code></p>",
            lang.t("在浏览器中复核", "Verify in your browser"),
            lang.t("下载复核包", "Download the bundle"),
        );
        let _ = write!(
            body,
            "<h2>{} ({})</h2>{}",
            lang.t("抽中的检查对象与检查组", "Drawn objects and teams"),
            selected.len(),
            table_head(&[
                "#",
                lang.t("检查对象", "Object"),
                lang.t("统一社会信用代码", "Credit code"),
                lang.t("类别", "Category"),
                lang.t("检查组（带队人员在前）", "Team (lead first)"),
            ])
        );
        for (index, inspection) in draw.bundle.result.inspections.iter().enumerate() {
            let object = inspection.object.get();
            let team = match &inspection.team {
                TeamOutcome::Assigned { members, .. } => members
                    .iter()
                    .map(|member| esc(&name_of_inspector(member.get())))
                    .collect::<Vec<_>>()
                    .join("、"),
                TeamOutcome::Infeasible { .. } => {
                    lang.t("未能组成检查组", "No feasible team").to_owned()
                }
            };
            let _ = write!(
                body,
                "<tr data-testid=\"selection-row\"><td>{}</td><td>{}{}</td><td class=\"code\">{}</td><td>{}</td><td>{team}</td></tr>",
                index + 1,
                esc(name_of_object(object)),
                if inspection.joint {
                    lang.t("（联合检查）", " (joint)")
                } else {
                    ""
                },
                esc(code_of(object)),
                category_label(inspection.category, lang),
            );
        }
        body.push_str("</tbody></table>");
        Ok((
            200,
            page(
                lang,
                &format!("{} #{id}", lang.t("抽取", "Draw")),
                &format!("/public/draws/{id}"),
                &body,
            ),
        ))
    })
}

fn bp_percent(bp: u32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// `GET /public/plans`: the published annual plans (年度抽查计划), the latest version of each
/// year in full and every earlier version listed (all versions stay public).
pub(crate) async fn plans_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let db = &ctx.db;
    cached!(ctx, {
        let published = plans::published_plans(db).await?;
        let checklist = db::checklist::all(db).await?;
        let mut body = String::new();
        if published.is_empty() {
            body.push_str(&empty(lang.t(
                "尚无公开的年度抽查计划。",
                "No annual plan has been published yet.",
            )));
        }
        let mut seen_years = Vec::new();
        for plan in &published {
            if seen_years.contains(&plan.year) {
                let _ = write!(
                    body,
                    "<p class=\"summary\">{} {} {} v{}，{} {}</p>",
                    plan.year,
                    lang.t("年度", ""),
                    lang.t("历史版本", "earlier version"),
                    plan.version,
                    lang.t("公开于", "published"),
                    esc(&plan.published_at),
                );
                continue;
            }
            seen_years.push(plan.year);
            let _ = write!(
                body,
                "<section data-testid=\"plan\"><h2>{} · v{}</h2><p class=\"summary\">{} {}</p>",
                esc(&plan.body.title),
                plan.version,
                lang.t("公开于", "Published"),
                esc(&plan.published_at),
            );
            body.push_str(&table_head(&[
                lang.t("监管对象类别", "Category"),
                lang.t("全年最低抽查比例", "Yearly minimum"),
                "Q1",
                "Q2",
                "Q3",
                "Q4",
            ]));
            for category in shared::plan::CATEGORIES {
                let target = plan.body.targets.get(category);
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td>{}</td>{}</tr>",
                    category_label(category, lang),
                    bp_percent(target.yearly_min_bp),
                    target
                        .quarterly_bp
                        .iter()
                        .map(|bp| format!("<td>{}</td>", bp_percent(*bp)))
                        .collect::<String>()
                );
            }
            body.push_str("</tbody></table>");
            let _ = write!(
                body,
                "<h3>{}</h3>{}",
                lang.t("抽查事项与责任科室", "Checklist items and sections"),
                table_head(&[
                    lang.t("编号", "Code"),
                    lang.t("抽查内容", "What is checked"),
                    lang.t("责任科室", "Section"),
                ])
            );
            for coverage in &plan.body.coverage {
                let item = checklist.iter().find(|row| row.id == coverage.item);
                let section = shared::sections::section_by_code(&coverage.section)
                    .map(|section| match lang {
                        Lang::Zh => section.name_zh,
                        Lang::En => section.name_en,
                    })
                    .unwrap_or(coverage.section.as_str());
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(item.map_or("", |row| row.code.as_str())),
                    esc(item.map_or("", |row| row.content.as_str())),
                    esc(section),
                );
            }
            body.push_str("</tbody></table>");
            if !plan.body.notes.trim().is_empty() {
                let _ = write!(body, "<p>{}</p>", esc(&plan.body.notes));
            }
            let _ = write!(
                body,
                "<p class=\"verify\"><a href=\"/api/public/plans/{}\">JSON</a></p></section>",
                plan.year
            );
        }
        Ok((
            200,
            page(
                lang,
                lang.t("年度抽查计划", "Annual inspection plans"),
                "/public/plans",
                &body,
            ),
        ))
    })
}

/// `GET /public/checklist`: the checklist of inspection items (随机抽查事项清单).
pub(crate) async fn checklist_page(ctx: Ctx) -> AppResult<Response> {
    let lang = Lang::of(&ctx);
    let db = &ctx.db;
    cached!(ctx, {
        let rows = db::checklist::all(db).await?;
        let mut body = table_head(&[
            lang.t("编号", "Code"),
            lang.t("责任科室", "Section"),
            lang.t("抽查内容", "What is checked"),
            lang.t("依据", "Legal basis"),
        ]);
        for row in rows {
            let _ = write!(
                body,
                "<tr data-testid=\"checklist-row\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.code),
                esc(&row.section),
                esc(&row.content),
                esc(&row.legal_basis)
            );
        }
        body.push_str("</tbody></table>");
        Ok((
            200,
            page(
                lang,
                lang.t("随机抽查事项清单", "Checklist of inspection items"),
                "/public/checklist",
                &body,
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(url_encode("化工 a&b"), "%E5%8C%96%E5%B7%A5%20a%26b");
    }

    #[test]
    fn language_links_keep_the_query() {
        assert_eq!(
            with_lang("/public/results?page=2", Lang::En),
            "/public/results?page=2&lang=en"
        );
        assert_eq!(with_lang("/public", Lang::En), "/public?lang=en");
        assert_eq!(with_lang("/public", Lang::Zh), "/public");
    }
}

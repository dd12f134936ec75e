// Statistics and reports in the browser: the auditor opens 统计分析 and sees the same figures
// the API computes (table and SVG charts); the year-end draft on 报告 carries them in its
// sentences and its XLSX export opens as a workbook whose sheets hold the report and the
// figures. Other browser tests share the server and may add inspections, so the expected
// figures are read from the API in the same session, not hard-coded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Header, launchBrowser, ReportsPage, SignInPage, StatisticsPage, unzipText } from "./support.mjs";

let browser;

before(async () => {
  browser = await launchBrowser();
  // Data to count: the planner registers an emergency-triggered (targeted) inspection and
  // records it today, through the same API the pages use; it is not published.
  const page = await signedIn("planner", "张支队");
  const outcome = await page.evaluate(async () => {
    const session = await (await fetch("/api/session")).json();
    const headers = { "content-type": "application/json", "x-csrf-token": session.csrf_token };
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const object = (await (await fetch("/api/objects?category=special&status=active&limit=1")).json()).objects[0];
    const team = (await (await fetch("/api/inspectors?limit=100")).json()).inspectors
      .filter((i) => i.record.certificate && i.record.active).slice(0, 2).map((i) => i.id);
    const created = await fetch("/api/inspections", {
      method: "POST", headers,
      body: JSON.stringify({ credit_code: object.record.credit_code, trigger: "emergency",
        trigger_detail: "突发环境事件现场检查（浏览器测试）", section: "eia_permit", items: [3, 9], team, planned_on: today }),
    });
    if (created.status !== 201) return `create ${created.status} ${await created.text()}`;
    const id = (await created.json()).inspection.id;
    const recorded = await fetch(`/api/inspections/${id}/record`, {
      method: "PUT", headers,
      body: JSON.stringify({ inspected_on: today, team_present: team, result: "no_problem",
        findings: [3, 9].map((item) => ({ item, compliant: true, note: "" })) }),
    });
    return recorded.status === 201 ? "ok" : `record ${recorded.status} ${await recorded.text()}`;
  });
  assert.equal(outcome, "ok");
  await page.close();
});

after(async () => {
  await browser?.close();
});

async function signedIn(username, displayName) {
  const page = await browser.context.newPage();
  await new SignInPage(page).signIn(username);
  await new Header(page).waitForUser(displayName);
  return page;
}

async function api(page, path) {
  return page.evaluate(async (path) => {
    const reply = await fetch(path);
    return { status: reply.status, body: await reply.json() };
  }, path);
}

function rateText(rate) {
  if (rate.basis_points === null) return "—";
  const bp = rate.basis_points;
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")}%`;
}

test("the auditor sees the API's figures as a table and as charts", async () => {
  const page = await signedIn("auditor", "陈审核");
  const menu = await new Header(page).menu();
  assert.ok(menu.includes("统计分析") && menu.includes("报告"), menu.join(","));
  const year = 2026;
  const stats = new StatisticsPage(page);
  await stats.open("/statistics");
  await stats.choose(year);
  const { status, body } = await api(page, `/api/statistics?year=${year}`);
  assert.equal(status, 200);
  const figures = await stats.figures();
  assert.deepEqual(figures["检查总数（家次）"], ["", "", String(body.inspections.random + body.inspections.targeted)]);
  assert.deepEqual(figures["随机抽查"], ["", "", String(body.inspections.random)]);
  assert.deepEqual(figures["结果公开率"], [String(body.disclosure.part), String(body.disclosure.whole), rateText(body.disclosure)]);
  assert.deepEqual(figures["抽查事项覆盖率"], [
    String(body.checklist_coverage.part), String(body.checklist_coverage.whole), rateText(body.checklist_coverage),
  ]);
  assert.equal(figures["依法不予公开"][2], String(body.withheld));
  const bars = await stats.rateBars();
  assert.deepEqual(bars.map(([label]) => label), ["抽查事项覆盖率", "重点、特殊对象年度覆盖率", "结果公开率", "录入及时率", "公开及时率"]);
  assert.equal(bars[1][1], `${rateText(body.key_special_coverage)} (${body.key_special_coverage.part}/${body.key_special_coverage.whole})`);
  assert.equal(await stats.chartBars("chart-category"), 3);
  assert.ok(body.inspections.targeted >= 1 && body.recorded.targeted >= 1, JSON.stringify(body.inspections));
  const emergencies = body.by_trigger.find((t) => t.trigger === "emergency").count;
  assert.ok(emergencies >= 1);
  const triggers = await stats.chartValues("chart-trigger");
  assert.equal(triggers.length, 4);
  assert.deepEqual(triggers.find(([label]) => label === "突发环境事件"), ["突发环境事件", String(emergencies)]);
  assert.deepEqual(figures["定向检查：突发环境事件"], ["", "", String(emergencies)]);
  assert.equal(await stats.chartBars("chart-result"), 3);
  const inspectors = await api(page, `/api/statistics/inspectors?year=${year}`);
  assert.equal(await stats.inspectorRows(), inspectors.body.inspectors.length);

  // English on request: the same figures, English labels.
  await stats.toggleLanguage();
  const english = await stats.figures();
  assert.equal(english["Disclosure rate"][2], rateText(body.disclosure));
  await stats.toggleLanguage();
  await page.close();
});

test("the year-end draft carries the figures and exports an XLSX with the report and the figures", async () => {
  const page = await signedIn("planner", "张支队");
  const reports = new ReportsPage(page);
  await reports.open("/reports");
  await reports.choose(2026, "0");
  await reports.waitForTitle("2026年“双随机、一公开”监管工作自查自评报告（初稿）");
  const { body } = await api(page, "/api/statistics?year=2026");
  const paragraphs = await reports.paragraphs();
  const disclosure = `应公开检查结果 ${body.disclosure.whole} 条，已公开 ${body.disclosure.part} 条，公开率 ${rateText(body.disclosure)}（目标 100%）；依法不予公开 ${body.withheld} 条。`;
  assert.ok(paragraphs.includes(disclosure), paragraphs.join("\n"));

  const { name, bytes } = await reports.exportXlsx();
  assert.equal(name, "2026年度自查自评报告.xlsx");
  const entries = await unzipText(bytes);
  assert.ok(entries["xl/workbook.xml"].includes('<sheet name="报告" sheetId="1"'), entries["xl/workbook.xml"]);
  assert.ok(entries["xl/workbook.xml"].includes('<sheet name="指标" sheetId="2"'));
  const report = entries["xl/worksheets/sheet1.xml"];
  assert.ok(report.includes("2026年“双随机、一公开”监管工作自查自评报告（初稿）"), report);
  assert.ok(report.includes(disclosure));
  const sheet2 = entries["xl/worksheets/sheet2.xml"];
  assert.ok(sheet2.includes("<t xml:space=\"preserve\">结果公开率</t>"), sheet2);
  assert.ok(sheet2.includes(`<t xml:space="preserve">${rateText(body.disclosure)}</t>`));

  // A quarter makes the quarterly report.
  await reports.choose(2026, "4");
  await reports.waitForTitle("2026年第四季度“双随机、一公开”监管工作情况报告");
  await page.close();
});

test("an inspector is not offered the statistics and is refused them", async () => {
  const page = await signedIn("inspector", "赵执法");
  const menu = await new Header(page).menu();
  assert.ok(!menu.includes("统计分析"), menu.join(","));
  const stats = new StatisticsPage(page);
  await stats.open("/statistics");
  await page.getByRole("alert").filter({ hasText: "当前角色无权访问此页面" }).waitFor();
  assert.equal((await api(page, "/api/statistics")).status, 403);
  await page.close();
});

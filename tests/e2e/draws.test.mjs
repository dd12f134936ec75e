// The draw lifecycle in the browser: plan a task → preview (not binding) → seal → commit with
// witness digits → the public page, opened anonymously, recomputes the draw in that browser ✓.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiFromPage, DrawPage, Header, launchBrowser, SignInPage, TaskPage, TasksPage } from "./support.mjs";

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test("planner previews, seals and commits a draw; an anonymous visitor verifies it", async () => {
  const page = await browser.context.newPage();
  const signIn = new SignInPage(page);
  await signIn.signIn("planner");
  await new Header(page).waitForUser("张支队");

  const tasks = new TasksPage(page);
  await tasks.open("/tasks");
  await tasks.create({ name: "浏览器测试：2026年第四季度环评与排污许可随机抽查", sectionCode: "eia_permit" });

  const task = new TaskPage(page);
  const preview = await task.preview();
  assert.match(await preview.locator(".notice").textContent(), /^预览：/);
  const previewRows = await preview.getByTestId("selection-row").count();
  assert.ok(previewRows > 10, `a county-scale preview draws objects (${previewRows})`);

  const sealedHash = await task.seal();
  assert.match(sealedHash, /^[0-9a-f]{64}$/);
  assert.equal(await page.getByTestId("task-status").textContent(), "已封存");
  const confirm = await task.askToCommit("6243151");
  assert.match(await confirm.textContent(), /确认正式抽取？/);
  await confirm.getByTestId("confirm-commit").click();
  await page.getByTestId("committed").waitFor();
  const href = await page.getByTestId("committed").locator("a").getAttribute("href");
  assert.match(href, /^\/draws\/\d+$/);

  // A second, anonymous browser context: no cookies, nothing shared with the planner.
  const visitor = await launchBrowser();
  const anonymousPage = await visitor.context.newPage();
  const draw = new DrawPage(anonymousPage);
  await draw.open(href);
  await anonymousPage.getByTestId("seed").waitFor();
  assert.match(await draw.seed(), /^[0-9a-f]{64}$/);
  assert.equal(await draw.selectionRows(), previewRows, "the same pool and ratios draw as many objects as the preview");
  assert.equal(await draw.verify(), "✓ 复核一致：本机重新计算的结果与公布结果逐位相同");
  assert.equal(await anonymousPage.locator(".user-box a", { hasText: "登录" }).count(), 1, "the visitor is not signed in");
  assert.deepEqual(visitor.errors, []);
  await visitor.close();
  await page.close();
});

test("the public list shows the draw to anyone", async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const shell = new DrawPage(page);
  await shell.open("/draws");
  await page.getByTestId("draw-row").first().waitFor();
  const names = await page.getByTestId("draw-row").locator("td:first-child").allTextContents();
  assert.ok(names.includes("浏览器测试：2026年第四季度环评与排污许可随机抽查"), JSON.stringify(names));
  await page.close();
});

test("a draw with objects that cannot get a team says why before commit, asks, then shows the committed result", async () => {
  const page = await browser.context.newPage();
  await new SignInPage(page).signIn("planner");
  await new Header(page).waitForUser("张支队");
  // One task per inspector in the draw: with teams of two, most drawn objects get no team.
  const spec = {
    period: { year: 2026, quarter: 4 },
    sections: [{
      section: "eia_permit", filters: [],
      strata: [{ name: "key", categories: ["key"], size: { ratio_bp: 3000 } }],
      items: [3, 9, 10], annual_guarantee: false,
    }],
    risk_weights: {
      base: 100, per_violation: 50, max_counted_violations: 4, per_complaint: 20, max_counted_complaints: 5,
      credit: { a: -50, b: 0, c: 50, d: 100, unrated: 0 }, unstable_permit_compliance: 50, high_public_concern: 30,
      category: { general: 0, key: 50, special: 100 },
    },
    yearly_cap: null,
    team_rules: { team_size: 2, max_team_size: 2, exclude_same_region: false, rotate_lead: false, max_assignments_per_draw: 1 },
  };
  const created = await apiFromPage(page, "POST", "/api/tasks", {
    name: "浏览器测试：人员上限导致无法组队", owner_section: "eia_permit", spec, exclusions: [],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const task = new TaskPage(page);
  await task.open(`/tasks/${created.body.id}`);
  assert.match(await page.getByTestId("team-rules").textContent(), /每名检查人员每次抽取最多 1 项任务/);

  const preview = await task.preview();
  const banner = preview.getByTestId("unteamed-banner");
  assert.match(await banner.locator("p").textContent(), /^\d+ \/ \d+ 个检查对象（\d+%）无法组队/);
  assert.match(await banner.getByTestId("unteamed-reason").first().textContent(), /^每名检查人员每次抽取最多 1 项任务.*：\d+ 个$/);
  assert.match(await preview.getByTestId("infeasible-reason").first().textContent(), /每名检查人员每次抽取最多 1 项任务/);

  await task.seal();
  // Witness digits typed with spaces count without them.
  const confirm = await task.askToCommit("31 41 59");
  assert.match(await confirm.getByTestId("unteamed-banner").textContent(), /无法组队/);
  await confirm.getByTestId("cancel-commit").click();
  assert.equal(await page.getByTestId("commit-confirm").count(), 0, "cancel commits nothing");
  assert.equal(await page.getByTestId("committed").count(), 0);

  await task.askToCommit("31 41 59");
  await page.getByTestId("confirm-commit").click();
  await page.getByTestId("committed").waitFor();
  await page.getByTestId("committed-result").waitFor();
  assert.equal(await page.getByTestId("preview-result").count(), 0, "no stale preview after commit");
  assert.equal(await page.getByTestId("task-error").count(), 0);
  const href = await page.getByTestId("committed").locator("a").getAttribute("href");
  const draw = await apiFromPage(page, "GET", `/api/public${href}`);
  assert.equal(draw.body.bundle.seed_parts.witness, "314159");
  await page.close();
});

// The draw lifecycle in the browser: plan a task → preview (not binding) → seal → commit with
// witness digits → the public page, opened anonymously, recomputes the draw in that browser ✓.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DrawPage, Header, launchBrowser, SignInPage, TaskPage, TasksPage } from "./support.mjs";

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
  const href = await task.commit("6243151");
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

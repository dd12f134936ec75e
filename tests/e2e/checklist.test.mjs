// The thin slice through every layer: D1 → worker API → Leptos app in a real browser.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ChecklistPage, launchBrowser } from "./support.mjs";

let browser;
let page;

before(async () => {
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
});

test("a deep link to the checklist shows the twelve items read from D1, in Chinese", async () => {
  const checklist = new ChecklistPage(page);
  await checklist.open("/checklist");
  assert.equal(await checklist.brandName(), "随查");
  assert.equal(await checklist.heading(), "随机抽查事项清单");
  assert.deepEqual(await checklist.headers(), ["编号", "责任科室", "抽查内容", "依据"]);
  const rows = await checklist.rows();
  assert.equal(rows.length, 12);
  assert.deepEqual(rows[0].slice(0, 3), ["SC-01", "自然生态科", "生态环境保护措施落实情况"]);
  assert.equal(rows[9][2], "建设项目“三同时”制度落实情况");
});

test("client-side navigation from home reaches the checklist", async () => {
  const shell = new ChecklistPage(page);
  await shell.open("/");
  await shell.navigate("抽查事项清单");
  await page.waitForURL(/\/checklist$/);
  assert.equal((await shell.rows()).length, 12);
});

test("the English toggle translates the interface and is remembered", async () => {
  const checklist = new ChecklistPage(page);
  await checklist.open("/checklist");
  await checklist.toggleLanguage();
  assert.equal(await checklist.heading(), "Checklist of inspection items");
  assert.deepEqual(await checklist.headers(), ["Code", "Section", "What is checked", "Legal basis"]);
  await page.reload();
  await page.locator("section.checklist h1").waitFor();
  assert.equal(await checklist.heading(), "Checklist of inspection items");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await checklist.toggleLanguage();
  assert.equal(await checklist.heading(), "随机抽查事项清单");
});

test("the page ran without script errors", () => {
  assert.deepEqual(browser.errors, []);
});

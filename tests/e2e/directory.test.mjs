// The directory import in the browser: the planner picks the real LibreOffice XLSX through the
// file input, the page reads and validates it (WASM), uploads it in chunks, previews the diff
// and commits; the objects are then in the list. An invalid file shows row/column errors and
// writes nothing.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Header, ImportPage, launchBrowser, mapImportColumn, ObjectDetailPage, ObjectsPage, SignInPage } from "./support.mjs";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "import");

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function signedInPlanner() {
  const page = await browser.context.newPage();
  await new SignInPage(page).signIn("planner");
  await new Header(page).waitForUser("张支队");
  return page;
}

async function objectTotal(page) {
  const answer = await page.evaluate(async () => (await fetch("/api/objects?limit=1")).json());
  return answer.total;
}

test("an invalid file lists its problems by row and column and writes nothing", async () => {
  const page = await signedInPlanner();
  const before = await objectTotal(page);
  const wizard = new ImportPage(page);
  await wizard.open("/import");
  await wizard.choose("objects", join(FIXTURES, "objects_bad_credit_codes.csv"));
  assert.equal(await wizard.outcome(), "issues");
  const issues = await wizard.issueTexts();
  assert.ok(issues.length >= 1);
  assert.match(issues[0], /^第 \d+ 行 [A-Z]+ 列（统一社会信用代码）：/);
  assert.equal(await page.getByTestId("import-upload").count(), 0, "no way to upload");
  assert.equal(await objectTotal(page), before, "nothing written");
  await page.close();
});

test("the planner imports the LibreOffice XLSX and finds its rows in the list", async () => {
  const page = await signedInPlanner();
  const before = await objectTotal(page);
  const wizard = new ImportPage(page);
  await wizard.open("/import");
  await wizard.choose("objects", join(FIXTURES, "objects_valid.xlsx"));
  assert.equal(await wizard.outcome(), "valid");
  const preview = await wizard.uploadAndPreview();
  assert.deepEqual(preview, { new: 40, changed: 0 }, "a fresh county: all 40 rows are new");
  assert.match(await wizard.commit(), /^导入完成/);
  assert.equal(await objectTotal(page), before + 40);

  const objects = new ObjectsPage(page);
  await objects.open("/objects");
  await objects.search("重庆华鑫水泥有限公司1");
  await objects.waitForTotal(1);
  assert.deepEqual(await objects.names(), ["重庆华鑫水泥有限公司1"]);
  await page.close();
});

test("the planner tags an object and suspends it from its page; the history shows it", async () => {
  const page = await signedInPlanner();
  const objects = new ObjectsPage(page);
  await objects.open("/objects");
  await page.getByTestId("object-row").first().waitFor();
  await page.locator("[data-testid=object-row] td:first-child a").first().click();
  const detail = new ObjectDetailPage(page);
  await page.getByTestId("object-name").waitFor();
  await detail.setTags("长江沿岸、饮用水源保护区");
  await page.getByTestId("object-tags").filter({ hasText: "长江沿岸、饮用水源保护区" }).waitFor();
  const before = await page.locator("[data-testid=status-history] tbody tr").count();
  const current = await detail.status();
  const next = current.startsWith("停产") ? "active" : "suspended";
  await detail.changeStatus(next, "2026-05-04", "浏览器测试：停产检修");
  await page.locator("[data-testid=status-history] tbody tr").nth(before).waitFor();
  const last = await page.locator("[data-testid=status-history] tbody tr").nth(before).textContent();
  assert.match(last, /2026-05-04/);
  assert.match(last, /浏览器测试：停产检修/);
  await page.close();
});

test("unknown headers are mapped by hand, and the mapping is remembered for the next file", async () => {
  const page = await signedInPlanner();
  const wizard = new ImportPage(page);
  await wizard.open("/import");
  await wizard.choose("objects", join(FIXTURES, "objects_wrong_headers.csv"));
  assert.equal(await wizard.outcome(), "issues");
  assert.match((await wizard.issueTexts())[0], /缺少必填列“单位名称”/);
  for (const [header, field] of [
    ["Company", "name"], ["Code", "credit_code"], ["Type", "category"], ["Town", "region"], ["Trade", "industry"],
  ]) {
    await mapImportColumn(page, header, field);
  }
  assert.equal(await wizard.outcome(), "valid");
  await wizard.uploadAndPreview();
  assert.match(await wizard.commit(), /^导入完成/);

  // The same file again, on a fresh page: the remembered mapping makes it valid at once.
  await wizard.open("/import");
  await wizard.choose("objects", join(FIXTURES, "objects_wrong_headers.csv"));
  assert.equal(await wizard.outcome(), "valid");
  assert.match(await page.getByTestId("import-columns").textContent(), /已记住/);
  await page.close();
});

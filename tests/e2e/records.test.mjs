// Inspections and their records in the browser: a planner commits a draw; the inspector, on a
// phone-sized screen, keeps a draft across a reload, gets the worker's field errors beside the
// fields, submits while offline (the record waits on the device) and sees it submitted once
// online; publishes in the standard phrase, which an anonymous visitor then finds on the
// worker-rendered portal; the assignment sheet downloads as an XLSX with the object in it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  apiFromPage, BASE_URL, DeadlinesPage, Header, InspectionsPage, launchBrowser, readZipEntry, RecordPage, SignInPage,
  TargetedPage,
} from "./support.mjs";
import { FIXTURES } from "./fixtures.mjs";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The same fourth-quarter EIA and permits draw as the API tests: `eia_q4_inspections` in
 * tests/src/fixtures.rs, which generates fixtures.json. */
const SPEC = FIXTURES.records_spec;

let planner; // { context, page }
let phone;
let inspection; // the InspectionSummary the inspector records

before(async () => {
  const plannerBrowser = await launchBrowser();
  const plannerPage = await plannerBrowser.context.newPage();
  await new SignInPage(plannerPage).signIn("planner");
  await new Header(plannerPage).waitForUser("张支队");
  planner = { browser: plannerBrowser, page: plannerPage };

  const created = await apiFromPage(plannerPage, "POST", "/api/tasks", {
    name: "浏览器测试：现场检查记录", owner_section: "eia_permit", spec: SPEC, exclusions: [],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const task = created.body.id;
  const sealed = await apiFromPage(plannerPage, "POST", `/api/tasks/${task}/seal`, {});
  assert.equal(sealed.status, 200, JSON.stringify(sealed.body));
  const committed = await apiFromPage(plannerPage, "POST", `/api/tasks/${task}/commit`, { witness: "271828" }, {
    "idempotency-key": `records-e2e-${task}`,
  });
  assert.equal(committed.status, 201, JSON.stringify(committed.body));

  phone = await launchBrowser(PHONE);
  const phonePage = await phone.context.newPage();
  await new SignInPage(phonePage).signIn("inspector");
  await phonePage.getByTestId("user-name").waitFor();
  const own = await apiFromPage(phonePage, "GET", "/api/inspections?year=2026");
  assert.equal(own.status, 200);
  const open = own.body.inspections.filter((i) => i.entry_state === "not_recorded" && i.items.length > 0);
  assert.ok(open.length > 0, "the demo inspector has open assignments after the draw");
  inspection = open.find((i) => i.task_id === task) ?? open[0];
  await phonePage.close();
});

after(async () => {
  await planner?.browser.close();
  await phone?.close();
});

test("the inspector's list shows the assignment with the team and its lead", async () => {
  const page = await phone.context.newPage();
  const list = new InspectionsPage(page);
  await list.open("/inspections");
  assert.equal(await page.locator("section.inspections-page h1").first().textContent(), "我的检查");
  const rows = await list.rows();
  const row = rows.filter({ has: page.locator(`a[href="/inspections/${inspection.id}"]`) });
  assert.equal(await row.count(), 1);
  const text = await row.textContent();
  assert.ok(text.includes(inspection.object.name), text);
  assert.ok(text.includes(inspection.inspect_by), text);
  assert.ok(text.includes("组长"), "the lead is marked");
  assert.ok(text.includes("未录入"), text);
  await page.close();
});

test("a draft survives a reload on the phone", async () => {
  const page = await phone.context.newPage();
  const record = new RecordPage(page);
  await record.openRecord(inspection.id);
  await record.form().waitFor();
  assert.equal(await record.findingCount(), inspection.items.length);
  await record.setCompliant(0, false);
  await record.setNote(0, "");
  await record.setRemarks("企业负责人陪同检查");
  await page.reload();
  await page.getByTestId("draft-restored").waitFor();
  assert.equal(await record.remarks(), "企业负责人陪同检查");
  assert.equal(await record.isCompliantChecked(0, false), true);
  assert.equal(await record.isCompliantChecked(0, true), false);
  // Single column at phone width: nothing sticks out sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the record page fits a 390 px screen (overflow ${overflow} px)`);
  await page.close();
});

test("offline, the record waits on the phone and is submitted once online", async () => {
  const page = await phone.context.newPage();
  const record = new RecordPage(page);
  await record.openRecord(inspection.id);
  await page.getByTestId("draft-restored").waitFor();
  for (let index = 1; index < inspection.items.length; index += 1) {
    await record.setCompliant(index, true);
  }
  await record.chooseResult("no_problem");

  // Online first, with item 1 not compliant and no note: the worker names the field.
  await record.submit();
  assert.match(await record.status("refused"), /提交未成功/);
  const errors = await record.fieldErrors(0);
  assert.ok(errors.some((e) => e.includes("须写明检查情况")), JSON.stringify(errors));

  await record.setCompliant(0, true);
  await record.addAttachment("IMG_2041.jpg", "雨水排口现场照片");

  await phone.context.setOffline(true);
  await record.submit();
  assert.equal(await record.status("queued"), "已保存在本机，联网后自动提交");
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem("suicha.record-outbox")));
  assert.equal(queued.length, 1);
  assert.equal(queued[0].inspection_id, inspection.id);
  const before = await apiFromPage(planner.page, "GET", `/api/inspections/${inspection.id}`);
  assert.equal(before.body.record, null, "nothing reached the worker while offline");

  await phone.context.setOffline(false);
  assert.equal(await record.status("submitted"), "已提交");
  const saved = await apiFromPage(planner.page, "GET", `/api/inspections/${inspection.id}`);
  assert.equal(saved.status, 200);
  assert.notEqual(saved.body.record, null, "the record reached the worker");
  assert.equal(saved.body.record.record.result, "no_problem");
  assert.deepEqual(saved.body.record.record.attachments, ["IMG_2041.jpg 雨水排口现场照片"]);
  assert.equal(saved.body.record.record.remarks, "企业负责人陪同检查", "the restored draft was submitted");
  assert.equal(await page.evaluate(() => localStorage.getItem("suicha.record-outbox")), null);
  assert.equal(await page.evaluate((id) => localStorage.getItem(`suicha.record-draft.${id}`), inspection.id), null);
  assert.deepEqual(phone.errors, []);
  await page.close();
});

test("publishing shows the standard phrase on the public portal to anyone", async () => {
  const page = await phone.context.newPage();
  const record = new RecordPage(page);
  await record.openRecord(inspection.id);
  assert.equal(await record.publishPhrase(), "未发现问题");
  assert.equal(await record.publish(), "未发现问题");
  await page.getByTestId("record-sheet").waitFor();
  assert.equal(await record.form().count(), 0, "a published record is read-only");
  await page.close();

  const visitor = await launchBrowser();
  const anonymous = await visitor.context.newPage();
  const url = new URL("/public/results", BASE_URL);
  url.searchParams.set("q", inspection.object.name);
  const response = await anonymous.goto(url.href);
  assert.equal(response.status(), 200);
  const body = await anonymous.locator("body").textContent();
  assert.ok(body.includes(inspection.object.name), "the portal finds the object by name");
  assert.ok(body.includes("未发现问题"), "the portal shows the standard phrase");
  await visitor.close();
});

test("the assignment sheet downloads as an XLSX with the object in it", async () => {
  const page = await phone.context.newPage();
  const list = new InspectionsPage(page);
  await list.open("/inspections");
  await list.rows();
  const { name, bytes } = await list.exportXlsx();
  assert.match(name, /\.xlsx$/);
  assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "an XLSX is a zip archive");
  const sheet = await readZipEntry(bytes, "xl/worksheets/sheet1.xml");
  assert.ok(sheet, "the archive has xl/worksheets/sheet1.xml");
  assert.ok(sheet.includes(inspection.object.name), "the sheet names the object");
  assert.ok(sheet.includes(inspection.object.credit_code), "the sheet has the credit code");
  await page.close();
});

test("the deadlines board counts every inspection in the planner's scope", async () => {
  const page = await planner.browser.context.newPage();
  const board = new DeadlinesPage(page);
  await board.open("/deadlines");
  const sections = await board.rows("section");
  const all = await apiFromPage(page, "GET", "/api/inspections?year=2026");
  const total = sections.at(-1);
  assert.equal(total[0], "合计");
  assert.equal(Number(total[1]), all.body.inspections.length, "the total row counts the whole list");
  const eia = sections.find((row) => row[0].includes("环评"));
  assert.ok(eia && Number(eia[1]) > 0, JSON.stringify(sections));
  const recorded = all.body.inspections.filter((i) => i.entry_state !== "not_recorded").length;
  const open = Number(total[2]) + Number(total[3]);
  assert.equal(open, all.body.inspections.length - recorded, "open + overdue = not recorded");
  const inspectors = await board.rows("inspector");
  assert.ok(inspectors.some((row) => row[0] === inspection.team[0].name), "the lead has a row");
  await page.close();
});

test("a targeted inspection: field errors beside the fields, then registered", async () => {
  const page = await planner.browser.context.newPage();
  const form = new TargetedPage(page);
  await form.open("/targeted");
  await form.form().waitFor();
  await form.submit();
  await page.getByTestId("targeted-error").waitFor();
  const errors = await form.fieldErrors();
  assert.ok(errors.some((e) => e.includes("统一社会信用代码")), JSON.stringify(errors));
  assert.ok(errors.some((e) => e.includes("线索")), JSON.stringify(errors));

  await form.fill({
    creditCode: inspection.object.credit_code,
    detail: "群众来电投诉夜间异味",
    section: "eia_permit",
    items: [inspection.items[0].code],
    team: [1, 2],
  });
  await form.submit();
  await page.waitForURL(/\/inspections\/\d+$/);
  await page.getByTestId("object-name").waitFor();
  assert.equal(await page.getByTestId("object-name").textContent(), inspection.object.name);
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  const detail = await apiFromPage(page, "GET", `/api/inspections/${id}`);
  assert.equal(detail.body.inspection.kind, "targeted");
  assert.equal(detail.body.inspection.trigger, "complaint");
  await page.close();
});

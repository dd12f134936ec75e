// 节假日安排 in the browser: on the pinned clock (2026-11-27) 2027 is provisional and a deadline
// into January 2027 is shown as 暂定; the admin types a 2027 notice, the preview names a bad
// line and then lists the holidays and make-up day, the admin saves, and the same deadline
// follows the notice, no longer provisional.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Header, HolidaySchedulePage, launchBrowser, SignInPage } from "./support.mjs";

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const NOTICE_2027 = [
  "year 2027 测试用通知（非真实）",
  "off  2027-01-01..2027-01-04 元旦",
  "work 2027-01-09             元旦",
  "",
].join("\n");

test("admin enters the 2027 notice and a provisional deadline follows it", async () => {
  const page = await browser.context.newPage();
  await new SignInPage(page).signIn("admin");
  await new Header(page).waitForUser("王管理");

  const calendar = new HolidaySchedulePage(page);
  await calendar.open("/admin/calendar");
  assert.equal(await calendar.yearState(2026), "内置");
  assert.equal(await calendar.yearState(2027), "暂定");
  assert.equal(await calendar.tryDeadline("2026-12-10", 20), "2027-01-08 暂定");

  await calendar.openYear(2027);
  await calendar.typeSchedule("year 2027 通知\n\noff 2027-02-30 春节\n");
  assert.match(await calendar.previewError(), /^第 3 行：2027-02-30 is not a day of the calendar/);
  await calendar.typeSchedule(NOTICE_2027);
  assert.deepEqual(await calendar.previewLines(), [
    "元旦：2027-01-01 至 2027-01-04 放假，共 4 天",
    "元旦：2027-01-09（周六）调休上班",
  ]);
  assert.equal(await calendar.save(), "已保存");
  await calendar.waitForYearState(2027, "已录入 v1");
  assert.equal(await calendar.tryDeadline("2026-12-10", 20), "2027-01-09");
  assert.deepEqual(browser.errors, []);
});

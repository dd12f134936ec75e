// The annual plan in the browser: the planner drafts a plan, sees a broken rule named at its
// field, publishes (the public JSON shows it), opens the quarter view by deep link and sees what
// is missing, then creates a task from it, filled in from the plan, previews it (not binding),
// seals and commits it with witness digits, an anonymous visitor's browser verifies the draw ✓,
// and the quarter view counts it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  BASE_URL,
  DrawPage,
  Header,
  launchBrowser,
  PlanPage,
  PlansPage,
  QuarterPage,
  SignInPage,
  TaskPage,
} from "./support.mjs";

const YEAR = 2029;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function anonymousJson(path) {
  const response = await fetch(new URL(path, BASE_URL));
  return { status: response.status, body: await response.json() };
}

test("planner publishes a plan; the quarter view shows what is missing and starts a task from the plan", async () => {
  const page = await browser.context.newPage();
  await new SignInPage(page).signIn("planner");
  await new Header(page).waitForUser("张支队");

  const plans = new PlansPage(page);
  await plans.open("/plans");
  await plans.createDraft(YEAR);
  const plan = new PlanPage(page);
  assert.equal(await plan.status(), "草稿");
  assert.equal(await plan.target("key", "yearly").inputValue(), "100");
  assert.equal(await plan.target("general", 1).inputValue(), "5");

  // A broken rule is named at its field, in the browser, before anything is sent.
  await plan.setTarget("key", "yearly", 90);
  await plan.save();
  const issues = await plan.issues();
  assert.deepEqual(issues.map((issue) => issue.field), ["body.targets.key.yearly_min_bp"]);
  assert.match(issues[0].text, /每年至少抽查 1 次/);
  assert.match(await plan.target("key", "yearly").getAttribute("class"), /invalid/);
  assert.equal((await anonymousJson(`/api/public/plans/${YEAR}`)).status, 404, "a draft is not public");

  await plan.setTarget("key", "yearly", 100);
  await plan.setTarget("general", 1, "7.5");
  await plan.publish();
  assert.equal(await plan.target("general", 1).isDisabled(), true, "a published version is read-only");
  await plan.reviseButton().waitFor();
  const published = await anonymousJson(`/api/public/plans/${YEAR}`);
  assert.equal(published.status, 200);
  assert.equal(published.body.plan.version, 1);
  assert.deepEqual(published.body.plan.body.targets.general.quarterly_bp, [750, 500, 500, 500]);
  const guarantee = await plan.guaranteeCount();
  assert.match(guarantee, /^0 \/ \d+$/, `nothing inspected in ${YEAR} yet: ${guarantee}`);
  const keyAndSpecial = Number(guarantee.split(" / ")[1]);
  assert.ok(keyAndSpecial > 0);

  // The quarter view, by deep link (a fresh page load).
  const checklist = (await anonymousJson("/api/checklist")).body.items;
  const eiaCodes = checklist.filter((item) => item.section === "环评与排污许可科").map((item) => item.code);
  assert.equal(eiaCodes.length, 3);
  const quarter = new QuarterPage(page);
  await quarter.openQuarter(YEAR, 1);
  assert.equal(await quarter.period(), `${YEAR}-Q1`);
  const keyRemaining = Number(await quarter.remainingForYear("key"));
  const specialRemaining = Number(await quarter.remainingForYear("special"));
  assert.equal(keyRemaining + specialRemaining, keyAndSpecial, "every key and special object is still missing");
  await page.getByTestId("quarter-no-tasks").waitFor();
  const missing = await quarter.uncovered("eia_permit");
  for (const code of eiaCodes) {
    assert.ok(missing.includes(code), `${code} is missing: ${missing}`);
  }

  // The call to action opens the task form filled in from the plan's first quarter.
  await quarter.createTaskFor("eia_permit");
  const form = page.getByTestId("new-task-form");
  await page.waitForFunction(
    () => document.querySelector("[data-testid=new-task-form] input[name=general_percent]")?.value === "7.5",
  );
  assert.equal(await form.locator("input[name=key_percent]").inputValue(), "25");
  assert.equal(await form.locator("input[name=year]").inputValue(), String(YEAR));
  assert.equal(await form.locator("input[name=section][value=eia_permit]").isChecked(), true);
  const name = await form.locator("input[name=name]").inputValue();
  assert.match(name, /2029年第1季度环评与排污许可科/);
  await form.locator("button[type=submit]").click();
  await page.waitForURL(/\/tasks\/\d+$/);

  // The task from the plan goes the whole way: a preview computed here (not binding), the seal,
  // the commit with witness digits, and verification in a second, anonymous browser.
  const task = new TaskPage(page);
  const preview = await task.preview();
  assert.match(await preview.locator(".notice").textContent(), /^预览：/);
  assert.match(await task.seal(), /^[0-9a-f]{64}$/);
  const href = await task.commit("271828");
  const visitor = await launchBrowser();
  const draw = new DrawPage(await visitor.context.newPage());
  await draw.open(href);
  assert.equal(await draw.verify(), "✓ 复核一致：本机重新计算的结果与公布结果逐位相同");
  assert.deepEqual(visitor.errors, []);
  await visitor.close();

  await quarter.openQuarter(YEAR, 1);
  await page.getByTestId("quarter-tasks").waitFor();
  assert.deepEqual(await quarter.taskNames(), [name]);
  assert.equal((await quarter.uncovered("eia_permit")).trim(), "", "the task checks the section's items");
  assert.ok((await quarter.uncovered("ecology")).length > 0, "other sections still lack a task");

  await quarter.toggleLanguage();
  await page.locator("h1", { hasText: "Next quarter's draws" }).waitFor();
  assert.deepEqual(browser.errors, []);
  await page.close();
});

// Signing in as each role shows exactly that role's menu; signing out returns to the public one.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AccountsPage, AuditLogPage, Header, launchBrowser, SignInPage } from "./support.mjs";

// The menu each role must see (docs/authorization.md), in menu order.
const PUBLIC_MENU = ["首页", "抽查事项清单", "抽取公示"];
const DIRECTORY_MENU = ["检查对象名录库", "检查人员名录库"];
const DRAW_MENU = ["年度抽查计划", "下季度抽查安排", "抽查任务"];
const STATISTICS_MENU = ["统计分析", "报告"];
// read_inspections (every staff role) and record_results (planner, section, inspector).
const READ_MENU = ["检查与记录", "时限看板"];
const RECORD_MENU = [...READ_MENU, "登记非随机检查"];
const MENUS = {
  admin: { name: "王管理", role: "管理员", menu: [...PUBLIC_MENU, ...DRAW_MENU, ...READ_MENU, ...DIRECTORY_MENU, ...STATISTICS_MENU, "账号管理", "节假日安排", "审计日志"] },
  planner: { name: "张支队", role: "执法支队", menu: [...PUBLIC_MENU, ...DRAW_MENU, ...RECORD_MENU, ...DIRECTORY_MENU, "名录导入", ...STATISTICS_MENU] },
  section: { name: "李科长", role: "科室", menu: [...PUBLIC_MENU, ...DRAW_MENU, ...RECORD_MENU, ...DIRECTORY_MENU, ...STATISTICS_MENU] },
  inspector: { name: "赵执法", role: "执法人员", menu: [...PUBLIC_MENU, ...RECORD_MENU, ...DIRECTORY_MENU] },
  auditor: { name: "陈审核", role: "审核", menu: [...PUBLIC_MENU, ...DRAW_MENU, ...READ_MENU, ...DIRECTORY_MENU, ...STATISTICS_MENU, "审计日志"] },
};

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function freshPage() {
  await browser.context.clearCookies();
  return browser.context.newPage();
}

for (const [username, expected] of Object.entries(MENUS)) {
  test(`${username} signs in, sees exactly the ${expected.role} menu, and signs out`, async () => {
    const page = await freshPage();
    const signIn = new SignInPage(page);
    const header = new Header(page);
    await signIn.open("/");
    assert.deepEqual(await header.menu(), PUBLIC_MENU);
    await signIn.signIn(username);
    await header.waitForUser(expected.name);
    assert.equal(await header.role(), expected.role);
    assert.deepEqual(await header.menu(), expected.menu);
    // The session survives a reload (the cookie, not page state, carries it).
    await page.reload();
    await header.waitForUser(expected.name);
    assert.deepEqual(await header.menu(), expected.menu);
    await header.signOut();
    assert.deepEqual(await header.menu(), PUBLIC_MENU);
    await page.close();
  });
}

test("a wrong password is refused with the API's message", async () => {
  const page = await freshPage();
  const signIn = new SignInPage(page);
  await signIn.signIn("planner", "definitely-wrong");
  await page.locator("[data-testid=sign-in-form] .error").waitFor();
  assert.equal(await signIn.error(), "用户名或密码错误 / wrong user name or password");
  await page.close();
});

test("an anonymous visitor opening the accounts page is asked to sign in", async () => {
  const page = await freshPage();
  const accounts = new AccountsPage(page);
  await accounts.open("/admin/accounts");
  await page.locator(".notice").waitFor();
  assert.match(await page.locator(".notice").textContent(), /请先登录/);
  await page.close();
});

test("an admin creates an account, and the auditor finds it in a verified audit log", async () => {
  const page = await freshPage();
  const signIn = new SignInPage(page);
  await signIn.signIn("admin");
  await new Header(page).waitForUser("王管理");
  const accounts = new AccountsPage(page);
  await accounts.open("/admin/accounts");
  await accounts.create({ username: "e2e.water", name: "水环境科测试", role: "section", section: "水环境科", password: "青山绿水2026abc" });
  await page.getByTestId("accounts-message").waitFor();
  assert.equal(await accounts.message(), "账号已创建");
  await page.locator("[data-testid=account-row] td.code", { hasText: "e2e.water" }).waitFor();
  assert.ok((await accounts.usernames()).includes("e2e.water"));
  await new Header(page).signOut();

  await signIn.signIn("auditor");
  await new Header(page).waitForUser("陈审核");
  const audit = new AuditLogPage(page);
  await audit.open("/audit");
  const rows = await audit.rows();
  const creation = rows.find((cells) => cells[3] === "account.create" && cells[4] === "account:e2e.water");
  assert.ok(creation, `no account.create entry in ${JSON.stringify(rows.slice(0, 5))}`);
  assert.equal(creation[2], "admin");
  assert.match(await audit.verifyChain(), /^哈希链完整，共校验记录数：\d+$/);
  await page.close();
});

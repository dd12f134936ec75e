// Shared support for the browser tests: Debian's Chromium driven by playwright-core, and page
// objects (one class per page, the only place that knows selectors).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const BASE_URL = process.env.SUICHA_BASE_URL;
if (!BASE_URL) {
  throw new Error("SUICHA_BASE_URL is not set: run these through `cargo xtask test`, or against `cargo xtask dev` with SUICHA_BASE_URL=http://127.0.0.1:8787");
}

/** Milliseconds the test server adds to the real clock (its clock is pinned to a fixed start,
 * `xtask::server::TEST_CLOCK_START_MILLIS`); every page gets the same clock. */
const CLOCK_OFFSET_MS = Number(process.env.SUICHA_TEST_CLOCK_OFFSET_MS ?? 0);

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Launches headless Chromium with a fresh profile; returns { browser, close }. `options` go
 * to the context (e.g. a phone's `viewport`, `isMobile`, `hasTouch`). */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "suicha-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
    ...options,
  });
  if (CLOCK_OFFSET_MS !== 0) {
    // The page's clock starts where the server's is now, and runs on from there.
    await context.clock.install({ time: Date.now() + CLOCK_OFFSET_MS });
  }
  const errors = [];
  context.on("weberror", (error) => errors.push(String(error.error())));
  return {
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The application shell: header, navigation, language toggle. */
export class Shell {
  constructor(page) {
    this.page = page;
  }
  async open(path) {
    await this.page.goto(new URL(path, BASE_URL).href);
    await this.page.locator(".brand-name").waitFor();
  }
  brandName() {
    return this.page.locator(".brand-name").textContent();
  }
  async toggleLanguage() {
    await this.page.getByTestId("lang-toggle").click();
  }
  async navigate(linkText) {
    await this.page.locator(".main-nav a", { hasText: linkText }).click();
  }
}

/** 抽查事项清单: the checklist page. */
export class ChecklistPage extends Shell {
  heading() {
    return this.page.locator("section.checklist h1").textContent();
  }
  async rows() {
    const rows = this.page.getByTestId("checklist-row");
    await rows.first().waitFor();
    return rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
    );
  }
  headers() {
    return this.page.locator("[data-testid=checklist-table] th").allTextContents();
  }
}

/** The password of every demo account (shared::demo_accounts::DEMO_PASSWORD). */
export const DEMO_PASSWORD = "Suicha@2026demo";

/** 登录: the sign-in page. */
export class SignInPage extends Shell {
  async signIn(username, password = DEMO_PASSWORD) {
    await this.open("/sign-in");
    const form = this.page.getByTestId("sign-in-form");
    await form.locator("input[name=username]").fill(username);
    await form.locator("input[name=password]").fill(password);
    await form.locator("button[type=submit]").click();
  }
  error() {
    return this.page.locator("[data-testid=sign-in-form] .error").textContent();
  }
}

/** The header as a signed-in user sees it. */
export class Header {
  constructor(page) {
    this.page = page;
  }
  async menu() {
    return this.page.getByTestId("main-nav").locator("a").allTextContents();
  }
  async waitForUser(displayName) {
    await this.page.getByTestId("user-name").filter({ hasText: displayName }).waitFor();
  }
  role() {
    return this.page.getByTestId("user-role").textContent();
  }
  async signOut() {
    await this.page.getByTestId("sign-out").click();
    await this.page.locator(".user-box a", { hasText: "登录" }).waitFor();
  }
}

/** 账号管理: the accounts page. */
export class AccountsPage extends Shell {
  async create({ username, name, role, section = "", password }) {
    const form = this.page.getByTestId("new-account-form");
    await form.locator("input[name=username]").fill(username);
    await form.locator("input[name=display_name]").fill(name);
    await form.locator("select[name=role]").selectOption(role);
    await form.locator("input[name=section]").fill(section);
    await form.locator("input[name=password]").fill(password);
    await form.locator("button[type=submit]").click();
  }
  message() {
    return this.page.getByTestId("accounts-message").textContent();
  }
  async usernames() {
    await this.page.getByTestId("account-row").first().waitFor();
    return this.page.getByTestId("account-row").locator("td.code").allTextContents();
  }
}

/** 节假日安排: the holiday-schedule page (admin). */
export class HolidaySchedulePage extends Shell {
  async yearState(year) {
    const row = this.page.locator(`[data-testid=calendar-year][data-year="${year}"]`);
    await row.waitFor();
    return row.getByTestId("calendar-state").textContent();
  }
  async waitForYearState(year, text) {
    await this.page
      .locator(`[data-testid=calendar-year][data-year="${year}"] [data-testid=calendar-state]`, { hasText: text })
      .waitFor();
  }
  async tryDeadline(from, workingDays) {
    const form = this.page.getByTestId("calendar-try");
    const result = form.getByTestId("calendar-try-result");
    const before = await result.textContent();
    await form.locator("input[name=from]").fill(from);
    await form.locator("input[name=n]").fill(String(workingDays));
    await form.locator("button[type=submit]").click();
    await this.page.waitForFunction(
      ([selector, old]) => {
        const text = document.querySelector(selector)?.textContent ?? "";
        return text !== "" && text !== old;
      },
      ["[data-testid=calendar-try-result]", before],
    ).catch(() => {});
    return result.textContent();
  }
  async openYear(year) {
    await this.page.locator(`[data-testid=calendar-year][data-year="${year}"] [data-testid=calendar-open]`).click();
    await this.page.getByTestId("calendar-text").waitFor();
  }
  async typeSchedule(text) {
    await this.page.getByTestId("calendar-text").fill(text);
  }
  previewError() {
    return this.page.getByTestId("calendar-preview-error").textContent();
  }
  async previewLines() {
    return this.page.getByTestId("calendar-preview").locator("li").allTextContents();
  }
  async save() {
    this.page.once("dialog", (dialog) => dialog.accept());
    await this.page.getByTestId("calendar-save").click();
    await this.page.getByTestId("calendar-message").waitFor();
    return this.page.getByTestId("calendar-message").textContent();
  }
}

/** 审计日志: the audit-log page. */
export class AuditLogPage extends Shell {
  async rows() {
    await this.page.getByTestId("audit-row").first().waitFor();
    return this.page.getByTestId("audit-row").evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
    );
  }
  async verifyChain() {
    await this.page.getByTestId("verify-chain").click();
    return this.page.getByTestId("chain-status").textContent();
  }
}

/** 抽查任务: the task list with its new-task form. */
export class TasksPage extends Shell {
  async create({ name, sectionCode, witness }) {
    const form = this.page.getByTestId("new-task-form");
    await form.locator("input[name=name]").fill(name);
    if (sectionCode) {
      await form.locator(`input[name=section][value=${sectionCode}]`).check();
    }
    await form.locator("button[type=submit]").click();
    await this.page.waitForURL(/\/tasks\/\d+$/);
  }
}

/** One task: preview, seal, commit. */
export class TaskPage extends Shell {
  async preview() {
    await this.page.getByTestId("preview").click();
    await this.page.getByTestId("preview-result").waitFor();
    return this.page.getByTestId("preview-result");
  }
  async seal() {
    await this.page.getByTestId("seal").click();
    await this.page.getByTestId("sealed-hash").waitFor();
    return this.page.getByTestId("sealed-hash").textContent();
  }
  /** Types the witness and asks to commit; the in-page confirmation appears (returned). */
  async askToCommit(witness) {
    const form = this.page.getByTestId("commit-form");
    await form.locator("input[name=witness]").fill(witness);
    await form.locator("button[type=submit]").click();
    const confirm = this.page.getByTestId("commit-confirm");
    await confirm.waitFor();
    return confirm;
  }
  async commit(witness) {
    const confirm = await this.askToCommit(witness);
    await confirm.getByTestId("confirm-commit").click();
    await this.page.getByTestId("committed").waitFor();
    return this.page.getByTestId("committed").locator("a").getAttribute("href");
  }
}

/** A public draw page. */
export class DrawPage extends Shell {
  async verify() {
    await this.page.getByTestId("verify").click();
    await this.page.getByTestId("verdict").waitFor();
    return this.page.getByTestId("verdict").textContent();
  }
  seed() {
    return this.page.getByTestId("seed").textContent();
  }
  async selectionRows() {
    await this.page.getByTestId("selection-row").first().waitFor();
    return this.page.getByTestId("selection-row").count();
  }
}

/** 检查对象名录库: the objects list. */
export class ObjectsPage extends Shell {
  async search(text) {
    const form = this.page.getByTestId("object-filters");
    await form.locator("input[name=q]").fill(text);
    await form.getByTestId("object-search").click();
  }
  async waitForTotal(total) {
    await this.page.getByTestId("list-total").filter({ hasText: new RegExp(`\\b${total}$`) }).waitFor();
  }
  async names() {
    return this.page.locator("[data-testid=object-row] td:first-child").allTextContents();
  }
}

/** 名录导入: the import wizard. */
export class ImportPage extends Shell {
  async choose(directory, filePath) {
    await this.page.getByTestId("import-directory").selectOption(directory);
    await this.page.getByTestId("import-file").setInputFiles(filePath);
  }
  /** Waits for the validation; returns "valid" or "issues". */
  async outcome() {
    const valid = this.page.getByTestId("import-valid");
    const issues = this.page.getByTestId("import-issues");
    const error = this.page.getByTestId("import-error");
    await valid.or(issues).or(error).first().waitFor();
    return (await valid.count()) > 0 ? "valid" : "issues";
  }
  issueTexts() {
    return this.page.getByTestId("import-issue").locator("td:last-child").allTextContents();
  }
  async uploadAndPreview() {
    await this.page.getByTestId("import-upload").click();
    await this.page.getByTestId("import-preview").waitFor();
    return {
      new: Number(await this.page.getByTestId("preview-new").textContent()),
      changed: Number(await this.page.getByTestId("preview-changed").textContent()),
    };
  }
  async commit() {
    await this.page.getByTestId("import-commit").click();
    return this.page.getByTestId("import-done").textContent();
  }
}

/** 检查对象 detail page: tags and status. */
export class ObjectDetailPage extends Shell {
  async setTags(text) {
    const form = this.page.getByTestId("tags-form");
    await form.locator("input[name=tags]").fill(text);
    await form.locator("button[type=submit]").click();
  }
  async changeStatus(status, date, reason) {
    const form = this.page.getByTestId("status-form");
    await form.locator("select[name=status]").selectOption(status);
    await form.locator("input[name=effective_date]").fill(date);
    await form.locator("input[name=reason]").fill(reason);
    await form.locator("button[type=submit]").click();
  }
  tags() {
    return this.page.getByTestId("object-tags").textContent();
  }
  status() {
    return this.page.getByTestId("object-status").textContent();
  }
}

/** The import wizard's column table: map a file column to a directory field. */
export async function mapImportColumn(page, header, field) {
  await page
    .getByTestId("import-columns")
    .locator("tbody tr", { has: page.locator("td", { hasText: new RegExp(`^${header}`) }) })
    .locator("select")
    .selectOption(field);
}

/** 年度抽查计划: the list of plan versions with its new-draft form. */
export class PlansPage extends Shell {
  async createDraft(year) {
    const form = this.page.getByTestId("new-plan-form");
    await form.locator("input[name=year]").fill(String(year));
    await form.locator("button[type=submit]").click();
    await this.page.waitForURL(/\/plans\/\d+$/);
    await this.page.getByTestId("plan-form").waitFor();
  }
}

/** One plan version: the form, save, publish, revise, versions and progress. */
export class PlanPage extends Shell {
  status() {
    return this.page.getByTestId("plan-status").textContent();
  }
  target(category, column) {
    // column: "yearly" or 1–4 for a quarter.
    const name = column === "yearly" ? `${category}_yearly` : `${category}_q${column}`;
    return this.page.getByTestId("plan-targets").locator(`input[name=${name}]`);
  }
  async setTarget(category, column, value) {
    await this.target(category, column).fill(String(value));
  }
  async save() {
    await this.page.getByTestId("plan-save").click();
  }
  async issues() {
    await this.page.getByTestId("plan-issues").waitFor();
    return this.page.getByTestId("plan-issues").locator("li").evaluateAll((lis) =>
      lis.map((li) => ({ field: li.dataset.field, text: li.textContent })),
    );
  }
  async publish() {
    await this.page.getByTestId("plan-publish").click();
    await this.page.getByTestId("plan-status").filter({ hasText: "已公开" }).waitFor();
  }
  reviseButton() {
    return this.page.getByTestId("plan-revise");
  }
  async guaranteeCount() {
    await this.page.getByTestId("guarantee-count").waitFor();
    return this.page.getByTestId("guarantee-count").textContent();
  }
}

/** 下季度抽查安排: the quarter view. */
export class QuarterPage extends Shell {
  async openQuarter(year, quarter) {
    await this.open(`/quarter?year=${year}&quarter=${quarter}`);
    await this.page.getByTestId("quarter-categories").waitFor();
  }
  period() {
    return this.page.getByTestId("quarter-period").textContent();
  }
  remainingForYear(category) {
    return this.page
      .getByTestId("quarter-categories")
      .locator(`tr[data-category=${category}] [data-testid=remaining-for-year]`)
      .textContent();
  }
  uncovered(sectionCode) {
    return this.page
      .locator(`[data-testid=quarter-section][data-section=${sectionCode}] [data-testid=section-uncovered]`)
      .textContent();
  }
  async createTaskFor(sectionCode) {
    await this.page.locator(`[data-testid=quarter-section][data-section=${sectionCode}] a`, { hasText: "创建任务" }).click();
    await this.page.getByTestId("new-task-form").waitFor();
  }
  taskNames() {
    return this.page.getByTestId("quarter-tasks").locator("li a").allTextContents();
  }
}

/** 统计分析: the statistics page. */
export class StatisticsPage extends Shell {
  async choose(year, quarter = "0") {
    const form = this.page.getByTestId("period-form");
    await form.locator("input[name=year]").fill(String(year));
    await form.locator("select[name=quarter]").selectOption(quarter);
    await form.locator("button[type=submit]").click();
  }
  /** The figures table as { label: [numerator, denominator, value] }. */
  async figures() {
    const rows = this.page.getByTestId("figure-row");
    await rows.first().waitFor();
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
    );
    return Object.fromEntries(cells.map(([label, ...rest]) => [label, rest]));
  }
  /** The labels and value texts of the rate chart's bars. */
  async rateBars() {
    const bars = this.page.getByTestId("rate-bar");
    await bars.first().waitFor();
    return bars.evaluateAll((gs) => gs.map((g) => Array.from(g.querySelectorAll("text"), (t) => t.textContent)));
  }
  chartBars(testid) {
    return this.page.getByTestId(testid).getByTestId("chart-bar").count();
  }
  /** A count chart's bars as [label, value text]. */
  chartValues(testid) {
    return this.page.getByTestId(testid).getByTestId("chart-bar")
      .evaluateAll((gs) => gs.map((g) => Array.from(g.querySelectorAll("text"), (t) => t.textContent)));
  }
  async inspectorRows() {
    const rows = this.page.getByTestId("inspector-count-row");
    await rows.first().waitFor();
    return rows.count();
  }
}

/** 报告: the reports page. */
export class ReportsPage extends Shell {
  async choose(year, quarter = "0") {
    const form = this.page.getByTestId("period-form");
    await form.locator("input[name=year]").fill(String(year));
    await form.locator("select[name=quarter]").selectOption(quarter);
    await form.locator("button[type=submit]").click();
  }
  title() {
    return this.page.getByTestId("report-title").textContent();
  }
  async waitForTitle(text) {
    await this.page.getByTestId("report-title").filter({ hasText: text }).waitFor();
  }
  paragraphs() {
    return this.page.getByTestId("report-paragraph").allTextContents();
  }
  /** Clicks 导出 XLSX; resolves to { name, bytes } of the download. */
  async exportXlsx() {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByTestId("report-export-xlsx").click(),
    ]);
    const { readFileSync } = await import("node:fs");
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  }
}

/**
 * The entries of a zip file (as the XLSX writer makes them: stored or deflated), by name, as
 * UTF-8 text. Reads the central directory; no dependency beyond node:zlib.
 */
export async function unzipText(bytes) {
  const { inflateRawSync } = await import("node:zlib");
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const entries = {};
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(offset) !== 0x02014b50) throw new Error("bad central directory");
    const method = bytes.readUInt16LE(offset + 10);
    const compressed = bytes.readUInt32LE(offset + 20);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const local = bytes.readUInt32LE(offset + 42);
    const name = bytes.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataStart, dataStart + compressed);
    entries[name] = (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Calls the API from a signed-in page, with the session's CSRF token; returns { status, body }. */
export async function apiFromPage(page, method, path, body, headers = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const session = await (await fetch("/api/session")).json();
      const response = await fetch(path, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": session.csrf_token ?? "", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body: json ?? text };
    },
    { method, path, body, headers },
  );
}

/** 我的检查 / 检查与结果: the inspections list with the assignment sheet. */
export class InspectionsPage extends Shell {
  async rows() {
    await this.page.getByTestId("inspection-row").first().waitFor();
    return this.page.getByTestId("inspection-row");
  }
  /** Clicks the XLSX export and returns the downloaded bytes and file name. */
  async exportXlsx() {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByTestId("export-assignments").click(),
    ]);
    const { readFileSync } = await import("node:fs");
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  }
}

/** 环境保护现场检查记录单: one inspection's record form, publication, read-only sheet. */
export class RecordPage extends Shell {
  form() {
    return this.page.getByTestId("record-form");
  }
  async openRecord(id) {
    await this.open(`/inspections/${id}`);
    await this.page.getByTestId("inspection-facts").waitFor();
  }
  objectName() {
    return this.page.getByTestId("object-name").textContent();
  }
  finding(index) {
    return this.page.getByTestId("finding").nth(index);
  }
  async findingCount() {
    return this.page.getByTestId("finding").count();
  }
  async setCompliant(index, compliant) {
    await this.finding(index).locator(`input[value=${compliant ? "yes" : "no"}]`).check();
  }
  async setNote(index, text) {
    await this.form().locator(`textarea[name=note-${index}]`).fill(text);
  }
  note(index) {
    return this.form().locator(`textarea[name=note-${index}]`).inputValue();
  }
  async isCompliantChecked(index, compliant) {
    return this.finding(index).locator(`input[value=${compliant ? "yes" : "no"}]`).isChecked();
  }
  async chooseResult(code) {
    await this.form().locator(`input[name=result][value=${code}]`).check();
  }
  async addAttachment(fileName, shows) {
    const count = await this.page.getByTestId("attachment").count();
    await this.page.getByTestId("add-attachment").click();
    await this.form().locator(`input[name=attachment-file-${count}]`).fill(fileName);
    await this.form().locator(`input[name=attachment-shows-${count}]`).fill(shows);
  }
  async setRemarks(text) {
    await this.form().locator("textarea[name=remarks]").fill(text);
  }
  remarks() {
    return this.form().locator("textarea[name=remarks]").inputValue();
  }
  async submit() {
    await this.page.getByTestId("record-submit").click();
  }
  /** Waits for the status line in `state` (queued, submitted, refused); returns its text. */
  async status(state) {
    const status = this.page.locator(`[data-testid=record-status][data-state=${state}]`);
    await status.waitFor();
    return status.textContent();
  }
  fieldErrors(index) {
    return this.finding(index).locator(".field-error").allTextContents();
  }
  publishPhrase() {
    return this.page.getByTestId("publish-phrase").textContent();
  }
  async publish() {
    await this.page.getByTestId("publish").click();
    await this.page.getByTestId("published-phrase").waitFor();
    return this.page.getByTestId("published-phrase").textContent();
  }
}

/** Reads one file out of a zip archive (stored or deflated), by its central directory. */
export async function readZipEntry(bytes, name) {
  const { inflateRawSync } = await import("node:zlib");
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("not a zip archive: no end of central directory");
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i += 1) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const entryName = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + compressed);
      if (method === 0) return data.toString("utf8");
      if (method === 8) return inflateRawSync(data).toString("utf8");
      throw new Error(`unsupported zip method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return null;
}

/** 时限看板: the deadlines board. */
export class DeadlinesPage extends Shell {
  /** The rows of one table ("section" or "inspector") as arrays of cell texts. */
  async rows(table) {
    const rows = this.page.getByTestId(`deadlines-by-${table}`).getByTestId("deadline-row");
    await rows.first().waitFor();
    return rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
  }
}

/** 登记非随机检查: the targeted-inspection form. */
export class TargetedPage extends Shell {
  form() {
    return this.page.getByTestId("targeted-form");
  }
  async fill({ creditCode, detail, section, items, team, date }) {
    const form = this.form();
    await form.locator("input[name=credit_code]").fill(creditCode);
    await form.locator("textarea[name=trigger_detail]").fill(detail);
    await form.locator("select[name=section]").selectOption(section);
    for (const code of items) {
      await form.locator("label.choice", { hasText: code }).locator("input").check();
    }
    for (const [index, optionIndex] of team.entries()) {
      await form.locator(`select[name=team-${index}]`).selectOption({ index: optionIndex });
    }
    if (date) await form.locator("input[name=planned_on]").fill(date);
  }
  async submit() {
    await this.form().locator("button[type=submit]").click();
  }
  fieldErrors() {
    return this.form().locator(".field-error").allTextContents();
  }
}

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

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Launches headless Chromium with a fresh profile; returns { browser, close }. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "suicha-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
  });
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

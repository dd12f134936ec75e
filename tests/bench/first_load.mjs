// First-load benchmark of issue 16 (run by `cargo xtask bench first-load` against a fresh
// `wrangler dev` with the demo data; SUICHA_BASE_URL names it). Prints `name value unit` lines:
//
// - `first_load_<route>_wasm_js_gzip`: the bytes of JS and wasm a fresh browser downloads
//   before the route is usable, each file gzipped (level 6, what a CDN sends) and summed;
//   `..._raw` the same uncompressed. Routes: sign-in, home, the assignment list, one record
//   form (signed in as the demo inspector), and the office pages for comparison.
// - `fast3g_<route>_ms`: on emulated Fast 3G (Chrome DevTools' preset: 150 ms latency,
//   1.6 Mbps down, 750 Kbps up, over CDP `Network.emulateNetworkConditions`), with the HTTP
//   cache empty and no service worker, the time from navigation to the first meaningful paint
//   of the shell (`shell`) and to each route's content (`ready`; for `assignments`, the
//   inspector's assignment rows). Each file crosses the emulated link gzipped as a CDN would
//   send it: the browser talks to a small gzip proxy in front of `wrangler dev`, which sends
//   files uncompressed. (Fulfilling requests with `page.route` instead bypasses the throttle.)
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const BASE_URL = process.env.SUICHA_BASE_URL;
const PASSWORD = "Suicha@2026demo";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];
const FAST_3G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

async function fresh() {
  const profile = mkdtempSync(join(tmpdir(), "suicha-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
    viewport: { width: 390, height: 844 },
    serviceWorkers: "block",
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** Signs Playwright's request context in (for the API calls that set the data up). */
async function signInRequest(context, username) {
  const response = await context.request.post(new URL("/api/session", BASE_URL).href, {
    data: { username, password: PASSWORD },
  });
  if (!response.ok()) throw new Error(`sign-in ${username}: ${response.status()}`);
}

/** Signs in from inside the browser, on a page that loads no script (`/api/health`), so the
 * session cookie is the browser's own (a `Secure` cookie over http://127.0.0.1 set through
 * Playwright's request context does not reach the page) and the HTTP cache stays empty. */
async function signIn(context, username, base = BASE_URL) {
  const page = await context.newPage();
  await page.goto(new URL("/api/health", base).href);
  const status = await page.evaluate(async ({ username, password }) => {
    const response = await fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    return response.status;
  }, { username, password: PASSWORD });
  await page.close();
  if (status >= 300) throw new Error(`sign-in ${username}: ${status}`);
}

/** JS + wasm bytes one navigation to `path` loads before `ready` appears. */
async function firstLoad(path, ready, username) {
  const { context, close } = await fresh();
  if (username) await signIn(context, username);
  const page = await context.newPage();
  const bodies = [];
  page.on("response", async (response) => {
    const url = new URL(response.url());
    if (/\.(js|wasm)$/.test(url.pathname)) {
      bodies.push(response.body().then((body) => ({ url: url.pathname, body })).catch(() => null));
    }
  });
  await page.goto(new URL(path, BASE_URL).href);
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const files = (await Promise.all(bodies)).filter(Boolean);
  const raw = files.reduce((sum, f) => sum + f.body.length, 0);
  const gzip = files.reduce((sum, f) => sum + gzipSync(f.body, { level: 6 }).length, 0);
  await close();
  return { raw, gzip, files: files.map((f) => f.url) };
}

/** A local stand-in for the edge in front of `wrangler dev`, which sends files uncompressed:
 * forwards every request and gzips text, JS and wasm answers (level 6) for a client that
 * accepts gzip, as a CDN does. The throttled browser talks to it, so the emulated link carries
 * the bytes a phone would receive. */
async function gzipProxy() {
  const upstream = new URL(BASE_URL);
  const server = createServer((req, res) => {
    const forward = httpRequest({
      host: upstream.hostname, port: upstream.port, path: req.url, method: req.method,
      // The worker refuses a write whose Origin is not its own: the proxy stands in for it.
      headers: {
        ...req.headers, host: upstream.host, "accept-encoding": "identity",
        ...(req.headers.origin ? { origin: upstream.origin } : {}),
      },
    }, (answer) => {
      const type = String(answer.headers["content-type"] ?? "");
      const compress = /gzip/.test(String(req.headers["accept-encoding"] ?? ""))
        && /(javascript|wasm|text\/|json|css)/.test(type);
      if (!compress) {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks = [];
      answer.on("data", (chunk) => chunks.push(chunk));
      answer.on("end", () => {
        const body = gzipSync(Buffer.concat(chunks), { level: 6 });
        const headers = { ...answer.headers, "content-encoding": "gzip", "content-length": String(body.length) };
        delete headers["transfer-encoding"];
        res.writeHead(answer.statusCode, headers);
        res.end(body);
      });
    });
    forward.on("error", (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Milliseconds on Fast 3G from navigation to the shell and to `ready`, through `proxy`. */
async function fast3g(proxy, path, ready, username) {
  const { context, close } = await fresh();
  try {
    if (username) await signIn(context, username, proxy.url);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", FAST_3G);
    const start = Date.now();
    await page.goto(new URL(path, proxy.url).href, { waitUntil: "commit", timeout: 60_000 });
    await page.locator("#boot-shell, .site-header").first().waitFor({ state: "attached", timeout: 60_000 });
    const shell = Date.now() - start;
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    const done = Date.now() - start;
    return { shell, done };
  } finally {
    await close();
  }
}

const inspections = async () => {
  const { context, close } = await fresh();
  await signInRequest(context, "inspector");
  const answer = await (await context.request.get(new URL("/api/inspections?year=2026", BASE_URL).href)).json();
  await close();
  return answer.inspections;
};

/** The fourth-quarter draw of the browser tests (tests/e2e/records.test.mjs), committed by the
 * planner, so the demo inspector has assignments. */
async function commitDraw() {
  const spec = {
    period: { year: 2026, quarter: 4 },
    sections: [{
      section: "eia_permit", filters: [],
      strata: [
        { name: "general", categories: ["general"], size: { ratio_bp: 200 } },
        { name: "key", categories: ["key"], size: { ratio_bp: 3000 } },
        { name: "special", categories: ["special"], size: { count: 4 } },
      ],
      items: [3, 9, 10], annual_guarantee: false,
    }],
    risk_weights: {
      base: 100, per_violation: 50, max_counted_violations: 4, per_complaint: 20, max_counted_complaints: 5,
      credit: { a: -50, b: 0, c: 50, d: 100, unrated: 0 }, unstable_permit_compliance: 50, high_public_concern: 30,
      category: { general: 0, key: 50, special: 100 },
    },
    yearly_cap: null,
    team_rules: { team_size: 2, max_team_size: 2, exclude_same_region: false, rotate_lead: true, max_assignments_per_draw: 60 },
  };
  const { context, close } = await fresh();
  await signInRequest(context, "planner");
  const url = (path) => new URL(path, BASE_URL).href;
  const session = await (await context.request.get(url("/api/session"))).json();
  const headers = { "x-csrf-token": session.csrf_token };
  const task = await (await context.request.post(url("/api/tasks"), {
    headers, data: { name: "首次加载基准", owner_section: "eia_permit", spec, exclusions: [] },
  })).json();
  await context.request.post(url(`/api/tasks/${task.id}/seal`), { headers, data: {} });
  const commit = await context.request.post(url(`/api/tasks/${task.id}/commit`), {
    headers: { ...headers, "idempotency-key": `first-load-bench-${task.id}` }, data: { witness: "271828" },
  });
  if (!commit.ok()) throw new Error(`commit: ${commit.status()} ${await commit.text()}`);
  await close();
}

let own = await inspections();
if (own.length === 0) {
  await commitDraw();
  own = await inspections();
}
const recordPath = own.length > 0 ? `/inspections/${own[0].id}` : null;
const routes = [
  ["sign_in", "/sign-in", "[data-testid=sign-in-form]", null],
  ["home", "/", "section.home", null],
  ["assignments", "/inspections", own.length > 0 ? "[data-testid=inspection-row]" : "section.inspections-page", "inspector"],
  ...(recordPath ? [["record_form", recordPath, "[data-testid=inspection-facts]", "inspector"]] : []),
  ["checklist", "/checklist", "section.checklist", null],
  ["import", "/import", "main.content h1", "planner"],
  ["statistics", "/statistics", "main.content h1", "planner"],
];
for (const [name, path, ready, user] of routes) {
  const load = await firstLoad(path, ready, user);
  console.log(`first_load_${name}_wasm_js_gzip ${load.gzip} bytes`);
  console.log(`first_load_${name}_wasm_js_raw ${load.raw} bytes`);
}
const proxy = await gzipProxy();
try {
  for (const [name, path, ready, user] of routes.slice(0, 4)) {
    const time = await fast3g(proxy, path, ready, user);
    console.log(`fast3g_${name}_shell_ms ${time.shell} ms`);
    console.log(`fast3g_${name}_ready_ms ${time.done} ms`);
  }
} finally {
  await proxy.close();
}

// Loads the WASM app. A separate file (not an inline script) so the Content-Security-Policy
// can forbid inline scripts.
//
// Two apps share these URLs: the small field app (sign-in, home, the assignment list, the
// record form: what an inspector's phone needs first) and the office app (every page). The
// path picks one; the field app hands any other page to the office app by a full navigation.
// `frontend/src/routes.rs` (`is_field_path`) makes the same choice, and a test keeps them equal.
const FIELD_PATH = /^\/(sign-in|inspections(\/[^/]+)?)?\/?$/;

// The build hash (`cargo xtask build` writes it): every app file is asked for as `?v=BUILD`, so
// a deploy's files never mix with a cached older build's.
const BUILD = "__SUICHA_BUILD__";
globalThis.suichaBuild = BUILD;

const app = FIELD_PATH.test(location.pathname) ? "field" : "office";

const { default: init } = await import(`/${app}.js?v=${BUILD}`);
await init({ module_or_path: `/${app}_bg.wasm?v=${BUILD}` });
document.getElementById("boot-shell")?.remove();

// The service worker keeps the app and the inspector's assignments for offline use. Registered
// once the app runs, so its downloads never compete with the first load.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

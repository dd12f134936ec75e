// Suicha's service worker: the app opens, and a record can be written, without a network.
//
// - The app shell (index.html, boot.js, the field app's JS and wasm, styles) is cached at
//   install under a cache named by the build hash, which `cargo xtask build` writes below;
//   a deploy changes the hash, so this file changes, the browser installs the new worker, and
//   activation deletes every older cache: a stale worker never keeps serving an old app.
//   Those URLs carry `?v=<build>`: a new index.html asks for new URLs, so even the old worker,
//   still active for the first load after a deploy, fetches the new app instead of its own.
// - Other versioned files (the office app) are cached the first time they are used; files
//   without this build's `v` go to the network first.
// - Navigations go to the network first and fall back to the cached shell offline.
// - The inspector's session, assignment list and forms (GET /api/session, /api/inspections…)
//   go to the network first; offline, the last answer is served. The app deletes that cache at
//   sign-out.
// - Writes are never cached or replayed here: the app's outbox sends them.
const BUILD = "__SUICHA_BUILD__";
const SHELL = [/* __SUICHA_SHELL__ */];
const APP_CACHE = `suicha-app-${BUILD}`;
const API_CACHE = "suicha-api";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(APP_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("suicha-app-") && name !== APP_CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

function cachedApi(url) {
  return url.pathname === "/api/session" || url.pathname === "/api/inspections"
    || /^\/api\/inspections\/\d+$/.test(url.pathname);
}

async function networkFirst(request, cacheName, fallbackKey) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(fallbackKey ?? request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(fallbackKey ?? request, { cacheName });
    if (cached) {
      return cached;
    }
    throw error;
  }
}

function versioned(url) {
  return url.searchParams.get("v") === BUILD;
}

async function cacheFirst(request) {
  const cache = await caches.open(APP_CACHE);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin
      || url.pathname === "/public" || url.pathname.startsWith("/public/")) {
    return;
  }
  if (url.pathname.startsWith("/api/")) {
    if (cachedApi(url)) {
      event.respondWith(networkFirst(request, API_CACHE));
    }
    return;
  }
  if (request.mode === "navigate") {
    // Every page is the same index.html (the SPA fallback).
    event.respondWith(networkFirst(request, APP_CACHE, "/"));
    return;
  }
  event.respondWith(versioned(url) ? cacheFirst(request) : networkFirst(request, APP_CACHE));
});

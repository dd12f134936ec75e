// Loads the office app's wasm on demand into a page that runs the field app, only to borrow a
// function from it (the XLSX writer): `suichaLibraryOnly` tells its start function not to mount.
let office;

function loadOffice() {
  office ??= (async () => {
    globalThis.suichaLibraryOnly = true;
    const build = globalThis.suichaBuild ?? "";
    const module = await import(`/office.js?v=${build}`);
    await module.default({ module_or_path: `/office_bg.wasm?v=${build}` });
    return module;
  })();
  return office;
}

export function libraryOnly() {
  return globalThis.suichaLibraryOnly === true;
}

export async function writeXlsxSheet(sheet, tableJson) {
  const module = await loadOffice();
  return module.write_xlsx_sheet(sheet, tableJson);
}

// Forgets the API answers the service worker kept for offline use (at sign-out: the next
// account must not see them).
export async function forgetCachedApi() {
  if (globalThis.caches) {
    await caches.delete("suicha-api");
  }
}

// A random idempotency key for one record (128 bits, hex).
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Holds the Web Lock `name` if no other tab holds it: resolves to a function that releases it,
// or to null when another tab has it. Without Web Locks, every tab may send (the idempotency
// key still makes a second send harmless).
export function acquireLock(name) {
  if (!navigator.locks) {
    return Promise.resolve(() => {});
  }
  return new Promise((resolve) => {
    navigator.locks.request(name, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(null);
        return undefined;
      }
      return new Promise((release) => resolve(release));
    });
  });
}

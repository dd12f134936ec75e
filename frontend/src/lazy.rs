//! The few things the app asks of JavaScript (`static/lazy.js`): borrowing the office app's
//! XLSX writer from the field app, forgetting the service worker's API cache at sign-out, and
//! random idempotency keys.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/static/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = libraryOnly)]
    fn library_only_js() -> bool;
    #[cfg(not(feature = "office"))]
    #[wasm_bindgen(js_name = writeXlsxSheet, catch)]
    async fn write_xlsx_sheet_js(sheet: &str, table_json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = forgetCachedApi)]
    async fn forget_cached_api_js() -> JsValue;
    #[wasm_bindgen(js_name = randomKey)]
    fn random_key_js() -> String;
}

/// Whether this module was loaded only to lend a function (see `lazy.js`).
pub fn library_only() -> bool {
    library_only_js()
}

/// One sheet as XLSX bytes, written by the office app's wasm (loaded now if need be).
#[cfg(not(feature = "office"))]
pub async fn write_xlsx(sheet: &str, table: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let json = serde_json::to_string(table).map_err(|err| err.to_string())?;
    let bytes = write_xlsx_sheet_js(sheet, &json)
        .await
        .map_err(|err| format!("{err:?}"))?;
    Ok(js_sys::Uint8Array::new(&bytes).to_vec())
}

/// Drops the API answers kept for offline use.
pub async fn forget_cached_api() {
    let _ = forget_cached_api_js().await;
}

/// A fresh idempotency key.
pub fn random_key() -> String {
    random_key_js()
}

#[wasm_bindgen(module = "/static/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = acquireLock)]
    async fn acquire_lock_js(name: &str) -> JsValue;
}

/// A Web Lock held until dropped.
pub struct TabLock(js_sys::Function);

impl Drop for TabLock {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// The lock `name`, unless another tab holds it.
pub async fn try_lock(name: &str) -> Option<TabLock> {
    use wasm_bindgen::JsCast;
    acquire_lock_js(name)
        .await
        .dyn_into::<js_sys::Function>()
        .ok()
        .map(TabLock)
}

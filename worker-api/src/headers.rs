//! Security headers added to every response the worker produces.

use worker::Response;

/// The worker's responses are JSON or server-rendered HTML without scripts of their own: the
/// policy allows nothing but same-origin resources.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub(crate) fn with_security_headers(response: Response) -> Response {
    let headers = response.headers();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        let _ = headers.set(name, value);
    }
    if headers.get("cache-control").ok().flatten().is_none() {
        let _ = headers.set("cache-control", "no-store");
    }
    response
}

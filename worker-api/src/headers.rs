//! Security headers added to every response the worker produces.

use worker::Response;

/// The worker's responses are JSON or server-rendered HTML without scripts of their own: the
/// policy allows nothing but same-origin resources.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// HTTPS only, for two years, subdomains included.
pub(crate) const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

pub(crate) fn with_security_headers(response: Response) -> Response {
    let headers = response.headers();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        // Two years, this host and every subdomain: a browser that once reached the service
        // never again asks for it over plain HTTP. (The static assets get the same from
        // `frontend/static/_headers`.)
        ("strict-transport-security", STRICT_TRANSPORT_SECURITY),
    ] {
        let _ = headers.set(name, value);
    }
    if headers.get("cache-control").ok().flatten().is_none() {
        let _ = headers.set("cache-control", "no-store");
    }
    response
}

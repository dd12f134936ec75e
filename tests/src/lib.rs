//! The harness of the end-to-end API tests: one real `wrangler dev` per test binary, on a fresh
//! local D1 with migrations and demo data, and small HTTP helpers. Requests go to the worker's
//! own listener inside `wrangler dev`, past its dev proxy, which drops requests under bursts of
//! concurrent ones (`xtask::server::DevServer::worker_port`).
//!
//! Needs the built worker and frontend (`cargo xtask build`); `cargo xtask test` builds them
//! before it runs this crate.

pub mod fixtures;

use std::sync::OnceLock;

use xtask::server::DevServer;

/// The server shared by every test in this binary. It is stopped when the binary exits (the
/// server's watchdog sees the process go).
pub fn server() -> &'static DevServer {
    SERVER.get_or_init(|| match DevServer::start_fresh(&xtask::repo_root()) {
        Ok(server) => server,
        Err(message) => panic!("cannot start the test server: {message}"),
    })
}

static SERVER: OnceLock<DevServer> = OnceLock::new();

/// Makes this test binary's server a new installation — migrated, without the demo county,
/// no bureau and no account — and returns it. Call it before anything else talks to the
/// server; a binary that did is on the demo server for good (this panics then).
pub fn empty_server() -> &'static DevServer {
    let mut fresh = false;
    let server = SERVER.get_or_init(|| {
        fresh = true;
        match DevServer::start_empty(&xtask::repo_root()) {
            Ok(server) => server,
            Err(message) => panic!("cannot start the test server: {message}"),
        }
    });
    assert!(fresh, "empty_server() must come before any other request");
    server
}

/// Today in China (UTC+8) on the test server's pinned clock, as the worker computes it.
pub fn china_today() -> shared::calendar::Date {
    let millis = server().now_millis();
    shared::calendar::Date::from_days_since_unix_epoch(
        (millis + 8 * 3_600_000).div_euclid(86_400_000),
    )
    .expect("the pinned clock is within the calendar's range")
}

/// A response reduced to what tests compare.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The body parsed as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.body))
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn reply(response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(key, value)| {
            (
                key.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response.into_body().read_to_string().expect("a UTF-8 body");
    Reply {
        status,
        headers,
        body,
    }
}

/// An API caller: anonymous, or signed in with a session cookie and its CSRF token.
#[derive(Debug, Clone, Default)]
pub struct Client {
    cookie: Option<String>,
    csrf_token: Option<String>,
    /// Extra headers sent with every request (e.g. a foreign `Origin`).
    pub extra_headers: Vec<(String, String)>,
}

impl Client {
    /// A visitor who is not signed in.
    pub fn anonymous() -> Client {
        Client::default()
    }

    /// Signs in as `username`; panics with the answer if sign-in fails.
    pub fn sign_in(username: &str, password: &str) -> Client {
        let mut client = Client::anonymous();
        let reply = client.post(
            "/api/session",
            &serde_json::json!({"username": username, "password": password}),
        );
        assert_eq!(reply.status, 200, "sign-in as {username}: {}", reply.body);
        let set_cookie = reply
            .header("set-cookie")
            .expect("sign-in sets the session cookie");
        let pair = set_cookie.split(';').next().unwrap_or_default().to_owned();
        client.cookie = Some(pair);
        client.csrf_token = reply.json()["csrf_token"].as_str().map(str::to_owned);
        client
    }

    /// Signs in as the demo account of `role`.
    pub fn demo(role: shared::authz::Role) -> Client {
        Client::sign_in(
            shared::demo_accounts::demo_account(role).username,
            shared::demo_accounts::DEMO_PASSWORD,
        )
    }

    /// The session cookie as a request header, if signed in (for hand-made requests).
    pub fn cookie_header(&self) -> Vec<(String, String)> {
        self.cookie
            .iter()
            .map(|cookie| ("cookie".to_owned(), cookie.clone()))
            .collect()
    }

    /// The same session, but without the CSRF token (as a forged cross-site request would be).
    pub fn without_csrf_token(&self) -> Client {
        Client {
            csrf_token: None,
            ..self.clone()
        }
    }

    /// Sends a request; a body is sent as JSON.
    pub fn request(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Reply {
        let url = format!("{}{path}", server().worker_url());
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(cookie) = &self.cookie {
            builder = builder.header("cookie", cookie);
        }
        if let Some(token) = &self.csrf_token {
            builder = builder.header("x-csrf-token", token);
        }
        for (name, value) in &self.extra_headers {
            builder = builder.header(name, value);
        }
        let body = body.map(|value| value.to_string()).unwrap_or_default();
        if !body.is_empty() {
            builder = builder.header("content-type", "application/json");
        }
        let request = builder.body(body).expect("a valid request");
        reply(
            agent()
                .run(request)
                .unwrap_or_else(|err| panic!("{method} {url}: {err}")),
        )
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.request("POST", path, Some(body))
    }

    pub fn put(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.request("PUT", path, Some(body))
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.request("DELETE", path, None)
    }
}

/// `GET path` on the test server.
pub fn get(path: &str) -> Reply {
    let url = format!("{}{path}", server().worker_url());
    reply(
        agent()
            .get(&url)
            .call()
            .unwrap_or_else(|err| panic!("GET {url}: {err}")),
    )
}

/// `GET path` with extra request headers.
pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Reply {
    let url = format!("{}{path}", server().worker_url());
    let mut request = agent().get(&url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    reply(
        request
            .call()
            .unwrap_or_else(|err| panic!("GET {url}: {err}")),
    )
}

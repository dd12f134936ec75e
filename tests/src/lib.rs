//! The harness of the end-to-end API tests: one real `wrangler dev` per test binary, on a fresh
//! local D1 with migrations and demo data, and small HTTP helpers.
//!
//! Needs the built worker and frontend (`cargo xtask build`); `cargo xtask test` builds them
//! before it runs this crate.

use std::sync::OnceLock;

use xtask::server::DevServer;

/// The server shared by every test in this binary. It is stopped when the binary exits (the
/// server's watchdog sees the process go).
pub fn server() -> &'static DevServer {
    static SERVER: OnceLock<DevServer> = OnceLock::new();
    SERVER.get_or_init(|| match DevServer::start_fresh(&xtask::repo_root()) {
        Ok(server) => server,
        Err(message) => panic!("cannot start the test server: {message}"),
    })
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

/// `GET path` on the test server.
pub fn get(path: &str) -> Reply {
    let url = format!("{}{path}", server().base_url());
    reply(
        agent()
            .get(&url)
            .call()
            .unwrap_or_else(|err| panic!("GET {url}: {err}")),
    )
}

/// `GET path` with extra request headers.
pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Reply {
    let url = format!("{}{path}", server().base_url());
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

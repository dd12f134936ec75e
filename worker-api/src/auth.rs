//! Passwords, sessions and cookies.
//!
//! - Passwords: PBKDF2-HMAC-SHA256 through Web Crypto, [`PBKDF2_ITERATIONS`] rounds (the most
//!   the Workers runtime allows), 16-byte random salt; stored as
//!   `pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX` so the cost can rise later.
//! - Sessions: 32 random bytes in an `HttpOnly; Secure; SameSite=Strict` cookie; only the
//!   token's SHA-256 is stored, with an absolute expiry; a CSRF token per session.

use js_sys::{Object, Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use shared::authz::Role;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{D1Database, Request};

use crate::db;
use crate::error::{AppError, AppResult};
use crate::time::now_millis;

/// Web Crypto in workerd refuses PBKDF2 above 100 000 iterations.
pub(crate) const PBKDF2_ITERATIONS: u32 = 100_000;
/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "suicha_session";
/// A session lasts one working day and a bit, then the user signs in again.
pub(crate) const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Consecutive failed sign-ins before an account is locked…
pub(crate) const MAX_FAILED_ATTEMPTS: i64 = 5;
/// …for this long.
pub(crate) const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// The signed-in caller.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub csrf_token: String,
    pub token_hash: String,
}

impl Session {
    /// The caller for `shared::authz`'s row-level rules; `inspector_id` is the inspector
    /// directory entry the account is linked to, if the caller looked it up.
    pub(crate) fn principal(&self, inspector_id: Option<i64>) -> shared::authz::Principal<'_> {
        shared::authz::Principal {
            role: self.role,
            section: self.section_code(),
            inspector_id,
        }
    }

    /// The code (`shared::sections`) of a section account's section.
    pub(crate) fn section_code(&self) -> Option<&'static str> {
        self.section
            .as_deref()
            .and_then(shared::sections::section_by_name)
            .map(|section| section.code)
    }
}

fn js_err(context: &str, err: JsValue) -> AppError {
    AppError::Internal(format!("{context}: {err:?}"))
}

fn crypto() -> AppResult<web_sys::Crypto> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .map_err(|e| js_err("crypto", e))?;
    Ok(crypto.unchecked_into())
}

/// `n` bytes from the runtime's CSPRNG.
pub(crate) fn random_bytes<const N: usize>() -> AppResult<[u8; N]> {
    let mut bytes = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|e| js_err("getRandomValues", e))?;
    Ok(bytes)
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// SHA-256 of a session token, as stored.
pub(crate) fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

/// Compares without stopping at the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> AppResult<Vec<u8>> {
    let subtle = crypto()?.subtle();
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let key_data = Uint8Array::from(password.as_bytes());
    let key = subtle
        .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
        .map_err(|e| js_err("importKey", e))?;
    let key: web_sys::CryptoKey = JsFuture::from(key)
        .await
        .map_err(|e| js_err("importKey", e))?
        .unchecked_into();
    let params = Object::new();
    for (name, value) in [
        ("name", JsValue::from_str("PBKDF2")),
        ("hash", JsValue::from_str("SHA-256")),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", JsValue::from(iterations)),
    ] {
        Reflect::set(&params, &JsValue::from_str(name), &value).map_err(|e| js_err("params", e))?;
    }
    let bits = subtle
        .derive_bits_with_object(&params, &key, 256)
        .map_err(|e| js_err("deriveBits", e))?;
    let bits = JsFuture::from(bits)
        .await
        .map_err(|e| js_err("deriveBits", e))?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// A new stored password hash.
pub(crate) async fn hash_password(password: &str) -> AppResult<String> {
    let salt = random_bytes::<16>()?;
    let hash = pbkdf2(password, &salt, PBKDF2_ITERATIONS).await?;
    Ok(format!(
        "pbkdf2-sha256${PBKDF2_ITERATIONS}${}${}",
        to_hex(&salt),
        to_hex(&hash)
    ))
}

/// Whether `password` matches a stored hash. A malformed stored hash never matches.
pub(crate) async fn verify_password(password: &str, stored: &str) -> AppResult<bool> {
    let parts: Vec<&str> = stored.split('$').collect();
    let [scheme, iterations, salt, hash] = parts.as_slice() else {
        return Ok(false);
    };
    let (Ok(iterations), Some(salt), Some(hash)) =
        (iterations.parse::<u32>(), from_hex(salt), from_hex(hash))
    else {
        return Ok(false);
    };
    if *scheme != "pbkdf2-sha256" || iterations == 0 || iterations > PBKDF2_ITERATIONS {
        return Ok(false);
    }
    let computed = pbkdf2(password, &salt, iterations).await?;
    Ok(constant_time_eq(&computed, &hash))
}

/// Spends the same time as a real check, so an unknown user name cannot be told apart from a
/// wrong password by timing.
pub(crate) async fn spend_password_check_time(password: &str) -> AppResult<()> {
    pbkdf2(password, &[0u8; 16], PBKDF2_ITERATIONS)
        .await
        .map(|_| ())
}

/// The rules for a new password. Messages name the rule that failed.
pub(crate) fn check_new_password(username: &str, password: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < 10 {
        return Err(AppError::bad_request(
            "weak_password",
            "密码至少 10 个字符 / the password needs at least 10 characters",
        ));
    }
    if chars > 128 {
        return Err(AppError::bad_request(
            "weak_password",
            "密码最多 128 个字符 / the password may have at most 128 characters",
        ));
    }
    if password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(AppError::bad_request(
            "weak_password",
            "密码不能包含用户名 / the password may not contain the user name",
        ));
    }
    Ok(())
}

/// The value of cookie `name` in a `Cookie` header.
pub(crate) fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, v)| v)
}

/// `Set-Cookie` for a new session.
pub(crate) fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        SESSION_LIFETIME_MS / 1000
    )
}

/// `Set-Cookie` that removes the session cookie.
pub(crate) fn cleared_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The session named by the request's cookie, if it exists, has not expired and its account is
/// enabled. A missing or unknown cookie is an anonymous caller, not an error.
pub(crate) async fn load_session(db: &D1Database, req: &Request) -> AppResult<Option<Session>> {
    let header = req
        .headers()
        .get("cookie")
        .ok()
        .flatten()
        .unwrap_or_default();
    let Some(token) = cookie_value(&header, SESSION_COOKIE).filter(|t| t.len() == 64) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let row = db::accounts::live_session(db, &hash, now_millis()).await?;
    Ok(row.map(|row| Session {
        account_id: row.account_id,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        section: row.section,
        csrf_token: row.csrf_token,
        token_hash: hash,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let header = "a=1; suicha_session_x=2; suicha_session=abc";
        assert_eq!(cookie_value(header, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value("x=1", SESSION_COOKIE), None);
    }

    #[test]
    fn the_session_cookie_is_locked_down() {
        let cookie = session_cookie("t");
        for attribute in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/",
            "Max-Age=43200",
        ] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(cleared_session_cookie().contains("Max-Age=0"));
    }

    #[test]
    fn hex_round_trips_and_rejects_odd_input() {
        assert_eq!(from_hex(&to_hex(&[0, 15, 255])), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }

    #[test]
    fn password_rules_name_the_failed_rule() {
        assert!(check_new_password("zhang", "short").is_err());
        assert!(check_new_password("zhang", "my-zhang-password").is_err());
        assert!(check_new_password("zhang", "绿水青山就是金山银山").is_ok());
    }

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}

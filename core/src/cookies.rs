//! The cookies ClerkJS writes on the app's own domain, so that the app's backend
//! (Clerk's server SDKs) can authenticate requests: names, the per-key suffix,
//! values and the `document.cookie` strings. The shell writes them.
//!
//! As ClerkJS (`clerk-js/src/core/auth/cookies/*.ts`, `AuthCookieService.ts`):
//! - `__session` (+ `__session_<suffix>`): the active session's JWT, written on
//!   every token update, removed when there is no active session. `SameSite=Lax`.
//! - `__client_uat` (+ suffixed): `client.updated_at` in Unix seconds while a
//!   session is signed in, else `0`. Written by ClerkJS only for development
//!   keys on a page outside the key's FAPI domain (FAPI writes it otherwise);
//!   `SameSite=Strict`, on the eTLD+1 domain.
//! - `__clerk_db_jwt` (+ suffixed): the dev-browser JWT. `SameSite=Lax`.
//!
//! All have `Path=/`, a one-year lifetime and `Secure` on https pages.

/// The session-JWT cookie.
pub const SESSION: &str = "__session";
/// The client "updated at" cookie.
pub const CLIENT_UAT: &str = "__client_uat";
/// The dev-browser JWT cookie (and query parameter).
pub const DB_JWT: &str = "__clerk_db_jwt";

/// The cookie-name suffix of a publishable key: the first 8 characters of the
/// URL-safe base64 of SHA-1(key) (`@clerk/shared` `getCookieSuffix`).
pub fn suffix(publishable_key: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let digest = sha1(publishable_key.trim().as_bytes());
    // 6 bytes are exactly the first 8 base64 characters (encoded by hand: the
    // base64 crate's encoder is not otherwise linked into the .wasm).
    let mut s = String::with_capacity(8);
    for g in digest[..6].chunks_exact(3) {
        let n = u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]);
        for shift in [18, 12, 6, 0] {
            s.push(char::from(B64[(n >> shift & 63) as usize]));
        }
    }
    s
}

/// SHA-1 (FIPS 180-4), written small: it only names cookies, so speed and
/// collision resistance do not matter here.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&(data.len() as u64).wrapping_mul(8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, b) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (o, x) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// The `document.cookie` assignment for `name` (with `_<suffix>` when given).
/// An empty `value` removes the cookie (`Max-Age=0`).
pub fn cookie_string(
    name: &str,
    suffix: Option<&str>,
    value: &str,
    strict: bool,
    secure: bool,
    domain: Option<&str>,
) -> String {
    let mut s = String::with_capacity(96 + value.len());
    s.push_str(name);
    if let Some(x) = suffix {
        s.push('_');
        s.push_str(x);
    }
    s.push('=');
    s.push_str(value);
    s.push_str("; Path=/; SameSite=");
    s.push_str(if strict { "Strict" } else { "Lax" });
    s.push_str(if value.is_empty() {
        "; Max-Age=0"
    } else {
        "; Max-Age=31536000"
    });
    if secure {
        s.push_str("; Secure");
    }
    if let Some(d) = domain {
        s.push_str("; Domain=");
        s.push_str(d);
    }
    s
}

/// The `__client_uat` value: `client.updated_at` (ms) in Unix seconds while a
/// session is signed in, else `"0"`.
pub fn client_uat(updated_at_ms: u64, signed_in: bool) -> String {
    if signed_in && updated_at_ms > 0 {
        crate::request::int_to_string((updated_at_ms / 1000) as i64)
    } else {
        "0".into()
    }
}

/// True when ClerkJS writes `__client_uat` itself: a development key on a page
/// whose `host` (with port) does not end with the key's FAPI host minus `clerk.`.
pub fn writes_client_uat(development: bool, fapi_host: &str, page_host: &str) -> bool {
    // `replace('clerk.', '')` (first occurrence), without a substring searcher.
    let domain = match fapi_host.as_bytes().windows(6).position(|w| w == b"clerk.") {
        Some(i) => crate::list::concat(&[
            fapi_host.get(..i).unwrap_or_default(),
            fapi_host.get(i + 6..).unwrap_or_default(),
        ]),
        None => fapi_host.to_string(),
    };
    development && !page_host.ends_with(&domain)
}

/// The domains to try, in order, for a cookie on the eTLD+1 of `hostname`
/// (ClerkJS's `getCookieDomain` probe): the shortest parent with two labels
/// first, then longer ones, then the host itself. Loopback names and single
/// labels are used as they are.
pub fn domain_candidates(hostname: &str) -> Vec<&str> {
    let mut out = Vec::new();
    if !matches!(hostname, "localhost" | "127.0.0.1" | "0.0.0.0") {
        // From the right: after every dot but the last one, a parent domain.
        let mut dots = 0;
        for (i, b) in hostname.bytes().enumerate().rev() {
            if b == b'.' {
                dots += 1;
                if let Some(parent) = hostname.get(i + 1..).filter(|_| dots > 1) {
                    out.push(parent);
                }
            }
        }
    }
    out.push(hostname);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha1_test_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&[b'a'; 1000])),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn suffix_is_url_safe_base64_sha1_prefix() {
        // SHA-1("abc") = a9993e36 4706816a …; base64 "qZk+NkcGgWq…" → URL-safe.
        assert_eq!(suffix("abc"), "qZk-NkcG");
        assert_eq!(suffix("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k").len(), 8);
        assert!(!suffix("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k").contains(['+', '/', '=']));
    }

    #[test]
    fn cookie_strings() {
        assert_eq!(
            cookie_string(SESSION, None, "jwt", false, false, None),
            "__session=jwt; Path=/; SameSite=Lax; Max-Age=31536000"
        );
        assert_eq!(
            cookie_string(SESSION, Some("AbCd_-12"), "", false, true, None),
            "__session_AbCd_-12=; Path=/; SameSite=Lax; Max-Age=0; Secure"
        );
        assert_eq!(
            cookie_string(CLIENT_UAT, Some("x"), "0", true, false, Some("example.com")),
            "__client_uat_x=0; Path=/; SameSite=Strict; Max-Age=31536000; Domain=example.com"
        );
    }

    #[test]
    fn client_uat_values() {
        assert_eq!(client_uat(1_700_000_000_999, true), "1700000000");
        assert_eq!(client_uat(1_700_000_000_999, false), "0");
        assert_eq!(client_uat(0, true), "0");
    }

    #[test]
    fn client_uat_only_for_dev_keys_off_the_fapi_domain() {
        assert!(writes_client_uat(
            true,
            "127.0.0.1.lcl.dev",
            "127.0.0.1:8080"
        ));
        assert!(!writes_client_uat(
            false,
            "127.0.0.1.lcl.dev",
            "127.0.0.1:8080"
        ));
        assert!(!writes_client_uat(
            true,
            "clerk.foo-bar-13.accounts.dev",
            "foo-bar-13.accounts.dev"
        ));
        assert!(!writes_client_uat(
            true,
            "clerk.example.com",
            "app.example.com"
        ));
    }

    #[test]
    fn domains_to_probe() {
        assert_eq!(
            domain_candidates("a.b.example.co.uk"),
            [
                "co.uk",
                "example.co.uk",
                "b.example.co.uk",
                "a.b.example.co.uk"
            ]
        );
        assert_eq!(domain_candidates("app.test"), ["app.test"]);
        assert_eq!(domain_candidates("127.0.0.1"), ["127.0.0.1"]);
        assert_eq!(domain_candidates("localhost"), ["localhost"]);
        assert_eq!(domain_candidates("intranet"), ["intranet"]);
    }
}

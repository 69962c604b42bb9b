//! Session JWTs: payload decoding (no signature check; the server verifies)
//! and the token cache's timing rules. Never log tokens.

use crate::b64::{self, Alphabet};
use crate::model::decode::Source;
use crate::model::Client;

/// A cached token is not served when this little lifetime is left.
pub const MIN_REMAINING_MS: u64 = 5_000;
/// A proactive refresh is due this long before `exp` (15 s + 2 s leeway).
pub const REFRESH_LEAD_MS: u64 = 17_000;

/// Why a JWT could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three `.`-separated parts.
    #[error("The token is not a JWT.")]
    Format,
    /// The payload is not base64url.
    #[error("The token payload is not base64url.")]
    Encoding,
    /// The payload is not a JSON object.
    #[error("The token payload is not a JSON object.")]
    Json,
    /// The payload has no usable `exp`.
    #[error("The token has no expiry.")]
    MissingExp,
}

/// The claims the SDK reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// Expiry, Unix seconds.
    pub exp: Option<u64>,
    /// Issued at, Unix seconds.
    pub iat: Option<u64>,
    /// Session id.
    pub sid: Option<String>,
    /// User id.
    pub sub: Option<String>,
}

/// Decodes (does not verify) the payload of a compact JWS; the JSON is
/// parsed by the platform (`S::parse`: the browser's `JSON.parse` in the
/// wasm, `serde_json` natively), so no JSON reader ships in the core.
pub fn decode_claims<S: Source>(jwt: &str) -> Result<Claims, JwtError> {
    let mut parts = crate::ascii::split(jwt, b".");
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Format);
    };
    let bytes = b64::decode(payload, Alphabet::UrlSafe).ok_or(JwtError::Encoding)?;
    let text = crate::utf8::decode(&bytes).ok_or(JwtError::Encoding)?;
    let v = S::parse(&text)
        .filter(Source::is_object)
        .ok_or(JwtError::Json)?;
    let seconds = |key: &str| {
        v.field(key)
            .and_then(|n| n.number())
            .filter(|n| *n >= 0.0 && *n < 1e15)
            .map(|n| n as u64)
    };
    let text = |key: &str| v.field(key).and_then(|x| x.string());
    Ok(Claims {
        exp: seconds("exp"),
        iat: seconds("iat"),
        sid: text("sid"),
        sub: text("sub"),
    })
}

/// One cached token.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenEntry {
    /// The JWT (never log it).
    pub jwt: String,
    /// Issued at, Unix seconds (0 when absent).
    pub iat: u64,
    /// Expiry, Unix seconds.
    pub exp: u64,
}

impl core::fmt::Debug for TokenEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenEntry")
            .field("jwt", &"<redacted>")
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish()
    }
}

impl TokenEntry {
    /// Reads `iat`/`exp` from the JWT.
    pub fn new<S: Source>(jwt: &str) -> Result<TokenEntry, JwtError> {
        let claims = decode_claims::<S>(jwt)?;
        let exp = claims.exp.ok_or(JwtError::MissingExp)?;
        Ok(TokenEntry {
            jwt: jwt.into(),
            iat: claims.iat.unwrap_or(0),
            exp,
        })
    }

    /// Expiry in Unix ms.
    pub fn exp_ms(&self) -> u64 {
        self.exp.saturating_mul(1000)
    }

    /// The JWT, unless 5 s or less of its lifetime remain at `now_ms`.
    pub fn fresh(&self, now_ms: u64) -> Option<&str> {
        (self.exp_ms().saturating_sub(now_ms) > MIN_REMAINING_MS).then_some(self.jwt.as_str())
    }

    /// When a proactive background refresh is due: `exp − 17 s`, Unix ms.
    pub fn refresh_due_at_ms(&self) -> u64 {
        self.exp_ms().saturating_sub(REFRESH_LEAD_MS)
    }
}

/// Session tokens keyed by session id, template and organization.
#[derive(Debug, Clone, Default)]
pub struct TokenCache {
    entries: Vec<(String, TokenEntry)>,
}

impl TokenCache {
    /// The cache key for a session token (`template` for JWT templates,
    /// `organization_id` for organization-scoped tokens).
    pub fn key(session_id: &str, template: Option<&str>, organization_id: Option<&str>) -> String {
        let mut k = String::from(session_id);
        for (tag, part) in [("|t:", template), ("|o:", organization_id)] {
            if let Some(p) = part.filter(|p| !p.is_empty()) {
                k.push_str(tag);
                k.push_str(p);
            }
        }
        k
    }

    /// Stores `jwt` under `key`, replacing any previous entry.
    pub fn insert<S: Source>(&mut self, key: String, jwt: &str) -> Result<&TokenEntry, JwtError> {
        let entry = TokenEntry::new::<S>(jwt)?;
        crate::list::remove_where(&mut self.entries, |(k, _)| *k == key);
        self.entries.push((key, entry));
        Ok(&self.entries[self.entries.len() - 1].1)
    }

    /// The entry under `key`, fresh or not.
    pub fn entry(&self, key: &str) -> Option<&TokenEntry> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, e)| e)
    }

    /// A fresh JWT under `key` (see [`TokenEntry::fresh`]).
    pub fn get(&self, key: &str, now_ms: u64) -> Option<&str> {
        self.entry(key)?.fresh(now_ms)
    }

    /// Seeds the cache from each signed-in session's `last_active_token`
    /// ([`offer`](Self::offer): a later cached token is kept).
    pub fn seed_from_client<S: Source>(&mut self, client: &Client) {
        for s in client.signed_in_sessions() {
            if let Some(jwt) = s.last_active_jwt() {
                self.offer::<S>(&s.id, jwt);
            }
        }
    }

    /// Caches `jwt` as the session token of `session_id` (the key
    /// [`TokenCache::key`]`(session_id, None, None)`, the one `getToken()`
    /// reads) unless the cached one expires later or `jwt` is unreadable.
    /// Returns whether it was taken.
    pub fn offer<S: Source>(&mut self, session_id: &str, jwt: &str) -> bool {
        // The token already cached (as most piggybacked clients carry): nothing to decode.
        if self
            .entry(session_id)
            .is_some_and(|cached| cached.jwt == jwt)
        {
            return false;
        }
        let Ok(entry) = TokenEntry::new::<S>(jwt) else {
            return false;
        };
        if self
            .entry(session_id)
            .is_some_and(|cached| cached.exp >= entry.exp)
        {
            return false;
        }
        crate::list::remove_where(&mut self.entries, |(k, _)| k == session_id);
        self.entries.push((session_id.into(), entry));
        true
    }

    /// The session ids with a cached token.
    pub fn sessions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, _) in &self.entries {
            let sid = crate::ascii::before(k, b'|');
            if !out.iter().any(|s| s == sid) {
                out.push(sid.into());
            }
        }
        out
    }

    /// Drops every token of `session_id`.
    pub fn remove_session(&mut self, session_id: &str) {
        crate::list::remove_where(&mut self.entries, |(k, _)| {
            k.strip_prefix(session_id)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('|'))
        });
    }

    /// Drops everything (sign-out).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    type V = serde_json::Value;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    /// An unsigned test JWT with the given payload JSON.
    pub(crate) fn jwt(payload: &str) -> String {
        let mut s = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"ins_1","typ":"JWT"}"#);
        s.push('.');
        s.push_str(&URL_SAFE_NO_PAD.encode(payload));
        s.push_str(".c2lnbmF0dXJl");
        s
    }

    #[test]
    fn decodes_clerk_style_claims() {
        let t = jwt(
            r#"{"azp":"http://localhost:3000","exp":1700000060,"fva":[0,-1],"iat":1700000000,"iss":"https://x.clerk.accounts.dev","nbf":1699999990,"sid":"sess_2a","sts":"active","sub":"user_2b","v":2,"o":{"id":null,"rol":"admin"},"n":1.5e3,"s":"a\"b\\c\u00e9\ud83d\ude00"}"#,
        );
        let c = decode_claims::<serde_json::Value>(&t).unwrap();
        assert_eq!(
            c,
            Claims {
                exp: Some(1700000060),
                iat: Some(1700000000),
                sid: Some("sess_2a".into()),
                sub: Some("user_2b".into())
            }
        );
    }

    #[test]
    fn tolerates_odd_numbers_and_escapes() {
        let c = decode_claims::<V>(&jwt(
            r#" { "exp" : 1700000060.75 , "iat":-5, "sid":"s\u005f1" } "#,
        ))
        .unwrap();
        assert_eq!(
            (c.exp, c.iat, c.sid.as_deref()),
            (Some(1700000060), None, Some("s_1"))
        );
        // Any JSON number is a NumericDate (RFC 7519); a number is not a `sub`.
        let c = decode_claims::<V>(&jwt(r#"{"exp":1e9,"sub":7}"#)).unwrap();
        assert_eq!((c.exp, c.sub), (Some(1_000_000_000), None));
        assert_eq!(decode_claims::<V>(&jwt("{}")).unwrap(), Claims::default());
    }

    #[test]
    fn rejects_bad_tokens() {
        assert_eq!(decode_claims::<V>("abc"), Err(JwtError::Format));
        assert_eq!(decode_claims::<V>("a.b.c.d"), Err(JwtError::Format));
        assert_eq!(decode_claims::<V>("a.***.c"), Err(JwtError::Encoding));
        for bad in [
            r#"[1]"#,
            r#"{"exp":}"#,
            r#"{"exp":1"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":tru}"#,
            r#"{"a":1} x"#,
            r#"{"a":"\q"}"#,
            r#"{"a":[1,}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":1.}"#,
            r#"{"a":1e}"#,
            r#"{"a":-}"#,
        ] {
            assert_eq!(decode_claims::<V>(&jwt(bad)), Err(JwtError::Json), "{bad}");
        }
        // Nesting is the platform parser's business (no recursion of ours).
        let deep = "[".repeat(40) + &"]".repeat(40);
        let mut payload = String::from(r#"{"x":"#);
        payload.push_str(&deep);
        payload.push('}');
        assert_eq!(decode_claims::<V>(&jwt(&payload)), Ok(Claims::default()));
        assert_eq!(
            TokenEntry::new::<V>(&jwt(r#"{"iat":1}"#)),
            Err(JwtError::MissingExp)
        );
    }

    #[test]
    fn entry_timing() {
        let e = TokenEntry::new::<V>(&jwt(r#"{"iat":1000,"exp":1060}"#)).unwrap();
        assert_eq!((e.iat, e.exp, e.exp_ms()), (1000, 1060, 1_060_000));
        assert!(e.fresh(1_000_000).is_some());
        assert!(e.fresh(1_054_999).is_some());
        assert!(e.fresh(1_055_000).is_none());
        assert!(e.fresh(2_000_000).is_none());
        assert_eq!(e.refresh_due_at_ms(), 1_043_000);
        let mut dbg = String::new();
        core::fmt::write(&mut dbg, format_args!("{e:?}")).unwrap();
        assert!(dbg.contains("<redacted>") && !dbg.contains(&e.jwt));
    }

    #[test]
    fn cache_keys_and_lifecycle() {
        assert_eq!(TokenCache::key("sess_1", None, None), "sess_1");
        assert_eq!(
            TokenCache::key("sess_1", Some("tpl"), Some("org_1")),
            "sess_1|t:tpl|o:org_1"
        );
        assert_eq!(
            TokenCache::key("sess_1", Some(""), Some("org_1")),
            "sess_1|o:org_1"
        );
        let mut c = TokenCache::default();
        let a = jwt(r#"{"iat":1000,"exp":1060}"#);
        let b = jwt(r#"{"iat":1010,"exp":1070}"#);
        c.insert::<V>(TokenCache::key("sess_1", None, None), &a)
            .unwrap();
        c.insert::<V>(TokenCache::key("sess_1", Some("tpl"), None), &a)
            .unwrap();
        c.insert::<V>(TokenCache::key("sess_10", None, None), &a)
            .unwrap();
        assert_eq!(c.len(), 3);
        c.insert::<V>("sess_1".into(), &b).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("sess_1", 1_060_000), Some(b.as_str()));
        assert_eq!(c.get("sess_1", 1_065_000), None);
        assert_eq!(c.get("missing", 0), None);
        assert!(c.insert::<V>("x".into(), "junk").is_err());
        c.remove_session("sess_1");
        assert_eq!(c.len(), 1);
        assert!(c.entry("sess_10").is_some());
        c.clear();
        assert!(c.is_empty());
    }
}

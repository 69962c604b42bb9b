//! Signing keys and JWTs, through `jsonwebtoken` on the `aws-lc-rs` backend
//! (constant-time RSA; no hand-assembled tokens).
//!
//! - Session tokens: RS256 with the instance key, published in the JWKS.
//! - Dev-browser tokens: HS256 with a key of their own (its own `kid`, never
//!   in the JWKS), with an `exp`; a session-token verifier can never accept
//!   one, and the emulator never accepts an expired one.
//! - [`TokenCache`]: the `last_active_token` rendered in a client is reused
//!   for a few seconds per session and origin, so reading a client does not
//!   sign an RSA token every time.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::store::lock;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("RSA key: {0}")]
    Rsa(String),
    #[error("PEM: {0}")]
    Pem(String),
    #[error("JWT: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_decode(pem: &str, label: &str) -> Result<Vec<u8>, KeyError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = pem
        .split_once(&begin)
        .and_then(|(_, rest)| rest.split_once(&end))
        .map(|(b, _)| b)
        .ok_or_else(|| KeyError::Pem(format!("no {label} block")))?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(b64)
        .map_err(|e| KeyError::Pem(e.to_string()))
}

/// The instance's RS256 signing key and its JWKS.
pub struct Keys {
    enc: EncodingKey,
    pub kid: String,
    jwks: Value,
}

impl Keys {
    /// Generates a fresh 2048-bit key; returns it and its PKCS#8 PEM.
    pub fn generate() -> Result<(Keys, String), KeyError> {
        let kp = KeyPair::generate(KeySize::Rsa2048).map_err(|e| KeyError::Rsa(e.to_string()))?;
        let der = kp.as_der().map_err(|e| KeyError::Rsa(e.to_string()))?;
        let pem = pem_encode("PRIVATE KEY", der.as_ref());
        Ok((Self::from_pem(&pem)?, pem))
    }

    /// Loads a PKCS#8 PEM RSA key.
    pub fn from_pem(pem: &str) -> Result<Keys, KeyError> {
        let der = pem_decode(pem, "PRIVATE KEY")?;
        let kp = KeyPair::from_pkcs8(&der).map_err(|e| KeyError::Rsa(e.to_string()))?;
        let n = kp
            .public_key()
            .modulus()
            .big_endian_without_leading_zero()
            .to_vec();
        let e = kp
            .public_key()
            .exponent()
            .big_endian_without_leading_zero()
            .to_vec();
        let enc = EncodingKey::from_rsa_pem(pem.as_bytes())?;
        let kid = format!("ins_emu_{}", &super::hex(&Sha256::digest(&n))[..20]);
        let jwks = json!({"keys": [{
            "use": "sig", "kty": "RSA", "kid": kid, "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(&n), "e": URL_SAFE_NO_PAD.encode(&e),
        }]});
        Ok(Keys { enc, kid, jwks })
    }

    /// Signs `claims` as a compact RS256 JWT with this key's `kid`.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.enc)?)
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }
}

/// Claims of a dev-browser JWT.
#[derive(Debug, Serialize, Deserialize)]
pub struct DevBrowserClaims {
    pub dev: String,
    pub iat: i64,
    pub exp: i64,
    pub nonce: String,
}

/// The dev-browser key: HS256, its own `kid`, never published.
pub struct DevBrowserKeys {
    enc: EncodingKey,
    dec: DecodingKey,
    pub kid: String,
}

impl DevBrowserKeys {
    /// A new random secret (hex, to store).
    pub fn new_secret() -> String {
        super::random_hex(32)
    }

    pub fn from_secret(secret_hex: &str) -> DevBrowserKeys {
        let kid = format!(
            "dvb_emu_{}",
            &super::hex(&Sha256::digest(format!("kid:{secret_hex}")))[..20]
        );
        DevBrowserKeys {
            enc: EncodingKey::from_secret(secret_hex.as_bytes()),
            dec: DecodingKey::from_secret(secret_hex.as_bytes()),
            kid,
        }
    }

    /// A dev-browser JWT for `id`, valid `ttl_secs` from `now_ms`.
    pub fn sign(&self, id: &str, now_ms: i64, ttl_secs: u64) -> Result<String, KeyError> {
        let iat = now_ms.div_euclid(1000);
        let claims = DevBrowserClaims {
            dev: id.to_string(),
            iat,
            exp: super::after_secs(now_ms, ttl_secs).div_euclid(1000),
            nonce: super::random_hex(16),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.enc)?)
    }

    /// The claims of a dev-browser JWT signed by this key and not expired at
    /// `now_ms` (the virtual clock, so `exp` is checked here, not by the crate).
    pub fn verify(&self, jwt: &str, now_ms: i64) -> Option<DevBrowserClaims> {
        let header = jsonwebtoken::decode_header(jwt).ok()?;
        if header.alg != Algorithm::HS256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return None;
        }
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_exp = false;
        v.required_spec_claims.clear();
        let data = jsonwebtoken::decode::<DevBrowserClaims>(jwt, &self.dec, &v).ok()?;
        (data.claims.exp > now_ms.div_euclid(1000)).then_some(data.claims)
    }
}

/// Claims of a session token.
pub struct SessionClaims<'a> {
    pub issuer: &'a str,
    pub session_id: &'a str,
    pub user_id: &'a str,
    pub azp: Option<&'a str>,
    pub now_ms: i64,
    pub ttl_secs: u64,
    /// Minutes since the first and the second factor (-1 if none).
    pub fva: [i64; 2],
}

#[derive(Serialize)]
struct SessionJwt<'a> {
    iss: &'a str,
    sub: &'a str,
    sid: &'a str,
    iat: i64,
    nbf: i64,
    exp: i64,
    v: u8,
    sts: &'static str,
    fva: [i64; 2],
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    azp: Option<&'a str>,
}

pub fn session_token(keys: &Keys, c: &SessionClaims) -> Result<String, KeyError> {
    let iat = c.now_ms.div_euclid(1000);
    keys.sign(&SessionJwt {
        iss: c.issuer,
        sub: c.user_id,
        sid: c.session_id,
        iat,
        nbf: iat - 10,
        exp: iat.saturating_add(i64::try_from(c.ttl_secs).unwrap_or(i64::MAX)),
        v: 2,
        sts: "active",
        fva: c.fva,
        jti: super::random_hex(10),
        azp: c.azp,
    })
}

/// How long a rendered `last_active_token` is reused (ms).
pub const TOKEN_REUSE_MS: i64 = 10_000;
const CACHE_MAX: usize = 50_000;

/// Recently minted session tokens, by session and `azp`.
#[derive(Default)]
pub struct TokenCache {
    map: Mutex<HashMap<String, (String, i64)>>,
}

fn cache_key(sid: &str, azp: Option<&str>) -> String {
    format!("{sid}\u{0}{}", azp.unwrap_or(""))
}

impl TokenCache {
    /// A token minted for this session and origin less than
    /// [`TOKEN_REUSE_MS`] before `now`.
    pub fn get(&self, sid: &str, azp: Option<&str>, now: i64) -> Option<String> {
        let map = lock(&self.map);
        match map.get(&cache_key(sid, azp)) {
            Some((jwt, iat)) if now >= *iat && now - iat < TOKEN_REUSE_MS => Some(jwt.clone()),
            _ => None,
        }
    }

    pub fn put(&self, sid: &str, azp: Option<&str>, jwt: &str, now: i64) {
        let mut map = lock(&self.map);
        if map.len() >= CACHE_MAX {
            map.retain(|_, (_, iat)| now >= *iat && now - *iat < TOKEN_REUSE_MS);
            if map.len() >= CACHE_MAX {
                map.clear();
            }
        }
        map.insert(cache_key(sid, azp), (jwt.to_string(), now));
    }

    pub fn clear(&self) {
        lock(&self.map).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &str = include_str!("../../tests/fixtures/test_signing_key.pem");

    #[test]
    fn session_tokens_verify_against_the_jwks() {
        let keys = Keys::from_pem(TEST_KEY).unwrap();
        let jwt = session_token(
            &keys,
            &SessionClaims {
                issuer: "http://127.0.0.1:1",
                session_id: "sess_1",
                user_id: "user_1",
                azp: Some("http://localhost:3000"),
                now_ms: 1_700_000_000_000,
                ttl_secs: 60,
                fva: [0, -1],
            },
        )
        .unwrap();
        let k = &keys.jwks()["keys"][0];
        let dec =
            DecodingKey::from_rsa_components(k["n"].as_str().unwrap(), k["e"].as_str().unwrap())
                .unwrap();
        let mut v = Validation::new(Algorithm::RS256);
        v.validate_exp = false;
        let c = jsonwebtoken::decode::<Value>(&jwt, &dec, &v)
            .unwrap()
            .claims;
        assert_eq!(c["sid"], "sess_1");
        assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
        assert_eq!(c["nbf"].as_i64().unwrap(), 1_700_000_000 - 10);
        assert_eq!(
            jsonwebtoken::decode_header(&jwt).unwrap().kid.as_deref(),
            Some(keys.kid.as_str())
        );
    }

    #[test]
    fn dev_browser_tokens_have_their_own_key_and_expire() {
        let keys = Keys::from_pem(TEST_KEY).unwrap();
        let dvb = DevBrowserKeys::from_secret(&DevBrowserKeys::new_secret());
        assert_ne!(dvb.kid, keys.kid);
        let jwt = dvb.sign("dvb_1", 1_000_000, 60).unwrap();
        assert_eq!(dvb.verify(&jwt, 1_000_000).unwrap().dev, "dvb_1");
        assert!(dvb.verify(&jwt, 1_059_999).is_some());
        assert!(dvb.verify(&jwt, 1_060_000).is_none(), "expired");
        let other = DevBrowserKeys::from_secret(&DevBrowserKeys::new_secret());
        assert!(other.verify(&jwt, 1_000_000).is_none(), "another key");
        // A session token is never a dev-browser token.
        let st = keys
            .sign(&json!({"dev": "dvb_1", "exp": i64::MAX}))
            .unwrap();
        assert!(dvb.verify(&st, 0).is_none());
        assert!(dvb.verify("eyJ.bogus.jwt", 0).is_none());
    }

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let (k, pem) = Keys::generate().unwrap();
        let again = Keys::from_pem(&pem).unwrap();
        assert_eq!(k.kid, again.kid);
        assert_eq!(k.jwks(), again.jwks());
    }

    #[test]
    fn token_cache_reuses_briefly() {
        let c = TokenCache::default();
        c.put("s", Some("o"), "jwt", 1_000);
        assert_eq!(c.get("s", Some("o"), 5_000).as_deref(), Some("jwt"));
        assert!(c.get("s", None, 5_000).is_none());
        assert!(c.get("s", Some("o"), 11_000).is_none());
        assert!(c.get("s", Some("o"), 999).is_none());
    }
}

//! RS256 signing key, session JWTs and the JWKS.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct Keys {
    signer: SigningKey<Sha256>,
    pub kid: String,
    n: String,
    e: String,
}

impl Keys {
    /// Generates a fresh 2048-bit key (slow in debug builds).
    pub fn generate() -> Result<(Keys, String), String> {
        let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| e.to_string())?;
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?
            .to_string();
        Ok((Self::from_key(key), pem))
    }

    pub fn from_pem(pem: &str) -> Result<Keys, String> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| e.to_string())?;
        Ok(Self::from_key(key))
    }

    fn from_key(key: RsaPrivateKey) -> Keys {
        let n_bytes = key.n().to_bytes_be();
        let e_bytes = key.e().to_bytes_be();
        let kid = format!("ins_emu_{}", &super::hex(&Sha256::digest(&n_bytes))[..20]);
        Keys {
            signer: SigningKey::<Sha256>::new(key),
            kid,
            n: URL_SAFE_NO_PAD.encode(n_bytes),
            e: URL_SAFE_NO_PAD.encode(e_bytes),
        }
    }

    /// Signs `claims` as a compact RS256 JWT with this key's `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        let h = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("json"));
        let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("json"));
        let input = format!("{h}.{p}");
        let sig = self.signer.sign(input.as_bytes()).to_bytes();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    pub fn jwks(&self) -> Value {
        json!({"keys": [{
            "use": "sig", "kty": "RSA", "kid": self.kid, "alg": "RS256", "n": self.n, "e": self.e,
        }]})
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

pub fn session_token(keys: &Keys, c: &SessionClaims) -> String {
    let iat = c.now_ms.div_euclid(1000);
    let mut claims = json!({
        "iss": c.issuer,
        "sub": c.user_id,
        "sid": c.session_id,
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + c.ttl_secs as i64,
        "v": 2,
        "sts": "active",
        "fva": c.fva,
        "jti": super::random_hex(10),
    });
    if let Some(azp) = c.azp {
        claims["azp"] = json!(azp);
    }
    keys.sign(&claims)
}

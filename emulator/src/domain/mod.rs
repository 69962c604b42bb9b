//! Domain rules: identifiers, secrets, verifications, rate limits, tokens.
//! Handlers call into these; each security rule has one home here.

pub mod access;
pub mod limits;
pub mod ratelimit;
pub mod redirect;
pub mod session;
pub mod tokens;
pub mod verification;

use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A Clerk-style id: `prefix_` + 27 random base62 characters.
pub fn new_id(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 28);
    out.push_str(prefix);
    out.push('_');
    let mut buf = [0u8; 27];
    OsRng.fill_bytes(&mut buf);
    for b in buf {
        // 62 * 4 = 248: reject the top values to stay uniform.
        let mut v = b;
        while v >= 248 {
            let mut one = [0u8; 1];
            OsRng.fill_bytes(&mut one);
            v = one[0];
        }
        out.push(ALPHABET[(v % 62) as usize] as char);
    }
    out
}

/// A URL-safe random token with `bytes * 8` bits of entropy.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    const H: &[u8] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

/// Hex SHA-256, used to store opaque tokens (client, dev browser, email link) by hash.
pub fn sha256_hex(data: &str) -> String {
    hex(&Sha256::digest(data.as_bytes()))
}

/// `now_ms` plus `secs` seconds, in milliseconds. Saturates instead of
/// overflowing, whatever a configuration or a clock says.
pub fn after_secs(now_ms: i64, secs: u64) -> i64 {
    let ms = i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000);
    now_ms.saturating_add(ms)
}

/// Whole seconds from `now_ms` until `until_ms`, rounded up, at least 1
/// (a `Retry-After` or a lockout countdown).
pub fn secs_until(now_ms: i64, until_ms: i64) -> u64 {
    let ms = until_ms.saturating_sub(now_ms).max(1) as u64;
    ms.div_ceil(1000)
}

/// Lower-cased, trimmed email if it looks valid.
pub fn normalize_email(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = s.rsplit_once('@')?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c);
    if local.is_empty()
        || local.len() > 64
        || !local.chars().all(atext)
        || local.starts_with('.')
        || local.ends_with('.')
    {
        return None;
    }
    if domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || !domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    Some(s.to_ascii_lowercase())
}

/// Any E.164-looking number: `+` and 8–15 digits (spaces, dashes, dots and
/// parentheses are removed first).
pub fn normalize_phone(s: &str) -> Option<String> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = cleaned.strip_prefix('+')?;
    if (8..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
    {
        Some(cleaned)
    } else {
        None
    }
}

/// `j***@example.com`
pub fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `+1******0100`
pub fn mask_phone(p: &str) -> String {
    let digits: Vec<char> = p.trim_start_matches('+').chars().collect();
    if digits.len() < 6 {
        return "+******".into();
    }
    let first: String = digits[..1].iter().collect();
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("+{first}{}{last}", "*".repeat(digits.len() - 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_and_masks() {
        assert_eq!(
            normalize_email(" Jane@Example.COM ").as_deref(),
            Some("jane@example.com")
        );
        assert!(normalize_email("nope").is_none());
        assert!(normalize_email("a@b").is_none());
        assert!(normalize_email("<b>x@example.com").is_none());
        assert!(normalize_email("a+tag@sub.example.com").is_some());
        assert_eq!(
            normalize_phone("+1 555 555 0100").as_deref(),
            Some("+15555550100")
        );
        assert!(normalize_phone("5555550100").is_none());
        assert!(normalize_phone("+1234567").is_none());
        assert_eq!(mask_phone("+15555550100"), "+1******0100");
        assert_eq!(mask_email("john@example.com"), "j***@example.com");
        let id = new_id("sia");
        assert!(id.starts_with("sia_") && id.len() == 31);
        assert_eq!(random_token(16).len(), 22);
    }

    #[test]
    fn time_arithmetic_saturates() {
        assert_eq!(after_secs(1_000, 2), 3_000);
        assert_eq!(after_secs(i64::MAX - 5, 10), i64::MAX);
        assert_eq!(after_secs(0, u64::MAX), i64::MAX);
        assert_eq!(
            after_secs(-5, 9_223_372_036_854_775),
            9_223_372_036_854_774_995
        );
        assert_eq!(secs_until(0, 1), 1);
        assert_eq!(secs_until(0, 29_001), 30);
        assert_eq!(secs_until(10, 0), 1);
        assert_eq!(secs_until(i64::MIN, i64::MAX), 9_223_372_036_854_776);
    }
}

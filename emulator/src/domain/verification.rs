//! One-time codes and email-link tokens: generation, hashing, attempts,
//! expiry, resend throttling and user lockout.
//!
//! The resend throttle is per verification: a second prepare of the *same*
//! verification (the same sign-in factor, sign-up identifier or `/me` email
//! address, with the same strategy and target) within `resend_throttle_secs`
//! is a resend and gets 429. The first code of a new sign-in or sign-up is
//! never a resend. Independently, at most `identifier_codes_per_hour` codes
//! and links go to one identifier per hour (SMS pumping).

use rand::rngs::OsRng;
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::errors::ApiError;
use crate::model::{User, VStatus, Verification};

/// A uniformly random 6-digit code from the OS CSPRNG.
pub fn generate_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000u32))
}

fn hash_code(salt_hex: &str, code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt_hex.as_bytes());
    h.update([0u8]);
    h.update(code.as_bytes());
    h.finalize().into()
}

/// Arms `v` with a fresh code: new salt, hash only, attempts reset, expiry set.
/// Any previous code or link on `v` is voided.
pub fn arm_code(v: &mut Verification, code: &str, now: i64, ttl_secs: u64) {
    let salt = super::random_hex(16);
    v.code_hash = Some(super::hex(&hash_code(&salt, code)));
    v.code_salt = Some(salt);
    v.link_token_hash = None;
    v.status = VStatus::Unverified;
    v.attempts = 0;
    v.expire_at = Some(super::after_secs(now, ttl_secs));
    v.verified_at_client = None;
    v.sent_at = Some(now);
}

/// Arms `v` for an email link; returns the raw token (128 bits+) to put in the link.
/// Only its hash is kept (on `v` and as the link-token key).
pub fn arm_link(v: &mut Verification, now: i64, ttl_secs: u64) -> (String, String) {
    let token = super::random_token(32);
    let hash = super::sha256_hex(&token);
    v.code_hash = None;
    v.code_salt = None;
    v.link_token_hash = Some(hash.clone());
    v.status = VStatus::Unverified;
    v.attempts = 0;
    v.expire_at = Some(super::after_secs(now, ttl_secs));
    v.verified_at_client = None;
    v.sent_at = Some(now);
    (token, hash)
}

/// The resend throttle: `prev` is the verification a prepare would replace.
/// Sending the same strategy to the same target again within `secs` of the
/// last send is a resend: 429 with the seconds left.
pub fn check_resend(
    prev: Option<&Verification>,
    strategy: &str,
    target: &str,
    now: i64,
    secs: u64,
) -> Result<(), ApiError> {
    let Some(p) = prev else { return Ok(()) };
    let Some(sent) = p.sent_at else {
        return Ok(());
    };
    if secs == 0 || p.strategy != strategy || p.target.as_deref() != Some(target) {
        return Ok(());
    }
    let until = super::after_secs(sent, secs);
    if now < until && now >= sent {
        return Err(ApiError::code_too_many_requests(super::secs_until(
            now, until,
        )));
    }
    Ok(())
}

/// What an attempt did, so callers can count failures for lockout.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Verified,
    /// A wrong code was counted against the verification.
    Wrong,
    /// Rejected without consuming an attempt (state error).
    Rejected,
}

/// Checks `code` against `v`. Wrong codes count; at `max_attempts` the
/// verification becomes `failed` and later attempts get `verification_failed`.
pub fn attempt(
    v: Option<&mut Verification>,
    strategy: Option<&str>,
    code: &str,
    now: i64,
    max_attempts: u32,
) -> (Outcome, Result<(), ApiError>) {
    let Some(v) = v else {
        return (Outcome::Rejected, Err(ApiError::verification_missing()));
    };
    if let Some(s) = strategy {
        if !s.is_empty() && s != v.strategy {
            return (Outcome::Rejected, Err(ApiError::strategy_invalid()));
        }
    }
    match v.effective_status(now) {
        VStatus::Verified => return (Outcome::Rejected, Err(ApiError::already_verified())),
        VStatus::Failed => return (Outcome::Rejected, Err(ApiError::verification_failed())),
        VStatus::Expired => {
            v.status = VStatus::Expired;
            v.code_hash = None;
            return (Outcome::Rejected, Err(ApiError::verification_expired()));
        }
        VStatus::Unverified => {}
    }
    let (Some(hash), Some(salt)) = (v.code_hash.as_deref(), v.code_salt.as_deref()) else {
        // A link verification (or nothing sent): codes cannot verify it.
        return (Outcome::Rejected, Err(ApiError::strategy_invalid()));
    };
    let given = super::hex(&hash_code(salt, code.trim()));
    let ok: bool = given.as_bytes().ct_eq(hash.as_bytes()).into();
    if ok {
        v.status = VStatus::Verified;
        v.code_hash = None;
        v.code_salt = None;
        (Outcome::Verified, Ok(()))
    } else {
        v.attempts = v.attempts.saturating_add(1);
        if v.attempts >= max_attempts.max(1) {
            fail(v);
        }
        (Outcome::Wrong, Err(ApiError::code_incorrect()))
    }
}

/// Ends a verification as `failed`: nothing it was sent (code or link) can
/// verify it any more.
pub fn fail(v: &mut Verification) {
    v.status = VStatus::Failed;
    v.code_hash = None;
    v.code_salt = None;
    v.link_token_hash = None;
}

/// `user_locked` while the lockout runs.
pub fn check_lock(user: &User, now: i64) -> Result<(), ApiError> {
    match user.locked_until {
        Some(t) if now < t => Err(ApiError::user_locked(super::secs_until(now, t))),
        _ => Ok(()),
    }
}

/// Counts a failed code; locks the user after `lockout_attempts` in a row (0 disables).
pub fn record_failure(user: &mut User, now: i64, lockout_attempts: u32, lockout_secs: u64) {
    if matches!(user.locked_until, Some(t) if now >= t) {
        user.locked_until = None;
        user.failed_attempts = 0;
    }
    user.failed_attempts = user.failed_attempts.saturating_add(1);
    if lockout_attempts > 0 && user.failed_attempts >= lockout_attempts {
        user.locked_until = Some(super::after_secs(now, lockout_secs));
        user.failed_attempts = 0;
    }
}

pub fn record_success(user: &mut User) {
    user.failed_attempts = 0;
    user.locked_until = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn armed(now: i64) -> (Verification, String) {
        let mut v = Verification::new("phone_code");
        let code = generate_code();
        arm_code(&mut v, &code, now, 600);
        (v, code)
    }

    #[test]
    fn codes_are_six_digits_and_hashed() {
        let (v, code) = armed(0);
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let stored = serde_json::to_string(&v).unwrap();
        assert!(!stored.contains(&format!("\"{code}\"")));
        assert_ne!(v.code_hash.as_deref(), Some(code.as_str()));
    }

    #[test]
    fn right_code_verifies_once() {
        let (mut v, code) = armed(0);
        assert_eq!(
            attempt(Some(&mut v), Some("phone_code"), &code, 1, 3).0,
            Outcome::Verified
        );
        let (_, r) = attempt(Some(&mut v), None, &code, 2, 3);
        assert_eq!(r.unwrap_err().code, "verification_already_verified");
    }

    #[test]
    fn expiry_and_missing() {
        let (mut v, code) = armed(0);
        let (_, r) = attempt(Some(&mut v), None, &code, 600_001, 3);
        assert_eq!(r.unwrap_err().code, "verification_expired");
        let (_, r) = attempt(None, None, &code, 0, 3);
        assert_eq!(r.unwrap_err().code, "verification_missing");
    }

    #[test]
    fn new_prepare_voids_old_code() {
        let (mut v, old) = armed(0);
        let mut new = generate_code();
        while new == old {
            new = generate_code();
        }
        arm_code(&mut v, &new, 1, 600);
        let (o, _) = attempt(Some(&mut v), None, &old, 2, 3);
        assert_eq!(o, Outcome::Wrong);
        assert_eq!(attempt(Some(&mut v), None, &new, 3, 3).0, Outcome::Verified);
    }

    /// 10,000 wrong guesses against fresh codes: none succeeds, and once a
    /// verification has failed even the right code is refused.
    #[test]
    fn ten_thousand_guesses_never_succeed() {
        let mut successes = 0;
        let mut guess: u32 = 0;
        let mut guesses = 0;
        while guesses < 10_000 {
            let (mut v, code) = armed(0);
            loop {
                let g = format!("{:06}", guess % 1_000_000);
                guess += 1;
                if g == code {
                    continue;
                }
                guesses += 1;
                let (o, _) = attempt(Some(&mut v), None, &g, 1, 3);
                if o == Outcome::Verified {
                    successes += 1;
                }
                if v.status == VStatus::Failed {
                    break;
                }
            }
            let (o, r) = attempt(Some(&mut v), None, &code, 1, 3);
            assert_ne!(o, Outcome::Verified);
            assert_eq!(r.unwrap_err().code, "verification_failed");
        }
        assert_eq!(successes, 0);
    }

    #[test]
    fn throttle_and_lockout() {
        let (mut v, _) = armed(0);
        v.target = Some("+15555550100".into());
        let same =
            |v: &Verification, now| check_resend(Some(v), "phone_code", "+15555550100", now, 30);
        let e = same(&v, 1000).unwrap_err();
        assert_eq!(e.code, "verification_code_too_many_requests");
        assert_eq!(e.retry_after, Some(29));
        assert!(same(&v, 30_000).is_ok());
        // Not a resend: a first prepare, another strategy or target, throttle off.
        assert!(check_resend(None, "phone_code", "+15555550100", 1, 30).is_ok());
        assert!(check_resend(Some(&v), "email_code", "+15555550100", 1, 30).is_ok());
        assert!(check_resend(Some(&v), "phone_code", "+15555550199", 1, 30).is_ok());
        assert!(check_resend(Some(&v), "phone_code", "+15555550100", 1, 0).is_ok());
        let mut u: User = serde_json::from_value(serde_json::json!({
            "id": "user_1", "first_name": null, "last_name": null, "email_addresses": [], "phone_numbers": [],
            "primary_email_address_id": null, "primary_phone_number_id": null, "unsafe_metadata": {},
            "failed_attempts": 0, "locked_until": null, "last_sign_in_at": null, "created_at": 0, "updated_at": 0
        })).unwrap();
        for _ in 0..9 {
            record_failure(&mut u, 0, 10, 3600);
        }
        assert!(check_lock(&u, 0).is_ok());
        record_failure(&mut u, 0, 10, 3600);
        let e = check_lock(&u, 1000).unwrap_err();
        assert_eq!(e.code, "user_locked");
        assert_eq!(e.status, 403);
        assert!(check_lock(&u, 3_600_000).is_ok());
    }
}

//! Flow state machines shared by the classic API (`prepareFirstFactor`, …)
//! and the newer API (`signIn.phoneCode.sendCode`, …): one engine, two skins.
//!
//! Each function looks at the current resource and the caller's intent and
//! returns the next [`Request`](crate::request::Request) to send, or a
//! precondition error (nothing sent). Applying the answer (piggybacked
//! client, listeners) is the shell's job.

pub mod email_link;
pub mod sign_in;
pub mod sign_up;

use crate::errors::{precondition, ClerkError};
use crate::model::Sessions;

/// Minimum wait between two code sends (the server enforces ≥ 30 s).
pub const RESEND_COOLDOWN_MS: u64 = 30_000;

/// When "resend" may be offered again: 30 s after the last send, or later
/// when a 429 carried `Retry-After` (seconds, counted from `now_ms`).
pub fn resend_available_at_ms(
    last_sent_at_ms: u64,
    retry_after_secs: Option<u32>,
    now_ms: u64,
) -> u64 {
    let cooldown = last_sent_at_ms.saturating_add(RESEND_COOLDOWN_MS);
    let retry = retry_after_secs.map_or(0, |s| {
        now_ms.saturating_add(u64::from(s).saturating_mul(1000))
    });
    cooldown.max(retry)
}

/// What `finalize()` must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finalize {
    /// The session is on the client: `setActive` it.
    SetActive(String),
    /// The session is not on the client yet: `GET /client`, then call
    /// [`require_session`] and `setActive` it.
    ReloadClientThenSetActive(String),
}

/// Shared finalize rule: needs a created session id; checks the client.
pub(crate) fn finalize(
    created_session_id: Option<&str>,
    client: &impl Sessions,
) -> Result<Finalize, ClerkError> {
    let sid = created_session_id
        .filter(|s| !s.is_empty())
        .ok_or(precondition::NO_CREATED_SESSION)?;
    Ok(if client.has_session(sid) {
        Finalize::SetActive(sid.into())
    } else {
        Finalize::ReloadClientThenSetActive(sid.into())
    })
}

/// After a client reload: the session must now be on the client.
pub fn require_session(client: &impl Sessions, session_id: &str) -> Result<(), ClerkError> {
    if client.has_session(session_id) {
        Ok(())
    } else {
        Err(precondition::SESSION_NOT_FOUND)
    }
}

/// The attempt form shared by every code check: `strategy` and the trimmed `code`.
pub(crate) fn code_form(strategy: &str, code: &str) -> crate::request::Form {
    crate::request::Form::new()
        .set("strategy", strategy)
        .set("code", code.trim())
}

/// Checks that a resource id is present (the resource was created).
pub(crate) fn existing_id(id: Option<&str>, missing: ClerkError) -> Result<&str, ClerkError> {
    id.filter(|i| !i.is_empty()).ok_or(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resend_cooldown() {
        assert_eq!(resend_available_at_ms(1_000, None, 2_000), 31_000);
        assert_eq!(resend_available_at_ms(1_000, Some(60), 2_000), 62_000);
        assert_eq!(resend_available_at_ms(1_000, Some(1), 2_000), 31_000);
        assert_eq!(
            resend_available_at_ms(u64::MAX, Some(u32::MAX), u64::MAX),
            u64::MAX
        );
    }
}

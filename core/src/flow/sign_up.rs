//! The sign-up's id and finalize. Which FAPI call each sign-up operation
//! makes, and its form, is the engine's table (`Engine::resource_request`).

use super::{existing_id, finalize, Finalize};
use crate::errors::{precondition, ClerkError};
use crate::model::{Sessions, SignUpView};

/// The id of an existing sign-up, for the classic API's direct calls
/// (`update`, `prepareVerification(params)`, …); `sign_up_missing` otherwise.
pub fn require_id(sign_up: Option<&SignUpView>) -> Result<&str, ClerkError> {
    id(sign_up)
}

fn id(sign_up: Option<&SignUpView>) -> Result<&str, ClerkError> {
    existing_id(
        sign_up.map(|s| s.id.as_str()),
        precondition::SIGN_UP_MISSING,
    )
}

/// `signUp.finalize()`: needs `created_session_id` (`no_created_session`).
pub fn finalize_sign_up(
    sign_up: Option<&SignUpView>,
    client: &impl Sessions,
) -> Result<Finalize, ClerkError> {
    finalize(sign_up.and_then(SignUpView::created_session), client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Client;
    use crate::model::Session;

    fn su() -> SignUpView {
        SignUpView {
            id: "sua_1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn finalize_rules() {
        let mut s = su();
        let mut client = Client::default();
        assert_eq!(
            finalize_sign_up(Some(&s), &client),
            Err(precondition::NO_CREATED_SESSION)
        );
        s.created_session_id = Some("sess_9".into());
        assert_eq!(
            finalize_sign_up(Some(&s), &client),
            Ok(Finalize::ReloadClientThenSetActive("sess_9".into()))
        );
        client.sessions.push(Session {
            id: "sess_9".into(),
            ..Default::default()
        });
        assert_eq!(
            finalize_sign_up(Some(&s), &client),
            Ok(Finalize::SetActive("sess_9".into()))
        );
    }
}

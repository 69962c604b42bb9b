//! Sign-up verification steps (`signUp.verifications.*` and the classic
//! `prepareVerification`/`attemptVerification`) and finalize.

use super::{existing_id, finalize, Finalize};
use crate::endpoints::sign_ups;
use crate::errors::{precondition, ClerkError};
use crate::model::{strategy, Sessions, SignUp};
use crate::request::{Form, Request};

/// The id of an existing sign-up, for the classic API's direct calls
/// (`update`, `prepareVerification(params)`, …); `sign_up_missing` otherwise.
pub fn require_id(sign_up: Option<&SignUp>) -> Result<&str, ClerkError> {
    id(sign_up)
}

fn id(sign_up: Option<&SignUp>) -> Result<&str, ClerkError> {
    existing_id(
        sign_up.map(|s| s.id.as_str()),
        precondition::SIGN_UP_MISSING,
    )
}

/// `sendPhoneCode({channel})`: `prepare_verification {strategy=phone_code[, channel]}`.
pub fn send_phone_code(
    sign_up: Option<&SignUp>,
    channel: Option<&str>,
) -> Result<Request, ClerkError> {
    let form = Form::new()
        .set("strategy", strategy::PHONE_CODE)
        .set_opt("channel", channel);
    sign_ups::prepare_verification(id(sign_up)?, form)
}

/// `sendEmailCode()`: `prepare_verification {strategy=email_code}`.
pub fn send_email_code(sign_up: Option<&SignUp>) -> Result<Request, ClerkError> {
    sign_ups::prepare_verification(
        id(sign_up)?,
        Form::new().set("strategy", strategy::EMAIL_CODE),
    )
}

/// `sendEmailLink({verificationUrl})`: `prepare_verification
/// {strategy=email_link, redirect_url}`; `redirect_url` must be absolute.
pub fn send_email_link(
    sign_up: Option<&SignUp>,
    redirect_url: &str,
) -> Result<Request, ClerkError> {
    let form = Form::new()
        .set("strategy", strategy::EMAIL_LINK)
        .set("redirect_url", redirect_url);
    sign_ups::prepare_verification(id(sign_up)?, form)
}

/// `verifyPhoneCode({code})`: `attempt_verification {strategy=phone_code, code}`.
pub fn verify_phone_code(sign_up: Option<&SignUp>, code: &str) -> Result<Request, ClerkError> {
    attempt(sign_up, strategy::PHONE_CODE, code)
}

/// `verifyEmailCode({code})`: `attempt_verification {strategy=email_code, code}`.
pub fn verify_email_code(sign_up: Option<&SignUp>, code: &str) -> Result<Request, ClerkError> {
    attempt(sign_up, strategy::EMAIL_CODE, code)
}

/// `attempt_verification {strategy, code}` for any code strategy.
pub fn attempt(
    sign_up: Option<&SignUp>,
    strategy: &str,
    code: &str,
) -> Result<Request, ClerkError> {
    sign_ups::attempt_verification(id(sign_up)?, super::code_form(strategy, code))
}

/// `signUp.finalize()`: needs `created_session_id` (`no_created_session`).
pub fn finalize_sign_up(
    sign_up: Option<&SignUp>,
    client: &impl Sessions,
) -> Result<Finalize, ClerkError> {
    finalize(sign_up.and_then(SignUp::created_session), client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Client;
    use crate::model::Session;

    fn su() -> SignUp {
        SignUp {
            id: "sua_1".into(),
            ..Default::default()
        }
    }

    fn pb(r: Result<Request, ClerkError>) -> (String, String) {
        let r = r.unwrap();
        let b = r.body().unwrap();
        (r.path, b)
    }

    #[test]
    fn builds_each_step() {
        let s = su();
        let prep = "/client/sign_ups/sua_1/prepare_verification".to_string();
        let att = "/client/sign_ups/sua_1/attempt_verification".to_string();
        assert_eq!(
            pb(send_phone_code(Some(&s), Some("sms"))),
            (prep.clone(), "strategy=phone_code&channel=sms".into())
        );
        assert_eq!(
            pb(send_phone_code(Some(&s), None)),
            (prep.clone(), "strategy=phone_code".into())
        );
        assert_eq!(
            pb(send_email_code(Some(&s))),
            (prep.clone(), "strategy=email_code".into())
        );
        assert_eq!(
            pb(send_email_link(Some(&s), "http://localhost:3000/verify")),
            (
                prep,
                "strategy=email_link&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fverify".into()
            )
        );
        assert_eq!(
            pb(verify_phone_code(Some(&s), "123456")),
            (att.clone(), "strategy=phone_code&code=123456".into())
        );
        assert_eq!(
            pb(verify_email_code(Some(&s), " 654321\n")),
            (att, "strategy=email_code&code=654321".into())
        );
    }

    #[test]
    fn requires_a_sign_up() {
        assert_eq!(
            send_phone_code(None, None),
            Err(precondition::SIGN_UP_MISSING)
        );
        assert_eq!(
            send_email_code(Some(&SignUp::default())),
            Err(precondition::SIGN_UP_MISSING)
        );
        assert_eq!(
            send_email_link(None, "https://a.test"),
            Err(precondition::SIGN_UP_MISSING)
        );
        assert_eq!(
            verify_phone_code(None, "1"),
            Err(precondition::SIGN_UP_MISSING)
        );
        assert_eq!(
            verify_email_code(None, "1"),
            Err(precondition::SIGN_UP_MISSING)
        );
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

//! Sign-in steps: send a code or link (creating the sign-in first when
//! needed), second factors, finalize. Verifying a code is a row of the
//! engine's table (`Engine::resource_request`).

use super::{existing_id, finalize, Finalize};
use crate::endpoints::sign_ins;
use crate::errors::{precondition, ClerkError};
use crate::model::{strategy, Factor, Sessions, SignIn};
use crate::phone::{normalize_e164, same_number};
use crate::request::{Form, Request};

/// How a first or second factor is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery<'a> {
    /// SMS/WhatsApp code; `channel` is sent when given (the newer API passes
    /// `"sms"` by default, the classic API only what the caller gave).
    PhoneCode {
        /// `sms` or `whatsapp`.
        channel: Option<&'a str>,
    },
    /// Email code.
    EmailCode,
    /// Email link; `redirect_url` must already be absolute
    /// (see [`super::email_link::absolute_redirect_url`]).
    EmailLink {
        /// Where the link lands.
        redirect_url: &'a str,
    },
}

impl Delivery<'_> {
    /// The strategy name.
    pub fn strategy(&self) -> &'static str {
        match self {
            Delivery::PhoneCode { .. } => strategy::PHONE_CODE,
            Delivery::EmailCode => strategy::EMAIL_CODE,
            Delivery::EmailLink { .. } => strategy::EMAIL_LINK,
        }
    }

    fn is_phone(&self) -> bool {
        matches!(self, Delivery::PhoneCode { .. })
    }

    /// The factor's identifier id for this delivery.
    fn factor_id<'f>(&self, f: &'f Factor) -> Option<&'f str> {
        if self.is_phone() {
            f.phone_number_id.as_deref()
        } else {
            f.email_address_id.as_deref()
        }
    }

    /// The prepare form: `<email_address_id|phone_number_id>`, `strategy`,
    /// then `channel` or `redirect_url`.
    fn form(&self, identifier_id: &str) -> Form {
        let id_field = if self.is_phone() {
            "phone_number_id"
        } else {
            "email_address_id"
        };
        let form = Form::new()
            .set(id_field, identifier_id)
            .set("strategy", self.strategy());
        match *self {
            Delivery::PhoneCode { channel } => form.set_opt("channel", channel),
            Delivery::EmailCode => form,
            Delivery::EmailLink { redirect_url } => form.set("redirect_url", redirect_url),
        }
    }
}

/// Who to send to: an identifier (`emailAddress`/`phoneNumber`) and/or an
/// identifier id (`emailAddressId`/`phoneNumberId`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target<'a> {
    /// Email address or phone number typed by the user.
    pub identifier: Option<&'a str>,
    /// `idn_…` of a known identifier.
    pub identifier_id: Option<&'a str>,
}

/// The next request of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendPlan {
    /// Create the sign-in with this identifier first; then call
    /// [`prepare`] with the new sign-in and the same arguments (never
    /// [`plan_send`] again, so a server-normalised identifier cannot loop).
    CreateThenPrepare(Request),
    /// The sign-in is ready: send this prepare request.
    Prepare(Request),
}

/// True when two identifiers name the same email (case-insensitive) or phone.
pub fn same_identifier(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || (a.starts_with('+') && same_number(a, b))
}

/// Normalises a typed identifier for this delivery (E.164 for phones).
fn normalized_identifier(delivery: &Delivery<'_>, identifier: &str) -> Result<String, ClerkError> {
    if delivery.is_phone() {
        Ok(normalize_e164(identifier)?)
    } else {
        Ok(identifier.trim().into())
    }
}

/// `signIn.{phoneCode,emailCode}.sendCode` / `emailLink.sendLink`: creates
/// the sign-in when there is none or the identifier changed, else prepares the
/// first factor. Errors: `invalid_phone_number`, `sign_in_missing` (no sign-in
/// and no identifier), `factor_not_found`, `invalid_id`.
pub fn plan_send(
    sign_in: Option<&SignIn>,
    delivery: Delivery<'_>,
    target: Target<'_>,
) -> Result<SendPlan, ClerkError> {
    if let Some(raw) = target.identifier.filter(|i| !i.trim().is_empty()) {
        let identifier = normalized_identifier(&delivery, raw)?;
        let reusable = sign_in.filter(|s| {
            !s.id.is_empty()
                && s.identifier
                    .as_deref()
                    .is_some_and(|i| same_identifier(i, &identifier))
        });
        return match reusable {
            Some(s) => Ok(SendPlan::Prepare(prepare(s, delivery, target)?)),
            None => Ok(SendPlan::CreateThenPrepare(create_with_identifier(
                &identifier,
            ))),
        };
    }
    let s = sign_in
        .filter(|s| !s.id.is_empty())
        .ok_or(precondition::SIGN_IN_MISSING)?;
    Ok(SendPlan::Prepare(prepare(s, delivery, target)?))
}

/// `POST /client/sign_ins` with `identifier` (the shell may add `locale`).
pub fn create_with_identifier(identifier: &str) -> Request {
    sign_ins::create(Form::new().set("identifier", identifier))
}

/// Picks the factor and builds `prepare_first_factor`. An explicit
/// `identifier_id` must match a factor (a code is never sent to another
/// identifier than asked); otherwise the factor whose `safe_identifier`
/// equals the identifier, else the first of the strategy.
pub fn prepare(
    sign_in: &SignIn,
    delivery: Delivery<'_>,
    target: Target<'_>,
) -> Result<Request, ClerkError> {
    let factor = pick(
        sign_in.supported_first_factors.as_slice(),
        &delivery,
        target,
    )?;
    sign_ins::prepare_first_factor(
        existing_id(Some(sign_in.id.as_str()), precondition::SIGN_IN_MISSING)?,
        delivery.form(factor),
    )
}

fn pick<'a>(
    factors: &'a [Factor],
    delivery: &Delivery<'_>,
    target: Target<'_>,
) -> Result<&'a str, ClerkError> {
    let strategy = delivery.strategy();
    let of_strategy = || factors.iter().filter(move |f| f.strategy == strategy);
    let factor = if let Some(id) = target.identifier_id.filter(|i| !i.is_empty()) {
        of_strategy().find(|f| delivery.factor_id(f) == Some(id))
    } else {
        let wanted = target
            .identifier
            .map(|i| normalized_identifier(delivery, i).unwrap_or_else(|_| i.into()));
        let by_safe = wanted.as_deref().and_then(|w| {
            of_strategy().find(|f| {
                f.safe_identifier
                    .as_deref()
                    .is_some_and(|s| same_identifier(s, w))
            })
        });
        by_safe.or_else(|| of_strategy().next())
    };
    factor
        .and_then(|f| delivery.factor_id(f))
        .filter(|id| !id.is_empty())
        .ok_or(precondition::FACTOR_NOT_FOUND)
}

/// `mfa.sendPhoneCode` / `mfa.sendEmailCode`: `prepare_second_factor` with the
/// second factor's identifier id.
pub fn prepare_second(
    sign_in: Option<&SignIn>,
    delivery: Delivery<'_>,
    target: Target<'_>,
) -> Result<Request, ClerkError> {
    let s = sign_in
        .filter(|s| !s.id.is_empty())
        .ok_or(precondition::SIGN_IN_MISSING)?;
    let factor = pick(s.supported_second_factors.as_slice(), &delivery, target)?;
    sign_ins::prepare_second_factor(&s.id, delivery.form(factor))
}

/// Classic `startEmailLinkFlow({emailAddressId, redirectUrl})`: prepare the
/// first factor, or the second when the sign-in waits for one.
pub fn prepare_email_link(
    sign_in: Option<&SignIn>,
    email_address_id: &str,
    redirect_url: &str,
) -> Result<Request, ClerkError> {
    let s = sign_in
        .filter(|s| !s.id.is_empty())
        .ok_or(precondition::SIGN_IN_MISSING)?;
    let form = Delivery::EmailLink { redirect_url }.form(email_address_id);
    if s.status.needs_second_factor() {
        sign_ins::prepare_second_factor(&s.id, form)
    } else {
        sign_ins::prepare_first_factor(&s.id, form)
    }
}

/// The id of an existing sign-in, for the classic API's direct calls
/// (`prepareFirstFactor(params)` etc.); `sign_in_missing` otherwise.
pub fn require_id(sign_in: Option<&SignIn>) -> Result<&str, ClerkError> {
    existing_id(
        sign_in.map(|s| s.id.as_str()),
        precondition::SIGN_IN_MISSING,
    )
}

/// `signIn.finalize()`: needs `created_session_id` (`no_created_session`).
pub fn finalize_sign_in(
    sign_in: Option<&SignIn>,
    client: &impl Sessions,
) -> Result<Finalize, ClerkError> {
    finalize(sign_in.and_then(SignIn::created_session), client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Client;
    use crate::model::{Session, SessionStatus, SignInStatus};

    fn factor(strategy: &str, safe: &str, email: Option<&str>, phone: Option<&str>) -> Factor {
        Factor {
            strategy: strategy.into(),
            safe_identifier: Some(safe.into()),
            email_address_id: email.map(Into::into),
            phone_number_id: phone.map(Into::into),
            ..Default::default()
        }
    }

    fn sign_in(identifier: &str) -> SignIn {
        SignIn {
            id: "sia_1".into(),
            status: SignInStatus::NeedsFirstFactor,
            identifier: Some(identifier.into()),
            supported_first_factors: vec![
                factor("email_code", "a***@x.test", Some("idn_e1"), None),
                factor("email_code", "bob@x.test", Some("idn_e2"), None),
                factor("email_link", "bob@x.test", Some("idn_e2"), None),
                factor("phone_code", "+1*******0100", None, Some("idn_p1")),
                factor("phone_code", "+15555550199", None, Some("idn_p2")),
            ],
            supported_second_factors: vec![
                factor("phone_code", "+1*******0100", None, Some("idn_p1")),
                factor("totp", "", None, None),
            ],
            ..Default::default()
        }
    }

    fn body(r: &Request) -> String {
        r.body().unwrap()
    }

    #[test]
    fn creates_when_missing_or_identifier_changed() {
        let phone = Delivery::PhoneCode {
            channel: Some("sms"),
        };
        let t = Target {
            identifier: Some("+1 555 555 0100"),
            identifier_id: None,
        };
        let SendPlan::CreateThenPrepare(r) = plan_send(None, phone, t).unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.path.as_str(), body(&r).as_str()),
            ("/client/sign_ins", "identifier=%2B15555550100")
        );
        let empty = SignIn::default();
        assert!(matches!(
            plan_send(Some(&empty), phone, t).unwrap(),
            SendPlan::CreateThenPrepare(_)
        ));
        let other = sign_in("+15555550999");
        assert!(matches!(
            plan_send(Some(&other), phone, t).unwrap(),
            SendPlan::CreateThenPrepare(_)
        ));
        let email = Target {
            identifier: Some("bob@x.test"),
            identifier_id: None,
        };
        let SendPlan::CreateThenPrepare(r) =
            plan_send(Some(&sign_in("alice@x.test")), Delivery::EmailCode, email).unwrap()
        else {
            panic!()
        };
        assert_eq!(body(&r), "identifier=bob%40x.test");
    }

    #[test]
    fn prepares_when_identifier_matches() {
        let s = sign_in("+15555550100");
        let t = Target {
            identifier: Some("+1 (555) 555-0100"),
            identifier_id: None,
        };
        let SendPlan::Prepare(r) = plan_send(
            Some(&s),
            Delivery::PhoneCode {
                channel: Some("sms"),
            },
            t,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(r.path, "/client/sign_ins/sia_1/prepare_first_factor");
        // safe identifiers are masked, so the first phone_code factor is used
        assert_eq!(
            body(&r),
            "phone_number_id=idn_p1&strategy=phone_code&channel=sms"
        );
        let s = sign_in("BOB@x.test");
        let t = Target {
            identifier: Some("bob@x.test"),
            identifier_id: None,
        };
        let SendPlan::Prepare(r) = plan_send(Some(&s), Delivery::EmailCode, t).unwrap() else {
            panic!()
        };
        assert_eq!(body(&r), "email_address_id=idn_e2&strategy=email_code");
    }

    #[test]
    fn prepares_existing_sign_in_by_id_or_first() {
        let s = sign_in("bob@x.test");
        let none = Target::default();
        let SendPlan::Prepare(r) = plan_send(Some(&s), Delivery::EmailCode, none).unwrap() else {
            panic!()
        };
        assert_eq!(body(&r), "email_address_id=idn_e1&strategy=email_code");
        let by_id = Target {
            identifier: None,
            identifier_id: Some("idn_p2"),
        };
        let SendPlan::Prepare(r) =
            plan_send(Some(&s), Delivery::PhoneCode { channel: None }, by_id).unwrap()
        else {
            panic!()
        };
        assert_eq!(body(&r), "phone_number_id=idn_p2&strategy=phone_code");
        let link = Delivery::EmailLink {
            redirect_url: "https://app.test/verify",
        };
        let SendPlan::Prepare(r) = plan_send(Some(&s), link, none).unwrap() else {
            panic!()
        };
        assert_eq!(body(&r), "email_address_id=idn_e2&strategy=email_link&redirect_url=https%3A%2F%2Fapp.test%2Fverify");
    }

    #[test]
    fn send_errors() {
        let phone = Delivery::PhoneCode { channel: None };
        assert_eq!(
            plan_send(None, phone, Target::default()),
            Err(precondition::SIGN_IN_MISSING)
        );
        assert_eq!(
            plan_send(Some(&SignIn::default()), phone, Target::default()),
            Err(precondition::SIGN_IN_MISSING)
        );
        let bad = Target {
            identifier: Some("555-0100"),
            identifier_id: None,
        };
        assert_eq!(
            plan_send(None, phone, bad).unwrap_err().code(),
            "invalid_phone_number"
        );
        let mut s = sign_in("bob@x.test");
        s.supported_first_factors
            .retain(|f| f.strategy != "phone_code");
        assert_eq!(
            plan_send(Some(&s), phone, Target::default()),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        let unknown = Target {
            identifier: None,
            identifier_id: Some("idn_nope"),
        };
        assert_eq!(
            plan_send(Some(&sign_in("x")), Delivery::EmailCode, unknown),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        let mut no_id = sign_in("x");
        no_id.supported_first_factors = vec![factor("email_code", "x", None, None)];
        assert_eq!(
            prepare(&no_id, Delivery::EmailCode, Target::default()),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        let mut bad_id = sign_in("x");
        bad_id.id = "sia/1".into();
        assert_eq!(
            prepare(&bad_id, Delivery::EmailCode, Target::default()),
            Err(precondition::INVALID_ID)
        );
    }

    #[test]
    fn second_factor_prepare() {
        let s = sign_in("x");
        let r = prepare_second(
            Some(&s),
            Delivery::PhoneCode { channel: None },
            Target::default(),
        )
        .unwrap();
        assert_eq!(
            (r.path.as_str(), body(&r).as_str()),
            (
                "/client/sign_ins/sia_1/prepare_second_factor",
                "phone_number_id=idn_p1&strategy=phone_code"
            )
        );
        assert_eq!(
            prepare_second(Some(&s), Delivery::EmailCode, Target::default()),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        assert_eq!(
            prepare_second(None, Delivery::EmailCode, Target::default()),
            Err(precondition::SIGN_IN_MISSING)
        );
    }

    #[test]
    fn classic_email_link_prepare() {
        let mut s = sign_in("bob@x.test");
        let r = prepare_email_link(Some(&s), "idn_e2", "https://a.test/v").unwrap();
        assert_eq!(r.path, "/client/sign_ins/sia_1/prepare_first_factor");
        assert_eq!(
            body(&r),
            "email_address_id=idn_e2&strategy=email_link&redirect_url=https%3A%2F%2Fa.test%2Fv"
        );
        s.status = SignInStatus::NeedsSecondFactor;
        assert_eq!(
            prepare_email_link(Some(&s), "idn_e2", "https://a.test/v")
                .unwrap()
                .path,
            "/client/sign_ins/sia_1/prepare_second_factor"
        );
        s.status = SignInStatus::NeedsClientTrust;
        assert_eq!(
            prepare_email_link(Some(&s), "idn_e2", "https://a.test/v")
                .unwrap()
                .path,
            "/client/sign_ins/sia_1/prepare_second_factor"
        );
        assert_eq!(
            prepare_email_link(None, "idn_e2", "x"),
            Err(precondition::SIGN_IN_MISSING)
        );
    }

    #[test]
    fn finalize_rules() {
        let mut client = Client::default();
        let mut s = sign_in("x");
        assert_eq!(
            finalize_sign_in(Some(&s), &client),
            Err(precondition::NO_CREATED_SESSION)
        );
        assert_eq!(
            finalize_sign_in(None, &client),
            Err(precondition::NO_CREATED_SESSION)
        );
        s.created_session_id = Some(String::new());
        assert_eq!(
            finalize_sign_in(Some(&s), &client),
            Err(precondition::NO_CREATED_SESSION)
        );
        s.created_session_id = Some("sess_1".into());
        assert_eq!(
            finalize_sign_in(Some(&s), &client),
            Ok(Finalize::ReloadClientThenSetActive("sess_1".into()))
        );
        assert_eq!(
            super::super::require_session(&client, "sess_1").unwrap_err(),
            precondition::SESSION_NOT_FOUND
        );
        client.sessions.push(Session {
            id: "sess_1".into(),
            status: SessionStatus::Active,
            ..Default::default()
        });
        assert_eq!(
            finalize_sign_in(Some(&s), &client),
            Ok(Finalize::SetActive("sess_1".into()))
        );
        assert_eq!(super::super::require_session(&client, "sess_1"), Ok(()));
    }

    #[test]
    fn identifier_sameness() {
        assert!(same_identifier(" Bob@X.test", "bob@x.test"));
        assert!(same_identifier("+1 555 555 0100", "+15555550100"));
        assert!(!same_identifier("+15555550100", "+15555550101"));
        assert!(!same_identifier("bob", "alice"));
    }
}

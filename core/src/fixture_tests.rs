//! Data-driven tests: realistic FAPI payloads from `tests/fixtures/fapi/`
//! decoded into the models and fed through the flow functions.

use crate::errors::{precondition, ClerkError, FieldErrors, FieldSet};
use crate::flow::email_link::{
    landing_outcome, LandingOutcome, LinkOutcome, PollResource, PollStep,
};
use crate::flow::sign_in::{self, Delivery, SendPlan, Target};
use crate::flow::{sign_up, Finalize};
use crate::jwt::{decode_claims, TokenCache};
type V = serde_json::Value;
use crate::model::*;
use crate::response::{classify, ApiError, Envelope, ErrorBody, ResponseClass};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/fapi/", $name))
    };
}

/// Decodes the way the browser shell does (the `Decode` reader over parsed
/// JSON), and checks that serde's derive agrees, so both paths stay equal.
fn decode<T>(json: &str) -> T
where
    T: crate::model::decode::Decode + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let shipped = T::decode(&value);
    let derived: T = serde_json::from_str(json).unwrap();
    assert_eq!(shipped, derived, "the Decode reader and serde disagree");
    shipped
}

fn envelope<T>(json: &str) -> (Option<T>, Option<Client>)
where
    T: crate::model::decode::Decode + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    decode::<Envelope<T>>(json).into_parts()
}

fn api_error(status: u16, json: &str, retry_after: Option<&str>) -> ApiError {
    let raw: serde_json::Value = serde_json::from_str(json).unwrap();
    let class = classify(status, raw.get("errors").is_some_and(|e| e.is_array()));
    assert_eq!(class, ResponseClass::Error);
    ApiError::from_body(status, decode::<ErrorBody>(json), retry_after)
}

const T: u64 = 1_767_225_600_000;

#[test]
fn client_envelopes() {
    let (response, client) = envelope::<Client>(fixture!("client_empty.json"));
    let client = client.unwrap();
    assert_eq!(response.unwrap(), client);
    assert_eq!(client.id, "client_2fix");
    assert!(client.sessions.is_empty() && client.sign_in.is_none() && client.sign_up.is_none());
    assert_eq!(client.cookie_expires_at, Some(T + 31_536_000_000));
    assert!(client.pick_active_session(None).is_none());

    let (response, client) = envelope::<Client>(fixture!("client_null.json"));
    assert!(response.is_none() && client.is_none());

    let (response, client) = envelope::<Client>(fixture!("delete_sessions.json"));
    assert!(client.is_none());
    let response = response.unwrap();
    assert_eq!(response.sessions[0].status, SessionStatus::Ended);
    assert_eq!(response.signed_in_sessions().count(), 0);

    let (r, c) = envelope::<Client>("{}");
    assert!(r.is_none() && c.is_none());
}

#[test]
fn sign_in_phone_code_flow_from_payloads() {
    let (si, client) = envelope::<SignIn>(fixture!("sign_in_created.json"));
    let si = si.unwrap();
    assert_eq!(si.status, SignInStatus::NeedsFirstFactor);
    assert_eq!(client.unwrap().sign_in.unwrap(), si);
    assert_eq!(si.supported_first_factors.len(), 5);
    assert_eq!(si.supported_first_factors[4].strategy, "oauth_telepathy");
    assert!(si.supported_second_factors.is_empty());
    assert_eq!(
        si.user_data.as_ref().unwrap().first_name.as_deref(),
        Some("Bob")
    );

    // newer API: phoneCode.sendCode({phoneNumber}) with the same number → prepare only
    let target = Target {
        identifier: Some("+1 555-555-0100"),
        identifier_id: None,
    };
    let SendPlan::Prepare(req) = sign_in::plan_send(
        Some(&si),
        Delivery::PhoneCode {
            channel: Some("sms"),
        },
        target,
    )
    .unwrap() else {
        panic!("expected prepare")
    };
    assert_eq!(req.path, "/client/sign_ins/sia_2fix/prepare_first_factor");
    assert_eq!(
        req.body().unwrap(),
        "phone_number_id=idn_2phone&strategy=phone_code&channel=sms"
    );
    // emailCode.sendCode() on the same sign-in picks the email factor
    let SendPlan::Prepare(req) =
        sign_in::plan_send(Some(&si), Delivery::EmailCode, Target::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        req.body().unwrap(),
        "email_address_id=idn_2email&strategy=email_code"
    );

    let (si, _) = envelope::<SignIn>(fixture!("sign_in_code_sent.json"));
    let v = si
        .as_ref()
        .unwrap()
        .first_factor_verification
        .as_ref()
        .unwrap();
    assert_eq!(
        (v.status.clone(), v.channel.as_deref(), v.expire_at),
        (
            VerificationStatus::Unverified,
            Some("sms"),
            Some(T + 600_000)
        )
    );
    let form = crate::flow::code_form(strategy::PHONE_CODE, "424242");
    let req =
        crate::endpoints::sign_ins::attempt_first_factor(&si.as_ref().unwrap().id, form).unwrap();
    assert_eq!(req.body().unwrap(), "strategy=phone_code&code=424242");

    // wrong code
    let e = api_error(422, fixture!("error_code_incorrect.json"), None);
    assert_eq!(
        (e.code(), e.message(), e.trace_id.as_deref()),
        ("form_code_incorrect", "Incorrect code", Some("trace_2fix"))
    );
    let fields = FieldErrors::from_api(&e, FieldSet::SignIn);
    assert_eq!(fields.field("code").unwrap().code, "form_code_incorrect");
    assert!(fields.global.is_empty());

    // right code: complete, session with a token on the client
    let (si, client) = envelope::<SignIn>(fixture!("sign_in_complete.json"));
    let (si, client) = (si.unwrap(), client.unwrap());
    assert_eq!(si.created_session(), Some("sess_2fix"));
    assert!(client.sign_in.is_none());
    assert_eq!(
        sign_in::finalize_sign_in(Some(&si), &client),
        Ok(Finalize::SetActive("sess_2fix".into()))
    );
    let session = client.pick_active_session(None).unwrap();
    assert_eq!(session.id, "sess_2fix");
    let user = session.user.as_ref().unwrap();
    assert_eq!(
        user.primary_email_address().unwrap().email_address,
        "bob@example.test"
    );
    assert_eq!(
        user.primary_phone_number().unwrap().phone_number,
        "+15555550100"
    );
    let jwt = session.last_active_jwt().unwrap();
    let claims = decode_claims::<V>(jwt).unwrap();
    assert_eq!(
        (
            claims.sid.as_deref(),
            claims.sub.as_deref(),
            claims.exp,
            claims.iat
        ),
        (
            Some("sess_2fix"),
            Some("user_2fix"),
            Some(1_767_225_660),
            Some(1_767_225_600)
        )
    );
    let mut cache = TokenCache::default();
    cache.seed_from_client::<V>(&client);
    assert_eq!(cache.get("sess_2fix", T + 1_000), Some(jwt));
    assert_eq!(cache.get("sess_2fix", T + 55_000), None);
    assert_eq!(
        cache.entry("sess_2fix").unwrap().refresh_due_at_ms(),
        T + 43_000
    );
}

#[test]
fn sign_in_second_factor_payload() {
    let (si, _) = envelope::<SignIn>(fixture!("sign_in_needs_second_factor.json"));
    let si = si.unwrap();
    assert!(si.status.needs_second_factor());
    let req = sign_in::prepare_second(
        Some(&si),
        Delivery::PhoneCode { channel: None },
        Target::default(),
    )
    .unwrap();
    assert_eq!(
        req.body().unwrap(),
        "phone_number_id=idn_2phone&strategy=phone_code"
    );
    assert_eq!(
        sign_in::prepare_second(Some(&si), Delivery::EmailCode, Target::default()),
        Err(precondition::FACTOR_NOT_FOUND)
    );
    assert_eq!(si.second_factor("totp", None).unwrap().strategy, "totp");
    let c = Client {
        sign_in: Some(si),
        ..Default::default()
    };
    let q = vec![("__clerk_status".to_string(), "verified".to_string())];
    assert_eq!(landing_outcome(&q, &c), Ok(LandingOutcome::ContinueHere));
}

#[test]
fn sign_in_email_link_poll_from_payloads() {
    let (si, _) = envelope::<SignIn>(fixture!("sign_in_email_link_pending.json"));
    let si = si.unwrap();
    let poll = PollResource::sign_in(&si);
    assert_eq!(poll.step(T), PollStep::Continue);
    assert_eq!(poll.step(T + 600_000), PollStep::Done(LinkOutcome::Expired));
    assert_eq!(
        poll.reload_request()
            .unwrap()
            .url("https://f.test", &[])
            .split('?')
            .next(),
        Some("https://f.test/v1/client/sign_ins/sia_2fix")
    );

    // client piggybacked in meta.client
    let (si, client) = envelope::<SignIn>(fixture!("sign_in_email_link_verified.json"));
    let (si, client) = (si.unwrap(), client.unwrap());
    assert_eq!(client.sign_in.as_ref().unwrap().id, "sia_2fix");
    assert_eq!(
        PollResource::sign_in(&si).step(T),
        PollStep::Done(LinkOutcome::Verified)
    );
    let v = si.first_factor_verification.as_ref().unwrap();
    assert!(!v.verified_from_client(&client.id));
    assert!(v.verified_from_client("client_other"));
    // verified on the other device, the session is not on this client
    assert_eq!(
        sign_in::finalize_sign_in(Some(&si), &client),
        Ok(Finalize::ReloadClientThenSetActive("sess_2fix".into()))
    );
}

#[test]
fn sign_up_flows_from_payloads() {
    let (su, _) = envelope::<SignUp>(fixture!("sign_up_code_sent.json"));
    let su = su.unwrap();
    let view = envelope::<SignUpView>(fixture!("sign_up_code_sent.json"))
        .0
        .unwrap();
    assert_eq!(
        (view.id.as_str(), &view.status),
        (su.id.as_str(), &su.status)
    );
    assert_eq!(su.status, SignUpStatus::MissingRequirements);
    assert_eq!(su.unverified_fields, ["email_address", "phone_number"]);
    let pv = su.verifications.phone_number.as_ref().unwrap();
    assert_eq!(
        (
            pv.next_action.as_deref(),
            pv.supported_strategies.as_slice()
        ),
        (Some("needs_attempt"), ["phone_code".to_string()].as_slice())
    );
    assert_eq!(
        crate::endpoints::sign_ups::attempt_verification(
            &su.id,
            crate::flow::code_form(strategy::PHONE_CODE, "123456")
        )
        .unwrap()
        .body()
        .unwrap(),
        "strategy=phone_code&code=123456"
    );
    assert_eq!(
        sign_up::finalize_sign_up(Some(&view), &Client::default()),
        Err(precondition::NO_CREATED_SESSION)
    );

    let (su, _) = envelope::<SignUp>(fixture!("sign_up_email_link_pending.json"));
    let su = su.unwrap();
    let view = envelope::<SignUpView>(fixture!("sign_up_email_link_pending.json"))
        .0
        .unwrap();
    assert_eq!(PollResource::SignUp(&view).step(T), PollStep::Continue);
    assert!(!su.password_set());

    let (su, client) = envelope::<SignUp>(fixture!("sign_up_email_link_verified.json"));
    let (su, client) = (su.unwrap(), client.unwrap());
    let view = envelope::<SignUpView>(fixture!("sign_up_email_link_verified.json"))
        .0
        .unwrap();
    assert_eq!(view.verifications, su.verifications);
    assert_eq!(
        PollResource::SignUp(&view).step(T),
        PollStep::Done(LinkOutcome::Verified)
    );
    assert!(su
        .verifications
        .email_address
        .as_ref()
        .unwrap()
        .verified_from_client(&client.id));
    assert_eq!(
        sign_up::finalize_sign_up(Some(&view), &client),
        Ok(Finalize::SetActive("sess_2fix".into()))
    );
    let q = vec![
        ("__clerk_status".to_string(), "verified".to_string()),
        (
            "__clerk_created_session".to_string(),
            "sess_2fix".to_string(),
        ),
    ];
    assert_eq!(
        landing_outcome(&q, &client),
        Ok(LandingOutcome::VerifiedSessionHere("sess_2fix".into()))
    );
    assert_eq!(
        landing_outcome(&q, &Client::default()),
        Ok(LandingOutcome::VerifiedOnOtherDevice)
    );

    let e = api_error(422, fixture!("error_sign_up_fields.json"), None);
    let f = FieldErrors::from_api(&e, FieldSet::SignUp);
    assert_eq!(
        f.field("emailAddress").unwrap().meta.email_addresses,
        ["new@example.test"]
    );
    assert_eq!(
        f.field("phoneNumber").unwrap().code,
        "form_param_format_invalid"
    );
    assert_eq!(
        f.global.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ["form_param_unknown", "captcha_invalid"]
    );
    assert_eq!(f.global[1].display_message(), "Captcha invalid");
    assert_eq!(
        e.message(),
        "That email address is taken. Please try another."
    );
    let js = serde_json::to_value(&f).unwrap();
    assert_eq!(
        js["fields"]["emailAddress"]["longMessage"],
        "That email address is taken. Please try another."
    );
    assert_eq!(
        js["fields"]["phoneNumber"]["meta"]["paramName"],
        "phone_number"
    );
    assert_eq!(js["raw"].as_array().unwrap().len(), 4);
}

#[test]
fn email_address_poll_stops_on_expired() {
    let (e, client) = envelope::<EmailAddress>(fixture!("email_address_expired.json"));
    let e = e.unwrap();
    assert_eq!(e.email_address, "new@example.test");
    assert_eq!(
        PollResource::EmailAddress(&e).step(0),
        PollStep::Done(LinkOutcome::Expired)
    );
    assert_eq!(client.unwrap().signed_in_sessions().count(), 1);
}

#[test]
fn bare_objects() {
    let token: Token = decode(fixture!("token.json"));
    assert_eq!(
        decode_claims::<V>(&token.jwt).unwrap().sid.as_deref(),
        Some("sess_2fix")
    );
    let db: DevBrowser = decode(fixture!("dev_browser.json"));
    assert_eq!(db.id, "dvb_2fixtureToken");

    let env: Environment = decode(fixture!("environment.json"));
    assert!(env.auth_config.single_session_mode);
    assert_eq!(env.display_config.application_name, "Fixture App");
    assert_eq!(env.display_config.instance_environment_type, "development");
    assert_eq!(
        env.display_config.after_sign_out_all_url,
        "https://example.test/bye"
    );
    let a = &env.user_settings.attributes;
    assert!(a.email_address.required && a.email_address.allows_first_factor("email_link"));
    assert!(
        a.phone_number.allows_first_factor("phone_code")
            && a.phone_number.allows_verification("phone_code")
    );
    assert_eq!(a.phone_number.channels, ["sms", "whatsapp"]);
    assert!(!a.username.enabled && !a.username.allows_first_factor("email_code"));
    assert!(env.first_factor_enabled("email_code"));
    assert!(!env.first_factor_enabled("password"));
    assert!(
        env.user_settings.sign_in.second_factor.enabled
            && !env.user_settings.sign_in.second_factor.required
    );
    assert_eq!(env.user_settings.sign_up.mode.as_deref(), Some("public"));
    assert!(env.email_link_requires_same_client());
}

#[test]
fn error_envelopes() {
    let e = api_error(429, fixture!("error_rate_limited.json"), Some("12"));
    assert!(e.is_rate_limited());
    assert_eq!(
        (e.code(), e.retry_after_secs, e.trace_id.clone()),
        ("too_many_requests", Some(12), None)
    );
    let err = ClerkError::from(e);
    assert_eq!(
        (err.status(), err.retry_after_secs()),
        (Some(429), Some(12))
    );

    let e = api_error(
        400,
        fixture!("error_identifier_signed_in.json"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    assert_eq!(e.retry_after_secs, None);
    assert_eq!(
        e.first().unwrap().meta.session_id.as_deref(),
        Some("sess_2fix")
    );
    assert_eq!(e.first().unwrap().meta.identifiers, ["bob@example.test"]);
    assert_eq!(e.message(), "You're already signed in. Sign out first.");
    let f = FieldErrors::from_api(&e, FieldSet::SignIn);
    assert_eq!(f.global.len(), 1);

    // a 502 HTML page: no JSON body
    let e = ApiError::without_body(502, None);
    assert_eq!(classify(502, false), ResponseClass::Error);
    assert_eq!(e.code(), "api_error");
    // ErrorBody is tolerant too
    let b: ErrorBody = decode(r#"{"errors":null,"clerk_trace_id":null,"extra":1}"#);
    assert!(b.errors.is_empty());
}

#[test]
fn tolerance_unknown_fields_nulls_and_statuses() {
    let (r, client) = envelope::<Client>(fixture!("client_tolerance.json"));
    assert!(r.is_none());
    let c = client.unwrap();
    let s = &c.sessions[0];
    assert_eq!(s.status, SessionStatus::Other("frozen".into()));
    assert_eq!(s.status.as_str(), "frozen");
    assert!(!s.status.is_signed_in());
    assert_eq!((s.expire_at, s.last_active_jwt()), (0, None));
    assert!(c.pick_active_session(Some("sess_2fix")).is_none());
    let si = c.sign_in.as_ref().unwrap();
    assert_eq!(si.status, SignInStatus::Other("needs_telepathy".into()));
    assert!(si.supported_first_factors.is_empty() && si.identifier.is_none() && si.abandon_at == 0);
    let v = si.first_factor_verification.as_ref().unwrap();
    assert_eq!(v.status, VerificationStatus::Other("quantum".into()));
    assert_eq!(v.error.as_ref().unwrap().long_message, "");
    assert_eq!(PollResource::sign_in(si).step(u64::MAX), PollStep::Continue);
    assert_eq!(
        sign_in::plan_send(Some(si), Delivery::EmailCode, Target::default()),
        Err(precondition::FACTOR_NOT_FOUND)
    );
    let su = c.sign_up.as_ref().unwrap();
    assert_eq!(su.status, SignUpStatus::Other(String::new()));
    assert!(su.verifications.email_address.is_none() && su.password_set());
    let view = SignUpView {
        status: su.status.clone(),
        verifications: su.verifications.clone(),
        ..Default::default()
    };
    assert_eq!(
        PollResource::SignUp(&view).step(u64::MAX),
        PollStep::Continue
    );
}

#[test]
fn pick_active_session_order() {
    let session = |id: &str, status: &str| Session {
        id: id.into(),
        status: SessionStatus::parse(status),
        ..Default::default()
    };
    let mut c = Client {
        sessions: vec![
            session("sess_a", "ended"),
            session("sess_b", "pending"),
            session("sess_c", "active"),
        ],
        last_active_session_id: Some("sess_c".into()),
        ..Default::default()
    };
    assert_eq!(c.pick_active_session(Some("sess_b")).unwrap().id, "sess_b");
    assert_eq!(c.pick_active_session(Some("sess_a")).unwrap().id, "sess_c");
    assert_eq!(c.pick_active_session(None).unwrap().id, "sess_c");
    c.last_active_session_id = Some("sess_a".into());
    assert_eq!(c.pick_active_session(None).unwrap().id, "sess_b");
    c.last_active_session_id = None;
    assert_eq!(
        c.pick_active_session(Some("sess_zzz")).unwrap().id,
        "sess_b"
    );
    assert_eq!(c.session("sess_a").unwrap().status, SessionStatus::Ended);
}

#[test]
fn models_serialize_camel_case_for_js() {
    let (si, _) = envelope::<SignIn>(fixture!("sign_in_complete.json"));
    let js = serde_json::to_value(si.unwrap()).unwrap();
    assert_eq!(js["createdSessionId"], "sess_2fix");
    assert_eq!(js["status"], "complete");
    assert_eq!(
        js["supportedFirstFactors"][0]["phoneNumberId"],
        "idn_2phone"
    );
    assert_eq!(js["firstFactorVerification"]["expireAt"], T + 600_000);
    assert!(js.get("created_session_id").is_none());
    let unknown = SessionStatus::parse("frozen");
    assert_eq!(serde_json::to_value(&unknown).unwrap(), "frozen");
}

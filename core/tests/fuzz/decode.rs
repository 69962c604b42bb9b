//! Every model's `Decode` (and its serde `Deserialize`) from arbitrary JSON —
//! FAPI-shaped or not — and what is computed from the decoded models: the
//! error envelope's `ApiError` and field routing, the client's sessions, the
//! sign-in's factors, the email-link poll steps, the flows' request builders.

use clerk_core::errors::{ClerkError, FieldErrors, FieldSet};
use clerk_core::flow::email_link::{
    sign_in_link_factor, wait_watches_second_factor, PollResource, PollStep,
};
use clerk_core::flow::sign_in::{self as si_flow, Delivery, Target};
use clerk_core::flow::sign_up as su_flow;
use clerk_core::flow::{require_session, resend_available_at_ms};
use clerk_core::model::decode::Decode;
use clerk_core::model::{
    Client, DevBrowser, EmailAddress, Environment, Factor, PhoneNumber, Session, Sessions, SignIn,
    SignUp, SignUpView, Token, User, Verification,
};
use clerk_core::response::{classify, ApiError, Envelope, ErrorBody};

use crate::gen::{self, text, T0};
use crate::harness::Rng;
use crate::value::J;

#[derive(Debug)]
pub struct DecodeInput {
    value: J,
    status: u16,
    retry_after: Option<String>,
    pick: String,
    now: u64,
}

pub fn input(r: &mut Rng) -> DecodeInput {
    let value = match r.below(16) {
        0 => gen::any(r, 4),
        1 => gen::deep(r),
        2 => gen::sign_in(r),
        3 => gen::sign_up(r),
        4 => gen::client(r, T0),
        5 => gen::session(r, T0),
        6 => gen::user(r),
        7 => gen::email_address(r),
        8 => gen::environment(r),
        9 => gen::error_body(r),
        10 => gen::verification(r),
        11 => gen::factor(r),
        12 => {
            let inner = gen::sign_in(r);
            gen::envelope(r, inner, T0)
        }
        13 => {
            let inner = gen::sign_up(r);
            gen::envelope(r, inner, T0)
        }
        14 => {
            let inner = gen::client(r, T0);
            gen::envelope(r, inner, T0)
        }
        _ => {
            let inner = gen::email_address(r);
            gen::envelope(r, inner, T0)
        }
    };
    DecodeInput {
        value,
        status: match r.below(4) {
            0 => r.u64() as u16,
            _ => *r.pick(&[200, 204, 400, 401, 403, 404, 422, 429, 500, 503]),
        },
        retry_after: r.bool().then(|| text(r)),
        pick: if r.bool() { gen::id(r, "idn") } else { text(r) },
        now: T0 + r.range(0, 2_000_000) - 1_000_000,
    }
}

/// Decodes as every model; twice (it is a pure function of the value).
fn all_models(v: &J) {
    let sv = v.to_serde();
    macro_rules! each {
        ($($t:ty),*) => {$(
            let a = <$t>::decode(v);
            assert_eq!(a, <$t>::decode(v));
            // The serde path (tests, serde-wasm-bindgen) must not panic either.
            let _ = <$t as serde::Deserialize>::deserialize(&sv);
        )*};
    }
    each!(
        SignIn,
        SignUp,
        Client,
        Session,
        User,
        EmailAddress,
        PhoneNumber,
        Verification,
        Environment,
        ErrorBody,
        Token,
        DevBrowser,
        Factor
    );
    let _ = Envelope::<SignIn>::decode(v).into_parts();
    let _ = Envelope::<SignUp>::decode(v).into_parts();
    let _ = Envelope::<Client>::decode(v).into_parts();
    let _ = Envelope::<EmailAddress>::decode(v).into_parts();
}

pub fn check(i: &DecodeInput) {
    let v = &i.value;
    all_models(v);
    if let Some(resp) = clerk_core::model::decode::Source::field(v, "response") {
        all_models(&resp);
    }

    // The error envelope.
    let body = ErrorBody::decode(v);
    let e = ApiError::from_body(i.status, body.clone(), i.retry_after.as_deref());
    assert_eq!(e.errors.len(), body.errors.len());
    assert!(!e.code().is_empty() && !e.message().is_empty());
    let _ = (
        e.is_unauthenticated(),
        e.is_dev_browser_unauthenticated(),
        e.is_rate_limited(),
    );
    let _ = classify(i.status, !body.errors.is_empty());
    let err = ClerkError::Api(e.clone());
    assert_eq!(err.code(), e.code());
    assert_eq!(err.status(), Some(i.status));
    for set in [FieldSet::SignIn, FieldSet::SignUp] {
        let f = FieldErrors::from_api(&e, set);
        assert_eq!(f.raw.len(), e.errors.len());
        assert_eq!(f.fields.len() + f.global.len(), e.errors.len());
        for (name, _) in &f.fields {
            assert!(set.names().contains(name));
        }
        let _ = FieldErrors::from_error(&err, set);
    }
    let _ = resend_available_at_ms(i.now, e.retry_after_secs, i.now);

    // The client and its sessions.
    let c = Client::decode(v);
    let active = c.pick_active_session(Some(&i.pick)).map(|s| s.id.clone());
    if let Some(a) = &active {
        assert!(c.has_signed_in_session(a));
    }
    assert_eq!(active.is_some(), c.signed_in_sessions().next().is_some());
    for s in &c.sessions {
        assert!(c.has_session(&s.id));
        let _ = s.last_active_jwt();
    }
    let _ = (c.sign_in_needs_second_factor(), c.sign_up_open());
    let _ = require_session(&c, &i.pick);

    // The sign-in: factors, sends, the link's factor, the poll.
    let si = SignIn::decode(v);
    for strategy in gen::STRATEGIES {
        for want in [None, Some(i.pick.as_str()), si.identifier.as_deref()] {
            if let Some(f) = si.first_factor(strategy, want) {
                assert_eq!(f.strategy, *strategy);
            }
            if let Some(f) = si.second_factor(strategy, want) {
                assert_eq!(f.strategy, *strategy);
            }
        }
    }
    let deliveries = [
        Delivery::PhoneCode {
            channel: Some("sms"),
        },
        Delivery::PhoneCode { channel: None },
        Delivery::EmailCode,
        Delivery::EmailLink {
            redirect_url: "https://a.test/v",
        },
    ];
    let targets = [
        Target::default(),
        Target {
            identifier: Some(&i.pick),
            identifier_id: None,
        },
        Target {
            identifier: None,
            identifier_id: Some(&i.pick),
        },
        Target {
            identifier: si.identifier.as_deref(),
            identifier_id: Some(&i.pick),
        },
    ];
    for d in deliveries {
        for t in targets {
            let _ = si_flow::plan_send(Some(&si), d, t);
            let _ = si_flow::plan_send(None, d, t);
            let _ = si_flow::prepare(&si, d, t);
            let _ = si_flow::prepare_second(Some(&si), d, t);
        }
    }
    let _ = si_flow::prepare_email_link(Some(&si), &i.pick, "https://a.test");
    let _ = si_flow::finalize_sign_in(Some(&si), &c);
    let _ = si_flow::require_id(Some(&si));
    for requested in [None, Some(i.pick.as_str())] {
        if let Ok(id) = sign_in_link_factor(&si, requested) {
            assert!(!id.is_empty());
        }
    }
    let _ = wait_watches_second_factor(&si);
    let su = SignUp::decode(v);
    let su_view = SignUpView::decode(v);
    assert_eq!((&su_view.id, &su_view.status), (&su.id, &su.status));
    let email = EmailAddress::decode(v);
    for r in [
        PollResource::sign_in(&si),
        PollResource::SignIn {
            sign_in: &si,
            second_factor: true,
        },
        PollResource::SignUp(&su_view),
        PollResource::EmailAddress(&email),
    ] {
        let step = r.step(i.now);
        if step == PollStep::Continue {
            assert!(r.outcome().is_none());
        }
        let _ = r.reload_request();
    }

    // The sign-up's finalize.
    let _ = su_flow::finalize_sign_up(Some(&su_view), &c);
    let _ = (su.created_session(), su.password_set());

    // The environment and the user.
    let env = Environment::decode(v);
    for s in gen::STRATEGIES {
        let _ = env.first_factor_enabled(s);
    }
    let _ = env.email_link_requires_same_client();
    let u = User::decode(v);
    let _ = (
        u.primary_email_address(),
        u.primary_phone_number(),
        u.email_address(&i.pick),
    );
}

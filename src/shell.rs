//! The npm package's headless build (cargo feature `js-shell`): the pure core
//! as a handful of synchronous exports for the JS shell in
//! `pkg-template/index.js`. The shell does the I/O (fetch, timers,
//! BroadcastChannel, cookies) and keeps the state; the core parses the key,
//! builds every request (paths, query, form encoding, which factor, whether a
//! sign-in must be created first), turns error envelopes into
//! `ClerkAPIResponseError`, and decides when an email-link wait is over.
//!
//! Why a JS shell: the async engine of [`crate::clerk`] behind a `#[wasm_bindgen]`
//! facade shipped 105 KB gzip; the core alone under a JS shell fits the 45 KB
//! budget (see README, "Two builds, one core"). Rust front-ends keep the typed async API.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::endpoints::{
    client, dev_browser_create, environment, me, sessions, sign_ins, sign_ups, wants_session_id,
};
use crate::core::errors::{precondition, ClerkError};
use crate::core::flow::email_link::{absolute_redirect_url, sign_in_link_factor};
use crate::core::flow::email_link::{PollResource, PollStep};
use crate::core::flow::sign_in::{self as sign_in_flow, Delivery, SendPlan, Target};
use crate::core::flow::sign_up as sign_up_flow;
use crate::core::key::{fapi_base_url, PublishableKey};
use crate::core::model::{strategy, EmailAddress, SignIn, SignUp};
use crate::core::request::{Form, Request};
use crate::core::response::{ApiError, ErrorBody};
use crate::json::{decode, to_form};

use crate::error_classes::{__apiError, __runtimeError};

fn runtime_error(e: &ClerkError) -> JsValue {
    __runtimeError(e.message(), e.code())
}

/// The string argument `key` of a JS parameter object.
fn arg(args: &JsValue, key: &str) -> Option<String> {
    Reflect::get(args, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// `{ base, development, fapi }` for a publishable key and an optional proxy URL
/// (relative proxy URLs are resolved by the shell against the page first).
#[wasm_bindgen(js_name = coreKey)]
pub fn core_key(publishable_key: &str, proxy_url: Option<String>) -> Result<JsValue, JsValue> {
    let key_error = |e: crate::core::key::KeyError| __runtimeError(e.message(), e.code());
    let key = PublishableKey::parse(publishable_key).map_err(key_error)?;
    let base = fapi_base_url(&key, proxy_url.as_deref(), None).map_err(key_error)?;
    let out = Object::new();
    for (k, v) in [
        ("base", JsValue::from(base)),
        ("development", key.is_development().into()),
        ("fapi", key.frontend_api.as_str().into()),
    ] {
        let _ = Reflect::set(&out, &k.into(), &v);
    }
    Ok(out.into())
}

/// `signIn.{phone,email}Code.sendCode`: the create (when the sign-in is missing or
/// for another identifier; `then` is set) or the prepare.
fn send_code(
    op: &str,
    args: &JsValue,
    current: &JsValue,
    then: &mut bool,
) -> Result<Request, ClerkError> {
    let sign_in: Option<SignIn> = decode(current).ok();
    let delivery = match arg(args, "strategy").as_deref() {
        Some(strategy::PHONE_CODE) => Delivery::PhoneCode {
            channel: Some("sms"),
        },
        _ => Delivery::EmailCode,
    };
    let (identifier, identifier_id) = (arg(args, "identifier"), arg(args, "identifierId"));
    let target = Target {
        identifier: identifier.as_deref(),
        identifier_id: identifier_id.as_deref(),
    };
    if op == "signIn.sendCodePrepare" {
        let created = sign_in.ok_or(precondition::SIGN_IN_MISSING)?;
        return sign_in_flow::prepare(&created, delivery, target);
    }
    match sign_in_flow::plan_send(sign_in.as_ref(), delivery, target)? {
        SendPlan::Prepare(r) => Ok(r),
        SendPlan::CreateThenPrepare(r) => {
            *then = true;
            Ok(r)
        }
    }
}

/// The prepare of an email link (`redirectUrl` made absolute against `pageOrigin`).
fn prepare_link(
    op: &str,
    id: &str,
    args: &JsValue,
    current: &JsValue,
) -> Result<Request, ClerkError> {
    let url = absolute_redirect_url(
        &arg(args, "redirectUrl").unwrap_or_default(),
        arg(args, "pageOrigin").as_deref(),
    )?;
    match op {
        "signUp.prepareLink" => sign_up_flow::send_email_link(decode(current).ok().as_ref(), &url),
        "signIn.prepareLink" => {
            let sign_in: SignIn = decode(current).map_err(|_| precondition::SIGN_IN_MISSING)?;
            let factor = sign_in_link_factor(&sign_in, arg(args, "emailAddressId").as_deref())?;
            sign_in_flow::prepare_email_link(Some(&sign_in), factor, &url)
        }
        _ => me::prepare_email_address_verification(
            id,
            Form::new()
                .set("strategy", strategy::EMAIL_LINK)
                .set("redirect_url", url.as_str()),
        ),
    }
}

/// The request of operation `op`, built by the core.
fn request(
    op: &str,
    id: &str,
    args: &JsValue,
    current: &JsValue,
    then: &mut bool,
) -> Result<Request, ClerkError> {
    let code = || arg(args, "code").unwrap_or_default();
    let strategy = || arg(args, "strategy").unwrap_or_default();
    let sign_in = || decode::<SignIn>(current).ok();
    let sign_up = || decode::<SignUp>(current).ok();
    // A call on an attempt that does not exist yet fails as the Rust API's do.
    let sign_in_id = || {
        Some(id)
            .filter(|i| !i.is_empty())
            .ok_or(precondition::SIGN_IN_MISSING)
    };
    let sign_up_id = || {
        Some(id)
            .filter(|i| !i.is_empty())
            .ok_or(precondition::SIGN_UP_MISSING)
    };
    match op {
        "env" => Ok(environment::get()),
        "env.touch" => Ok(environment::touch()),
        "client" => Ok(client::get()),
        "dev_browser" => Ok(dev_browser_create()),
        "signOut" => Ok(client::delete_sessions()),
        "touch" => sessions::touch(id, None, "select_session"),
        "token" => sessions::token(
            id,
            None,
            Form::new(),
            Reflect::get(args, &"skipCache".into()).is_ok_and(|v| v.is_truthy()),
        ),
        "tokenTemplate" => sessions::template_token(id, &arg(args, "template").unwrap_or_default()),
        "remove" => sessions::remove(id),
        "signIn.create" => Ok(sign_ins::create(to_form(args))),
        "signIn.prepareFirst" => sign_ins::prepare_first_factor(sign_in_id()?, to_form(args)),
        "signIn.attemptFirst" => sign_ins::attempt_first_factor(sign_in_id()?, to_form(args)),
        "signIn.prepareSecond" => sign_ins::prepare_second_factor(sign_in_id()?, to_form(args)),
        "signIn.attemptSecond" => sign_ins::attempt_second_factor(sign_in_id()?, to_form(args)),
        "signIn.reload" => sign_ins::get(sign_in_id()?),
        "signIn.sendCode" | "signIn.sendCodePrepare" => send_code(op, args, current, then),
        "signIn.verifyCode" => sign_in_flow::attempt(sign_in().as_ref(), &strategy(), &code()),
        "signIn.mfaSend" => {
            let delivery = if strategy() == strategy::PHONE_CODE {
                Delivery::PhoneCode { channel: None }
            } else {
                Delivery::EmailCode
            };
            sign_in_flow::prepare_second(sign_in().as_ref(), delivery, Target::default())
        }
        "signIn.mfaVerify" => {
            sign_in_flow::attempt_second(sign_in().as_ref(), &strategy(), &code())
        }
        "signUp.create" => Ok(sign_ups::create(to_form(args))),
        "signUp.update" => sign_ups::update(sign_up_id()?, to_form(args)),
        "signUp.prepare" => sign_ups::prepare_verification(sign_up_id()?, to_form(args)),
        "signUp.attempt" => sign_ups::attempt_verification(sign_up_id()?, to_form(args)),
        "signUp.reload" => sign_ups::get(sign_up_id()?),
        "signUp.sendPhoneCode" => {
            let channel = arg(args, "channel");
            sign_up_flow::send_phone_code(
                sign_up().as_ref(),
                Some(channel.as_deref().unwrap_or("sms")),
            )
        }
        "signUp.verifyPhoneCode" => sign_up_flow::verify_phone_code(sign_up().as_ref(), &code()),
        "signUp.sendEmailCode" => sign_up_flow::send_email_code(sign_up().as_ref()),
        "signUp.verifyEmailCode" => sign_up_flow::verify_email_code(sign_up().as_ref(), &code()),
        "signIn.prepareLink" | "signUp.prepareLink" | "emailAddress.prepareLink" => {
            prepare_link(op, id, args, current)
        }
        "me.createEmail" => Ok(me::create_email_address(
            &arg(args, "emailAddress").unwrap_or_default(),
        )),
        "me.prepareEmail" => me::prepare_email_address_verification(id, to_form(args)),
        "me.attemptEmail" => me::attempt_email_address_verification(id, &code()),
        "emailAddress.reload" => me::get_email_address(id),
        _ => Err(precondition::INVALID_ID),
    }
}

/// `[method, url, body, then]` for operation `op` on resource `id`: the core
/// builds the request from `args` (camelCase → snake_case form fields) and the
/// current resource's JSON; `extra` query pairs (the dev-browser JWT),
/// `_clerk_session_id` where ClerkJS sends it, `locale` on creates. `then`:
/// a sign-in was created first and `signIn.sendCodePrepare` comes next.
#[wasm_bindgen(js_name = coreRequest)]
#[allow(clippy::too_many_arguments)]
pub fn core_request(
    op: &str,
    id: &str,
    args: JsValue,
    current: JsValue,
    base: &str,
    extra: Array,
    session_id: Option<String>,
    locale: Option<String>,
) -> Result<Array, JsValue> {
    let mut then = false;
    let mut req = request(op, id, &args, &current, &mut then).map_err(|e| runtime_error(&e))?;
    let create = req.path == "/client/sign_ins" || req.path == "/client/sign_ups";
    if let Some(l) = locale.filter(|_| create && !req.form.iter().any(|(k, _)| k == "locale")) {
        req.form.push(("locale".into(), l));
    }
    let pairs: Vec<(String, String)> = extra
        .iter()
        .filter_map(|p| {
            let p: Array = p.dyn_into().ok()?;
            Some((p.get(0).as_string()?, p.get(1).as_string()?))
        })
        .collect();
    let mut query: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    if let Some(s) = session_id
        .as_deref()
        .filter(|_| wants_session_id(&req.path))
    {
        query.push(("_clerk_session_id", s));
    }
    let out = Array::new();
    out.push(&req.wire_method().into());
    out.push(&req.url(base, &query).into());
    out.push(&req.body().map_or(JsValue::NULL, JsValue::from));
    out.push(&then.into());
    Ok(out)
}

/// The body of a 2xx answer; for an error answer, throws its
/// `ClerkAPIResponseError` (`status`, `errors`, `retryAfter`, `clerkTraceId`).
#[wasm_bindgen(js_name = coreCheck)]
pub fn core_check(
    status: u16,
    body: JsValue,
    retry_after: Option<String>,
) -> Result<JsValue, JsValue> {
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let e = match decode::<ErrorBody>(&body) {
        Ok(b) if !b.errors.is_empty() => ApiError::from_body(status, b, retry_after.as_deref()),
        _ => ApiError::without_body(status, retry_after.as_deref()),
    };
    // The entries go to JS as received; errors.js gives them ClerkJS's shape.
    let raw = Reflect::get(&body, &"errors".into()).unwrap_or(JsValue::NULL);
    Err(__apiError(
        e.message(),
        e.status,
        raw,
        e.retry_after_secs,
        e.trace_id.clone(),
        e.code(),
    ))
}

/// An email-link wait's next step for the sign-in (`kind` 0), sign-up (1) or
/// email address (2) as it is now: `undefined` to keep polling, else
/// `verified`, `expired` or `transferable` (the status rule and the wall-clock
/// deadline of the verification).
#[wasm_bindgen(js_name = corePoll)]
pub fn core_poll(kind: u8, resource: JsValue, now_ms: f64) -> Option<String> {
    let (sign_in, sign_up, email): (SignIn, SignUp, EmailAddress);
    let watched = match kind {
        0 => {
            sign_in = decode(&resource).ok()?;
            PollResource::sign_in(&sign_in)
        }
        1 => {
            sign_up = decode(&resource).ok()?;
            PollResource::SignUp(&sign_up)
        }
        _ => {
            email = decode(&resource).ok()?;
            PollResource::EmailAddress(&email)
        }
    };
    match watched.step(now_ms as u64) {
        PollStep::Done(outcome) => Some(outcome.as_str().into()),
        PollStep::Continue => None,
    }
}

/// Whether this page writes `__client_uat` (development instances, on a page
/// outside the FAPI host).
#[wasm_bindgen(js_name = coreWritesClientUat)]
pub fn core_writes_client_uat(development: bool, fapi: &str, page_host: &str) -> bool {
    crate::core::cookies::writes_client_uat(development, fapi, page_host)
}

/// The candidate domains of the eTLD+1 probe for `hostname`, most specific last.
#[wasm_bindgen(js_name = coreDomains)]
pub fn core_domains(hostname: &str) -> Array {
    crate::core::cookies::domain_candidates(hostname)
        .into_iter()
        .map(JsValue::from)
        .collect()
}

/// The SDK's version (the crate version).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

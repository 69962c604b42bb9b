//! Prototype: the pure core as synchronous exports for a JS shell (the JS does
//! fetch, timers and state; Rust builds requests, decodes envelopes and errors,
//! and makes the flow decisions).
#![allow(missing_docs)]

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::endpoints::{client, dev_browser_create, environment, sessions, sign_ins, sign_ups};
use crate::core::errors::ClerkError;
use crate::core::key::{fapi_base_url, PublishableKey};
use crate::core::flow::sign_in::{self as sign_in_flow, Delivery, SendPlan, Target};
use crate::core::flow::Finalize;
use crate::core::model::{Client, SignIn, SignUp};
use crate::core::request::{snake_case, Form, FormValue, Request};
use crate::core::response::{ApiError, ErrorBody};

#[wasm_bindgen(module = "/src/jscore_js/errors.js")]
extern "C" {
    fn __apiError(
        message: &str,
        status: u16,
        errors: JsValue,
        retry_after: Option<u32>,
        trace_id: Option<String>,
        code: &str,
    ) -> JsValue;
    fn __runtimeError(message: &str, code: &str) -> JsValue;
}

fn err(e: &ClerkError) -> JsValue {
    __runtimeError(e.message(), e.code())
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

fn to_form(params: &JsValue) -> Form {
    let mut form = Form::new();
    if !params.is_object() {
        return form;
    }
    for entry in Object::entries(params.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let Some(key) = pair.get(0).as_string() else { continue };
        let v = pair.get(1);
        let fv = if v.is_null() {
            FormValue::Null
        } else if let Some(b) = v.as_bool() {
            FormValue::Bool(b)
        } else if let Some(s) = v.as_string() {
            FormValue::Str(s)
        } else {
            continue;
        };
        form.push(&snake_case(&key), fv);
    }
    form
}

/// `{ base, dev }` for a publishable key (and optional proxy URL).
#[wasm_bindgen(js_name = coreKey)]
pub fn core_key(pk: &str, proxy: Option<String>) -> Result<JsValue, JsValue> {
    let k = PublishableKey::parse(pk).map_err(|e| __runtimeError(e.message(), e.code()))?;
    let base = fapi_base_url(&k, proxy.as_deref(), None).map_err(|e| __runtimeError(e.message(), e.code()))?;
    let o = Object::new();
    set(&o, "base", &base.into());
    set(&o, "dev", &k.uses_dev_browser().into());
    set(&o, "development", &k.is_development().into());
    set(&o, "fapi", &k.frontend_api.as_str().into());
    Ok(o.into())
}

/// `[method, url, body]` for operation `op` on resource `id` with `args`.
#[wasm_bindgen(js_name = coreRequest)]
pub fn core_request(
    op: &str,
    id: &str,
    args: JsValue,
    current: JsValue,
    base: &str,
    extra: Array,
    sid: Option<String>,
    locale: Option<String>,
) -> Result<Array, JsValue> {
    let f = to_form(&args);
    let s = |k: &str| Reflect::get(&args, &k.into()).ok().and_then(|v| v.as_string());
    let mut then = false;
    let r: Result<Request, ClerkError> = match op {
        "signIn.sendCode" | "signIn.sendCodePrepare" => (|| {
            let si: Option<SignIn> = if current.is_object() { crate::json::decode(&current).ok() } else { None };
            let phone = s("strategy").as_deref() == Some("phone_code");
            let delivery = if phone { Delivery::PhoneCode { channel: Some("sms") } } else { Delivery::EmailCode };
            let (ident, ident_id) = (s("identifier"), s("identifierId"));
            let target = Target { identifier: ident.as_deref(), identifier_id: ident_id.as_deref() };
            if op == "signIn.sendCodePrepare" {
                return sign_in_flow::prepare(si.as_ref().ok_or(ClerkError::decode_failed())?, delivery, target);
            }
            match sign_in_flow::plan_send(si.as_ref(), delivery, target)? {
                SendPlan::Prepare(r) => Ok(r),
                SendPlan::CreateThenPrepare(r) => {
                    then = true;
                    Ok(r)
                }
            }
        })(),
        "signIn.verifyCode" => {
            let si: Option<SignIn> = crate::json::decode(&current).ok();
            sign_in_flow::attempt(si.as_ref(), &s("strategy").unwrap_or_default(), &s("code").unwrap_or_default())
        }
        "signUp.sendPhoneCode" => {
            let su: Option<SignUp> = crate::json::decode(&current).ok();
            crate::core::flow::sign_up::send_phone_code(su.as_ref(), Some("sms"))
        }
        "signUp.verifyPhoneCode" => {
            let su: Option<SignUp> = crate::json::decode(&current).ok();
            crate::core::flow::sign_up::verify_phone_code(su.as_ref(), &s("code").unwrap_or_default())
        }
        "env" => Ok(environment::get()),
        "env.touch" => Ok(environment::touch()),
        "client" => Ok(client::get()),
        "dev_browser" => Ok(dev_browser_create()),
        "signOut" => Ok(client::delete_sessions()),
        "signUp.create" => Ok(sign_ups::create(f)),
        "signUp.prepare" => sign_ups::prepare_verification(id, f),
        "signUp.attempt" => sign_ups::attempt_verification(id, f),
        "signIn.create" => Ok(sign_ins::create(f)),
        "signIn.prepareFirst" => sign_ins::prepare_first_factor(id, f),
        "signIn.attemptFirst" => sign_ins::attempt_first_factor(id, f),
        "touch" => sessions::touch(id, None, "select_session"),
        "token" => sessions::token(
            id,
            None,
            Form::new(),
            Reflect::get(&args, &"skipCache".into()).is_ok_and(|v| v.is_truthy()),
        ),
        "remove" => sessions::remove(id),
        _ => Err(ClerkError::decode_failed()),
    };
    let mut r = r.map_err(|e| err(&e))?;
    // ClerkJS sends the browser's language on every create (`locale`).
    if let Some(l) = locale.filter(|_| {
        r.wire_method() == "POST" && (r.path == "/client/sign_ins" || r.path == "/client/sign_ups") && !r.form.iter().any(|(k, _)| k == "locale")
    }) {
        r.form.push(("locale".into(), l));
    }
    let pairs: Vec<(String, String)> = extra
        .iter()
        .filter_map(|p| {
            let p: Array = p.dyn_into().ok()?;
            Some((p.get(0).as_string()?, p.get(1).as_string()?))
        })
        .collect();
    let mut refs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let sid = sid.filter(|_| crate::core::endpoints::wants_session_id(&r.path));
    if let Some(s) = sid.as_deref() {
        refs.push(("_clerk_session_id", s));
    }
    let out = Array::new();
    out.push(&r.wire_method().into());
    out.push(&r.url(base, &refs).into());
    out.push(&r.body().map_or(JsValue::NULL, JsValue::from));
    out.push(&then.into());
    Ok(out)
}

/// The body of a 2xx answer, or throws the `ClerkAPIResponseError` of an error answer.
#[wasm_bindgen(js_name = coreCheck)]
pub fn core_check(status: u16, body: JsValue, retry_after: Option<String>) -> Result<JsValue, JsValue> {
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let e = match crate::json::decode::<ErrorBody>(&body) {
        Ok(b) if !b.errors.is_empty() => ApiError::from_body(status, b, retry_after.as_deref()),
        _ => ApiError::without_body(status, retry_after.as_deref()),
    };
    // The entries go to JS as received (snake_case); errors.js gives them ClerkJS's shape.
    let raw = Reflect::get(&body, &"errors".into()).unwrap_or(JsValue::NULL);
    Err(__apiError(e.message(), e.status, raw, e.retry_after_secs, e.trace_id.clone(), e.code()))
}



/// `true` when `finalize()` must reload the client before activating
/// `created_session_id` (it is not on the client yet); throws without one.
#[wasm_bindgen(js_name = coreFinalizeReload)]
pub fn core_finalize_reload(created_session_id: Option<String>, on_client: bool) -> Result<bool, JsValue> {
    let mut client = Client::default();
    if let (true, Some(id)) = (on_client, created_session_id.as_deref()) {
        client.sessions.push(crate::core::model::Session { id: id.into(), ..Default::default() });
    }
    match crate::core::flow::finalize(created_session_id.as_deref(), &client).map_err(|e| err(&e))? {
        Finalize::SetActive(_) => Ok(false),
        Finalize::ReloadClientThenSetActive(_) => Ok(true),
    }
}

/// The SDK version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

/// The `document.cookie` assignment (see `core::cookies::cookie_string`).
#[wasm_bindgen(js_name = coreCookie)]
pub fn core_cookie(name: &str, suffix: Option<String>, value: &str, strict: bool, secure: bool, domain: Option<String>) -> String {
    crate::core::cookies::cookie_string(name, suffix.as_deref(), value, strict, secure, domain.as_deref())
}

/// `__client_uat`'s value, and whether this page writes it (`null` when not).
#[wasm_bindgen(js_name = coreClientUat)]
pub fn core_client_uat(development: bool, fapi: &str, page_host: &str, updated_at: f64, signed_in: bool) -> Option<String> {
    crate::core::cookies::writes_client_uat(development, fapi, page_host)
        .then(|| crate::core::cookies::client_uat(updated_at as u64, signed_in))
}

/// The eTLD+1 probe's candidate domains for `hostname`.
#[wasm_bindgen(js_name = coreDomains)]
pub fn core_domains(hostname: &str) -> Array {
    crate::core::cookies::domain_candidates(hostname).into_iter().map(JsValue::from).collect()
}

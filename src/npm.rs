//! The npm package's boundary (cargo feature `npm`): a handful of exports
//! over the driver, for the JS skin in `pkg-template/index.js`, which keeps
//! only ClerkJS's object shapes. The skin:
//!
//! - makes an instance with [`create`], handing over `sync`, which receives
//!   every new state snapshot and returns the listeners' argument
//!   (`{ client, session, user }`);
//! - runs every method through [`call`]: an [`Op`] by number (its `ops.js`
//!   table is generated from [`Op::NAMES`] by `core/examples/ops_js.rs`, so
//!   the names are spelled once, in the core), its parameter object, an
//!   optional target, whether the newer API tracks it, and an optional
//!   `AbortSignal`, and the `resolve` / `reject` of the skin's promise for
//!   the call, which settles once, with the engine's result or one of the
//!   package's `Error` subclasses;
//! - registers listeners with [`listen`] / [`unlisten`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use crate::core::engine::{Attempt, Call, Engine, Op};
use crate::core::errors::{precondition, ClerkError};
use crate::core::flow::email_link::link_verification;
use crate::core::list::{filter_map, remove_where};
use crate::core::request::Form;
use crate::core::url::parse_query;
use crate::driver::Driver;
use crate::interop::{error, field_errors, get, object, output, set, Js};

/// One `new Clerk()` of the page.
struct Instance {
    driver: Rc<Driver>,
    sync: Function,
    listeners: RefCell<Vec<(u32, Function)>>,
    next: Cell<u32>,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Option<Rc<Instance>>>> = const { RefCell::new(Vec::new()) };
}

/// Instance `inst`, if alive. The table is borrowed only to clone the `Rc`:
/// whatever runs next (listeners that call the SDK) finds it free.
fn instance(inst: u32) -> Option<Rc<Instance>> {
    INSTANCES
        .try_with(|all| all.try_borrow().ok()?.get(inst as usize)?.clone())
        .ok()
        .flatten()
}

/// The driver of instance `inst` (for the forms).
pub(crate) fn driver(inst: u32) -> Option<Rc<Driver>> {
    instance(inst).map(|i| i.driver.clone())
}

/// Makes an instance for `publishable_key` with ClerkJS's `options`
/// (`proxyUrl`, `workerTimers`). Throws `ClerkRuntimeError`
/// (`invalid_publishable_key`, also for a key that is not a string;
/// `invalid_proxy_url`).
#[wasm_bindgen]
pub fn create(publishable_key: JsValue, options: JsValue, sync: Function) -> Result<u32, JsValue> {
    let publishable_key = publishable_key.as_string().unwrap_or_default();
    let proxy = get(&options, "proxyUrl").as_string();
    let worker = get(&options, "workerTimers").is_truthy();
    let driver = Driver::new(&publishable_key, proxy, worker).map_err(|e| error(&e))?;
    let id = INSTANCES.with(|all| {
        let mut all = all.borrow_mut();
        all.push(None);
        (all.len() - 1) as u32
    });
    driver.add_listener(Rc::new(move || notify(id)));
    INSTANCES.with(|all| {
        all.borrow_mut()[id as usize] = Some(Rc::new(Instance {
            driver,
            sync,
            listeners: RefCell::new(Vec::new()),
            next: Cell::new(0),
        }))
    });
    sync_state(id);
    Ok(id)
}

/// Forgets instance `inst` (its `Clerk` was garbage-collected): its requests
/// are aborted and nothing more is delivered.
#[wasm_bindgen]
pub fn dispose(inst: u32) {
    let gone = INSTANCES.with(|all| {
        all.borrow_mut()
            .get_mut(inst as usize)
            .and_then(Option::take)
    });
    drop(gone);
}

/// Runs operation `op` of instance `inst`; see the module docs. Its outcome
/// goes to `resolve` or `reject` (the skin's `new Promise`), exactly once.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn call(
    inst: u32,
    op: Option<u32>,
    params: JsValue,
    target: Option<String>,
    tracked: bool,
    signal: JsValue,
    resolve: Function,
    reject: Function,
) {
    let Some(driver) = driver(inst) else {
        let _ = reject.call1(&JsValue::NULL, &error(&precondition::INVALID_ID));
        return;
    };
    let Some(op) = op.and_then(Op::from_index) else {
        let _ = reject.call1(&JsValue::NULL, &error(&precondition::INVALID_OPERATION));
        return;
    };
    // The landing page reads the page's own query.
    let target = match op {
        Op::HandleEmailLink => Some(crate::page::query()),
        _ => target,
    };
    let call = Call {
        op,
        form: Form::from_source(&Js(params)),
        target,
        tracked,
    };
    let reply = Box::new(move |r: Result<_, ClerkError>| {
        let _ = match r {
            Ok(o) => resolve.call1(&JsValue::NULL, &output(o)),
            Err(e) => reject.call1(&JsValue::NULL, &error(&e)),
        };
    });
    driver.call(call, signal.dyn_into().ok(), reply);
}

/// ClerkJS's `buildSignInUrl(props)` (`which` 0), `buildSignUpUrl` (1),
/// `buildUserProfileUrl` (2), `buildAfterSignInUrl` (3), `buildAfterSignUpUrl`
/// (4) — and, with `go`, the `redirectTo…` that navigates there. `props`:
/// `redirectUrl`, `signInForceRedirectUrl`, `signInFallbackRedirectUrl`, … .
#[wasm_bindgen]
pub fn url(inst: u32, which: u8, props: JsValue, go: bool) -> String {
    use crate::core::engine::{Hosted, Options};
    let Some(d) = driver(inst) else {
        return String::new();
    };
    let which = match which {
        0 => Hosted::SignIn,
        1 => Hosted::SignUp,
        2 => Hosted::UserProfile,
        3 => Hosted::AfterSignIn,
        _ => Hosted::AfterSignUp,
    };
    let props = Options::from_form(&Form::from_source(&Js(props))).redirects;
    let url = d.url_for(which, &props);
    if go && !url.is_empty() {
        crate::page::navigate(&url);
    }
    url
}

/// Calls `listener` with `{ client, session, user }` after every change
/// (and now, once loaded, as ClerkJS does); returns its id. Throws
/// `ClerkRuntimeError` (`invalid_listener`) for a listener that is not a
/// function, before anything could call it.
#[wasm_bindgen]
pub fn listen(inst: u32, listener: JsValue) -> Result<u32, JsValue> {
    let listener: Function = listener
        .dyn_into()
        .map_err(|_| error(&precondition::INVALID_LISTENER))?;
    let Some(i) = instance(inst) else {
        return Ok(0);
    };
    let id = i.next.get() + 1;
    i.next.set(id);
    i.listeners.borrow_mut().push((id, listener.clone()));
    if i.driver.engine().notify_new_listener() {
        if let Some(args) = sync_state(inst) {
            call_listener(&listener, &args);
        }
    }
    Ok(id)
}

/// Removes listener `id` (unknown ids are ignored).
#[wasm_bindgen]
pub fn unlisten(inst: u32, id: u32) {
    if let Some(i) = instance(inst) {
        remove_where(&mut i.listeners.borrow_mut(), |(l, _)| *l == id);
    }
}

/// `emailLink.verification` / `emailLinkVerification`: the page's link
/// parameters (`{ status, createdSessionId, verifiedFromTheSameClient }`), or null.
#[wasm_bindgen(js_name = linkVerification)]
pub fn page_link_verification(inst: u32) -> JsValue {
    let Some(d) = driver(inst) else {
        return JsValue::NULL;
    };
    let engine = d.engine();
    match link_verification(
        &parse_query(&crate::page::query()),
        &engine.state().client_view,
    ) {
        Some(v) => object(&[
            ("status", v.status.into()),
            ("createdSessionId", v.created_session_id.into()),
            (
                "verifiedFromTheSameClient",
                v.verified_from_the_same_client.into(),
            ),
        ]),
        None => JsValue::NULL,
    }
}

/// What instance `inst` keeps alive, for leak checks (tests, the memory bench):
/// `[calls, requests, tokenFetches, timers, fetches, replies, signals, listeners, tabListeners]`;
/// idle and unmounted, all are 0 but the state listeners (the skin's own, and the forms').
#[wasm_bindgen(js_name = __live)]
pub fn live(inst: u32) -> Array {
    let counts = driver(inst).map(|d| d.live()).unwrap_or_default();
    counts.iter().map(|n| JsValue::from(*n as u32)).collect()
}

/// The state changed: the skin gets the snapshot, then every listener its
/// argument; a listener that throws is reported, never fails the SDK.
fn notify(inst: u32) {
    let Some(args) = sync_state(inst) else { return };
    let Some(i) = instance(inst) else { return };
    let listeners = filter_map(&i.listeners.borrow(), |(_, f)| Some(f.clone()));
    for f in listeners {
        call_listener(&f, &args);
    }
}

fn call_listener(f: &Function, args: &JsValue) {
    if let Err(e) = f.call1(&JsValue::NULL, args) {
        let global: JsValue = js_sys::global().into();
        let report = get(&global, "reportError");
        match report.dyn_ref::<Function>() {
            Some(r) => drop(r.call1(&global, &e)),
            None => drop(
                get(&get(&global, "console"), "error")
                    .dyn_ref::<Function>()
                    .map(|c| c.call1(&global, &e)),
            ),
        }
    }
}

/// Hands the skin a snapshot; returns what it returns (the listeners' argument).
fn sync_state(inst: u32) -> Option<JsValue> {
    let i = instance(inst)?;
    let snapshot = snapshot(&i.driver.engine());
    i.sync.call1(&JsValue::NULL, &snapshot).ok()
}

fn json(v: &Option<Js>) -> JsValue {
    v.as_ref().map_or(JsValue::NULL, |v| v.0.clone())
}

fn raw<T>(r: &Option<crate::core::engine::Raw<T, Js>>) -> JsValue {
    r.as_ref().map_or(JsValue::NULL, |r| r.json.0.clone())
}

/// The state in the skin's terms: raw FAPI JSON (snake_case) and the newer
/// API's per-attempt status.
fn snapshot(engine: &Engine<Js>) -> JsValue {
    let s = engine.state();
    let key = engine.publishable_key();
    let emails = object(&[]);
    for (id, v) in &s.email_addresses {
        set(&emails, id, &v.0);
    }
    let attempt = |a: Attempt| {
        let st = &s.attempts[a as usize];
        object(&[
            ("fetching", st.fetching.into()),
            ("error", st.error.as_ref().map_or(JsValue::NULL, error)),
            ("errors", field_errors(&st.field_errors(a))),
        ])
    };
    object(&[
        ("frontendApi", key.frontend_api.as_str().into()),
        ("instanceType", key.instance_type.as_str().into()),
        ("loaded", s.loaded.into()),
        (
            "status",
            if s.loaded {
                "ready"
            } else if s.load_failed {
                "error"
            } else {
                "loading"
            }
            .into(),
        ),
        ("sessionId", s.session_id.as_deref().into()),
        ("environment", json(&s.environment)),
        ("client", json(&s.client)),
        ("signIn", raw(&s.sign_in)),
        ("signUp", raw(&s.sign_up)),
        ("emailAddresses", emails),
        ("signInStatus", attempt(Attempt::SignIn)),
        ("signUpStatus", attempt(Attempt::SignUp)),
    ])
}

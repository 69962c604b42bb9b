//! Email-link flows in the browser: prepare, then wait for the click with a
//! cancellable poller, and the landing page's half
//! (PROTOCOL.md §5.1–5.2; requirements items 1–6 and 18).
//!
//! The poller reloads the resource, then sleeps [`POLL_INTERVAL_MS`] after
//! that reload finished (never two requests at once), until the core says the
//! verification is terminal ([`PollResource::step`]) or its wall-clock
//! deadline (`expire_at`) passed. It polls at once, without waiting for the
//! timer, when the tab becomes visible, gets focus, goes back online, or when
//! a landing page of the same browser announces a click on the
//! BroadcastChannel [`CHANNEL`]. Those listeners are removed when the wait ends.
//!
//! Cancelling ([`EmailLinkFlow::cancel`], dropping the handle, or a second
//! start for the same resource) clears the timer, aborts the request in
//! flight and ends the wait with [`ClerkError::Cancelled`]; it is idempotent.
//!
//! ```no_run
//! # async fn demo(clerk: clerk_wasm::Clerk) -> Result<(), clerk_wasm::ClerkError> {
//! use clerk_wasm::email_link::{EmailLinkFlow, LinkOutcome, StartParams};
//! let flow = EmailLinkFlow::sign_in(&clerk);
//! let outcome = flow
//!     .start(StartParams { redirect_url: "/verify".into(), email_address_id: None })
//!     .await?;
//! if outcome == LinkOutcome::Verified {
//!     // the sign-in is complete (or needs a second factor)
//! }
//! # Ok(()) }
//! ```

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};

use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, BroadcastChannel, EventTarget};

use crate::clerk::{now_ms, page_origin, Clerk};
use crate::core::endpoints::{me, sign_ins, sign_ups};
use crate::core::errors::ClerkError;
use crate::core::flow::email_link::{
    absolute_redirect_url, landing_outcome, query_string, sign_in_link_factor, strip_link_params,
    wait_watches_second_factor, PollResource, PollStep, CREATED_SESSION_PARAM, STATUS_PARAM,
};
pub use crate::core::flow::email_link::{
    EmailLinkOutcome, LandingOutcome, LinkOutcome, POLL_INTERVAL_MS,
};
use crate::core::flow::{sign_in as sign_in_flow, sign_up as sign_up_flow};
use crate::core::model::strategy;
use crate::core::request::Form;
use crate::timers::Cancel;
use crate::worker_timers::Timers;

/// The BroadcastChannel on which a landing page announces a click to the
/// other tabs of the same browser (message `{type: "email_link", status}`;
/// never a token or a code).
pub const CHANNEL: &str = "clerk-wasm:email-link";

/// What an email link verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// The current sign-in (first factor, or second when it waits for one).
    SignIn,
    /// The current sign-up's email address.
    SignUp,
    /// An email address of the signed-in user (`idn_…`).
    EmailAddress(String),
}

/// Arguments of [`EmailLinkFlow::start`] (`startEmailLinkFlow`).
#[derive(Debug, Clone, Default)]
pub struct StartParams {
    /// Where the link lands: absolute http(s), or a path on this page's origin.
    pub redirect_url: String,
    /// Sign-in only: the `email_address_id` of the factor (default: the
    /// factor matching the identifier, else the first `email_link` factor).
    pub email_address_id: Option<String>,
}

thread_local! {
    static RUNNING: RefCell<Vec<(LinkTarget, u32, Cancel)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// One running flow per target: registering cancels the previous one; the
/// entry is removed on drop.
struct Registration(u32);

impl Registration {
    fn new(target: &LinkTarget, cancel: &Cancel) -> Registration {
        let id = NEXT_ID.with(|n| {
            let v = n.get();
            n.set(v.wrapping_add(1));
            v
        });
        let previous: Vec<Cancel> = RUNNING.with(|r| {
            let Ok(mut r) = r.try_borrow_mut() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            r.retain(|(t, _, c)| {
                let same = t == target;
                if same {
                    out.push(c.clone());
                }
                !same
            });
            r.push((target.clone(), id, cancel.clone()));
            out
        });
        for c in previous {
            c.cancel();
        }
        Registration(id)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        RUNNING.with(|r| {
            if let Ok(mut r) = r.try_borrow_mut() {
                r.retain(|(_, id, _)| *id != self.0);
            }
        });
    }
}

/// Cancels its token when dropped (a dropped wait stops its timer and fetch).
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// A handle on the email-link flow of one resource (ClerkJS's
/// `createEmailLinkFlow()`). Dropping the handle cancels a running wait.
#[derive(Debug)]
pub struct EmailLinkFlow {
    clerk: Clerk,
    target: LinkTarget,
    interval_ms: u32,
    current: RefCell<Cancel>,
}

impl Drop for EmailLinkFlow {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// What a wait polls, fixed once the link was prepared.
#[derive(Debug, Clone)]
enum Watch {
    SignIn { id: String, second_factor: bool },
    SignUp { id: String },
    EmailAddress { id: String },
}

impl EmailLinkFlow {
    /// A flow for `target` with the default 1 s poll interval.
    pub fn new(clerk: &Clerk, target: LinkTarget) -> EmailLinkFlow {
        EmailLinkFlow {
            clerk: clerk.clone(),
            target,
            interval_ms: POLL_INTERVAL_MS as u32,
            current: RefCell::new(Cancel::new()),
        }
    }

    /// A flow for the current sign-in (`signIn.createEmailLinkFlow()`).
    pub fn sign_in(clerk: &Clerk) -> EmailLinkFlow {
        EmailLinkFlow::new(clerk, LinkTarget::SignIn)
    }

    /// A flow for the current sign-up (`signUp.createEmailLinkFlow()`).
    pub fn sign_up(clerk: &Clerk) -> EmailLinkFlow {
        EmailLinkFlow::new(clerk, LinkTarget::SignUp)
    }

    /// A flow for a user's email address (`emailAddress.createEmailLinkFlow()`).
    pub fn email_address(clerk: &Clerk, email_address_id: &str) -> EmailLinkFlow {
        EmailLinkFlow::new(clerk, LinkTarget::EmailAddress(email_address_id.into()))
    }

    /// Changes the delay between the end of a poll and the next one.
    pub fn with_interval(mut self, ms: u32) -> EmailLinkFlow {
        self.interval_ms = ms.max(1);
        self
    }

    /// What this flow verifies.
    pub fn target(&self) -> &LinkTarget {
        &self.target
    }

    /// Cancels the running prepare or wait (if any): it ends with
    /// [`ClerkError::Cancelled`]. Idempotent.
    pub fn cancel(&self) {
        self.current.borrow().cancel();
    }

    /// The cancellation token of the latest start (to cancel from elsewhere,
    /// e.g. an `AbortSignal`).
    pub fn cancel_token(&self) -> Cancel {
        self.current.borrow().clone()
    }

    /// A fresh token for a new run; the previous run of this handle and any
    /// other run for the same target are cancelled.
    fn begin(&self) -> (Cancel, Registration) {
        let cancel = Cancel::new();
        let old = self.current.replace(cancel.clone());
        old.cancel();
        let reg = Registration::new(&self.target, &cancel);
        (cancel, reg)
    }

    /// `startEmailLinkFlow`: prepares the link (sends the email), then waits
    /// for it to be opened. Resolves with the terminal outcome; the resource's
    /// new state is on the [`Clerk`]. Errors: preconditions, API errors,
    /// [`ClerkError::Cancelled`]. The returned future does not borrow the
    /// handle; a second `start` cancels the first.
    pub fn start(
        &self,
        params: StartParams,
    ) -> impl std::future::Future<Output = Result<LinkOutcome, ClerkError>> + 'static {
        let (cancel, reg) = self.begin();
        let clerk = self.clerk.clone();
        let target = self.target.clone();
        let interval = self.interval_ms;
        async move {
            let _reg = reg;
            let _guard = CancelOnDrop(cancel.clone());
            let signal = cancel.signal();
            let watch = cancel
                .run(prepare(&clerk, &target, &params, signal.as_ref()))
                .await?;
            wait_loop(&clerk, &watch, &cancel, signal.as_ref(), interval).await
        }
    }

    /// Waits for a link sent earlier (the newer API's `waitForVerification`),
    /// without preparing a new one.
    pub fn wait(
        &self,
    ) -> impl std::future::Future<Output = Result<LinkOutcome, ClerkError>> + 'static {
        let (cancel, reg) = self.begin();
        let clerk = self.clerk.clone();
        let target = self.target.clone();
        let interval = self.interval_ms;
        async move {
            let _reg = reg;
            let _guard = CancelOnDrop(cancel.clone());
            let signal = cancel.signal();
            let watch = current_watch(&clerk, &target)?;
            wait_loop(&clerk, &watch, &cancel, signal.as_ref(), interval).await
        }
    }
}

async fn prepare(
    clerk: &Clerk,
    target: &LinkTarget,
    params: &StartParams,
    signal: Option<&AbortSignal>,
) -> Result<Watch, ClerkError> {
    let url = absolute_redirect_url(&params.redirect_url, page_origin().as_deref())?;
    match target {
        LinkTarget::SignIn => {
            let current = clerk.sign_in().current();
            let si = current
                .as_ref()
                .filter(|s| !s.id.is_empty())
                .ok_or(crate::core::errors::precondition::SIGN_IN_MISSING)?;
            let second_factor = si.status.needs_second_factor();
            let factor = sign_in_link_factor(si, params.email_address_id.as_deref())?;
            let req = sign_in_flow::prepare_email_link(Some(si), factor, &url)?;
            let si = clerk.call_sign_in_with(req, signal).await?;
            Ok(Watch::SignIn {
                id: si.id,
                second_factor,
            })
        }
        LinkTarget::SignUp => {
            let req = sign_up_flow::send_email_link(clerk.sign_up().current().as_ref(), &url)?;
            let su = clerk.call_sign_up_with(req, signal).await?;
            Ok(Watch::SignUp { id: su.id })
        }
        LinkTarget::EmailAddress(id) => {
            let form = Form::new()
                .set("strategy", strategy::EMAIL_LINK)
                .set("redirect_url", url.as_str());
            let req = me::prepare_email_address_verification(id, form)?;
            clerk.call_email_address_with(req, signal).await?;
            Ok(Watch::EmailAddress { id: id.clone() })
        }
    }
}

fn current_watch(clerk: &Clerk, target: &LinkTarget) -> Result<Watch, ClerkError> {
    Ok(match target {
        LinkTarget::SignIn => {
            let si = clerk.sign_in().current();
            let id = sign_in_flow::require_id(si.as_ref())?.to_string();
            let second_factor = si.as_ref().is_some_and(wait_watches_second_factor);
            Watch::SignIn { id, second_factor }
        }
        LinkTarget::SignUp => Watch::SignUp {
            id: sign_up_flow::require_id(clerk.sign_up().current().as_ref())?.to_string(),
        },
        LinkTarget::EmailAddress(id) => Watch::EmailAddress { id: id.clone() },
    })
}

/// One reload: the step to take and the verification's `expire_at`.
async fn poll_once(
    clerk: &Clerk,
    watch: &Watch,
    signal: Option<&AbortSignal>,
) -> Result<(PollStep, u64), ClerkError> {
    let now = now_ms;
    Ok(match watch {
        Watch::SignIn { id, second_factor } => {
            let si = clerk.call_sign_in_with(sign_ins::get(id)?, signal).await?;
            let r = PollResource::SignIn {
                sign_in: &si,
                second_factor: *second_factor,
            };
            (r.step(now()), r.expire_at_ms())
        }
        Watch::SignUp { id } => {
            let su = clerk.call_sign_up_with(sign_ups::get(id)?, signal).await?;
            let r = PollResource::SignUp(&su);
            (r.step(now()), r.expire_at_ms())
        }
        Watch::EmailAddress { id } => {
            let (e, _) = clerk
                .call_email_address_with(me::get_email_address(id)?, signal)
                .await?;
            let r = PollResource::EmailAddress(&e);
            (r.step(now()), r.expire_at_ms())
        }
    })
}

async fn wait_loop(
    clerk: &Clerk,
    watch: &Watch,
    cancel: &Cancel,
    signal: Option<&AbortSignal>,
    interval_ms: u32,
) -> Result<LinkOutcome, ClerkError> {
    let wake = Wake::install();
    loop {
        let (step, expire_at) = cancel.run(poll_once(clerk, watch, signal)).await?;
        if let PollStep::Done(outcome) = step {
            return Ok(outcome);
        }
        // Sleep the interval, but wake at the deadline to end with `expired` on time.
        let mut delay = interval_ms;
        if expire_at != 0 {
            let left = expire_at.saturating_sub(now_ms()).saturating_add(1);
            delay = delay.min(u32::try_from(left).unwrap_or(u32::MAX));
        }
        cancel.run(wake.next(clerk.timers(), delay)).await?;
    }
}

#[derive(Default)]
struct WakeState {
    fired: bool,
    waker: Option<Waker>,
}

fn fire(state: &Rc<RefCell<WakeState>>) {
    let waker = {
        let Ok(mut s) = state.try_borrow_mut() else {
            return;
        };
        s.fired = true;
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

/// An event listener removed on drop.
struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    fn add(
        target: &EventTarget,
        kind: &'static str,
        callback: Closure<dyn FnMut(web_sys::Event)>,
    ) -> Option<Listener> {
        target
            .add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref())
            .ok()?;
        Some(Listener {
            target: target.clone(),
            kind,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

type MessageCallback = Closure<dyn FnMut(web_sys::MessageEvent)>;

/// Early wake-ups of the poller: `visibilitychange` (to visible), `focus`,
/// `online`, and a BroadcastChannel announcement from a landing page.
struct Wake {
    state: Rc<RefCell<WakeState>>,
    _listeners: Vec<Listener>,
    channel: Option<(BroadcastChannel, MessageCallback)>,
}

impl Wake {
    fn install() -> Wake {
        let state = Rc::new(RefCell::new(WakeState::default()));
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            let target: &EventTarget = window.as_ref();
            for kind in ["focus", "online"] {
                let st = state.clone();
                let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| fire(&st));
                listeners.extend(Listener::add(target, kind, cb));
            }
            if let Some(doc) = window.document() {
                let st = state.clone();
                let d = doc.clone();
                let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                    if d.visibility_state() == web_sys::VisibilityState::Visible {
                        fire(&st);
                    }
                });
                listeners.extend(Listener::add(doc.as_ref(), "visibilitychange", cb));
            }
        }
        let channel = BroadcastChannel::new(CHANNEL).ok().map(|ch| {
            let st = state.clone();
            let cb = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| fire(&st));
            ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
            (ch, cb)
        });
        Wake {
            state,
            _listeners: listeners,
            channel,
        }
    }

    /// Resolves after `ms`, or at once when an event fired since the last call.
    async fn next(&self, timers: &Timers, ms: u32) -> Result<(), ClerkError> {
        let mut sleep = Box::pin(timers.sleep(ms));
        std::future::poll_fn(|cx| {
            if let Ok(mut s) = self.state.try_borrow_mut() {
                if s.fired {
                    s.fired = false;
                    s.waker = None;
                    return Poll::Ready(Ok(()));
                }
                s.waker = Some(cx.waker().clone());
            }
            sleep.as_mut().poll(cx).map(Ok)
        })
        .await
    }
}

impl Drop for Wake {
    fn drop(&mut self) {
        if let Some((ch, _)) = &self.channel {
            ch.set_onmessage(None);
            ch.close();
        }
    }
}

/// Adds an email address to the signed-in user (`POST /v1/me/email_addresses`,
/// ClerkJS's `user.createEmailAddress({ email })`); verify it with
/// [`EmailLinkFlow::email_address`].
pub async fn create_email_address(
    clerk: &Clerk,
    email_address: &str,
) -> Result<crate::core::model::EmailAddress, ClerkError> {
    let req = me::create_email_address(email_address.trim());
    Ok(clerk.call_email_address_with(req, None).await?.0)
}

/// Tells waiting tabs of this browser that a link landed (`status` is the
/// `__clerk_status` value); they poll at once.
pub fn announce(status: &str) {
    if let Ok(ch) = BroadcastChannel::new(CHANNEL) {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"email_link".into());
        let _ = js_sys::Reflect::set(&msg, &"status".into(), &status.into());
        let _ = ch.post_message(&msg);
        ch.close();
    }
}

/// The page's query parameters (decoded).
pub fn page_query() -> Vec<(String, String)> {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| crate::core::url::parse_query(&s))
        .unwrap_or_default()
}

/// Removes `__clerk_status` and `__clerk_created_session` from the address
/// bar with `history.replaceState` (no navigation, no history entry).
pub fn strip_page_link_params() {
    let Some(w) = web_sys::window() else {
        return;
    };
    let loc = w.location();
    let query = page_query();
    if !query
        .iter()
        .any(|(k, _)| k == STATUS_PARAM || k == CREATED_SESSION_PARAM)
    {
        return;
    }
    let kept = query_string(&strip_link_params(&query));
    let path = loc.pathname().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    if let Ok(history) = w.history() {
        let url = [path.as_str(), kept.as_str(), hash.as_str()].concat();
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The landing page (`handleEmailLinkVerification`): announces the click to
/// the other tabs, then decides from `params` (the page query) and the
/// client. A verified link whose session is on this client is made active
/// here. Errors: [`ClerkError::EmailLink`] (`expired`, `failed`,
/// `client_mismatch`) and any error of loading or `setActive`.
pub async fn handle_landing(
    clerk: &Clerk,
    params: &[(String, String)],
) -> Result<LandingOutcome, ClerkError> {
    let status = params
        .iter()
        .find(|(k, _)| k == STATUS_PARAM)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    announce(status);
    if !clerk.loaded() {
        clerk.load().await?;
    }
    let client = clerk.client().unwrap_or_default();
    let mut outcome = landing_outcome(params, &client).map_err(ClerkError::EmailLink)?;
    let has_session = params
        .iter()
        .any(|(k, v)| k == CREATED_SESSION_PARAM && !v.is_empty());
    if outcome == LandingOutcome::VerifiedOnOtherDevice && has_session {
        // The click may have completed this client's attempt after it loaded.
        let client = clerk.reload_client().await?.unwrap_or_default();
        outcome = landing_outcome(params, &client).map_err(ClerkError::EmailLink)?;
    }
    if let LandingOutcome::VerifiedSessionHere(sid) = &outcome {
        if clerk.session_id().as_deref() != Some(sid.as_str()) {
            clerk.set_active(Some(sid)).await?;
        }
    }
    Ok(outcome)
}

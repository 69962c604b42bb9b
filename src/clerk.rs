//! The typed async Rust API (Leptos, Yew, Dioxus): a [`Clerk`] handle over
//! the driver and its engine. Every method is one engine operation
//! ([`crate::core::engine::Op`]); its future ([`CallFuture`]) resolves when the
//! engine settles the call, and dropping it cancels the call.
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_wasm::ClerkError> {
//! use clerk_wasm::{Clerk, ClerkOptions};
//! let clerk = Clerk::new("pk_test_MTI3LjAuMC4xOjQwMTAk", ClerkOptions::default())?;
//! clerk.load().await?;
//! clerk.sign_in().send_phone_code(Some("+15555550100"), None).await?;
//! // …the user types the code…
//! let sign_in = clerk.sign_in().verify_phone_code("123456").await?;
//! if sign_in.status.as_str() == "complete" {
//!     clerk.sign_in().finalize().await?;
//! }
//! let jwt = clerk.get_token(None).await?;
//! # let _ = jwt; Ok(()) }
//! ```

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use crate::core::engine::{Call, CallId, Hosted, Op, Output, RedirectUrls};
use crate::core::errors::ClerkError;
use crate::core::key::PublishableKey;
use crate::core::model::decode::Decode;
use crate::core::model::{Client, Environment, Session, User};
use crate::core::request::Form;
use crate::driver::Driver;
use crate::interop::Js;
use crate::timers::Timers;

pub use crate::core::engine::{Attempt, AttemptStatus};

/// Options of [`Clerk::new`] (ClerkJS's constructor options).
#[derive(Debug, Clone, Default)]
pub struct ClerkOptions {
    /// Where the Frontend API is reached instead of the key's host: an absolute
    /// http(s) URL or a path (`/__clerk`) on the page's origin.
    pub proxy_url: Option<String>,
    /// Run the token refresh and the email-link polls on a dedicated worker's
    /// timers, which browsers throttle less in background tabs. Needs CSP
    /// `worker-src blob:`; without it the page's timers are used (the default).
    pub worker_timers: bool,
}

/// A listener id returned by [`Clerk::add_listener`].
pub type ListenerId = u32;

/// The Clerk client object. Cheap to clone (a shared handle).
#[derive(Clone, Debug)]
pub struct Clerk(pub(crate) Rc<Driver>);

#[derive(Default)]
struct Slot {
    result: Option<Result<Output<Js>, ClerkError>>,
    waker: Option<Waker>,
    settled: bool,
}

/// A call in progress: resolves with its result; dropping it first cancels
/// the call (its request is aborted, its timers cleared).
#[must_use = "a call is cancelled when its future is dropped"]
pub struct CallFuture {
    slot: Rc<RefCell<Slot>>,
    driver: Weak<Driver>,
    call: CallId,
}

impl std::fmt::Debug for CallFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallFuture")
    }
}

impl CallFuture {
    /// The call's id (for [`Clerk::cancel`]).
    pub fn id(&self) -> CallId {
        self.call
    }
}

impl Future for CallFuture {
    type Output = Result<Output<Js>, ClerkError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.slot.borrow_mut();
        match s.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                s.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for CallFuture {
    fn drop(&mut self) {
        let settled = self.slot.borrow().settled;
        if let Some(d) = self.driver.upgrade().filter(|_| !settled) {
            d.cancel(self.call);
        }
    }
}

/// Decodes a resource answer.
pub(crate) fn model<T: Decode>(out: Output<Js>) -> Result<T, ClerkError> {
    match out {
        Output::Json(v) => Ok(T::decode(&v)),
        _ => Err(ClerkError::decode_failed()),
    }
}

impl Clerk {
    /// Parses the publishable key and works out the Frontend API URL; sends nothing.
    pub fn new(publishable_key: &str, options: ClerkOptions) -> Result<Clerk, ClerkError> {
        Driver::new(publishable_key, options.proxy_url, options.worker_timers).map(Clerk)
    }

    /// Starts any engine operation (the methods below are typed shortcuts).
    pub fn call(&self, call: Call) -> CallFuture {
        let slot = Rc::new(RefCell::new(Slot::default()));
        let s = slot.clone();
        let reply = Box::new(move |r: Result<Output<Js>, ClerkError>| {
            let waker = {
                let mut s = s.borrow_mut();
                s.result = Some(r);
                s.settled = true;
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        });
        let id = self.0.call(call, None, reply);
        CallFuture {
            slot,
            driver: Rc::downgrade(&self.0),
            call: id,
        }
    }

    pub(crate) fn op(&self, op: Op, form: Form) -> CallFuture {
        self.call(Call::new(op, form))
    }

    /// Cancels a call (settled calls are ignored).
    pub fn cancel(&self, call: CallId) {
        self.0.cancel(call);
    }

    /// Where this `Clerk` waits: the page's timers or a worker's.
    pub fn timers(&self) -> &Timers {
        self.0.timers()
    }

    /// True when both handles share the same state (the same `Clerk`).
    pub fn ptr_eq(&self, other: &Clerk) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The parsed publishable key.
    pub fn publishable_key(&self) -> PublishableKey {
        self.0.engine().publishable_key().clone()
    }

    /// The Frontend API base URL in use (without `/v1`).
    pub fn frontend_api(&self) -> String {
        self.0.engine().frontend_api_url().into()
    }

    /// Loads the environment and the client (the dev-browser handshake first
    /// on development instances) and picks the last active session.
    pub async fn load(&self) -> Result<(), ClerkError> {
        self.op(Op::Load, Form::new()).await.map(drop)
    }

    /// True once [`load`](Self::load) has resolved.
    pub fn loaded(&self) -> bool {
        self.0.engine().state().loaded
    }

    /// The instance environment, once loaded.
    pub fn environment(&self) -> Option<Environment> {
        self.0.engine().state().environment_model()
    }

    /// The current client (sessions, sign-in and sign-up attempts).
    pub fn client(&self) -> Option<Client> {
        self.0.engine().state().client_model()
    }

    /// The active session, if signed in.
    pub fn session(&self) -> Option<Session> {
        self.0.engine().state().session()
    }

    /// The signed-in user.
    pub fn user(&self) -> Option<User> {
        self.0.engine().state().user()
    }

    /// The active session's id.
    pub fn session_id(&self) -> Option<String> {
        self.0.engine().state().session_id.clone()
    }

    /// The newer API's status of `attempt` (`fetchStatus`, the last error).
    pub fn attempt_status(&self, attempt: Attempt) -> AttemptStatus {
        self.0.engine().state().attempts[attempt as usize].clone()
    }

    /// The sign-in API (classic and newer methods).
    pub fn sign_in(&self) -> crate::sign_in::SignInApi<'_> {
        crate::sign_in::SignInApi::new(self)
    }

    /// The sign-up API (classic and newer methods).
    pub fn sign_up(&self) -> crate::sign_up::SignUpApi<'_> {
        crate::sign_up::SignUpApi::new(self)
    }

    /// Makes `session_id` the active session (`None` signs out locally):
    /// touches it on the server and warms its token.
    pub async fn set_active(&self, session_id: Option<&str>) -> Result<(), ClerkError> {
        let form = Form::new().set_opt("session", session_id);
        self.op(Op::SetActive, form).await.map(drop)
    }

    /// Signs out of every session on this client (`DELETE /v1/client/sessions`).
    /// The other tabs of this browser on the same client are signed out too.
    pub async fn sign_out(&self) -> Result<(), ClerkError> {
        self.op(Op::SignOut, Form::new()).await.map(drop)
    }

    /// Signs out of one session (ClerkJS `signOut({ sessionId })`): of every
    /// session when it is the only one signed in; else
    /// `POST /v1/client/sessions/{id}/remove` (nothing for an unknown id).
    /// Returns true when the active session was signed out.
    pub async fn sign_out_session(&self, session_id: &str) -> Result<bool, ClerkError> {
        let form = Form::new().set("session_id", session_id);
        match self.op(Op::SignOut, form).await? {
            Output::Flag(ended) => Ok(ended),
            _ => Ok(false),
        }
    }

    /// The active session's JWT: from the cache while more than 5 s of it
    /// remain, else minted (one request in flight; concurrent callers share
    /// its answer). `None` when signed out.
    pub async fn get_token(&self, template: Option<&str>) -> Result<Option<String>, ClerkError> {
        self.get_token_with(template, false).await
    }

    /// [`get_token`](Self::get_token) with `skip_cache` (ClerkJS's `skipCache`).
    pub async fn get_token_with(
        &self,
        template: Option<&str>,
        skip_cache: bool,
    ) -> Result<Option<String>, ClerkError> {
        let form = Form::new()
            .set_opt("template", template)
            .set("skip_cache", skip_cache);
        match self.op(Op::GetToken, form).await? {
            Output::Text(jwt) => Ok(Some(jwt)),
            _ => Ok(None),
        }
    }

    /// Reloads the client (`GET /v1/client`).
    pub async fn reload_client(&self) -> Result<Option<Client>, ClerkError> {
        self.op(Op::ReloadClient, Form::new()).await?;
        Ok(self.client())
    }

    /// Calls `f` after every change of client, session or user (including a
    /// sign-in or sign-out in another tab on the same client); returns an id
    /// for [`remove_listener`](Self::remove_listener).
    pub fn add_listener(&self, f: impl Fn() + 'static) -> ListenerId {
        self.0.add_listener(Rc::new(f))
    }

    /// Removes a listener; unknown ids are ignored.
    pub fn remove_listener(&self, id: ListenerId) {
        self.0.remove_listener(id);
    }

    /// ClerkJS's `buildSignInUrl(props)`, `buildSignUpUrl`, `buildUserProfileUrl`,
    /// `buildAfterSignInUrl` and `buildAfterSignUpUrl`: where `which` is for this
    /// page, with the way back in its hash and, on a development instance, the
    /// dev browser on a cross-origin URL. Empty before `load()` or when the
    /// URL is on an origin `allowedRedirectOrigins` does not allow.
    pub fn build_url(&self, which: Hosted, props: &RedirectUrls) -> String {
        self.0.url_for(which, props)
    }

    /// ClerkJS's `redirectToSignIn(props)` and friends: goes to
    /// [`build_url`](Self::build_url) (nowhere when it is empty); returns it.
    pub fn redirect_to(&self, which: Hosted, props: &RedirectUrls) -> String {
        let url = self.0.url_for(which, props);
        if !url.is_empty() {
            crate::page::navigate(&url);
        }
        url
    }

    /// What is alive, for leak checks ([`Driver::live`]).
    pub fn live(&self) -> [usize; 9] {
        self.0.live()
    }
}

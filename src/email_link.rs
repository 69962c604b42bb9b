//! Email-link flows for Rust callers: [`EmailLinkFlow`] (ClerkJS's
//! `createEmailLinkFlow()`) prepares the link and waits for it to be opened,
//! and [`handle_landing`] is the landing page's half. The engine runs the
//! wait (see [`crate::core::engine`]: one poll at a time, 1 s apart, ending at
//! the link's deadline; at once when the tab comes back or a landing tab of
//! this browser announces the click). Cancel ([`EmailLinkFlow::cancel`],
//! dropping the flow or its future, a second start) settles the wait with
//! [`ClerkError::Cancelled`] and aborts its request.
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

use std::cell::Cell;
use std::future::Future;

use crate::clerk::{model, Clerk};
use crate::core::engine::{Call, CallId, Op, Output};
use crate::core::errors::{ClerkError, EmailLinkErrorCode};
use crate::core::flow::email_link::{query_string, CREATED_SESSION_PARAM};
use crate::core::model::EmailAddress;
use crate::core::request::Form;

pub use crate::core::flow::email_link::{
    EmailLinkOutcome, LandingOutcome, LinkOutcome, POLL_INTERVAL_MS,
};
pub use crate::driver::{announce, LINK_CHANNEL as CHANNEL};

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

/// A handle on the email-link flow of one resource. Dropping it cancels a
/// running wait.
#[derive(Debug)]
pub struct EmailLinkFlow {
    clerk: Clerk,
    target: LinkTarget,
    interval_ms: u32,
    current: Cell<Option<CallId>>,
}

impl Drop for EmailLinkFlow {
    fn drop(&mut self) {
        self.cancel();
    }
}

fn outcome(out: Result<Output<crate::interop::Js>, ClerkError>) -> Result<LinkOutcome, ClerkError> {
    match out {
        Ok(Output::Text(t)) if t == "verified" => Ok(LinkOutcome::Verified),
        Ok(Output::Text(t)) if t == "transferable" => Ok(LinkOutcome::Transferable),
        Ok(Output::Text(t)) if t == "expired" => Ok(LinkOutcome::Expired),
        Err(ClerkError::EmailLink(EmailLinkErrorCode::Expired)) => Ok(LinkOutcome::Expired),
        Err(e) => Err(e),
        Ok(_) => Err(ClerkError::decode_failed()),
    }
}

impl EmailLinkFlow {
    /// A flow for `target` with the default 1 s poll interval.
    pub fn new(clerk: &Clerk, target: LinkTarget) -> EmailLinkFlow {
        EmailLinkFlow {
            clerk: clerk.clone(),
            target,
            interval_ms: POLL_INTERVAL_MS as u32,
            current: Cell::new(None),
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
        if let Some(id) = self.current.take() {
            self.clerk.cancel(id);
        }
    }

    fn begin(&self, op: Op, form: Form) -> crate::clerk::CallFuture {
        self.cancel();
        let form = form.set(
            "poll_interval_ms",
            crate::core::request::int_to_string(self.interval_ms.into()),
        );
        let mut call = Call::new(op, form);
        if let LinkTarget::EmailAddress(id) = &self.target {
            call = call.with_target(id.as_str());
        }
        let fut = self.clerk.call(call);
        self.current.set(Some(fut.id()));
        fut
    }

    /// `startEmailLinkFlow`: prepares the link (sends the email), then waits
    /// for it to be opened. Resolves with the terminal outcome; the resource's
    /// new state is on the [`Clerk`]. Errors: preconditions, API errors,
    /// [`ClerkError::Cancelled`]. The future does not borrow the handle.
    pub fn start(
        &self,
        params: StartParams,
    ) -> impl Future<Output = Result<LinkOutcome, ClerkError>> + 'static {
        let op = match self.target {
            LinkTarget::SignIn => Op::SignInLinkFlow,
            LinkTarget::SignUp => Op::SignUpLinkFlow,
            LinkTarget::EmailAddress(_) => Op::EmailLinkFlow,
        };
        let form = Form::new()
            .set("redirect_url", params.redirect_url.as_str())
            .set_opt("email_address_id", params.email_address_id.as_deref());
        let fut = self.begin(op, form);
        async move { outcome(fut.await) }
    }

    /// Waits for a link sent earlier (the newer API's `waitForVerification`),
    /// without preparing a new one. An expired link resolves `Expired`.
    pub fn wait(&self) -> impl Future<Output = Result<LinkOutcome, ClerkError>> + 'static {
        let op = match self.target {
            LinkTarget::SignUp => Op::SignUpWaitLink,
            _ => Op::SignInWaitLink,
        };
        let fut = self.begin(op, Form::new());
        async move { outcome(fut.await) }
    }
}

/// Adds an email address to the signed-in user (`POST /v1/me/email_addresses`,
/// ClerkJS's `user.createEmailAddress({ email })`); verify it with
/// [`EmailLinkFlow::email_address`].
pub async fn create_email_address(
    clerk: &Clerk,
    email_address: &str,
) -> Result<EmailAddress, ClerkError> {
    let form = Form::new().set("email_address", email_address);
    model(clerk.call(Call::new(Op::CreateEmailAddress, form)).await?)
}

/// The landing page (`handleEmailLinkVerification`) for the link parameters
/// `params` (the page's query, decoded): announces the click to the other
/// tabs, fails with [`ClerkError::EmailLink`] (`expired`, `failed`,
/// `client_mismatch`) before loading anything, loads when needed, and makes a
/// session of this client active.
pub async fn handle_landing(
    clerk: &Clerk,
    params: &[(String, String)],
) -> Result<LandingOutcome, ClerkError> {
    let call = Call::new(Op::HandleEmailLink, Form::new()).with_target(query_string(params));
    let sid = || {
        params
            .iter()
            .find(|(k, _)| k == CREATED_SESSION_PARAM)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match clerk.call(call).await? {
        Output::Text(t) if t == "verified" => Ok(LandingOutcome::VerifiedSessionHere(sid())),
        Output::Text(t) if t == "continue" => Ok(LandingOutcome::ContinueHere),
        Output::Text(t) if t == "transferable" => Ok(LandingOutcome::Transferable),
        _ => Ok(LandingOutcome::VerifiedOnOtherDevice),
    }
}

/// The page's query parameters (decoded).
pub fn page_query() -> Vec<(String, String)> {
    crate::core::url::parse_query(&crate::page::query())
}

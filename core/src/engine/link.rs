//! Email-link waits: prepare the link (or not, for the newer API's
//! `waitFor…`), then poll the resource — never two polls at once, 1 s after
//! the last one ended — until the verification is terminal or its wall-clock
//! deadline (`expire_at`) passed. A nudge (the tab came back, or a landing
//! tab announced the click) polls at once, or right after the poll in
//! flight. A network blip, a stalled poll or a 5xx/429 does not end the wait;
//! the next poll goes. One wait per resource: a new one cancels the earlier.

use super::net::Owner;
use super::ops::Op;
use super::tasks::{response, Input, Phase, Step, Task};
use super::{CallId, Cmd, Engine, Output, TimerId};
use crate::endpoints::{me, sign_ins, sign_ups};
use crate::errors::{precondition, ClerkError, EmailLinkErrorCode};
use crate::flow::email_link::{
    wait_watches_second_factor, LinkOutcome, PollResource, PollStep, POLL_INTERVAL_MS,
};
use crate::flow::{sign_in as sign_in_flow, sign_up as sign_up_flow};
use crate::model::decode::{Decode, Source};
use crate::model::EmailAddress;
use crate::request::Request;

/// Bounds of a wait's `poll_interval_ms` parameter (default [`POLL_INTERVAL_MS`]).
const MIN_INTERVAL_MS: u64 = 100;
const MAX_INTERVAL_MS: u64 = 600_000;

/// What a wait watches, fixed when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Watch {
    /// A sign-in's first factor, or its second when it waited for one at start.
    SignIn {
        /// The sign-in.
        id: String,
        /// Watch the second factor's verification.
        second_factor: bool,
    },
    /// A sign-up's email address.
    SignUp {
        /// The sign-up.
        id: String,
    },
    /// A user's email address.
    Email {
        /// The address.
        id: String,
    },
}

impl Watch {
    /// Waits on the same resource (one runs at a time).
    fn same_resource(&self, other: &Watch) -> bool {
        match (self, other) {
            (Watch::SignIn { .. }, Watch::SignIn { .. }) => true,
            (Watch::SignUp { .. }, Watch::SignUp { .. }) => true,
            (Watch::Email { id: a }, Watch::Email { id: b }) => a == b,
            _ => false,
        }
    }

    fn reload(&self) -> Result<Request, ClerkError> {
        match self {
            Watch::SignIn { id, .. } => sign_ins::get(id),
            Watch::SignUp { id } => sign_ups::get(id),
            Watch::Email { id } => me::get_email_address(id),
        }
    }
}

impl<V: Source + Clone> Engine<V> {
    /// Starts a wait: the prepare (if any), then polls.
    pub(super) fn begin_link(&mut self, t: &mut Task, now_ms: u64) -> Result<Step<V>, ClerkError> {
        let (watch, prepare) = match t.call.op {
            Op::SignInLinkFlow | Op::SignInWaitLink => {
                let si = self.state.sign_in_model();
                let id = sign_in_flow::require_id(si)?.to_string();
                let si = si.ok_or(precondition::SIGN_IN_MISSING)?;
                if t.call.op == Op::SignInWaitLink {
                    let second_factor = wait_watches_second_factor(si);
                    (Watch::SignIn { id, second_factor }, None)
                } else {
                    let second_factor = si.status.needs_second_factor();
                    let req = self.sign_in_link_prepare(&t.call)?;
                    (Watch::SignIn { id, second_factor }, Some(req))
                }
            }
            Op::SignUpLinkFlow | Op::SignUpWaitLink => {
                let su = self.state.sign_up_model();
                let id = sign_up_flow::require_id(su)?.to_string();
                let req = if t.call.op == Op::SignUpLinkFlow {
                    let form = self.link_form(t.call.param("redirect_url"))?;
                    Some(sign_ups::prepare_verification(&id, form)?)
                } else {
                    None
                };
                (Watch::SignUp { id }, req)
            }
            _ => {
                let id = t
                    .call
                    .target
                    .clone()
                    .filter(|i| !i.is_empty())
                    .ok_or(precondition::INVALID_ID)?;
                let form = self.link_form(t.call.param("redirect_url"))?;
                let req = me::prepare_email_address_verification(&id, form)?;
                (Watch::Email { id }, Some(req))
            }
        };
        let earlier = crate::list::filter_map(&self.tasks, |o| {
            o.watch
                .as_ref()
                .is_some_and(|w| w.same_resource(&watch))
                .then_some(o.id)
        });
        for id in earlier {
            self.cancel_task(id, ClerkError::Cancelled);
        }
        t.watch = Some(watch);
        Ok(match prepare {
            Some(req) => {
                self.send(Owner::Task(t.id), req, false);
                Step::Wait
            }
            None => self.begin_wait(t, now_ms),
        })
    }

    /// The link is out (or was already): look at the resource, then poll.
    pub(super) fn begin_wait(&mut self, t: &mut Task, now_ms: u64) -> Step<V> {
        match self.evaluate(t, now_ms) {
            (PollStep::Done(outcome), _) => link_done(t, outcome),
            (PollStep::Continue, expire_at) => self.sleep(t, expire_at, now_ms),
        }
    }

    /// The watched resource as the state has it: what to do, and its deadline.
    fn evaluate(&self, t: &Task, now_ms: u64) -> (PollStep, u64) {
        let step = |r: PollResource<'_>| (r.step(now_ms), r.expire_at_ms());
        match &t.watch {
            Some(Watch::SignIn { id, second_factor }) => match self.state.sign_in_model() {
                Some(si) if si.id == *id => step(PollResource::SignIn {
                    sign_in: si,
                    second_factor: *second_factor,
                }),
                _ => (PollStep::Continue, 0),
            },
            Some(Watch::SignUp { id }) => match self.state.sign_up_model() {
                Some(su) if su.id == *id => step(PollResource::SignUp(su)),
                _ => (PollStep::Continue, 0),
            },
            Some(Watch::Email { id }) => match self.state.email_address_json(id) {
                Some(json) => step(PollResource::EmailAddress(&EmailAddress::decode(&json))),
                None => (PollStep::Continue, 0),
            },
            None => (PollStep::Continue, 0),
        }
    }

    /// Waits the interval (ending it at the deadline, to expire on time), or
    /// polls at once after a nudge.
    fn sleep(&mut self, t: &mut Task, expire_at_ms: u64, now_ms: u64) -> Step<V> {
        let held = t.hold_until_ms.saturating_sub(now_ms);
        if std::mem::take(&mut t.nudged) && held == 0 {
            t.phase = Phase::Sleep;
            return self.poll_link(t);
        }
        let mut delay = t
            .call
            .param("poll_interval_ms")
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(POLL_INTERVAL_MS, |ms| {
                ms.clamp(MIN_INTERVAL_MS, MAX_INTERVAL_MS)
            });
        delay = delay.max(held);
        if expire_at_ms != 0 {
            delay = delay.min(expire_at_ms.saturating_sub(now_ms).saturating_add(1));
        }
        t.phase = Phase::Sleep;
        self.push(Cmd::SetTimer {
            timer: TimerId::Poll(t.id),
            ms: u32::try_from(delay).unwrap_or(u32::MAX),
        });
        Step::Wait
    }

    /// The wait's timer fired (or a nudge): poll.
    pub(super) fn poll_link(&mut self, t: &mut Task) -> Step<V> {
        if t.phase != Phase::Sleep {
            return Step::Wait;
        }
        if let (PollStep::Done(outcome), _) = self.evaluate(t, self.now) {
            return link_done(t, outcome);
        }
        let req = match t.watch.as_ref().map(Watch::reload) {
            Some(Ok(req)) => req,
            Some(Err(e)) => return Step::Done(Err(e)),
            None => return Step::Done(Err(precondition::NOT_POLLABLE)),
        };
        t.phase = Phase::Poll;
        self.send(Owner::Task(t.id), req, true);
        Step::Wait
    }

    /// A poll answered: the resource is updated, then done or sleep again.
    /// Network failures, timeouts, unreadable bodies, 5xx and 429 keep the
    /// wait going until its deadline; other errors end it.
    pub(super) fn polled(
        &mut self,
        t: &mut Task,
        reply: super::net::Reply<V>,
        now_ms: u64,
    ) -> Step<V> {
        match reply.and_then(response) {
            Ok(resource) => self.store(t, resource),
            Err(ClerkError::Api(e)) if e.status < 500 && e.status != 429 => {
                return Step::Done(Err(ClerkError::Api(e)));
            }
            // Too many requests: the next poll waits as long as the server asks
            // (the link's deadline still ends the wait on time).
            Err(ClerkError::Api(e)) if e.status == 429 => {
                let secs = u64::from(e.retry_after_secs.unwrap_or(0));
                t.hold_until_ms = now_ms.saturating_add(secs.saturating_mul(1000));
            }
            Err(_) => {}
        }
        self.begin_wait(t, now_ms)
    }

    /// Poll timer `call` fired.
    pub(super) fn poll_now(&mut self, call: CallId, now_ms: u64) {
        self.resume(call, Input::Timer, now_ms);
    }

    /// Every wait polls at once (or right after its poll in flight).
    pub(super) fn nudge_waits(&mut self, now_ms: u64) {
        let mut sleeping = Vec::new();
        for t in &mut self.tasks {
            match t.phase {
                Phase::Sleep if t.hold_until_ms > now_ms => {}
                Phase::Sleep => sleeping.push(t.id),
                Phase::Poll => t.nudged = true,
                _ => {}
            }
        }
        for id in sleeping {
            self.push(Cmd::ClearTimer(TimerId::Poll(id)));
            self.resume(id, Input::Timer, now_ms);
        }
    }
}

/// How a wait settles: the outcome's name; the newer API's `waitFor…`
/// rejects an expired link with `EmailLinkError` (`expired`).
fn link_done<V>(t: &Task, outcome: LinkOutcome) -> Step<V> {
    let newer = matches!(t.call.op, Op::SignInWaitLink | Op::SignUpWaitLink);
    if newer && outcome == LinkOutcome::Expired {
        return Step::Done(Err(ClerkError::EmailLink(EmailLinkErrorCode::Expired)));
    }
    Step::Done(Ok(Output::Text(outcome.as_str().into())))
}

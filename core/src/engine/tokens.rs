//! Session tokens: the cache (served while more than 5 s remain), one fetch
//! in flight per token whose answer — success or error — goes to every
//! caller waiting for it, the proactive refresh of the active session's token
//! (17 s before it expires, or 6 s; after a failure it tries again 5 s later
//! while the token lives; never a refresh that is already due, so a skewed
//! clock cannot make it spin), and tokens shared with the other tabs.

use super::net::{Owner, Reply};
use super::tasks::Input;
use super::{Broadcast, CallId, Cmd, Engine, ReqId, TimerId};
use crate::endpoints::sessions;
use crate::errors::ClerkError;
use crate::jwt::{decode_claims, TokenCache};
use crate::model::decode::Source;
use crate::request::Form;

/// A refresh never fires sooner than this after it is armed.
const MIN_REFRESH_DELAY_MS: u64 = 1_000;
/// After a failed refresh, the next one waits this long.
const REFRESH_BACKOFF_MS: u64 = 5_000;
/// The refresh lands this long before expiry (first choice, then second).
const REFRESH_LEADS_MS: [u64; 2] = [17_000, 6_000];

#[derive(Debug)]
struct Fetch {
    key: String,
    session_id: String,
    template: bool,
    req: ReqId,
    waiters: Vec<CallId>,
    refresh: bool,
}

/// Token fetches in flight and the refresh timer.
#[derive(Debug, Default)]
pub(super) struct Tokens {
    fetches: Vec<Fetch>,
    /// When the armed refresh fires (Unix ms).
    armed: Option<u64>,
    /// No refresh before this (after a failed one).
    backoff_until: u64,
}

impl Tokens {
    /// A cancelled call stops waiting (the fetch goes on for the others).
    pub(super) fn forget_waiter(&mut self, call: CallId) {
        for f in &mut self.fetches {
            crate::list::remove_where(&mut f.waiters, |w| *w == call);
        }
    }

    /// Fetches in flight (for leak checks).
    pub(super) fn in_flight(&self) -> usize {
        self.fetches.len()
    }
}

impl<V: Source + Clone> Engine<V> {
    /// The token of `session_id` (`template`: a JWT template's): from the cache
    /// unless `skip_cache`, else `None` — `waiter` is resumed with
    /// [`Input::Token`] when the fetch (new, or the one in flight) answers.
    pub(super) fn token_for(
        &mut self,
        waiter: CallId,
        session_id: &str,
        template: Option<String>,
        skip_cache: bool,
    ) -> Option<Result<String, ClerkError>> {
        let key = TokenCache::key(session_id, template.as_deref(), None);
        if !skip_cache {
            if let Some(jwt) = self.state.tokens.get(&key, self.now) {
                return Some(Ok(jwt.into()));
            }
        }
        if let Some(f) = self.tokens.fetches.iter_mut().find(|f| f.key == key) {
            f.waiters.push(waiter);
            return None;
        }
        match self.fetch_token(key, session_id, template, skip_cache, false) {
            Ok(()) => {
                if let Some(f) = self.tokens.fetches.last_mut() {
                    f.waiters.push(waiter);
                }
                None
            }
            Err(e) => Some(Err(e)),
        }
    }

    fn fetch_token(
        &mut self,
        key: String,
        session_id: &str,
        template: Option<String>,
        skip_cache: bool,
        refresh: bool,
    ) -> Result<(), ClerkError> {
        let req = match &template {
            Some(t) => sessions::template_token(session_id, t)?,
            None => sessions::token(session_id, None, Form::new(), skip_cache)?,
        };
        let req = self.send(Owner::Token, req, false);
        self.tokens.fetches.push(Fetch {
            key,
            session_id: session_id.into(),
            template: template.is_some(),
            req,
            waiters: Vec::new(),
            refresh,
        });
        Ok(())
    }

    /// A token fetch answered: cached (and shared with the other tabs),
    /// then every waiter gets the same result.
    pub(super) fn token_reply(&mut self, req: ReqId, reply: Reply<V>, now_ms: u64) {
        let Some(i) = self.tokens.fetches.iter().position(|f| f.req == req) else {
            return;
        };
        let f = self.tokens.fetches.remove(i);
        let jwt = reply.and_then(|body| {
            body.and_then(|b| b.field("jwt"))
                .and_then(|j| j.string())
                .filter(|j| !j.is_empty())
                .ok_or_else(ClerkError::decode_failed)
        });
        let result = jwt.and_then(|jwt| {
            self.state
                .tokens
                .insert::<V>(f.key.clone(), &jwt)
                .map_err(|_| ClerkError::decode_failed())?;
            Ok(jwt)
        });
        match &result {
            Ok(jwt) => {
                self.tokens.backoff_until = 0;
                if !f.template {
                    self.push(Cmd::Post(Broadcast::Token {
                        session_id: f.session_id.clone(),
                        jwt: jwt.clone(),
                    }));
                }
            }
            Err(_) if f.refresh => {
                self.tokens.backoff_until = now_ms.saturating_add(REFRESH_BACKOFF_MS);
            }
            Err(_) => {}
        }
        for w in f.waiters {
            self.resume(w, Input::Token(result.clone()), now_ms);
        }
    }

    /// Arms (or moves, or clears) the refresh timer for the active session's token.
    pub(super) fn sync_refresh(&mut self, now_ms: u64) {
        let due = self.state.session_id.as_deref().and_then(|sid| {
            if self.tokens.fetches.iter().any(|f| f.key == sid) {
                return None;
            }
            let exp = self.state.tokens.entry(sid)?.exp_ms();
            let earliest = now_ms
                .saturating_add(MIN_REFRESH_DELAY_MS)
                .max(self.tokens.backoff_until);
            REFRESH_LEADS_MS
                .iter()
                .map(|lead| exp.saturating_sub(*lead))
                .find(|at| *at >= earliest)
        });
        if due == self.tokens.armed {
            return;
        }
        self.tokens.armed = due;
        self.push(match due {
            Some(at) => Cmd::SetTimer {
                timer: TimerId::Refresh,
                ms: at.saturating_sub(now_ms).min(u64::from(u32::MAX)) as u32,
            },
            None => Cmd::ClearTimer(TimerId::Refresh),
        });
    }

    /// The refresh timer fired: fetch the active session's token again.
    pub(super) fn refresh_now(&mut self, _now_ms: u64) {
        self.tokens.armed = None;
        let Some(sid) = self.state.session_id.clone() else {
            return;
        };
        if self.tokens.fetches.iter().any(|f| f.key == sid) {
            return;
        }
        let _ = self.fetch_token(sid.clone(), &sid, None, false, true);
    }

    /// A token from another tab: kept when it is a readable JWT of
    /// `session_id` (its `sid` claim agrees), that session is signed in here,
    /// and it expires later than the cached one.
    pub(super) fn accept_token(&mut self, session_id: &str, jwt: &str) {
        let Ok(claims) = decode_claims::<V>(jwt) else {
            return;
        };
        if claims.sid.as_deref().is_some_and(|s| s != session_id)
            || !self.state.is_signed_in_session(session_id)
        {
            return;
        }
        self.state.tokens.offer::<V>(session_id, jwt);
    }
}

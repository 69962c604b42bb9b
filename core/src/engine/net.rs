//! Requests: the dev-browser handshake (one at a time; requests wait for it),
//! URLs with `__clerk_db_jwt` / `_clerk_session_id` / `_clerk_retry_attempt`,
//! deadlines, the GET retry policy, piggybacked clients, and error envelopes
//! into [`ClerkError`]s. The answer goes to whoever sent the request.

use super::{Answer, CallId, Cmd, Engine, ReqId, TimerId, POLL_TIMEOUT_MS, REQUEST_TIMEOUT_MS};
use crate::cookies::DB_JWT;
use crate::endpoints::{dev_browser_create, wants_session_id};
use crate::errors::ClerkError;
use crate::model::decode::{Decode, Source};
use crate::request::{int_to_string, Request};
use crate::response::{ApiError, ErrorBody};

/// GETs are tried this many times in all on network failures.
const MAX_TRIES: u8 = 4;

/// Who waits for a request's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    /// A call.
    Task(CallId),
    /// The shared `load()` (environment or client).
    Load,
    /// A token fetch.
    Token,
    /// The dev-browser handshake.
    DevBrowser,
    /// The client reload after another tab signed in or out.
    Sync,
}

/// A request's answer as its owner sees it: the body of a 2xx, or the error.
pub(super) type Reply<V> = Result<Option<V>, ClerkError>;

#[derive(Debug)]
struct Pending {
    id: ReqId,
    owner: Owner,
    req: Request,
    tries: u8,
    /// An email-link poll: a short deadline, no retry (the next poll is the retry).
    poll: bool,
    /// On the wire (else waiting for the handshake).
    sent: bool,
    /// Already re-sent after `dev_browser_unauthenticated`.
    renewed: bool,
}

/// The requests in flight and the dev-browser credential.
#[derive(Debug)]
pub(super) struct Net {
    /// `None` on production instances; `Some(jwt)` on development ones.
    dev_browser: Option<Option<String>>,
    handshake: Option<ReqId>,
    pending: Vec<Pending>,
}

impl Net {
    pub(super) fn new(dev_browser: Option<Option<String>>) -> Net {
        Net {
            dev_browser,
            handshake: None,
            pending: Vec::new(),
        }
    }

    /// The dev-browser JWT (development instances, once known).
    pub(super) fn dev_browser_jwt(&self) -> Option<&str> {
        self.dev_browser.as_ref().and_then(|j| j.as_deref())
    }

    /// The ids of the requests `owner` waits for.
    pub(super) fn owned_by(&self, owner: Owner) -> Vec<ReqId> {
        crate::list::filter_map(&self.pending, |p| (p.owner == owner).then_some(p.id))
    }

    /// Requests in flight or waiting (for tests and leak checks).
    pub(super) fn len(&self) -> usize {
        self.pending.len()
    }
}

impl<V: Source + Clone> Engine<V> {
    /// Sends `req` for `owner`; a development instance without a dev-browser
    /// JWT makes one first (one handshake, however many requests wait).
    pub(super) fn send(&mut self, owner: Owner, req: Request, poll: bool) -> ReqId {
        let id = self.id();
        self.net.pending.push(Pending {
            id,
            owner,
            req,
            tries: 0,
            poll,
            sent: false,
            renewed: false,
        });
        let needs_handshake = matches!(self.net.dev_browser, Some(None));
        if owner == Owner::DevBrowser || !needs_handshake {
            self.transmit(id);
        } else if self.net.handshake.is_none() {
            self.net.handshake = Some(self.send(Owner::DevBrowser, dev_browser_create(), false));
        }
        id
    }

    fn transmit(&mut self, id: ReqId) {
        let Some(p) = self.net.pending.iter_mut().find(|p| p.id == id) else {
            return;
        };
        p.sent = true;
        let dev_browser = p.owner == Owner::DevBrowser;
        let mut extra: Vec<(&str, &str)> = Vec::with_capacity(3);
        let db = match &self.net.dev_browser {
            Some(Some(jwt)) if !dev_browser => Some(jwt.as_str()),
            _ => None,
        };
        if let Some(jwt) = db {
            extra.push((DB_JWT, jwt));
        }
        if let Some(sid) = self.state.session_id.as_deref() {
            if wants_session_id(&p.req.path) {
                extra.push(("_clerk_session_id", sid));
            }
        }
        let attempt = int_to_string(i64::from(p.tries));
        if p.tries > 0 {
            extra.push(("_clerk_retry_attempt", &attempt));
        }
        let cmd = Cmd::Send {
            req: id,
            method: p.req.wire_method(),
            url: p.req.url(&self.base, &extra),
            body: p.req.body(),
            credentials: !dev_browser,
        };
        let ms = if p.poll {
            POLL_TIMEOUT_MS
        } else {
            REQUEST_TIMEOUT_MS
        };
        self.push(cmd);
        self.push(Cmd::SetTimer {
            timer: TimerId::Timeout(id),
            ms,
        });
    }

    /// Drops request `id` without an answer (its owner is gone).
    pub(super) fn abort(&mut self, id: ReqId) {
        let Some(i) = self.net.pending.iter().position(|p| p.id == id) else {
            return;
        };
        let p = self.net.pending.remove(i);
        if p.sent {
            self.push(Cmd::Abort(id));
            self.push(Cmd::ClearTimer(TimerId::Timeout(id)));
        }
        self.push(Cmd::ClearTimer(TimerId::Retry(id)));
    }

    pub(super) fn timed_out(&mut self, id: ReqId, now_ms: u64) {
        if !self.net.pending.iter().any(|p| p.id == id && p.sent) {
            return;
        }
        self.push(Cmd::Abort(id));
        let p = self.take(id);
        let err = ClerkError::Network {
            message: "The request timed out.".into(),
        };
        self.deliver(p, Err(err), now_ms);
    }

    pub(super) fn retry(&mut self, id: ReqId) {
        // During a dev-browser handshake it waits: it goes when that ends.
        if self.net.handshake.is_none() && self.net.pending.iter().any(|p| p.id == id && !p.sent) {
            self.transmit(id);
        }
    }

    fn take(&mut self, id: ReqId) -> Option<Pending> {
        let i = self.net.pending.iter().position(|p| p.id == id)?;
        Some(self.net.pending.remove(i))
    }

    pub(super) fn answer(&mut self, id: ReqId, answer: Answer<V>, now_ms: u64) {
        let Some(p) = self.net.pending.iter_mut().find(|p| p.id == id && p.sent) else {
            return;
        };
        self.out.push(Cmd::ClearTimer(TimerId::Timeout(id)));
        let (status, body, retry_after, header_jwt) = match answer {
            Answer::Failed(message) => {
                if p.req.wire_method() == "GET" && !p.poll && p.tries + 1 < MAX_TRIES {
                    p.tries += 1;
                    p.sent = false;
                    if p.tries == 1 {
                        self.transmit(id);
                    } else {
                        let ms = (700u32 << (p.tries - 2)).min(5_000);
                        self.push(Cmd::SetTimer {
                            timer: TimerId::Retry(id),
                            ms,
                        });
                    }
                    return;
                }
                let p = self.take(id);
                self.deliver(p, Err(ClerkError::Network { message }), now_ms);
                return;
            }
            Answer::Response {
                status,
                body,
                retry_after,
                dev_browser_jwt,
            } => (status, body, retry_after, dev_browser_jwt),
        };
        if let Some(jwt) = header_jwt.filter(|j| !j.is_empty()) {
            self.store_dev_browser(jwt);
        }
        if (200..300).contains(&status) {
            if let Some(b) = &body {
                self.piggyback(b);
            }
            let p = self.take(id);
            self.deliver(p, Ok(body), now_ms);
            return;
        }
        let error = match body.as_ref().map(ErrorBody::decode) {
            Some(b) if !b.errors.is_empty() => {
                ApiError::from_body(status, b, retry_after.as_deref())
            }
            _ => ApiError::without_body(status, retry_after.as_deref()),
        };
        let renew = self.net.dev_browser.is_some() && error.is_dev_browser_unauthenticated();
        if let Some(p) = self.net.pending.iter_mut().find(|p| p.id == id) {
            if renew && !p.renewed && p.owner != Owner::DevBrowser {
                // A new dev browser, then this request again.
                p.renewed = true;
                p.sent = false;
                if self.net.handshake.is_none() {
                    self.net.dev_browser = Some(None);
                    self.push(Cmd::Cookie {
                        name: DB_JWT,
                        value: String::new(),
                        strict: false,
                    });
                    self.net.handshake =
                        Some(self.send(Owner::DevBrowser, dev_browser_create(), false));
                }
                return;
            }
        }
        let p = self.take(id);
        self.deliver(p, Err(ClerkError::Api(error)), now_ms);
    }

    /// Keeps a (new) dev-browser JWT and writes its cookies.
    fn store_dev_browser(&mut self, jwt: String) {
        if let Some(current) = &mut self.net.dev_browser {
            if current.as_deref() != Some(jwt.as_str()) {
                *current = Some(jwt.clone());
                self.push(Cmd::Cookie {
                    name: DB_JWT,
                    value: jwt,
                    strict: false,
                });
            }
        }
    }

    /// Applies the client a response carries (`client`, or `meta.client`).
    fn piggyback(&mut self, body: &V) {
        let client = body
            .field("client")
            .or_else(|| body.field("meta").and_then(|m| m.field("client")));
        if client.is_some() {
            self.state.apply_client(client);
            self.dirty = true;
        }
    }

    fn deliver(&mut self, p: Option<Pending>, reply: Reply<V>, now_ms: u64) {
        let Some(p) = p else { return };
        match p.owner {
            Owner::Task(call) => self.resume(call, tasks_input(reply), now_ms),
            Owner::Load => self.load_reply(p.id, reply, now_ms),
            Owner::Token => self.token_reply(p.id, reply, now_ms),
            Owner::DevBrowser => self.handshake_done(reply, now_ms),
            Owner::Sync => self.synced(reply),
        }
    }

    fn handshake_done(&mut self, reply: Reply<V>, now_ms: u64) {
        self.net.handshake = None;
        let jwt = match reply {
            Ok(Some(body)) => body
                .field("id")
                .and_then(|v| v.string())
                .filter(|j| !j.is_empty())
                .ok_or_else(ClerkError::decode_failed),
            Ok(None) => Err(ClerkError::decode_failed()),
            Err(e) => Err(e),
        };
        let waiting = crate::list::filter_map(&self.net.pending, |p| {
            (!p.sent && p.owner != Owner::DevBrowser).then_some(p.id)
        });
        for id in &waiting {
            // A GET waiting for its retry goes (or fails) now, with the others.
            self.push(Cmd::ClearTimer(TimerId::Retry(*id)));
        }
        match jwt {
            Ok(jwt) => {
                self.store_dev_browser(jwt);
                for id in waiting {
                    self.transmit(id);
                }
            }
            Err(e) => {
                for id in waiting {
                    let p = self.take(id);
                    self.deliver(p, Err(e.clone()), now_ms);
                }
            }
        }
    }
}

/// A task's view of a reply.
fn tasks_input<V>(reply: Reply<V>) -> super::tasks::Input<V> {
    super::tasks::Input::Reply(reply)
}

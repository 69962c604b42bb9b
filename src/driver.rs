//! The one driver: carries out the engine's commands in the browser — fetch
//! (with an `AbortController` per request; answers read through gloo-net), timers through
//! [`crate::timers`] (gloo-timers, or a worker's), cookies and navigation
//! through [`crate::page`], BroadcastChannel and tab events through web-sys —
//! and feeds every outcome back as an engine input. Both faces of the SDK
//! (the Rust API and the npm package) and the forms run on it.
//!
//! Nothing here decides anything: see [`crate::core::engine`] for what the
//! commands mean. One future exists per request in flight (the fetch); every
//! other wait is a callback.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal, BroadcastChannel, EventTarget, MessageEvent};

use crate::core::cookies;
use crate::core::engine::{
    Answer, Broadcast, Call, CallId, Cmd, Config, Engine, Output, ReqId, TimerId,
};
use crate::core::errors::ClerkError;
use crate::core::list::{filter_map, remove_where};
use crate::interop::{get, object, set, Js};
use crate::page;
use crate::timers::{Timer, Timers};

/// Where a call's result goes.
pub(crate) type Reply = Box<dyn FnOnce(Result<Output<Js>, ClerkError>)>;

/// A call in progress: where its result goes, and the `abort` listener on
/// its signal (removed when it settles).
type Waiting = (Reply, Option<Listener>);

/// A state listener of the Rust API or the forms.
type StateListener = Rc<dyn Fn()>;

/// The BroadcastChannel on which tabs share freshly minted session tokens
/// (`{ type: "token", sid, jwt }`) and say that they signed in or out
/// (`{ type: "signed_in" | "signed_out", app, client }`: the app's
/// [`Engine::app_scope`] and the client's id; no token).
pub const SESSION_CHANNEL: &str = "clerk-wasm:session";
/// The BroadcastChannel on which a landing page announces an email link to
/// the other tabs (`{ type: "email_link", status }`; never a token or a code).
pub const LINK_CHANNEL: &str = "clerk-wasm:email-link";

/// An event listener, removed on drop.
struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    fn add(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Listener> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
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

/// A BroadcastChannel with its message handler; closed on drop.
struct Channel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    fn open(name: &str, f: impl FnMut(MessageEvent) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(f);
        set(&channel, "onmessage", on_message.as_ref());
        Some(Channel {
            channel,
            _on_message: on_message,
        })
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        set(&self.channel, "onmessage", &JsValue::NULL);
        self.channel.close();
    }
}

/// The driver of one engine (one `Clerk`).
pub struct Driver {
    engine: RefCell<Engine<Js>>,
    suffix: String,
    timers: Timers,
    armed: RefCell<Vec<(TimerId, Timer)>>,
    fetches: RefCell<Vec<(ReqId, AbortController)>>,
    replies: RefCell<Vec<(CallId, Waiting)>>,
    listeners: RefCell<Vec<(u32, StateListener)>>,
    next_listener: Cell<u32>,
    /// The tab's events and the link channel, while an email-link wait runs.
    tab: RefCell<Vec<Listener>>,
    link_channel: RefCell<Option<Channel>>,
    session_channel: RefCell<Option<Channel>>,
    me: Weak<Driver>,
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Driver")
    }
}

impl Driver {
    /// A driver for `publishable_key`: reads the page (and its dev-browser
    /// cookie), starts listening for other tabs' tokens. Sends nothing.
    pub fn new(
        publishable_key: &str,
        proxy_url: Option<String>,
        worker_timers: bool,
    ) -> Result<Rc<Driver>, ClerkError> {
        let suffix = cookies::suffix(publishable_key);
        let dev = crate::core::key::PublishableKey::parse(publishable_key)?.is_development();
        // A dev browser handed over in the URL wins over the stored one.
        let handed = if dev { page::take_dev_browser() } else { None };
        if let Some(jwt) = &handed {
            page::write_cookie(cookies::DB_JWT, &suffix, jwt, false);
        }
        let engine = Engine::new(Config {
            publishable_key: publishable_key.into(),
            proxy_url,
            page: page::facts(),
            dev_browser_jwt: handed.or_else(|| page::dev_browser_jwt(&suffix)),
        })?;
        let driver = Rc::new_cyclic(|me: &Weak<Driver>| Driver {
            engine: RefCell::new(engine),
            suffix,
            timers: Timers::new(worker_timers),
            armed: RefCell::new(Vec::new()),
            fetches: RefCell::new(Vec::new()),
            replies: RefCell::new(Vec::new()),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            tab: RefCell::new(Vec::new()),
            link_channel: RefCell::new(None),
            session_channel: RefCell::new(None),
            me: me.clone(),
        });
        let weak = driver.me.clone();
        *driver.session_channel.borrow_mut() = Channel::open(SESSION_CHANNEL, move |e| {
            let data = e.data();
            let Some(d) = weak.upgrade() else { return };
            let text = |k| get(&data, k).as_string();
            match text("type").as_deref() {
                Some("signed_in" | "signed_out") => {
                    if let (Some(app), Some(client)) = (text("app"), text("client")) {
                        d.input(|e, now| e.client_changed_elsewhere(&app, &client, now));
                    }
                }
                Some("token") => {
                    if let (Some(sid), Some(jwt)) = (text("sid"), text("jwt")) {
                        d.input(|e, now| e.token_from_tab(&sid, &jwt, now));
                    }
                }
                _ => {}
            }
        });
        Ok(driver)
    }

    /// The engine, to read its state (never hold the borrow across a call).
    pub fn engine(&self) -> std::cell::Ref<'_, Engine<Js>> {
        self.engine.borrow()
    }

    /// ClerkJS's `buildSignInUrl(props)` and friends ([`Engine::url_for`]),
    /// for this page.
    pub fn url_for(
        &self,
        which: crate::core::engine::Hosted,
        props: &crate::core::engine::RedirectUrls,
    ) -> String {
        self.engine.borrow().url_for(which, props, &page::href())
    }

    /// Where this driver's timers run.
    pub fn timers(&self) -> &Timers {
        &self.timers
    }

    /// Starts `call`; `reply` gets its result exactly once. An aborted
    /// `signal` cancels it.
    pub fn call(&self, call: Call, signal: Option<AbortSignal>, reply: Reply) -> CallId {
        let id = self.engine.borrow_mut().call(call, page::now_ms());
        let mut on_signal = None;
        if let Some(signal) = signal {
            if signal.aborted() {
                self.engine.borrow_mut().cancel(id, page::now_ms());
            } else {
                let weak = self.me.clone();
                let on_abort = move |_| {
                    if let Some(d) = weak.upgrade() {
                        d.cancel(id);
                    }
                };
                on_signal = Listener::add(&signal, "abort", on_abort);
            }
        }
        self.replies.borrow_mut().push((id, (reply, on_signal)));
        self.pump();
        id
    }

    /// Cancels call `id` (settled calls are ignored).
    pub fn cancel(&self, id: CallId) {
        self.input(|e, now| e.cancel(id, now));
    }

    /// Calls `f` after every change of state; returns its id.
    pub fn add_listener(&self, f: Rc<dyn Fn()>) -> u32 {
        let id = self.next_listener.get().wrapping_add(1);
        self.next_listener.set(id);
        self.listeners.borrow_mut().push((id, f));
        id
    }

    /// Removes a listener (unknown ids are ignored).
    pub fn remove_listener(&self, id: u32) {
        remove_where(&mut self.listeners.borrow_mut(), |(i, _)| *i == id);
    }

    /// What is alive, for leak checks: the engine's calls, requests and token
    /// fetches, then armed timers, fetches, pending replies, abort-signal
    /// listeners, state listeners and tab-event listeners.
    pub fn live(&self) -> [usize; 9] {
        let [tasks, requests, tokens] = self.engine.borrow().live();
        [
            tasks,
            requests,
            tokens,
            self.armed.borrow().len(),
            self.fetches.borrow().len(),
            self.replies.borrow().len(),
            self.replies
                .borrow()
                .iter()
                .filter(|(_, (_, l))| l.is_some())
                .count(),
            self.listeners.borrow().len(),
            self.tab.borrow().len(),
        ]
    }

    /// Feeds one input to the engine, then carries out what it asks.
    fn input(&self, f: impl FnOnce(&mut Engine<Js>, u64)) {
        if let Ok(mut e) = self.engine.try_borrow_mut() {
            f(&mut e, page::now_ms());
        }
        self.pump();
    }

    /// Carries out every pending command, in order. Re-entrant calls (a
    /// listener that calls the SDK) run their commands from the same queue.
    fn pump(&self) {
        loop {
            let cmd = match self.engine.try_borrow_mut() {
                Ok(mut e) => e.poll(),
                Err(_) => return,
            };
            match cmd {
                Some(cmd) => self.exec(cmd),
                None => return,
            }
        }
    }

    fn exec(&self, cmd: Cmd<Js>) {
        match cmd {
            Cmd::Send {
                req,
                method,
                url,
                body,
                credentials,
            } => self.fetch(req, method, url, body, credentials),
            Cmd::Abort(req) => {
                if let Some(c) = take(&self.fetches, req) {
                    c.abort();
                }
            }
            Cmd::SetTimer { timer, ms } => {
                let weak = self.me.clone();
                let handle = self.timers.timeout(ms, move || {
                    if let Some(d) = weak.upgrade() {
                        if let Some(t) = take(&d.armed, timer) {
                            // Dropped while its callback runs: wasm-bindgen frees it after.
                            drop(t);
                            d.input(|e, now| e.timer(timer, now));
                        }
                    }
                });
                // The timer it replaces is dropped (cancelled) after the borrow ends.
                let old = take(&self.armed, timer);
                self.armed.borrow_mut().push((timer, handle));
                drop(old);
            }
            Cmd::ClearTimer(timer) => drop(take(&self.armed, timer)),
            Cmd::Cookie {
                name,
                value,
                strict,
            } => page::write_cookie(name, &self.suffix, &value, strict),
            Cmd::Post(Broadcast::Token { session_id, jwt }) => {
                let msg = [
                    ("type", "token".into()),
                    ("sid", session_id.into()),
                    ("jwt", jwt.into()),
                ];
                self.post(&object(&msg));
            }
            Cmd::Post(Broadcast::ClientChanged {
                app,
                client,
                signed_in,
            }) => {
                let kind = if signed_in { "signed_in" } else { "signed_out" };
                let msg = [
                    ("type", kind.into()),
                    ("app", app.into()),
                    ("client", client.into()),
                ];
                self.post(&object(&msg));
            }
            Cmd::Post(Broadcast::EmailLink { status }) => announce(&status),
            Cmd::WatchTab(on) => self.watch_tab(on),
            Cmd::Notify => {
                let listeners = filter_map(&self.listeners.borrow(), |(_, l)| Some(l.clone()));
                for l in listeners {
                    l();
                }
            }
            Cmd::Done { call, result } => {
                if let Some((reply, on_signal)) = take(&self.replies, call) {
                    drop(on_signal);
                    reply(result);
                }
            }
            Cmd::Navigate(url) => page::navigate(&url),
            Cmd::ReplaceQuery(q) => page::replace_query(&q),
        }
    }

    /// Posts `msg` to the other tabs on [`SESSION_CHANNEL`].
    fn post(&self, msg: &JsValue) {
        if let Some(c) = &*self.session_channel.borrow() {
            let _ = c.channel.post_message(msg);
        }
    }

    /// `fetch(url)`; its answer goes back to the engine (an aborted fetch's
    /// answer is ignored there).
    fn fetch(
        &self,
        req: ReqId,
        method: &str,
        url: String,
        body: Option<String>,
        credentials: bool,
    ) {
        let controller = AbortController::new().ok();
        // A plain `RequestInit`, as ClerkJS passes it: `fetch(url, init)`.
        let init = object(&[
            ("method", method.into()),
            (
                "credentials",
                if credentials { "include" } else { "omit" }.into(),
            ),
        ]);
        if let Some(c) = &controller {
            set(&init, "signal", &c.signal());
        }
        if let Some(b) = body {
            let form = crate::core::request::FORM_CONTENT_TYPE;
            set(&init, "headers", &object(&[("content-type", form.into())]));
            set(&init, "body", &b.into());
        }
        if let Some(c) = controller {
            self.fetches.borrow_mut().push((req, c));
        }
        let weak = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = send(&url, &init).await;
            if let Some(d) = weak.upgrade() {
                drop(take(&d.fetches, req));
                d.input(|e, now| e.http(req, answer, now));
            }
        });
    }

    /// Nudges the engine on `visibilitychange` (to visible), `focus`,
    /// `online`, and other tabs' email-link announcements.
    fn watch_tab(&self, on: bool) {
        let mut tab = self.tab.borrow_mut();
        tab.clear();
        *self.link_channel.borrow_mut() = None;
        if !on {
            return;
        }
        let Some(w) = web_sys::window() else { return };
        let nudge = |weak: Weak<Driver>| {
            move |_| {
                if let Some(d) = weak.upgrade().filter(|_| page::visible()) {
                    d.input(|e, now| e.nudge(now));
                }
            }
        };
        let window: &EventTarget = w.as_ref();
        let doc: Option<EventTarget> = w.document().map(Into::into);
        let events = [
            (Some(window), "focus"),
            (Some(window), "online"),
            (doc.as_ref(), "visibilitychange"),
        ];
        for (target, kind) in events {
            if let Some(l) = target.and_then(|t| Listener::add(t, kind, nudge(self.me.clone()))) {
                tab.push(l);
            }
        }
        let weak = self.me.clone();
        *self.link_channel.borrow_mut() = Channel::open(LINK_CHANNEL, move |_| {
            if let Some(d) = weak.upgrade() {
                d.input(|e, now| e.nudge(now));
            }
        });
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        for (_, c) in self.fetches.get_mut().drain(..) {
            c.abort();
        }
    }
}

/// Removes and returns the entry for `key` of a registry (the borrow ends
/// before the caller drops or calls what it gets).
fn take<K: PartialEq, V>(list: &RefCell<Vec<(K, V)>>, key: K) -> Option<V> {
    let mut list = list.borrow_mut();
    let i = list.iter().position(|(k, _)| *k == key)?;
    Some(list.remove(i).1)
}

/// Tells the waiting tabs of this browser that an email link landed with
/// `status`; they poll at once.
pub fn announce(status: &str) {
    if let Ok(ch) = BroadcastChannel::new(LINK_CHANNEL) {
        let msg = object(&[("type", "email_link".into()), ("status", status.into())]);
        let _ = ch.post_message(&msg);
        ch.close();
    }
}

#[wasm_bindgen]
extern "C" {
    /// The page's `fetch`, looked up at each call (a wrapper the page installs
    /// later is used) and caught: a wrapper may throw.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn page_fetch(url: &str, init: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

/// Sends the request: the status, the parsed JSON body (`None` when empty or
/// not JSON), `Retry-After` and `Clerk-Db-Jwt`; or the network failure.
///
/// `fetch` is called here, not through gloo-net's `Request::send`: that one
/// traps (`unreachable!`, `panic!`) when a page's fetch wrapper rejects with
/// something that is not an `Error` or resolves with something that is not a
/// `Response`, which would leave the engine dead. Here each of those is a
/// failed request. The answer is read through gloo-net's `Response`.
async fn send(url: &str, init: &JsValue) -> Answer<Js> {
    let answer = match page_fetch(url, init) {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    let resp = match answer.map(|v| v.dyn_into::<web_sys::Response>()) {
        Ok(Ok(r)) => gloo_net::http::Response::from(r),
        Ok(Err(_)) => return Answer::Failed("fetch did not answer with a Response.".into()),
        Err(e) => return Answer::Failed(failure(&e)),
    };
    let status = resp.status();
    let headers = resp.headers();
    let retry_after = headers.get("retry-after");
    let dev_browser_jwt = headers.get("clerk-db-jwt");
    let raw = web_sys::Response::from(resp);
    // A body that is not JSON (empty, HTML, garbage) rejects with a SyntaxError:
    // an answer without a body. A body the connection cut off rejects with a
    // TypeError: no answer at all, as a failed fetch (GETs are retried).
    let body = match raw.json() {
        Ok(p) if status != 204 => match wasm_bindgen_futures::JsFuture::from(p).await {
            Ok(v) => Some(v).filter(|v| v.is_object()).map(Js),
            Err(e) if e.is_instance_of::<js_sys::SyntaxError>() => None,
            Err(e) => return Answer::Failed(failure(&e)),
        },
        _ => None,
    };
    Answer::Response {
        status,
        body,
        retry_after,
        dev_browser_jwt,
    }
}

/// A rejected fetch's message: the `Error`'s, or the browser's usual words
/// when it rejected with something else.
fn failure(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map_or_else(|| "Failed to fetch".into(), |e| e.message().into())
}

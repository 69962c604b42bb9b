//! Timers with a gloo-style handle: a [`Timer`] cancels on drop
//! (`#[must_use]`), or runs anyway after [`Timer::forget`]. They run on the
//! page's timers (gloo-timers), or with [`ClerkOptions::worker_timers`](crate::ClerkOptions)
//! on a dedicated worker's, which browsers throttle less in background tabs.
//!
//! The worker is made from a blob: URL (CSP `worker-src blob:`) and only runs
//! `setTimeout` for us. When it cannot be made, or fails later (a CSP refusal
//! arrives as an `error` event), the page's timers take over, also for the
//! timers it already had.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

use crate::interop;

/// The worker's whole script: post the id back after the delay.
const SCRIPT: &str = "onmessage=(e)=>setTimeout(postMessage,e.data[1],e.data[0])";

/// Sleeps `ms` milliseconds on the page's timers (cleared if the future is dropped).
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Where a [`crate::Clerk`] waits: the page's timers or a worker's; cheap to clone.
#[derive(Clone, Default)]
pub struct Timers(Option<Rc<WorkerTimers>>);

impl std::fmt::Debug for Timers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.on_worker() {
            "Timers(worker)"
        } else {
            "Timers(page)"
        })
    }
}

impl Timers {
    /// The page's timers, or (`worker`) a dedicated worker's when one can be made.
    pub fn new(worker: bool) -> Timers {
        Timers(if worker { WorkerTimers::new() } else { None })
    }

    /// Whether a worker runs these timers (until it fails).
    pub fn on_worker(&self) -> bool {
        self.0.as_ref().is_some_and(|w| w.worker.borrow().is_some())
    }

    /// Calls `f` after `ms`; dropping the handle first cancels it.
    pub fn timeout(&self, ms: u32, f: impl FnOnce() + 'static) -> Timer {
        Timer(match &self.0 {
            Some(w) => Inner::Worker(Rc::downgrade(w), w.set(ms, Box::new(f))),
            None => Inner::Page(Some(Timeout::new(ms, f))),
        })
    }

    /// Resolves after `ms` (dropping the future cancels the timer).
    pub fn sleep(&self, ms: u32) -> impl Future<Output = ()> + 'static {
        let (tx, rx) = futures_channel::oneshot::channel::<()>();
        let handle = self.timeout(ms, move || {
            let _ = tx.send(());
        });
        async move {
            let _ = rx.await;
            drop(handle);
        }
    }
}

/// A pending timer of [`Timers::timeout`]: dropping it cancels the timer.
#[must_use = "timers cancel on drop; either call forget or drop explicitly"]
pub struct Timer(Inner);

enum Inner {
    /// On the page's timers (`None` once forgotten).
    Page(Option<Timeout>),
    /// On the worker, by id (`0` once forgotten).
    Worker(Weak<WorkerTimers>, u32),
}

impl std::fmt::Debug for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Timer")
    }
}

impl Timer {
    /// Lets the timer run even though the handle is gone.
    pub fn forget(mut self) {
        match &mut self.0 {
            Inner::Page(t) => {
                if let Some(t) = t.take() {
                    t.forget();
                }
            }
            Inner::Worker(_, id) => *id = 0,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Inner::Worker(w, id) = &self.0 {
            if let Some(w) = w.upgrade().filter(|_| *id != 0) {
                w.clear(*id);
            }
        }
    }
}

/// A timer the worker (or, after it failed, the page) runs.
struct Pending {
    id: u32,
    ms: u32,
    f: Option<Box<dyn FnOnce()>>,
    page: Option<Timeout>,
}

type OnMessage = Closure<dyn FnMut(MessageEvent)>;
type OnError = Closure<dyn FnMut(web_sys::Event)>;

/// The worker and the timers given to it.
struct WorkerTimers {
    worker: RefCell<Option<Worker>>,
    pending: RefCell<Vec<Pending>>,
    next: Cell<u32>,
    _on_message: OnMessage,
    _on_error: OnError,
}

impl WorkerTimers {
    fn new() -> Option<Rc<WorkerTimers>> {
        let parts = js_sys::Array::new();
        parts.push(&JsValue::from_str(SCRIPT));
        let bag: BlobPropertyBag = interop::object(&[("type", "text/javascript".into())]).into();
        let blob = Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
        let url = Url::create_object_url_with_blob(&blob).ok()?;
        let worker = Worker::new(&url).ok()?;
        let timers = Rc::new_cyclic(|weak: &Weak<WorkerTimers>| {
            let w = weak.clone();
            let on_message = OnMessage::new(move |e: MessageEvent| {
                if let (Some(t), Some(id)) = (w.upgrade(), e.data().as_f64()) {
                    t.fire(id as u32);
                }
            });
            let w = weak.clone();
            let on_error = OnError::new(move |_| {
                if let Some(t) = w.upgrade() {
                    t.fail();
                }
            });
            interop::set(&worker, "onmessage", on_message.as_ref());
            interop::set(&worker, "onerror", on_error.as_ref());
            WorkerTimers {
                worker: RefCell::new(Some(worker.clone())),
                pending: RefCell::new(Vec::new()),
                next: Cell::new(0),
                _on_message: on_message,
                _on_error: on_error,
            }
        });
        Some(timers)
    }

    fn set(self: &Rc<Self>, ms: u32, f: Box<dyn FnOnce()>) -> u32 {
        let id = self.next.get().wrapping_add(1);
        self.next.set(id);
        let mut p = Pending {
            id,
            ms,
            f: Some(f),
            page: None,
        };
        match &*self.worker.borrow() {
            Some(w) => {
                let msg = js_sys::Array::new();
                msg.push(&id.into());
                msg.push(&ms.into());
                let _ = w.post_message(&msg);
            }
            None => p.page = Some(self.on_page(id, ms)),
        }
        self.pending.borrow_mut().push(p);
        id
    }

    fn on_page(self: &Rc<Self>, id: u32, ms: u32) -> Timeout {
        let weak = Rc::downgrade(self);
        Timeout::new(ms, move || {
            if let Some(t) = weak.upgrade() {
                t.fire(id);
            }
        })
    }

    fn clear(&self, id: u32) {
        let taken = {
            let mut v = self.pending.borrow_mut();
            v.iter().position(|p| p.id == id).map(|i| v.remove(i))
        };
        drop(taken);
    }

    /// Runs timer `id` (once; a cleared or already run one is ignored).
    fn fire(&self, id: u32) {
        let f = {
            let mut v = self.pending.borrow_mut();
            let i = v.iter().position(|p| p.id == id);
            i.and_then(|i| v.remove(i).f)
        };
        if let Some(f) = f {
            f();
        }
    }

    /// The worker failed: the page's timers run what it had, and what comes next.
    fn fail(self: &Rc<Self>) {
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        for p in self.pending.borrow_mut().iter_mut() {
            if p.page.is_none() {
                p.page = Some(self.on_page(p.id, p.ms));
            }
        }
    }
}

impl Drop for WorkerTimers {
    fn drop(&mut self) {
        if let Some(w) = self.worker.get_mut().take() {
            interop::set(&w, "onmessage", &JsValue::NULL);
            interop::set(&w, "onerror", &JsValue::NULL);
            w.terminate();
        }
    }
}

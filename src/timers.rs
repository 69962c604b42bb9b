//! Timers and cancellation on top of gloo-timers.
//!
//! [`Cancel`] is a cloneable cancellation token: `cancel()` wakes every future
//! racing it with [`Cancel::run`], which then resolves to
//! [`ClerkError::Cancelled`](crate::core::errors::ClerkError::Cancelled) and drops
//! the raced future — dropping a gloo `TimeoutFuture` clears its timer, and
//! dropping a transport call aborts its fetch through the token's `AbortSignal`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use web_sys::{AbortController, AbortSignal};

use crate::core::errors::ClerkError;

/// Sleeps `ms` milliseconds (a `setTimeout`, cleared if the future is dropped).
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

#[derive(Debug, Default)]
struct CancelState {
    cancelled: bool,
    wakers: Vec<Waker>,
    controller: Option<AbortController>,
}

/// A cancellation token shared by a flow and whoever may cancel it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Rc<RefCell<CancelState>>);

impl Cancel {
    /// A fresh, not yet cancelled token.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Cancels: idempotent; wakes every racing future and aborts in-flight fetches.
    pub fn cancel(&self) {
        let (wakers, controller) = {
            let mut s = self.0.borrow_mut();
            if s.cancelled {
                return;
            }
            s.cancelled = true;
            (std::mem::take(&mut s.wakers), s.controller.take())
        };
        if let Some(c) = controller {
            c.abort();
        }
        for w in wakers {
            w.wake();
        }
    }

    /// Whether `cancel()` was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.borrow().cancelled
    }

    /// An `AbortSignal` that fires on `cancel()` (for fetches made under this token).
    pub fn signal(&self) -> Option<AbortSignal> {
        let mut s = self.0.borrow_mut();
        if s.controller.is_none() {
            s.controller = AbortController::new().ok();
            if s.cancelled {
                if let Some(c) = &s.controller {
                    c.abort();
                }
            }
        }
        s.controller.as_ref().map(|c| c.signal())
    }

    /// Runs `fut` until it finishes or this token is cancelled, whichever is first.
    pub async fn run<T>(
        &self,
        fut: impl Future<Output = Result<T, ClerkError>>,
    ) -> Result<T, ClerkError> {
        Race {
            cancel: self.clone(),
            fut: Box::pin(fut),
        }
        .await
    }
}

struct Race<F> {
    cancel: Cancel,
    fut: Pin<Box<F>>,
}

impl<T, F: Future<Output = Result<T, ClerkError>>> Future for Race<F> {
    type Output = Result<T, ClerkError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.cancel.is_cancelled() {
            return Poll::Ready(Err(ClerkError::Cancelled));
        }
        if let Poll::Ready(out) = self.fut.as_mut().poll(cx) {
            return Poll::Ready(out);
        }
        let mut s = self.cancel.0.borrow_mut();
        if !s.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            s.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Runs two futures concurrently and returns both outputs.
pub async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = Box::pin(a);
    let mut b = Box::pin(b);
    let mut out_a = None;
    let mut out_b = None;
    std::future::poll_fn(move |cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        match (out_a.take(), out_b.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                out_a = x;
                out_b = y;
                Poll::Pending
            }
        }
    })
    .await
}

//! The handful of DOM helpers the forms are built from. Generic `Element`
//! calls and `Reflect` for input values keep the web-sys surface (and so the
//! JS glue) small. No inline styles anywhere: classes and attributes only.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement};

/// The page's document.
pub(crate) fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Creates `<tag>` under `parent` with `class`, the given attributes and text.
pub(crate) fn el(
    parent: &Element,
    tag: &str,
    class: &str,
    attrs: &[(&str, &str)],
    text: &str,
) -> Option<Element> {
    let e = document()?.create_element(tag).ok()?;
    if !class.is_empty() {
        set(&e, "class", class);
    }
    for (k, v) in attrs {
        set(&e, k, v);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    parent.append_child(&e).ok()?;
    Some(e)
}

/// Sets an attribute (errors ignored: only invalid names fail).
pub(crate) fn set(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Sets or removes a boolean attribute (`disabled`, `hidden`, …).
pub(crate) fn flag(e: &Element, name: &str, on: bool) {
    if on {
        set(e, name, "");
    } else {
        let _ = e.remove_attribute(name);
    }
}

/// Replaces the text of `e`.
pub(crate) fn text(e: &Element, s: &str) {
    e.set_text_content(Some(s));
}

/// Removes every child of `e`.
pub(crate) fn clear(e: &Element) {
    e.set_text_content(None);
}

/// The `value` of an input.
pub(crate) fn value(e: &Element) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("value"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Sets the `value` of an input.
pub(crate) fn set_value(e: &Element, v: &str) {
    let _ = js_sys::Reflect::set(e, &JsValue::from_str("value"), &JsValue::from_str(v));
}

/// Moves keyboard focus to `e`.
pub(crate) fn focus(e: &Element) {
    let _ = e.unchecked_ref::<HtmlElement>().focus();
}

/// A unique id prefix per mounted widget (`cw1-`, `cw2-`, …).
pub(crate) fn id_prefix() -> String {
    thread_local!(static NEXT: Cell<u64> = const { Cell::new(0) });
    let n = NEXT.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let mut s = String::from("cw");
    push_num(&mut s, n);
    s.push('-');
    s
}

/// Appends the decimal form of `n` (no `format!` machinery).
pub(crate) fn push_num(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for b in &buf[i..] {
        out.push(char::from(*b));
    }
}

/// `a` followed by `b`.
pub(crate) fn cat(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// A boxed request chain: one `Cancel::run` instance serves them all (size).
pub(crate) type Job = Pin<Box<dyn Future<Output = Result<u8, crate::ClerkError>>>>;

/// One `spawn_local` instance for every task (size).
pub(crate) fn spawn(f: impl Future<Output = ()> + 'static) {
    let f: Pin<Box<dyn Future<Output = ()>>> = Box::pin(f);
    wasm_bindgen_futures::spawn_local(f);
}

/// An event listener that removes itself when dropped.
pub(crate) struct Listener {
    target: EventTarget,
    kind: &'static str,
    f: Closure<dyn FnMut(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.f.as_ref().unchecked_ref());
    }
}

/// Adds a listener for `kind` on `target`; dropping the result removes it.
pub(crate) fn listen(
    target: &EventTarget,
    kind: &'static str,
    f: impl FnMut(Event) + 'static,
) -> Listener {
    let f = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(kind, f.as_ref().unchecked_ref());
    Listener {
        target: target.clone(),
        kind,
        f,
    }
}

/// The `data-cw` action of the button an event came from (event delegation).
pub(crate) fn action_of(ev: &Event) -> Option<String> {
    let target: Element = ev.target()?.dyn_into().ok()?;
    target.closest("[data-cw]").ok()??.get_attribute("data-cw")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let mut s = String::new();
        push_num(&mut s, 0);
        s.push(' ');
        push_num(&mut s, 30);
        s.push(' ');
        push_num(&mut s, u64::MAX);
        assert_eq!(s, "0 30 18446744073709551615");
        assert_eq!(cat("a", "b"), "ab");
    }
}

//! The DOM helpers the forms are drawn with: [`build`] turns a template of
//! [`crate::core::markup`] into elements; the rest read and flip attributes.
//! Generic `Element` calls and `Reflect` for input values keep the web-sys
//! surface (and so the JS glue) small. No inline styles anywhere.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::core::markup::{fill, parse, Token};

/// Appends the elements of template `tpl` to `parent` (`@` → `ids`, `{N}` →
/// `args[N]`, as text or attribute values only); returns the first element.
/// Text is an element's whole content (templates never mix text and elements).
pub(crate) fn build(parent: &Element, tpl: &str, ids: &str, args: &[&str]) -> Option<Element> {
    let doc = parent.owner_document()?;
    let mut stack = vec![parent.clone()];
    let mut first = None;
    parse(tpl, |t| match t {
        Token::Open(tag) => {
            if let (Ok(e), Some(top)) = (doc.create_element(tag), stack.last()) {
                let _ = top.append_child(&e);
                first.get_or_insert_with(|| e.clone());
                stack.push(e);
            }
        }
        Token::Attr(k, v) => {
            if let Some(top) = stack.last() {
                set(top, k, &fill(v, ids, args));
            }
        }
        Token::Close => {
            if stack.len() > 1 {
                stack.pop();
            }
        }
        Token::Text(s) => {
            if let Some(top) = stack.last() {
                text(top, &fill(s, ids, args));
            }
        }
    });
    first
}

/// The first element under `root` matching `selector`.
pub(crate) fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok()?
}

/// Every element under `root` matching `selector`.
pub(crate) fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(node) = list.item(i) {
            out.push(node.unchecked_into());
        }
    }
    out
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

/// Replaces the text of `e` (`""` removes its children).
pub(crate) fn text(e: &Element, s: &str) {
    e.set_text_content(Some(s));
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

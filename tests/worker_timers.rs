//! Worker timers when the page's CSP refuses the worker: the page's timers take
//! over (its own test binary, so its page alone carries the policy).

use std::cell::RefCell;
use std::rc::Rc;

use clerk_wasm::timers::sleep;
use clerk_wasm::timers::Timers;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_refused_worker_falls_back_to_the_page_timers() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let meta = doc.create_element("meta").unwrap();
    meta.set_attribute("http-equiv", "Content-Security-Policy")
        .unwrap();
    meta.set_attribute("content", "worker-src 'none'").unwrap();
    doc.head().unwrap().append_child(&meta).unwrap();

    let timers = Timers::new(true);
    console_log!("worker made despite the policy: {}", timers.on_worker());
    // Handed to the worker before its refusal arrives, then run by the page.
    let fired = Rc::new(RefCell::new(0));
    let f = fired.clone();
    let _early = timers.timeout(30, move || *f.borrow_mut() += 1);
    let t0 = js_sys::Date::now();
    timers.sleep(50).await;
    assert!(
        js_sys::Date::now() - t0 < 2_000.0,
        "the sleep waited on a dead worker"
    );
    sleep(100).await;
    assert_eq!(*fired.borrow(), 1, "the early timer ran exactly once");
    assert!(!timers.on_worker(), "the refused worker is dropped");
    // New timers go to the page directly.
    let t0 = js_sys::Date::now();
    timers.sleep(20).await;
    assert!(js_sys::Date::now() - t0 < 1_000.0);
}

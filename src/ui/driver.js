// The forms' DOM events (shipped only in the ui build). The Rust forms (src/ui/) hold every
// state, draw the DOM and run the engine's operations; this module only listens on their own
// elements (submit, the data-cw buttons, the dialog's close) and asks WebOTP for an SMS code.
// Each event reaches Rust as `(id, kind, value)` in a later microtask, never re-entrantly; once
// `uiStep(id, 2)` ran, nothing more is delivered for that id.
//   kinds: 0 submit · 1 action (value: data-cw) · 5 WebOTP code

let deliver;
const live = new Map();
const emit = (id, kind, value) => Promise.resolve().then(() => live.has(id) && deliver(id, kind, value));

/** Starts widget `id`: the events of `el`, delivered to `f`. */
export function uiListen(id, el, f) {
  deliver = f;
  const off = new AbortController(), opt = { signal: off.signal };
  el.addEventListener('submit', (e) => { e.preventDefault(); emit(id, 0); }, opt);
  el.addEventListener('click', (e) => {
    const a = e.target.closest?.('[data-cw]');
    if (a) emit(id, 1, a.getAttribute('data-cw'));
  }, opt);
  el.addEventListener('close', () => emit(id, 1, 'close'), opt);
  live.set(id, { off, step: new AbortController() });
}

/** A new step: ends the last step's WebOTP request. `mode` 1: and asks WebOTP for an SMS
 *  code, where the browser has it (event 5). `mode` 2: the widget is gone, its listeners too. */
export function uiStep(id, mode) {
  const w = live.get(id);
  if (!w) return;
  w.step.abort(); w.step = new AbortController();
  if (mode === 2) { live.delete(id); w.off.abort(); }
  if (mode === 1 && 'OTPCredential' in window) {
    navigator.credentials.get({ otp: { transport: ['sms'] }, signal: w.step.signal })
      .then((c) => c?.code && emit(id, 5, c.code), () => {});
  }
}

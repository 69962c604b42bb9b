// The forms' event loop (shipped only in the `ui` build). The Rust forms
// (src/ui/) hold every state and draw the DOM; this module owns what waits:
// DOM and Clerk listeners, calls on the page's Clerk, the resend timer, the
// step's AbortSignal (email-link wait, WebOTP). Each outcome reaches Rust as
// one event `(id, kind, seq, value)` in a later microtask, never re-entrantly;
// once `uiStep(id, 2)` ran, nothing more is delivered for that id.
//   kinds: 0 submit · 1 action (value: data-cw) · 2 Clerk changed · 3 timer ·
//          4 call settled (seq; value: the error or null) · 5 WebOTP code

let deliver;
const live = new Map();
const emit = (id, kind, seq, value) =>
  Promise.resolve().then(() => live.has(id) && deliver(id, kind, seq, value));

/** Starts widget `id`: events on `el` and the page's `clerk`, delivered to `f`. */
export function uiListen(id, el, clerk, f) {
  deliver = f;
  const off = new AbortController(), opt = { signal: off.signal };
  el.addEventListener('submit', (e) => { e.preventDefault(); emit(id, 0); }, opt);
  el.addEventListener('click', (e) => {
    const a = e.target.closest?.('[data-cw]');
    if (a) emit(id, 1, 0, a.getAttribute('data-cw'));
  }, opt);
  el.addEventListener('close', () => emit(id, 1, 0, 'close'), opt);
  const un = clerk.addListener?.(() => emit(id, 2));
  if (typeof un === 'function') off.signal.addEventListener('abort', un);
  live.set(id, { off, step: new AbortController(), t: 0 });
}

/** A new step: aborts the last step's signal and timer. `mode` 1: and waits
 *  for an SMS code with WebOTP, where the browser has it (event 5 with the code;
 *  ends with the step). `mode` 2: the widget is gone, its listeners and Clerk
 *  listener too; nothing more is delivered. */
export function uiStep(id, mode) {
  const w = live.get(id);
  if (!w) return;
  w.step.abort(); w.step = new AbortController(); clearTimeout(w.t);
  if (mode === 2) { live.delete(id); w.off.abort(); }
  if (mode === 1 && 'OTPCredential' in window) {
    navigator.credentials.get({ otp: { transport: ['sms'] }, signal: w.step.signal })
      .then((c) => c?.code && emit(id, 5, 0, c.code), () => {});
  }
}

/** Event 3 after `ms`. */
export function uiTimer(id, ms) {
  const w = live.get(id);
  if (w) { clearTimeout(w.t); w.t = setTimeout(() => emit(id, 3), ms); }
}

/** Calls `clerk.<path>(args)` (`args` null: `{ signal }`, the step's AbortSignal);
 *  event 4 with the thrown or returned `{ error }` (always an object), else null.
 *  Nothing here throws back into Rust: the method lookup runs inside the promise. */
export function uiCall(id, seq, clerk, path, args) {
  if (args === null) args = { signal: live.get(id)?.step.signal };
  const keys = path.split('.'), name = keys.pop();
  new Promise((ok) => ok(keys.reduce((o, k) => o?.[k], clerk)[name](args)))
    .then((r) => r?.error ?? null, (e) => e ?? Error())
    .then((e) => emit(id, 4, seq, e === null || e instanceof Object ? e : Error(e)));
}

/** Page helpers: navigate, this page's URL, the body (for the modal). */
export const uiGo = (url) => { try { location.assign(url); } catch {} };
export const uiHere = () => location.href;
export const uiBody = () => document.body;

// clerk-wasm script-tag loader, for pages without a bundler or an import:
//
//   <link rel="stylesheet" href="https://your.cdn/clerk-wasm/clerk-wasm.css" />   (optional)
//   <script src="https://your.cdn/clerk-wasm/script.js"
//           data-clerk-publishable-key="pk_test_..."
//           data-clerk-proxy-url="/__clerk"></script>                             (proxy optional)
//   <script>
//     function start() { Clerk.load().then(() => Clerk.mountSignIn(document.getElementById('sign-in'))); }
//     window.Clerk ? start() : window.addEventListener('clerk:ready', start, { once: true });
//   </script>
//
// Like ClerkJS's script, it creates `window.Clerk` from the data attributes (not loaded yet:
// call `Clerk.load()`), at once: until the WebAssembly module is in, `window.Clerk` is a
// stand-in whose methods wait for it, so `window.addEventListener('load', async () => {
// await Clerk.load(); … })` works as with ClerkJS. A `clerk:ready` event on `window` says
// when the real `Clerk` is in place. Errors (a bad key, a failed download) are logged and
// reported as `clerk:error`.
// It loads the build with the forms (ui/index.js next to this file), so `window.Clerk` has
// mountSignIn / openSignIn / mountUserButton as well as the whole headless API.
(function () {
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-clerk-publishable-key');
  var proxyUrl = script.getAttribute('data-clerk-proxy-url');
  var ready = import(new URL('./ui/index.js', script.src).href).then(function (m) {
    var clerk = new m.Clerk(key, proxyUrl ? { proxyUrl: proxyUrl } : {});
    window.Clerk = clerk;
    window.dispatchEvent(new CustomEvent('clerk:ready', { detail: clerk }));
    return clerk;
  }, function (error) {
    console.error('clerk-wasm:', error);
    window.dispatchEvent(new CustomEvent('clerk:error', { detail: error }));
    throw error;
  });
  // Until the module is in, `window.Clerk` stands in for it, so a page's `load` handler can
  // `await Clerk.load()` at once (ClerkJS's script-tag pattern): every method waits for the
  // module and runs on the real `Clerk`, which replaces the stand-in before `load()` resolves.
  var STATE = { loaded: false, status: 'loading', isSignedIn: false };
  if (!window.Clerk) {
    window.Clerk = new Proxy({}, {
      get: function (_, name) {
        if (name in STATE) return STATE[name];
        if (typeof name !== 'string' || name === 'then' || name === 'toJSON') return undefined;
        if (!/^[a-z]+[A-Z]/.test(name) && name !== 'load') return undefined;
        return function () {
          var args = arguments;
          return ready.then(function (c) { return c[name].apply(c, args); });
        };
      },
    });
  }
})();

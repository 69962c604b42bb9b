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
// call `Clerk.load()`). Because the WebAssembly module loads asynchronously, `window.Clerk`
// appears a little later than the script runs; a `clerk:ready` event on `window` says when.
// Errors (a bad key, a failed download) are logged and reported as `clerk:error`.
// It loads the build with the forms (ui/index.js next to this file), so `window.Clerk` has
// mountSignIn / openSignIn / mountUserButton as well as the whole headless API.
(function () {
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-clerk-publishable-key');
  var proxyUrl = script.getAttribute('data-clerk-proxy-url');
  import(new URL('./ui/index.js', script.src).href)
    .then(function (m) {
      window.Clerk = new m.Clerk(key, proxyUrl ? { proxyUrl: proxyUrl } : {});
      window.dispatchEvent(new CustomEvent('clerk:ready', { detail: window.Clerk }));
    })
    .catch(function (error) {
      console.error('clerk-wasm:', error);
      window.dispatchEvent(new CustomEvent('clerk:error', { detail: error }));
    });
})();

#!/usr/bin/env node
// slim-init.mjs DIR — replaces the loader of a wasm-bindgen `--target web` glue (DIR/clerk_wasm.js)
// with the one path the package uses, and drops two fallbacks no browser that runs the `.wasm`
// needs (at the end), for the release package.
//
// Why: the glue's default export `init(module_or_path)` accepts a path, a URL, a Request, a
// Response, bytes or a Module, warns about deprecated parameters, and falls back from
// `instantiateStreaming` when a server sends the wrong MIME type. The package's entry
// (pkg-template/index.js) calls it once, with no argument: the `.wasm` beside the module.
// The general loader is ~550 B of the gzipped headless entry; the one below is a quarter of it.
//
// What it keeps: the `.wasm` next to this module (`new URL(…, import.meta.url)`), streamed
// (`instantiateStreaming`), or fetched whole and instantiated when streaming fails (a server
// that does not send `application/wasm`); a failed HTTP status is an Error naming it; a failed
// load can be retried. The dev build keeps wasm-bindgen's loader as generated.
// Safety: the replaced span is found by exact anchors of wasm-bindgen 0.2.130's output (the
// version Cargo.toml pins); if one is missing or repeated, the build stops.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: slim-init.mjs DIR');
  process.exit(2);
}
const gluePath = path.join(dir, 'clerk_wasm.js');
let glue = fs.readFileSync(gluePath, 'utf8');

/** The index of `anchor`, which must occur exactly once. */
function once(anchor) {
  const i = glue.indexOf(anchor);
  if (i < 0 || glue.indexOf(anchor, i + 1) >= 0) {
    console.error(`slim-init.mjs: '${anchor}' is not in ${gluePath} exactly once (wasm-bindgen's glue changed?)`);
    process.exit(1);
  }
  return i;
}

// `__wbg_load` (with its MIME-type fallback) goes: the new loader has its own.
const loadStart = once('async function __wbg_load(module, imports) {');
const loadEnd = once('function initSync(module) {');
glue = glue.slice(0, loadStart) + glue.slice(loadEnd);

const initStart = once('let __wbg_init_promise;');
const initEnd = once('export { initSync, __wbg_init as default };');
const loader = `let __wbg_init_promise;
// clerk-wasm (scripts/slim-init.mjs): the .wasm beside this module, streamed, or fetched whole
// when streaming fails (a server that does not send application/wasm).
async function __wbg_init() {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = (async () => {
            const url = new URL('clerk_wasm_bg.wasm', import.meta.url);
            const imports = __wbg_get_imports();
            const response = await fetch(url);
            if (!response.ok) throw new Error(\`failed to fetch Wasm: \${response.status} \${url}\`);
            let loaded;
            try {
                loaded = await WebAssembly.instantiateStreaming(response, imports);
            } catch {
                loaded = await WebAssembly.instantiate(await (await fetch(url)).arrayBuffer(), imports);
            }
            return __wbg_finalize_init(loaded.instance, loaded.module);
        })();
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

`;
glue = glue.slice(0, initStart) + loader + glue.slice(initEnd);

// Two fallbacks for browsers that cannot run this `.wasm` anyway (it needs reference types:
// Chrome 96, Firefox 79, Safari 15; `TextEncoder.encodeInto` came before each):
// - the `encodeInto` polyfill;
// - `passStringToWasm0`'s path for a caller without `realloc`: every call passes it (checked).
const polyfillStart = once("if (!('encodeInto' in cachedTextEncoder)) {");
const polyfillEnd = once('let WASM_VECTOR_LEN = 0;');
glue = glue.slice(0, polyfillStart) + glue.slice(polyfillEnd);
const calls = glue.split('passStringToWasm0(').length - 2; // minus the definition
const withRealloc = glue.split(', wasm.__wbindgen_malloc, wasm.__wbindgen_realloc)').length - 1;
if (calls !== withRealloc) {
  console.error(`slim-init.mjs: ${calls - withRealloc} call(s) of passStringToWasm0 without realloc in ${gluePath}`);
  process.exit(1);
}
const noReallocStart = once('    if (realloc === undefined) {');
const noReallocEnd = once('    let len = arg.length;');
glue = glue.slice(0, noReallocStart) + glue.slice(noReallocEnd);
fs.writeFileSync(gluePath, glue);

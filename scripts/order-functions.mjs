#!/usr/bin/env node
// order-functions.mjs WASM — reorders the functions of a release `.wasm` (in place) so that
// gzip finds more repeats: functions of one signature, then of one number of locals, side by
// side, shortest first. gzip looks back only 32 KB, and functions alike in shape share the
// most byte runs; the order of functions in a module changes nothing else (calls, exports and
// the table name them by index, which binaryen rewrites). Measured on the headless entry
// (README, "Size"): 1.2 KB gzip smaller; binaryen's own orders are worse (--reorder-functions,
// by call count, +1.9 KB; --reorder-functions-by-name about even).
// Uses binaryen.js from the npm binaryen that scripts/install.sh installs for wasm-opt.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const file = process.argv[2];
if (!file) {
  console.error('usage: order-functions.mjs WASM');
  process.exit(2);
}
const tools = process.env.CLERK_WASM_TOOLS ?? path.join(process.env.HOME, '.cache/clerk-wasm-tools');
const require = createRequire(path.join(tools, 'npm/node_modules/'));
const { default: binaryen } = await import(require.resolve('binaryen'));

const module = binaryen.readBinary(fs.readFileSync(file));
// What rustc's wasm32 target emits (the `.wasm` has no target-features section left to say so).
const F = binaryen.Features;
module.setFeatures(F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory
  | F.BulkMemoryOpt | F.ReferenceTypes | F.Multivalue);
if (!module.validate()) throw new Error(`order-functions: ${file} does not validate before reordering`);

const defined = [];
for (let i = 0; i < module.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
  if (info.module) continue; // an import: imports stay first, in their order
  defined.push({ i, info, length: binaryen.emitText(info.body).length });
}
const key = (f) => [f.info.params, f.info.results, f.info.vars.length, f.length, f.i];
defined.sort((a, b) => {
  const ka = key(a), kb = key(b);
  for (let k = 0; k < ka.length; k++) if (ka[k] !== kb[k]) return ka[k] < kb[k] ? -1 : 1;
  return 0;
});
// Removing a function keeps its body (expressions live in the module); adding it again
// appends it, so the functions end up in the sorted order.
for (const f of defined) module.removeFunction(f.info.name);
for (const f of defined) {
  module.addFunction(f.info.name, f.info.params, f.info.results, f.info.vars, f.info.body);
}
if (!module.validate()) throw new Error(`order-functions: ${file} does not validate after reordering`);
fs.writeFileSync(file, module.emitBinary());
module.dispose();

#!/usr/bin/env node
// order-functions.mjs WASM — reorders the functions of a release `.wasm` (in place) so that
// gzip finds more repeats. gzip looks back only 32 KB, and functions alike in shape share the
// most byte runs; the order of functions in a module changes nothing else (calls, exports and
// the table name them by index, which binaryen rewrites).
//
// Two passes (README, "Size", has what each saves on the headless entry):
// 1. a sort: functions of one signature, then of one number of locals, side by side, shortest
//    first. binaryen's own orders are worse (--reorder-functions, by call count, +1.9 KB;
//    --reorder-functions-by-name about even).
// 2. a search from that order: ORDER_ITERATIONS (default 8000) tries, each moving one function
//    next to one of the 5 whose bodies share the most 4-byte runs with its own (Jaccard), kept
//    when the function and code sections, laid end to end, deflate smaller. Deterministic: a
//    fixed-seed generator and zlib level 9, so one input gives one output. A move renumbers
//    calls, which its score cannot see, so the tries run in 8 rounds: after each, the module
//    is emitted and kept only if the whole file gzips smaller, and the next round scores the
//    bodies as emitted. ORDER_ITERATIONS=0 skips the search. Measured on the headless entry:
//    random moves (anywhere) found half as much; one round instead of 8, 170 B less;
//    12,000 tries instead of 8,000, 5 B more.
// Uses binaryen.js from the npm binaryen that scripts/install.sh installs for wasm-opt.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { leb } from './leb128.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: order-functions.mjs WASM');
  process.exit(2);
}
const iterations = Number(process.env.ORDER_ITERATIONS ?? 8000);
if (!Number.isInteger(iterations) || iterations < 0) {
  console.error(`order-functions: ORDER_ITERATIONS must be a whole number, not '${process.env.ORDER_ITERATIONS}'`);
  process.exit(2);
}
const tools = process.env.CLERK_WASM_TOOLS ?? path.join(process.env.HOME, '.cache/clerk-wasm-tools');
const require = createRequire(path.join(tools, 'npm/node_modules/'));
const { default: binaryen } = await import(require.resolve('binaryen'));

const gzipSize = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

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

/** Puts the defined functions in `order` (imports stay first). Removing a function keeps its
 * body (expressions live in the module); adding it again appends it. */
function arrange(order) {
  for (const f of order) module.removeFunction(f.info.name);
  for (const f of order) {
    module.addFunction(f.info.name, f.info.params, f.info.results, f.info.vars, f.info.body);
  }
  if (!module.validate()) throw new Error(`order-functions: ${file} does not validate after reordering`);
  return module.emitBinary();
}

// Pass 1: the sort.
const key = (f) => [f.info.params, f.info.results, f.info.vars.length, f.length, f.i];
const sorted = [...defined].sort((a, b) => {
  const ka = key(a), kb = key(b);
  for (let k = 0; k < ka.length; k++) if (ka[k] !== kb[k]) return ka[k] < kb[k] ? -1 : 1;
  return 0;
});
let best = arrange(sorted);
const sortedSize = gzipSize(best);

// Pass 2: the search, in ROUNDS rounds: each scores moves on the bodies as the module last
// emitted them (so the calls a round renumbered are read as they now are) and is kept only if
// the whole file then gzips smaller.
const ROUNDS = 8;
let bestSize = sortedSize;
let current = sorted;
let seed = 1;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
let read = null; // the bodies of `best` and their neighbours, until a round improves on it
for (let round = 0; round < ROUNDS && iterations > 0 && sorted.length > 8; round++) {
  if (!read) {
    const { types, bodies } = functionsOf(best);
    if (bodies.length !== sorted.length || types.length !== sorted.length) {
      throw new Error('order-functions: the function and code sections do not match the functions');
    }
    read = { types, bodies, near: neighbours(bodies, 5) };
  }
  const { types, bodies, near } = read;
  // The function section (each function's type) moves with its body: it is scored too.
  const score = (order) => zlib.deflateRawSync(
    Buffer.concat([...order.map((i) => types[i]), ...order.map((i) => bodies[i])]), { level: 9 }).length;
  let order = bodies.map((_, i) => i);
  let scored = score(order);
  for (let t = 0; t < iterations / ROUNDS; t++) {
    const from = random(order.length);
    const f = order[from];
    const rest = order.slice(0, from).concat(order.slice(from + 1));
    const to = rest.indexOf(near[f][random(near[f].length)]) + random(2); // before or after it
    const candidate = rest.slice(0, to).concat([f], rest.slice(to));
    const s = score(candidate);
    if (s < scored) {
      scored = s;
      order = candidate;
    }
  }
  const next = order.map((i) => current[i]);
  const searched = arrange(next);
  const size = gzipSize(searched);
  if (size >= bestSize) {
    arrange(current); // back to the best order, for the next round
    continue;
  }
  best = searched;
  bestSize = size;
  current = next;
  read = null;
}
fs.writeFileSync(file, best);
console.log(`order-functions: ${path.basename(file)} ${sortedSize} B gzip sorted, ${bestSize} B after the search`);
module.dispose();

/** For each body, the `k` others most alike: by the share of distinct 4-byte runs they have in
 * common (Jaccard), most alike first. */
function neighbours(bodies, k) {
  const runs = bodies.map((b) => {
    const set = new Set();
    for (let i = 0; i + 4 <= b.length; i++) set.add(((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
    return Uint32Array.from(set).sort();
  });
  const common = (x, y) => {
    let n = 0;
    for (let i = 0, j = 0; i < x.length && j < y.length;) {
      if (x[i] === y[j]) { n++; i++; j++; } else if (x[i] < y[j]) i++; else j++;
    }
    return n;
  };
  return runs.map((x, i) => {
    const alike = [];
    runs.forEach((y, j) => {
      if (j === i) return;
      const c = common(x, y);
      alike.push([c / (x.length + y.length - c + 1), j]);
    });
    alike.sort((p, q) => q[0] - p[0] || p[1] - q[1]);
    return alike.slice(0, k).map(([, j]) => j);
  });
}

/** The defined functions of a `.wasm`: `types`, each one's type index as the function section
 * (id 3) encodes it, and `bodies`, as the code section (id 10) holds them, size prefix included. */
function functionsOf(buf) {
  const items = (start, one) => {
    let [count, p] = leb(buf, start);
    const out = [];
    for (; count > 0; count--) {
      const end = one(p);
      out.push(buf.subarray(p, end));
      p = end;
    }
    return out;
  };
  let types = null;
  let bodies = null;
  let pos = 8; // magic and version
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    if (id === 3) types = items(start, (p) => leb(buf, p)[1]);
    if (id === 10) {
      bodies = items(start, (p) => {
        const [len, q] = leb(buf, p);
        return q + len;
      });
    }
    pos = start + size;
  }
  if (!types || !bodies) throw new Error('order-functions: no function or code section');
  return { types, bodies };
}

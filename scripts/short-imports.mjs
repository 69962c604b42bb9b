#!/usr/bin/env node
// short-imports.mjs DIR — renames the imports between a wasm-bindgen `.wasm` and its JS glue
// (DIR/clerk_wasm_bg.wasm, DIR/clerk_wasm.js) to short names, for the release package.
//
// Why: wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and spells each name
// twice, once in the `.wasm` import section and once in the glue's import object. The hex
// digits do not compress: for the ~100 imports of the headless build they cost ~3.4 KB of
// the gzipped package (measured: README, "Size"). Nothing else reads these names — they
// only pair an import of the `.wasm` with a function of the glue — so `a`, `b`, … work the
// same. binaryen's --minify-imports only renames the `env` module's imports, hence this.
//
// The module's name (`./clerk_wasm_bg.js`, repeated for each import) becomes `w`, and the
// closure trampolines' exports (`wasm_bindgen__convert__closures_____invoke__h<hash>`) get
// short names too.
// Safety: each new name is not already an identifier of the glue, and each old name must
// occur in the glue or the build stops; the glue is edited by exact, whole-identifier
// replacement. The `.wasm` is parsed section by section; only the import and export sections
// are rewritten, every other byte is kept.
import fs from 'node:fs';
import path from 'node:path';
import { leb, encodeLeb } from './leb128.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: short-imports.mjs DIR');
  process.exit(2);
}
const wasmPath = path.join(dir, 'clerk_wasm_bg.wasm');
const gluePath = path.join(dir, 'clerk_wasm.js');
const MODULE = './clerk_wasm_bg.js';
const SHORT_MODULE = 'w';
/** Exports named with a hash: wasm-bindgen's closure trampolines (`wasm.<name>` in the glue). */
// With a rebuilt std (build-pkg.sh) they are named by type instead, with the crates' hashes
// (`wasm_bindgen_<hash>___convert__closures_____invoke___web_sys_<hash>___…`), longer still.
const HASHED_EXPORT = /^wasm_bindgen_(_|[0-9a-f]{16}___)convert__closures_+invoke_\w*$/;

const bytes = fs.readFileSync(wasmPath);
let glue = fs.readFileSync(gluePath, 'utf8');

const name = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
/** Skips limits (table and memory types): flags, min, then max when flag bit 0 is set. */
function skipLimits(buf, pos) {
  const flags = buf[pos++];
  [, pos] = leb(buf, pos);
  if (flags & 1) [, pos] = leb(buf, pos);
  return pos;
}

/** Short names: a, b, …, z, A, …, Z, aa, ab, … (valid JS identifiers, none reserved). */
function shortName(i) {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = abc[i % abc.length] + s;
    i = Math.floor(i / abc.length) - 1;
  } while (i >= 0);
  return `w${s}`;
}

const escape = (s) => s.replace(/[$]/g, '\\$&');
const word = (s) => new RegExp(`(?<![A-Za-z0-9_$])${escape(s)}(?![A-Za-z0-9_$])`, 'g');
/** The next short name that is not already an identifier of the glue. */
let counter = 0;
function fresh() {
  for (;;) {
    const s = shortName(counter++);
    if (!word(s).test(glue)) return s;
  }
}

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('short-imports: not a wasm module');
const parts = [bytes.subarray(0, 8)];
let pos = 8;
const renames = new Map();
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, start] = leb(bytes, pos + 1);
  const end = start + size;
  if (id === 7) {
    // The export section: vec(name, kind, index). Closure trampolines carry a hash too.
    let p = start;
    let count;
    [count, p] = leb(bytes, p);
    const out = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      let len;
      [len, p] = leb(bytes, p);
      const field = bytes.toString('utf8', p, p + len);
      p += len;
      const descStart = p;
      [, p] = leb(bytes, p + 1);
      let next = field;
      if (HASHED_EXPORT.test(field)) {
        next = renames.get(field) ?? fresh();
        renames.set(field, next);
      }
      out.push(name(next), bytes.subarray(descStart, p));
    }
    if (p !== end) throw new Error('short-imports: export section did not parse to its end');
    const body = Buffer.concat(out);
    parts.push(Buffer.from([7]), encodeLeb(body.length), body);
    pos = end;
    continue;
  }
  if (id !== 2) {
    parts.push(bytes.subarray(pos, end));
    pos = end;
    continue;
  }
  // The import section: vec(module name, field name, description).
  let p = start;
  let count;
  [count, p] = leb(bytes, p);
  const out = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = leb(bytes, p);
    const module = bytes.toString('utf8', p, p + len);
    p += len;
    [len, p] = leb(bytes, p);
    const field = bytes.toString('utf8', p, p + len);
    p += len;
    const descStart = p;
    const kind = bytes[p++];
    if (kind === 0x00) [, p] = leb(bytes, p); // function: type index
    else if (kind === 0x01) p = skipLimits(bytes, p + 1); // table: reftype, limits
    else if (kind === 0x02) p = skipLimits(bytes, p); // memory: limits
    else if (kind === 0x03) p += 2; // global: valtype, mutability
    else if (kind === 0x04) [, p] = leb(bytes, p + 1); // tag: attribute, type index
    else throw new Error(`short-imports: unknown import kind ${kind}`);
    let next = field;
    if (module === MODULE) {
      next = renames.get(field) ?? fresh();
      renames.set(field, next);
    }
    out.push(name(module === MODULE ? SHORT_MODULE : module), name(next), bytes.subarray(descStart, p));
  }
  if (p !== end) throw new Error('short-imports: import section did not parse to its end');
  const body = Buffer.concat(out);
  parts.push(Buffer.from([2]), encodeLeb(body.length), body);
  pos = end;
}

// The glue: each old name is a key of the import object (`name: function` or `name(`).
for (const [old, short] of renames) {
  const re = word(old);
  const n = (glue.match(re) ?? []).length;
  if (n === 0) throw new Error(`short-imports: ${old} is not in the glue`);
  glue = glue.replace(re, short);
}
// …and the module's name, the key of that object (once, as a string).
const moduleKey = JSON.stringify(MODULE);
if (glue.split(moduleKey).length !== 2) throw new Error(`short-imports: ${moduleKey} is not once in the glue`);
glue = glue.replace(moduleKey, JSON.stringify(SHORT_MODULE));
fs.writeFileSync(wasmPath, Buffer.concat(parts));
fs.writeFileSync(gluePath, glue);
console.log(`short-imports: ${renames.size} imports and exports renamed in ${dir}`);

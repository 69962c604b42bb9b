// The package's TypeScript types (pkg-template/index.d.ts, shipped as
// ${PKG_DIR}/index.d.ts): tests/e2e/types/usage.ts uses the public API as the
// seed examples do and must compile with `tsc --noEmit --strict` (its
// @ts-expect-error lines prove misuse is rejected); index.d.ts has no `any` in
// parameters or results; and it declares every member the objects really have —
// the JS shell of both entries (headless and ui), read at runtime in Chromium —
// and nothing they lack. The `clerk-wasm/ui` entry
// (${PKG_DIR}/ui/index.d.ts): tests/e2e/types/usage-ui.ts compiles against it,
// resolved through package.json `exports`, and it declares exactly the members
// the ui build adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, launch, serveDemo } from './lib/harness.mjs';

const PKG_DIR = process.env.PKG_DIR ?? path.join(REPO, 'pkg');
const PKG_UI_DIR = path.join(PKG_DIR, 'ui');
const TSC = path.join(REPO, 'tests/e2e/node_modules/.bin/tsc');
const USAGE = path.join(REPO, 'tests/e2e/types/usage.ts');

/** Runs tsc over `files` with `clerk-wasm` resolved to `pkgDir` (its package.json `types`). */
function tsc(files, pkgDir) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-types-'));
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'],
        types: [], skipLibCheck: false, noUnusedLocals: false, exactOptionalPropertyTypes: false,
        paths: { 'clerk-wasm': [pkgDir] },
      },
      files,
    }));
    execFileSync(TSC, ['-p', path.join(dir, 'tsconfig.json'), '--noEmit', '--strict', '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, out: '' };
  } catch (e) {
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('tsc --noEmit --strict: usage.ts (seed 001/003 usage, email links, forms, misuse) compiles against index.d.ts', () => {
  assert.ok(fs.existsSync(path.join(PKG_DIR, 'index.d.ts')), `${PKG_DIR}/index.d.ts is built`);
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.exports['.'].types, './index.d.ts');
  const r = tsc([USAGE], PKG_DIR);
  assert.ok(r.ok, `tsc reported:\n${r.out}`);
});

/** Runs tsc over `files` (copied into a fresh project) with the package installed as
 *  node_modules/clerk-wasm (a link to `pkgDir`), so `clerk-wasm/ui` resolves through `exports`. */
function tscInstalled(files, pkgDir) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-types-installed-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(pkgDir, path.join(dir, 'node_modules/clerk-wasm'), 'dir');
    const names = files.map((f) => { fs.copyFileSync(f, path.join(dir, path.basename(f))); return path.basename(f); });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'],
        types: [], skipLibCheck: false, noUnusedLocals: false,
      },
      files: names,
    }));
    execFileSync(TSC, ['-p', path.join(dir, 'tsconfig.json'), '--noEmit', '--strict', '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, out: '' };
  } catch (e) {
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("tsc --noEmit --strict: usage-ui.ts compiles against 'clerk-wasm/ui' (package.json exports → ui/index.d.ts)", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['./ui'], { types: './ui/index.d.ts', default: './ui/index.js' });
  assert.ok(fs.existsSync(path.join(PKG_UI_DIR, 'index.d.ts')), `${PKG_UI_DIR}/index.d.ts is built`);
  const r = tscInstalled([path.join(REPO, 'tests/e2e/types/usage-ui.ts')], PKG_DIR);
  assert.ok(r.ok, `tsc reported:\n${r.out}`);
  // The same calls without `?.` do not compile against the headless entry.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-types-headless-'));
  try {
    const f = path.join(dir, 'headless-forms.ts');
    fs.writeFileSync(f, "import { Clerk } from 'clerk-wasm';\nconst c = new Clerk('pk');\nc.mountSignIn(document.body);\n");
    const bad = tscInstalled([f], PKG_DIR);
    assert.equal(bad.ok, false);
    assert.match(bad.out, /TS2722|TS18048/, bad.out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the checker is live: a wrong call fails, and an unused @ts-expect-error fails', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-wasm-types-bad-'));
  try {
    const wrong = path.join(dir, 'wrong.ts');
    fs.writeFileSync(wrong, "import { Clerk } from 'clerk-wasm';\nconst c = new Clerk('pk');\nvoid c.client?.signIn.attemptFirstFactor({ code: 1 });\n");
    const r1 = tsc([wrong], PKG_DIR);
    assert.equal(r1.ok, false);
    assert.match(r1.out, /TS2322|TS2345|TS2741/, r1.out);
    const unused = path.join(dir, 'unused.ts');
    fs.writeFileSync(unused, "import { Clerk } from 'clerk-wasm';\n// @ts-expect-error\nnew Clerk('pk');\n");
    const r2 = tsc([unused], PKG_DIR);
    assert.equal(r2.ok, false);
    assert.match(r2.out, /TS2578/, r2.out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** index.d.ts without comments and string literals. */
function code(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
}

test('index.d.ts has no `any` (parameters, results, fields)', () => {
  const src = code(fs.readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8'));
  const hits = src.split('\n').map((l, i) => [i + 1, l]).filter(([, l]) => /\bany\b/.test(l));
  assert.deepEqual(hits, [], 'lines with `any`');
  // Not `Function` or `object` either where a caller passes or gets data.
  assert.doesNotMatch(src, /:\s*Function\b/);
});

/** `{ ClassName: Set(member names) }` of the classes (and, with `interfaces`, interfaces) in a .d.ts. */
function members(src, { interfaces = false } = {}) {
  const out = {};
  const text = code(src);
  const re = new RegExp(`export\\s+(?:declare\\s+)?(?:class${interfaces ? '|interface' : ''})\\s+(\\w+)[^{]*\\{`, 'g');
  let m;
  while ((m = re.exec(text))) {
    let depth = 1; let i = re.lastIndex;
    const start = i;
    while (depth && i < text.length) { if (text[i] === '{') depth++; else if (text[i] === '}') depth--; i++; }
    const body = text.slice(start, i - 1);
    const names = new Set();
    let d = 0; let line = '';
    for (const ch of body) {
      if (d === 0 && ch === '\n') {
        const mm = line.match(/^\s*(?:readonly\s+|static\s+|get\s+)*(\w+)\??\s*[(:<]/);
        if (mm) names.add(mm[1]);
        line = '';
        continue;
      }
      if (ch === '{' || ch === '(') d++;
      if (ch === '}' || ch === ')') d--;
      if (d === 0 || ch === '{' || ch === '(') line += ch;
    }
    out[m[1]] = names;
  }
  return out;
}

const HIDDEN = new Set(['free', 'constructor']); // wasm-bindgen internals, not part of the API

/** An entry's classes and objects, as its JS shell really builds them (read in Chromium). */
const shellMembers = {};
const headlessMembers = () => entryMembers('/pkg/index.js');
async function entryMembers(entry) {
  if (shellMembers[entry]) return shellMembers[entry];
  const { server, url } = await serveDemo();
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/`);
    const raw = await page.evaluate(async (entry) => {
      const m = await import(entry);
      const key = (await (await fetch('/emulator.json')).json()).publishable_key;
      const names = (o) => (o ? Object.getOwnPropertyNames(o) : []);
      const of = (proto, inst) => [...new Set([...names(proto), ...names(inst)])].filter((n) => !n.startsWith('_'));
      const clerk = new m.Clerk(key);
      return {
        Clerk: of(m.Clerk.prototype, clerk),
        SignIn: of(m.SignIn.prototype, clerk.signIn),
        SignUp: of(m.SignUp.prototype, clerk.signUp),
        Session: of(m.Session.prototype, new m.Session({}, 'sess_x')),
        Client: of(m.Client.prototype, new m.Client({ classic: {} })),
        EmailAddress: of(m.EmailAddress.prototype, new m.EmailAddress({}, 'idn_x')),
        SignInCode: of(null, clerk.signIn.phoneCode),
        SignInMfa: of(null, clerk.signIn.mfa),
        SignInEmailLink: of(null, clerk.signIn.emailLink),
        SignUpVerifications: of(null, clerk.signUp.verifications),
      };
    }, entry);
    shellMembers[entry] = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new Set(v)]));
    return shellMembers[entry];
  } finally {
    await browser.close();
    server.close();
  }
}

/** Names a module exports (`export {a, b as c}` → a, c), minified or not. */
const exportedNames = (file) => [...fs.readFileSync(file, 'utf8').matchAll(/export\s*\{([^}]*)\}/g)]
  .flatMap((m) => m[1].split(',').map((x) => x.trim().split(/\s+as\s+/).pop()).filter(Boolean));
const exportedClasses = (file) => [...fs.readFileSync(file, 'utf8').matchAll(/export\s+(?:class|function|const)\s+(\w+)/g)].map((m) => m[1]);

test('index.d.ts declares exactly the members of the JS shell (headless and ui entries)', async () => {
  const ours = members(fs.readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8'));
  const builds = [['headless', await headlessMembers()]];
  if (fs.existsSync(path.join(PKG_UI_DIR, 'index.js'))) builds.push(['ui', await entryMembers('/pkg/ui/index.js')]);
  const union = {};
  for (const [build, generated] of builds) {
    assert.ok(Object.keys(generated).length >= 8, `${build}: parsed ${Object.keys(generated)}`);
    for (const [cls, names] of Object.entries(generated)) {
      assert.ok(ours[cls], `${build}: class ${cls} is not declared in index.d.ts`);
      for (const n of names) {
        if (HIDDEN.has(n)) continue;
        assert.ok(ours[cls].has(n), `${build}: ${cls}.${n} exists but is not declared in index.d.ts`);
        (union[cls] ??= new Set()).add(n);
      }
    }
  }
  // Nothing declared that the objects lack (the ui members count for the ui build).
  const uiOnly = ['mountSignIn', 'mountSignUp', 'unmountSignIn', 'unmountSignUp', 'openSignIn', 'openSignUp',
    'closeSignIn', 'closeSignUp', 'mountUserButton', 'unmountUserButton'];
  const headless = builds[0][1];
  for (const [cls, names] of Object.entries(union)) {
    for (const n of ours[cls]) {
      if (HIDDEN.has(n)) continue;
      if (cls === 'Clerk' && uiOnly.includes(n)) continue;
      assert.ok(names.has(n), `index.d.ts declares ${cls}.${n}, which the objects do not have`);
      assert.ok(!headless[cls] || headless[cls].has(n), `index.d.ts declares ${cls}.${n}, which the headless entry lacks`);
    }
  }
  // The ui members are optional (absent from the headless package).
  const dts = fs.readFileSync(path.join(PKG_DIR, 'index.d.ts'), 'utf8');
  for (const n of uiOnly) assert.match(dts, new RegExp(`\\b${n}\\?\\(`), `${n} is optional`);
  // Every value the entry exports is declared.
  const entry = path.join(PKG_DIR, 'index.js');
  const exported = [...exportedNames(entry), ...exportedClasses(entry)];
  assert.ok(exported.length >= 10, exported.join());
  for (const name of exported) {
    assert.match(dts, new RegExp(`export (declare )?(class|function|const) ${name}\\b`), `index.js exports ${name}: declare it`);
  }
});

test('ui/index.d.ts declares exactly the members the ui build adds to Clerk, as required; both entries export the same names', async () => {
  const headless = (await headlessMembers()).Clerk;
  const added = [...(await entryMembers('/pkg/ui/index.js')).Clerk].filter((n) => !headless.has(n) && !HIDDEN.has(n)).sort();
  assert.ok(added.includes('mountSignIn') && added.includes('mountUserButton'), added.join());
  const src = fs.readFileSync(path.join(PKG_UI_DIR, 'index.d.ts'), 'utf8');
  const declared = [...members(src).Clerk].sort();
  assert.deepEqual(declared, added);
  for (const n of declared) assert.doesNotMatch(src, new RegExp(`\\b${n}\\?\\(`), `${n} is required in clerk-wasm/ui`);
  assert.match(src, /export \* from '\.\.\/index\.js'/);
  const exported = (file) => [...exportedNames(file), ...exportedClasses(file)].sort();
  assert.deepEqual(exported(path.join(PKG_UI_DIR, 'index.js')), exported(path.join(PKG_DIR, 'index.js')));
});

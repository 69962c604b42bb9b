// leb128.mjs — unsigned LEB128, the integer encoding of a `.wasm`'s sections, for the release
// build's scripts that read or rewrite them (short-imports.mjs, order-functions.mjs).

/** Reads an unsigned LEB128 at `pos` of `buf`: [value, next position]. */
export function leb(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated LEB128 in the .wasm');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [value, pos];
  }
}

/** Encodes an unsigned LEB128. */
export function encodeLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

// Go strings are byte strings. We represent them as "binary strings": JS strings whose
// every UTF-16 code unit is one byte (0..255). UTF-8 text then renders byte-exactly and
// binary values (DER, PKCS#12) survive untouched. These helpers convert at the edges.

/** Bytes → binary string (one code unit per byte). */
export function fromBytes(b: Uint8Array): string {
  // Small values (the common case: passwords, tokens) are cheaper to build in JS than
  // through a Buffer view.
  if (b.length <= 1024) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Binary string → bytes. */
export function toBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** JS (UTF-16) text → Go byte string holding its UTF-8 encoding. */
export function fromText(s: string): string {
  // Fast path: pure ASCII needs no conversion.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}

/**
 * Go byte string → JS text, decoding UTF-8 as Go's `for range` does: each invalid byte
 * becomes U+FFFD.
 */
export function toText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'latin1').toString('utf8');
  }
  return s;
}

/** Decodes the runes of a Go byte string: [rune, byteLength] pairs (invalid byte → U+FFFD, length 1). */
export function decodeRune(s: string, i: number): [number, number] {
  const c0 = s.charCodeAt(i);
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => {
    const c = s.charCodeAt(i + k);
    return c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    if (c1 >= 0) return [((c0 & 0x1f) << 6) | c1, 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
    }
  }
  return [0xfffd, 1];
}

/** Runes of a byte string. */
export function runes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    out.push(r);
    i += n;
  }
  return out;
}

/** Number of runes (utf8.RuneCountInString). */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; ) {
    i += decodeRune(s, i)[1];
    n++;
  }
  return n;
}

/** One rune → its UTF-8 byte string (invalid code points → U+FFFD, as Go's utf8.EncodeRune). */
export function encodeRune(r: number): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

/** Is the byte string valid UTF-8? */
export function validUTF8(s: string): boolean {
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    if (r === 0xfffd && n === 1 && !(s.charCodeAt(i) === 0xef && s.substr(i, 3) === '\xef\xbf\xbd')) return false;
    i += n;
  }
  return true;
}

/** Maps each rune through a JS-text function (for case mapping), keeping invalid bytes as they are. */
export function mapText(s: string, f: (t: string) => string): string {
  return fromText(f(toText(s)));
}

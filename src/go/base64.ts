// Go encoding/base64 and encoding/base32 decoding with Go's exact acceptance rules and
// error offsets (go/src/encoding/base64/base64.go, encoding/base32/base32.go).
// Strings are Go byte strings (see bytes.ts).

export const stdAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export type DecodeResult = { ok: true; value: string } | { ok: false; offset: number };

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const maps = new Map<string, Int16Array>();
function mapFor(alphabet: string): Int16Array {
  let m = maps.get(alphabet);
  if (!m) {
    m = decodeMap(alphabet);
    maps.set(alphabet, m);
  }
  return m;
}

/** base64.Encoding.DecodeString: padded (StdEncoding/URLEncoding) or raw (NoPadding); ignores \r and \n. */
export function base64Decode(src: string, alphabet = stdAlphabet, padded = true): DecodeResult {
  const dm = mapFor(alphabet);
  let out = '';
  let si = 0;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let done = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, value: out };
        if (j === 1 || padded) return { ok: false, offset: si - j };
        dlen = j;
        done = true;
        break;
      }
      const c = src.charCodeAt(si);
      si++;
      const v = c < 256 ? dm[c]! : -1;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === 10 || c === 13) {
        j--;
        continue;
      }
      if (!padded || c !== 0x3d) return { ok: false, offset: si - 1 };
      // padding
      if (j === 0 || j === 1) return { ok: false, offset: si - 1 };
      if (j === 2) {
        while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si === src.length) return { ok: false, offset: src.length };
        if (src[si] !== '=') return { ok: false, offset: si - 1 };
        si++;
      }
      while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
      if (si < src.length) return { ok: false, offset: si };
      dlen = j;
      done = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const b = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out += String.fromCharCode(...b.slice(0, dlen - 1));
    if (done) return { ok: true, value: out };
  }
}

/** base64 encoding of a byte string. */
export function base64Encode(s: string, alphabet = stdAlphabet, padded = true): string {
  let out = Buffer.from(s, 'latin1').toString('base64');
  if (alphabet === urlAlphabet) out = out.replace(/\+/g, '-').replace(/\//g, '_');
  if (!padded) out = out.replace(/=+$/, '');
  return out;
}

const b32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 5) {
    const chunk = s.slice(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(k < chunk.length ? chunk.charCodeAt(k) : 0);
    const nchars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      if (k < nchars) out += b32Alphabet[Number((bits >> BigInt(35 - 5 * k)) & 31n)];
      else out += '=';
    }
  }
  return out;
}

/** base32.StdEncoding.DecodeString (newlines stripped first, as Go does). */
export function base32Decode(input: string): DecodeResult {
  const src0 = input.replace(/[\r\n]/g, '');
  const dm = mapFor(b32Alphabet);
  const olen = src0.length;
  let src = src0;
  let out = '';
  let end = false;
  while (src.length > 0 && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (src.length === 0) return { ok: false, offset: olen - src.length - j };
      const c = src.charCodeAt(0);
      src = src.slice(1);
      if (c === 0x3d && j >= 2 && src.length < 8) {
        if (src.length + j < 8 - 1) return { ok: false, offset: olen };
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (src.length > k && src[k] !== '=') return { ok: false, offset: olen - src.length + k - 1 };
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) return { ok: false, offset: olen - src.length - 1 };
        break;
      }
      const v = c < 256 ? dm[c]! : -1;
      if (v < 0) return { ok: false, offset: olen - src.length - 1 };
      dbuf[j] = v;
      j++;
    }
    let bits = 0n;
    for (let k = 0; k < 8; k++) bits = (bits << 5n) | BigInt(dbuf[k]!);
    const nbytes = [0, 0, 1, 1, 2, 3, 3, 4, 5][dlen]!;
    for (let k = 0; k < nbytes; k++) out += String.fromCharCode(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return { ok: true, value: out };
}

// --- Byte-array forms used by ESO's decoding strategies (runtime/decoding) ---

export class Base64Error extends Error {}

const latin1 = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('latin1');

function decodeBytes(input: Uint8Array, alphabet: string): Uint8Array {
  const r = base64Decode(latin1(input), alphabet, true);
  // Go's error text; never the input.
  if (!r.ok) throw new Base64Error(`illegal base64 data at input byte ${r.offset}`);
  return new Uint8Array(Buffer.from(r.value, 'latin1'));
}

/** base64.StdEncoding.DecodeString. */
export function decodeStd(input: Uint8Array): Uint8Array {
  return decodeBytes(input, stdAlphabet);
}

/** base64.URLEncoding.DecodeString (padded URL alphabet). */
export function decodeUrl(input: Uint8Array): Uint8Array {
  return decodeBytes(input, urlAlphabet);
}

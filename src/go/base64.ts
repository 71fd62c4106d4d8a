/**
 * Go's encoding/base64 decoders as ESO uses them (runtime/decoding): strict about padding and
 * alphabet, but `\r` and `\n` anywhere are ignored. Errors use Go's text
 * ("illegal base64 data at input byte N") and never include the input.
 */
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export class Base64Error extends Error {}

function table(alphabet: string): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_TABLE = table(STD);
const URL_TABLE = table(URL_SAFE);

function decode(input: Uint8Array, lookup: Int16Array): Uint8Array {
  const out: number[] = [];
  const quantum: number[] = [];
  let quantumStart = 0;
  let i = 0;
  const fail = (at: number): never => {
    throw new Base64Error(`illegal base64 data at input byte ${at}`);
  };
  while (i < input.length) {
    const c = input[i]!;
    if (c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c === 0x3d /* = */) {
      // Padding: the quantum must have 2 or 3 symbols; then only '=' (and CR/LF) may follow.
      const have = quantum.length;
      if (have < 2) fail(i);
      const need = 4 - have;
      let seen = 0;
      let j = i;
      while (j < input.length && seen < need) {
        const d = input[j]!;
        if (d === 0x0a || d === 0x0d) {
          j++;
          continue;
        }
        if (d !== 0x3d) fail(j);
        seen++;
        j++;
      }
      if (seen < need) fail(input.length);
      while (j < input.length) {
        const d = input[j]!;
        if (d !== 0x0a && d !== 0x0d) fail(j);
        j++;
      }
      flush(quantum, out);
      return Uint8Array.from(out);
    }
    const v = lookup[c]!;
    if (v < 0) fail(i);
    if (quantum.length === 0) quantumStart = i;
    quantum.push(v);
    if (quantum.length === 4) flush(quantum, out);
    i++;
  }
  // Go reports an unfinished quantum at the offset where it started.
  if (quantum.length !== 0) fail(quantumStart);
  return Uint8Array.from(out);
}

// Go's non-strict encodings do not check that the padding bits are zero.
function flush(q: number[], out: number[]): void {
  const [a = 0, b = 0, c = 0, d = 0] = q;
  const n = (a << 18) | (b << 12) | (c << 6) | d;
  if (q.length === 4) out.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
  else if (q.length === 3) out.push((n >> 16) & 255, (n >> 8) & 255);
  else if (q.length === 2) out.push((n >> 16) & 255);
  q.length = 0;
}

/** base64.StdEncoding.DecodeString. */
export function decodeStd(input: Uint8Array): Uint8Array {
  return decode(input, STD_TABLE);
}

/** base64.URLEncoding.DecodeString (padded URL alphabet). */
export function decodeUrl(input: Uint8Array): Uint8Array {
  return decode(input, URL_TABLE);
}

export function encodeStd(input: Uint8Array): string {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64');
}

// ESO's vendored Sprig (runtime/template/v2/sprig, based on Masterminds/sprig v3 without
// env/expandenv/getHostByName, plus hexdec). Each entry mirrors the Go function's signature
// (for text/template's argument checks) and behaviour, quirks included.
import { createHash } from 'node:crypto';
import { decodeRune, encodeRune, fromText, mapText, runes, toText } from '../../go/bytes.js';
import { base32Decode, base32Encode, base64Decode, base64Encode } from '../../go/base64.js';
import { quote as goQuote, sprintf } from '../../go/fmt.js';
import { JSONError, marshal, unmarshal } from '../../go/json.js';
import { assertBoundedBacktracking, NestedRepetitionError } from '../../go/redos.js';
import { RegexpError, compile, findAll, quoteMeta, replaceAll, split as reSplit } from '../../go/regexp.js';
import { GoInt, GoObject, type GoMap, type GoValue, deepEqual, kindName, mapElem, nilSlice, sortedKeys, typeName, typedMap, typedSlice } from '../../go/value.js';
import { isTrue } from '../exec.js';
import { int64, kindForError, parseFloat64, parseIntBase0, strval, toFloat64, toInt64 } from './convert.js';
import { decimalOp } from './decimal.js';
import { FuncError, type FuncTable, type ParamType, def } from './types.js';

const S: ParamType = 'string';
const I: ParamType = 'int';
const A: ParamType = 'any';
const M: ParamType = 'map';

const str = (v: GoValue): string => v as string;
const int = (v: GoValue): number => Number(v as bigint);

/** Sprig's empty(): Go zero values and empty containers. */
export function empty(v: GoValue): boolean {
  if (v === null) return true;
  if (v instanceof GoObject) return v.isNil();
  if (v instanceof GoInt) return v.v === 0n;
  return !isTrue(v)[0];
}

// ---------- strings ----------

const goSpace = (r: number): boolean =>
  r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0 || r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;

/** strings.TrimFunc over runes (invalid bytes are RuneError and never trimmed unless pred says so). */
function trimFunc(s: string, pred: (r: number) => boolean, left = true, right = true): string {
  const bounds: [number, number, number][] = [];
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    bounds.push([r, i, n]);
    i += n;
  }
  let a = 0;
  let b = bounds.length;
  if (left) while (a < b && pred(bounds[a]![0]) && !(bounds[a]![0] === 0xfffd && bounds[a]![2] === 1)) a++;
  if (right) while (b > a && pred(bounds[b - 1]![0]) && !(bounds[b - 1]![0] === 0xfffd && bounds[b - 1]![2] === 1)) b--;
  if (a >= b) return '';
  return s.slice(bounds[a]![1], bounds[b - 1]![1] + bounds[b - 1]![2]);
}

/** unicode.ToUpper/ToLower rune-wise (special-case expansions like ß→SS do not apply in Go). */
function caseMap(s: string, upper: boolean): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  return mapText(s, (t) => {
    let out = '';
    for (const ch of t) {
      const m = upper ? ch.toUpperCase() : ch.toLowerCase();
      out += [...m].length === 1 ? m : ch;
    }
    return out;
  });
}

const isLetter = (ch: string): boolean => /\p{L}/u.test(ch);
const isUpperCh = (ch: string): boolean => /\p{Lu}/u.test(ch);
const isLowerCh = (ch: string): boolean => /\p{Ll}/u.test(ch);
const isTitleCh = (ch: string): boolean => /\p{Lt}/u.test(ch);
const isDigitCh = (ch: string): boolean => /\p{Nd}/u.test(ch);
const isNumberCh = (ch: string): boolean => /\p{N}/u.test(ch);
const isPunctCh = (ch: string): boolean => /\p{P}/u.test(ch);
const isSpaceCh = (ch: string): boolean => goSpace(ch.codePointAt(0)!);
const upper1 = (ch: string): string => {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
};
const lower1 = (ch: string): string => {
  const u = ch.toLowerCase();
  return [...u].length === 1 ? u : ch;
};

/** strings.Title */
function title(s: string): string {
  const isSep = (ch: string): boolean => {
    const r = ch.codePointAt(0)!;
    if (r <= 0x7f) {
      if (/[0-9a-zA-Z_]/.test(ch)) return false;
      return true;
    }
    if (isLetter(ch) || isDigitCh(ch)) return false;
    return isSpaceCh(ch);
  };
  return mapText(s, (t) => {
    let prev = ' ';
    let out = '';
    for (const ch of t) {
      out += isSep(prev) ? upper1(ch) : ch;
      prev = ch;
    }
    return out;
  });
}

function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  if (s === '') return '';
  if (maxWidth < 4) return '';
  if (s.length <= maxWidth) return s;
  if (offset > s.length) offset = s.length;
  if (s.length - offset < maxWidth - 3) offset = s.length - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return s.slice(0, maxWidth - 3) + marker;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < s.length) return marker + abbreviateFull(s.slice(offset), 0, maxWidth - 3);
  return marker + s.slice(s.length - (maxWidth - 3));
}

function wrapCustom(s: string, wrapLength: number, newLine: string, wrapLong: boolean): string {
  if (s === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const inLen = s.length;
  let offset = 0;
  let out = '';
  while (inLen - offset > wrapLength) {
    if (s[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceAt = s.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceAt >= offset) {
      out += s.slice(offset, spaceAt) + newLine;
      offset = spaceAt + 1;
    } else if (wrapLong) {
      out += s.slice(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const e2 = wrapLength + offset;
      const idx = s.slice(e2).indexOf(' ');
      if (idx === -1) {
        out += s.slice(offset);
        offset = inLen;
      } else {
        out += s.slice(offset, idx + e2) + newLine;
        offset = idx + e2 + 1;
      }
    }
  }
  return out + s.slice(offset);
}

/** goutils byte-wise helpers write each byte as a rune (so bytes ≥ 0x80 become 2-byte UTF-8). */
const byteRune = (b: number): string => encodeRune(b);
const byteIsSpace = (b: number): boolean => goSpace(b);

function deleteWhiteSpace(s: string): string {
  if (s === '') return s;
  let out = '';
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (!byteIsSpace(b)) {
      out += byteRune(b);
      count++;
    }
  }
  return count === s.length ? s : out;
}

function initials(s: string): string {
  if (s === '') return s;
  let out = '';
  let gap = true;
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (byteIsSpace(b)) gap = true;
    else if (gap) {
      out += byteRune(b);
      gap = false;
    }
  }
  return out;
}

function uncapitalize(s: string): string {
  if (s === '') return s;
  return mapText(s, (t) => {
    let next = true;
    let out = '';
    for (const ch of t) {
      if (isSpaceCh(ch)) {
        next = true;
        out += ch;
      } else if (next) {
        out += lower1(ch);
        next = false;
      } else out += ch;
    }
    return out;
  });
}

function swapCase(s: string): string {
  if (s === '') return s;
  return mapText(s, (t) => {
    // goutils turns a lower-case letter after whitespace into title case, which equals
    // upper case for every letter with a one-rune mapping.
    let out = '';
    for (const ch of t) {
      if (isUpperCh(ch) || isTitleCh(ch)) out += lower1(ch);
      else if (isLowerCh(ch)) out += upper1(ch);
      else out += ch;
    }
    return out;
  });
}

// xstrings (v1.5.0 ToPascalCase / ToSnakeCase / ToKebabCase)
const isConnector = (ch: string): boolean => ch === '-' || ch === '_' || isSpaceCh(ch);

function toPascalCase(s: string): string {
  if (s === '') return '';
  const rs = [...toText(s)];
  let out = '';
  let k = 0;
  let r0 = '';
  for (; k < rs.length; k++) {
    r0 = rs[k]!;
    if (!isConnector(r0)) {
      r0 = upper1(r0);
      k++;
      break;
    }
    out += r0;
    r0 = '';
  }
  if (k >= rs.length && r0 === '') return fromText(out);
  if (k >= rs.length) return fromText(out + r0);
  for (; k < rs.length; k++) {
    const r1 = r0;
    r0 = rs[k]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = upper1(r0);
    else out += r1;
  }
  return fromText(out + r0);
}

type WordType = 'invalid' | 'number' | 'upper' | 'alpha' | 'connector' | 'punct' | 'other';
const isAlphabet = (ch: string): boolean => /^[A-Za-z]$/.test(ch);

function nextWord(rs: string[], at: number): [WordType, number] {
  if (at >= rs.length) return ['invalid', at];
  const r = rs[at]!;
  let i = at + 1;
  if (r === '\ufffd') return ['invalid', i];
  if (isConnector(r)) {
    while (i < rs.length && isConnector(rs[i]!)) i++;
    return ['connector', i];
  }
  if (isPunctCh(r)) {
    while (i < rs.length && isPunctCh(rs[i]!)) i++;
    return ['punct', i];
  }
  if (isUpperCh(r)) {
    if (i >= rs.length) return ['upper', i];
    const r2 = rs[i]!;
    if (isUpperCh(r2)) {
      i++;
      while (i < rs.length && isUpperCh(rs[i]!)) i++;
      if (i < rs.length && isAlphabet(rs[i]!)) i--;
    } else if (isAlphabet(r2)) {
      i++;
      while (i < rs.length && isAlphabet(rs[i]!) && !isUpperCh(rs[i]!)) i++;
    }
    return ['upper', i];
  }
  if (isAlphabet(r)) {
    while (i < rs.length && isAlphabet(rs[i]!) && !isUpperCh(rs[i]!)) i++;
    return ['alpha', i];
  }
  if (isNumberCh(r)) {
    while (i < rs.length && isNumberCh(rs[i]!)) i++;
    return ['number', i];
  }
  while (i < rs.length && !(isConnector(rs[i]!) || isAlphabet(rs[i]!) || isNumberCh(rs[i]!) || isPunctCh(rs[i]!))) i++;
  return ['other', i];
}

function camelToLower(s: string, connector: string): string {
  if (s === '') return '';
  const rs = [...toText(s)];
  let out = '';
  const lower = (wt: WordType, w: string[]): void => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += w.join('');
      return;
    }
    for (const ch of w) out += isConnector(ch) ? connector : isUpperCh(ch) ? lower1(ch) : ch;
  };
  let pos = 0;
  let [wt, end] = nextWord(rs, pos);
  let word = rs.slice(pos, end);
  pos = end;
  const cur = (): WordType => wt;
  const step = (): void => {
    [wt, end] = nextWord(rs, pos);
    word = rs.slice(pos, end);
    pos = end;
  };
  while (pos < rs.length) {
    if (cur() !== 'connector') lower(wt, word);
    const prev = wt;
    const last = word;
    step();
    if (prev === 'number') {
      while (cur() === 'alpha' || cur() === 'number') {
        lower(wt, word);
        step();
      }
      if (cur() !== 'invalid' && cur() !== 'punct' && cur() !== 'connector') out += connector;
    } else if (prev === 'connector') {
      lower(prev, last);
    } else if (prev === 'punct') {
      // nothing
    } else {
      if (cur() !== 'number') {
        if (cur() !== 'connector' && cur() !== 'punct') out += connector;
        continue;
      }
      if (pos >= rs.length) continue;
      const last2 = word;
      step();
      if (cur() !== 'alpha') {
        lower('number', last2);
        if (cur() !== 'connector' && cur() !== 'punct') out += connector;
        continue;
      }
      out += connector;
      lower('number', last2);
      while (cur() === 'alpha' || cur() === 'number') {
        lower(wt, word);
        step();
      }
      if (cur() !== 'invalid' && cur() !== 'connector' && cur() !== 'punct') out += connector;
    }
  }
  lower(wt, word);
  return fromText(out);
}

function substr(start: number, end: number, s: string): string {
  const bad = (a: number, b: number): never => {
    throw new FuncError(`runtime error: slice bounds out of range [${a}:${b}]`);
  };
  if (start < 0) {
    if (end < 0 || end > s.length) throw new FuncError(`runtime error: slice bounds out of range [:${end}] with length ${s.length}`);
    return s.slice(0, end);
  }
  if (end < 0 || end > s.length) {
    if (start > s.length) throw new FuncError(`runtime error: slice bounds out of range [${start}:${s.length}]`);
    return s.slice(start);
  }
  if (start > end) bad(start, end);
  return s.slice(start, end);
}

function trunc(c: number, s: string): string {
  if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
  if (c >= 0 && s.length > c) return s.slice(0, c);
  return s;
}

function quoteAll(args: GoValue[]): string {
  return args
    .filter((a) => a !== null)
    .map((a) => goQuote(strval(a)))
    .join(' ');
}

function squoteAll(args: GoValue[]): string {
  return args
    .filter((a) => a !== null)
    .map((a) => sprintf("'%v'", [a]))
    .join(' ');
}

function cat(args: GoValue[]): string {
  const v = args.filter((a) => a !== null);
  return sprintf('%v '.repeat(v.length).trim(), v);
}

function indent(spaces: number, v: string): string {
  const pad = goRepeat(' ', spaces);
  return pad + v.split('\n').join(`\n${pad}`);
}

/** Sprig strslice */
function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) {
    if (typeName(v) === '[]string') return v as string[];
    return typedSlice(
      v.filter((x) => x !== null).map((x) => strval(x)),
      'string',
    );
  }
  if (v === null) return typedSlice([], 'string');
  return typedSlice([strval(v)], 'string');
}

function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    // explode into UTF-8 sequences
    const parts: string[] = [];
    for (let i = 0; i < s.length; ) {
      if (n > 0 && parts.length === n - 1) {
        parts.push(s.slice(i));
        return parts;
      }
      const k = decodeRune(s, i)[1];
      parts.push(s.slice(i, i + k));
      i += k;
    }
    return parts;
  }
  const all = s.split(sep);
  if (n > 0 && all.length > n) return [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
  return all;
}

function splitMap(parts: string[]): GoMap {
  const m: GoMap = typedMap(new Map(), 'string');
  for (const [k, p] of parts.entries()) m.set(`_${k}`, p);
  return m;
}

function goRepeat(s: string, n: number): string {
  if (n < 0) throw new FuncError('strings: negative Repeat count');
  return s.repeat(n);
}

function goReplace(src: string, old: string, neu: string): string {
  if (old === '') {
    // Go inserts `new` before every rune and at the end.
    let out = neu;
    for (let i = 0; i < src.length; ) {
      const k = decodeRune(src, i)[1];
      out += src.slice(i, i + k) + neu;
      i += k;
    }
    return out;
  }
  return src.split(old).join(neu);
}

function cutsetPred(cutset: string): (r: number) => boolean {
  const set = new Set(runes(cutset));
  return (r) => set.has(r);
}

// ---------- numbers ----------

function untilStep(start: number, stop: number, step: number): bigint[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(BigInt(i));
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(BigInt(i));
  return v;
}

function seq(params: number[]): string {
  const join = (a: bigint[]): string => a.join(' ');
  switch (params.length) {
    case 0:
      return '';
    case 1: {
      const end = params[0]!;
      const inc = end < 1 ? -1 : 1;
      return join(untilStep(1, end + inc, inc));
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

function round(a: GoValue, p: number, rOpt: GoValue[]): number {
  const roundOn = rOpt.length > 0 ? (rOpt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** p;
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

function divInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a / b;
}

function modInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a % b;
}

function atoi(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) return 0n;
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return 0n;
  return v;
}

// ---------- lists ----------

function needList(v: GoValue, what: string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new FuncError(`Cannot ${what} ${kindForError(v)}`);
}

const ilist = (a: GoValue[]): GoValue[] => a;

function mustSlice(list: GoValue, indices: GoValue[]): GoValue {
  if (!Array.isArray(list)) throw new FuncError(`list should be type of slice or array but ${kindForError(list)}`);
  const l = list.length;
  if (l === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0]!)) : 0;
  const end = indices.length < 2 ? l : Number(toInt64(indices[1]!));
  if (start < 0 || end < start || end > l) throw new FuncError('reflect.Value.Slice: slice index out of bounds');
  const out = list.slice(start, end);
  const elem = typeName(list).slice(2);
  return typedSlice(out, elem);
}

function chunk(size: number, list: GoValue): GoValue {
  const l2 = needList(list, 'chunk type');
  const l = l2.length;
  const cs = Math.floor((l - 1) / size) + 1;
  if (cs < 0) throw new FuncError('runtime error: makeslice: len out of range');
  const out: GoValue[] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = Math.floor(l % size);
      if (clen === 0) clen = size;
    }
    const row: GoValue[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= l) throw new FuncError(`reflect: slice index out of range`);
      row.push(l2[ix] ?? null);
    }
    out.push(row);
  }
  return typedSlice(out, '[]interface {}');
}

// ---------- dicts ----------

function needMap(v: GoValue): GoMap {
  return (v as GoMap | null) ?? typedMap(new Map(), 'interface {}');
}

function newDict(): GoMap {
  return typedMap(new Map(), 'interface {}');
}

function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [k, sv] of src) {
    const has = dst.has(k);
    const dv = dst.get(k) ?? null;
    if (sv === null) {
      if (overwrite) dst.set(k, null);
      continue;
    }
    if (sv instanceof Map && dv instanceof Map) {
      mergeInto(dv, sv, overwrite);
      continue;
    }
    if (overwrite || !has || empty(dv)) dst.set(k, sv);
  }
}

function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return typedSlice(v.map(deepCopy), typeName(v).slice(2));
  if (v instanceof Map) {
    const m: GoMap = typedMap(new Map(), mapElem(v));
    for (const [k, x] of v) m.set(k, deepCopy(x));
    return m;
  }
  return v;
}

function dig(ps: GoValue[]): GoValue {
  if (ps.length < 3) throw new FuncError('dig needs at least three arguments');
  const last = ps[ps.length - 1]!;
  if (!(last instanceof Map) || mapElem(last) !== 'interface {}') {
    throw new FuncError(`interface conversion: interface {} is ${typeName(last)}, not map[string]interface {}`);
  }
  const def = ps[ps.length - 2]!;
  const ks = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new FuncError(`interface conversion: interface {} is ${typeName(k)}, not string`);
    return k;
  });
  let dict: GoMap = last;
  for (let i = 0; i < ks.length; i++) {
    const step = dict.get(ks[i]!);
    if (step === undefined) return def;
    if (i === ks.length - 1) return step;
    if (!(step instanceof Map)) throw new FuncError(`interface conversion: interface {} is ${typeName(step)}, not map[string]interface {}`);
    dict = step;
  }
  return def;
}

// ---------- paths ----------

/** path.Clean */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  const i = p.lastIndexOf('/');
  return p.slice(i + 1);
}

function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}

function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

// ---------- encodings ----------

function hexDecode(s: string): string {
  const hv = (c: number): number => {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 97 && c <= 102) return c - 87;
    if (c >= 65 && c <= 70) return c - 55;
    return -1;
  };
  const bad = (c: number): string => `encoding/hex: invalid byte: U+${c.toString(16).toUpperCase().padStart(4, '0')} ${goQuoteRuneByte(c)}`;
  let out = '';
  let i = 1;
  for (; i < s.length; i += 2) {
    const a = hv(s.charCodeAt(i - 1));
    const b = hv(s.charCodeAt(i));
    if (a < 0) return bad(s.charCodeAt(i - 1));
    if (b < 0) return bad(s.charCodeAt(i));
    out += String.fromCharCode((a << 4) | b);
  }
  if (s.length % 2 === 1) {
    if (hv(s.charCodeAt(s.length - 1)) < 0) return bad(s.charCodeAt(s.length - 1));
    return 'encoding/hex: odd length hex string';
  }
  return out;
}

function goQuoteRuneByte(c: number): string {
  return `'${encodeRune(c)}'`;
}

// ---------- regex ----------

// Go's regexp errors quote the pattern (twice for the panicking variants); patterns may come
// from data, so the quoted fragment is left out: "regexp: Compile: error parsing regexp: missing closing )".
const withoutFragment = (msg: string): string => msg.replace(/: `[^`]*`$/, '');
// Template patterns come from app repos (or data): JavaScript's backtracking engine could take
// exponential time where RE2 is linear, so nested repetition is refused (src/go/redos). The refusal
// is always an error, even where Sprig turns a bad pattern into `false` (regexMatch): a pattern RE2
// accepts must not silently change the result.
class RefusedPattern extends FuncError {}
function guard(pattern: string): void {
  try {
    assertBoundedBacktracking(toText(pattern));
  } catch (e) {
    if (e instanceof NestedRepetitionError) throw new RefusedPattern(`regexp: ${e.message}`);
    throw e;
  }
}
function re(pattern: string) {
  guard(pattern);
  try {
    return compile(toText(pattern));
  } catch (e) {
    if (e instanceof RegexpError) throw new FuncError(`regexp: Compile: ${withoutFragment(e.message)}`);
    throw e;
  }
}
function reMust(pattern: string) {
  guard(pattern);
  try {
    return compile(toText(pattern));
  } catch (e) {
    if (e instanceof RegexpError) throw new FuncError(withoutFragment(e.message));
    throw e;
  }
}
const fx = (s: string): string => fromText(s);

// ---------- url ----------

function urlParse(v: string): GoMap {
  const m = newDict();
  const t = toText(v);
  const u = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(t);
  if (!u) throw new FuncError('unable to parse url');
  const scheme = (u[1] ?? '').toLowerCase();
  let authority = u[2] ?? '';
  let userinfo = '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  let path = u[3] ?? '';
  let opaque = '';
  if (u[1] && u[2] === undefined && path !== '' && !path.startsWith('/')) {
    opaque = path;
    path = '';
  }
  let hostname = authority;
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(authority);
  if (bracket) hostname = bracket[1]!;
  else hostname = authority.replace(/:\d*$/, '');
  let decodedPath = path;
  let fragment = u[5] ?? '';
  try {
    decodedPath = decodeURIComponent(path);
    fragment = decodeURIComponent(fragment);
  } catch {
    throw new FuncError('unable to parse url: invalid URL escape');
  }
  m.set('scheme', fx(scheme));
  m.set('host', fx(authority));
  m.set('hostname', fx(hostname));
  m.set('path', fx(decodedPath));
  m.set('query', fx(u[4] ?? ''));
  m.set('opaque', fx(opaque));
  m.set('fragment', fx(fragment));
  m.set('userinfo', fx(userinfo));
  return m;
}

function dictGetOrEmpty(d: GoMap, key: string): string {
  const v = d.get(key);
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new FuncError(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
  return v;
}

function urlJoin(d: GoMap): string {
  const scheme = dictGetOrEmpty(d, 'scheme');
  const host = dictGetOrEmpty(d, 'host');
  const path = dictGetOrEmpty(d, 'path');
  const query = dictGetOrEmpty(d, 'query');
  const opaque = dictGetOrEmpty(d, 'opaque');
  const fragment = dictGetOrEmpty(d, 'fragment');
  const userinfo = dictGetOrEmpty(d, 'userinfo');
  let out = '';
  if (scheme) out += `${scheme}:`;
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) out += `${userinfo}@`;
      out += host;
    }
    if (path && !path.startsWith('/') && host) out += '/';
    out += fx(encodeURI(toText(path)).replace(/%25/g, '%').replace(/[?#]/g, encodeURIComponent));
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${fx(encodeURI(toText(fragment)))}`;
  return out;
}

// ---------- the table ----------

export function sprigFuncs(t: FuncTable): void {
  const set = (name: string, d: ReturnType<typeof def>): void => {
    t.set(name, d);
  };
  set('hello', def([], () => 'Hello!'));

  // strings
  set('abbrev', def([I, S], (_c, w, s) => (int(w) < 4 ? str(s) : abbreviateFull(str(s), 0, int(w)))));
  set(
    'abbrevboth',
    def([I, I, S], (_c, l, r, s) => {
      const left = int(l);
      const right = int(r);
      if (right < 4 || (left > 0 && right < 7)) return str(s);
      return abbreviateFull(str(s), left, right);
    }),
  );
  set('trunc', def([I, S], (_c, c, s) => trunc(int(c), str(s))));
  set('trim', def([S], (_c, s) => trimFunc(str(s), goSpace)));
  set('upper', def([S], (_c, s) => caseMap(str(s), true)));
  set('lower', def([S], (_c, s) => caseMap(str(s), false)));
  set('title', def([S], (_c, s) => title(str(s))));
  set('untitle', def([S], (_c, s) => uncapitalize(str(s))));
  set('substr', def([I, I, S], (_c, a, b, s) => substr(int(a), int(b), str(s))));
  set('repeat', def([I, S], (_c, n, s) => goRepeat(str(s), int(n))));
  const trimAll = def([S, S], (_c, a, b) => trimFunc(str(b), cutsetPred(str(a))));
  set('trimall', trimAll);
  set('trimAll', trimAll);
  set('trimSuffix', def([S, S], (_c, a, b) => (str(b).endsWith(str(a)) ? str(b).slice(0, str(b).length - str(a).length) : str(b))));
  set('trimPrefix', def([S, S], (_c, a, b) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b))));
  set('nospace', def([S], (_c, s) => deleteWhiteSpace(str(s))));
  set('initials', def([S], (_c, s) => initials(str(s))));
  set('swapcase', def([S], (_c, s) => swapCase(str(s))));
  set('snakecase', def([S], (_c, s) => camelToLower(str(s), '_')));
  set('camelcase', def([S], (_c, s) => toPascalCase(str(s))));
  set('kebabcase', def([S], (_c, s) => camelToLower(str(s), '-')));
  set('wrap', def([I, S], (_c, l, s) => wrapCustom(str(s), int(l), '', false)));
  set('wrapWith', def([I, S, S], (_c, l, sep, s) => wrapCustom(str(s), int(l), str(sep), true)));
  set('contains', def([S, S], (_c, sub, s) => str(s).includes(str(sub))));
  set('hasPrefix', def([S, S], (_c, sub, s) => str(s).startsWith(str(sub))));
  set('hasSuffix', def([S, S], (_c, sub, s) => str(s).endsWith(str(sub))));
  set('quote', def([], (_c, ...a) => quoteAll(a), { variadic: A }));
  set('squote', def([], (_c, ...a) => squoteAll(a), { variadic: A }));
  set('cat', def([], (_c, ...a) => cat(a), { variadic: A }));
  set('indent', def([I, S], (_c, n, s) => indent(int(n), str(s))));
  set('nindent', def([I, S], (_c, n, s) => `\n${indent(int(n), str(s))}`));
  set('replace', def([S, S, S], (_c, o, n, s) => goReplace(str(s), str(o), str(n))));
  set('plural', def([S, S, I], (_c, one, many, n) => (n === 1n ? one : many)));
  set('sha1sum', def([S], (_c, s) => createHash('sha1').update(str(s), 'latin1').digest('hex')));
  set('sha256sum', def([S], (_c, s) => createHash('sha256').update(str(s), 'latin1').digest('hex')));
  set('sha512sum', def([S], (_c, s) => createHash('sha512').update(str(s), 'latin1').digest('hex')));
  set('adler32sum', def([S], (_c, s) => adler32(str(s)).toString()));
  set('toString', def([A], (_c, v) => strval(v ?? null)));

  // conversions and numbers
  set('atoi', def([S], (_c, a) => atoi(str(a))));
  set('int64', def([A], (_c, v) => int64(toInt64(v ?? null))));
  set('int', def([A], (_c, v) => toInt64(v ?? null)));
  set('float64', def([A], (_c, v) => toFloat64(v ?? null)));
  set('seq', def([], (_c, ...p) => seq(p.map((x) => int(x))), { variadic: I }));
  set(
    'toDecimal',
    def([A], (_c, v) => {
      const s = strval(v ?? null);
      const m = /^([+-]?)([0-7]+)$/.exec(s);
      if (!m) return int64(0n);
      let r = BigInt(`0o${m[2]}`);
      if (m[1] === '-') r = -r;
      if (r > (1n << 63n) - 1n || r < -(1n << 63n)) return int64(0n);
      return int64(r);
    }),
  );
  set('split', def([S, S], (_c, sep, s) => splitMap(goSplit(str(s), str(sep)))));
  set('splitList', def([S, S], (_c, sep, s) => typedSlice(goSplit(str(s), str(sep)), 'string')));
  set('splitn', def([S, I, S], (_c, sep, n, s) => splitMap(goSplit(str(s), str(sep), int(n)))));
  set('toStrings', def([A], (_c, v) => strslice(v ?? null)));
  set('until', def([I], (_c, n) => typedSlice(untilStep(0, int(n), int(n) < 0 ? -1 : 1), 'int')));
  set('untilStep', def([I, I, I], (_c, a, b, s) => typedSlice(untilStep(int(a), int(b), int(s)), 'int')));
  set('add1', def([A], (_c, i) => int64(toInt64(i ?? null) + 1n)));
  set('add', def([], (_c, ...a) => int64(a.reduce<bigint>((acc, b) => BigInt.asIntN(64, acc + toInt64(b)), 0n)), { variadic: A }));
  set('sub', def([A, A], (_c, a, b) => int64(toInt64(a ?? null) - toInt64(b ?? null))));
  set('div', def([A, A], (_c, a, b) => int64(divInt(toInt64(a ?? null), toInt64(b ?? null)))));
  set('mod', def([A, A], (_c, a, b) => int64(modInt(toInt64(a ?? null), toInt64(b ?? null)))));
  set('mul', def([A], (_c, a, ...v) => int64(v.reduce<bigint>((acc, b) => BigInt.asIntN(64, acc * toInt64(b)), toInt64(a ?? null))), { variadic: A }));
  set(
    'randInt',
    def([I, I], (_c, lo, hi) => {
      const min = int(lo);
      const max = int(hi);
      if (max - min <= 0) throw new FuncError('invalid argument to Intn');
      return BigInt(min + Math.floor(Math.random() * (max - min)));
    }, { nondeterministic: 'it returns a random number' }),
  );
  set('add1f', def([A], (_c, i) => decimalOp(i ?? null, [1n], 'add')));
  set('addf', def([], (_c, ...i) => decimalOp(0, i, 'add'), { variadic: A }));
  set('subf', def([A], (_c, a, ...v) => decimalOp(a ?? null, v, 'sub'), { variadic: A }));
  set('divf', def([A], (_c, a, ...v) => decimalOp(a ?? null, v, 'div'), { variadic: A }));
  set('mulf', def([A], (_c, a, ...v) => decimalOp(a ?? null, v, 'mul'), { variadic: A }));
  const maxI = def([A], (_c, a, ...v) => int64(v.reduce<bigint>((acc, b) => pickInt(acc, toInt64(b), true), toInt64(a ?? null))), { variadic: A });
  set('biggest', maxI);
  set('max', maxI);
  set('min', def([A], (_c, a, ...v) => int64(v.reduce<bigint>((acc, b) => pickInt(acc, toInt64(b), false), toInt64(a ?? null))), { variadic: A }));
  set('maxf', def([A], (_c, a, ...v) => v.reduce<number>((acc, b) => goMax(acc, toFloat64(b)), toFloat64(a ?? null)), { variadic: A }));
  set('minf', def([A], (_c, a, ...v) => v.reduce<number>((acc, b) => goMin(acc, toFloat64(b)), toFloat64(a ?? null)), { variadic: A }));
  set('ceil', def([A], (_c, a) => Math.ceil(toFloat64(a ?? null))));
  set('floor', def([A], (_c, a) => Math.floor(toFloat64(a ?? null))));
  set('round', def([A, I], (_c, a, p, ...r) => round(a ?? null, int(p), r), { variadic: 'float64' }));
  set('join', def([S, A], (_c, sep, v) => strslice(v ?? null).join(str(sep))));
  set(
    'sortAlpha',
    def([A], (_c, v) => {
      if (Array.isArray(v)) return typedSlice([...strslice(v)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), 'string');
      return typedSlice([strval(v ?? null)], 'string');
    }),
  );

  // defaults
  set('default', def([A], (_c, d, ...given) => (given.length === 0 || empty(given[0]!) ? (d ?? null) : given[0]!), { variadic: A }));
  set('empty', def([A], (_c, v) => empty(v ?? null)));
  set('coalesce', def([], (_c, ...v) => v.find((x) => !empty(x)) ?? null, { variadic: A }));
  set('all', def([], (_c, ...v) => v.every((x) => !empty(x)), { variadic: A }));
  set('any', def([], (_c, ...v) => v.some((x) => !empty(x)), { variadic: A }));
  set('compact', def([A], (_c, l) => needList(l ?? null, 'compact on type').filter((x) => !empty(x))));
  set('mustCompact', def([A], (_c, l) => needList(l ?? null, 'compact on type').filter((x) => !empty(x))));
  set(
    'fromJson',
    def([S], (_c, v) => {
      try {
        return unmarshal(str(v));
      } catch {
        return null;
      }
    }),
  );
  set('mustFromJson', def([S], (_c, v) => unmarshal(str(v))));
  const safeJSON = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      if (e instanceof JSONError) return '';
      throw e;
    }
  };
  set('toJson', def([A], (_c, v) => safeJSON(() => marshal(v ?? null, true))));
  set('mustToJson', def([A], (_c, v) => marshal(v ?? null, true)));
  set('toPrettyJson', def([A], (_c, v) => safeJSON(() => marshal(v ?? null, true, '  '))));
  set('mustToPrettyJson', def([A], (_c, v) => marshal(v ?? null, true, '  ')));
  set('toRawJson', def([A], (_c, v) => marshal(v ?? null, false)));
  set('mustToRawJson', def([A], (_c, v) => marshal(v ?? null, false)));
  set('ternary', def([A, A, 'bool'], (_c, vt, vf, b) => (b ? (vt ?? null) : (vf ?? null))));
  set('deepCopy', def([A], (_c, v) => deepCopy(v ?? null)));
  set('mustDeepCopy', def([A], (_c, v) => deepCopy(v ?? null)));

  // reflection
  set('typeOf', def([A], (_c, v) => typeName(v ?? null)));
  set('typeIs', def([S, A], (_c, t, v) => str(t) === typeName(v ?? null)));
  set('typeIsLike', def([S, A], (_c, t, v) => str(t) === typeName(v ?? null) || `*${str(t)}` === typeName(v ?? null)));
  set('kindOf', def([A], (_c, v) => kindName(v ?? null)));
  set('kindIs', def([S, A], (_c, t, v) => str(t) === kindName(v ?? null)));
  set('deepEqual', def([A, A], (_c, a, b) => deepEqual(a ?? null, b ?? null)));

  // paths (filepath on Linux behaves like path)
  for (const [p, os] of [
    ['base', 'osBase'],
    ['dir', 'osDir'],
    ['clean', 'osClean'],
    ['ext', 'osExt'],
    ['isAbs', 'osIsAbs'],
  ] as const) {
    const fn = { base: pathBase, dir: pathDir, clean: pathClean, ext: pathExt, isAbs: (s: string) => s.startsWith('/') }[p];
    const d = def([S], (_c, s) => fn(str(s)));
    set(p, d);
    set(os, d);
  }

  // encodings
  set('b64enc', def([S], (_c, s) => base64Encode(str(s))));
  set(
    'b64dec',
    def([S], (_c, s) => {
      const r = base64Decode(str(s));
      return r.ok ? r.value : `illegal base64 data at input byte ${r.offset}`;
    }),
  );
  set('b32enc', def([S], (_c, s) => base32Encode(str(s))));
  set(
    'b32dec',
    def([S], (_c, s) => {
      const r = base32Decode(str(s));
      return r.ok ? r.value : `illegal base32 data at input byte ${r.offset}`;
    }),
  );
  set('hexdec', def([S], (_c, s) => hexDecode(str(s))));

  // data structures
  const list = def([], (_c, ...v) => ilist(v), { variadic: A });
  set('tuple', list);
  set('list', list);
  set(
    'dict',
    def(
      [],
      (_c, ...v) => {
        const d = newDict();
        for (let i = 0; i < v.length; i += 2) d.set(strval(v[i]!), i + 1 < v.length ? v[i + 1]! : '');
        return d;
      },
      { variadic: A },
    ),
  );
  set('get', def([M, S], (_c, d, k) => (needMap(d ?? null).has(str(k)) ? (needMap(d ?? null).get(str(k)) ?? null) : '')));
  set(
    'set',
    def([M, S, A], (_c, d, k, v) => {
      if (d === null) throw new FuncError('assignment to entry in nil map');
      (d as GoMap).set(str(k), v ?? null);
      return d;
    }),
  );
  set(
    'unset',
    def([M, S], (_c, d, k) => {
      (d as GoMap | null)?.delete(str(k));
      return d ?? null;
    }),
  );
  set('hasKey', def([M, S], (_c, d, k) => needMap(d ?? null).has(str(k))));
  set(
    'pluck',
    def([S], (_c, k, ...ds) => ds.filter((d) => needMap(d).has(str(k))).map((d) => needMap(d).get(str(k)) ?? null), {
      variadic: M,
    }),
  );
  set('keys', def([], (_c, ...ds) => typedSlice(ds.flatMap((d) => sortedKeys(needMap(d))), 'string'), { variadic: M }));
  set(
    'pick',
    def(
      [M],
      (_c, d, ...ks) => {
        const res = newDict();
        for (const k of ks) if (needMap(d ?? null).has(str(k))) res.set(str(k), needMap(d ?? null).get(str(k)) ?? null);
        return res;
      },
      { variadic: S },
    ),
  );
  set(
    'omit',
    def(
      [M],
      (_c, d, ...ks) => {
        const res = newDict();
        const drop = new Set(ks.map(str));
        for (const [k, v] of needMap(d ?? null)) if (!drop.has(k)) res.set(k, v);
        return res;
      },
      { variadic: S },
    ),
  );
  const merge = (overwrite: boolean) =>
    def(
      [M],
      (_c, dst, ...srcs) => {
        const d = (dst as GoMap | null) ?? newDict();
        for (const s of srcs) if (s !== null) mergeInto(d, s as GoMap, overwrite);
        return d;
      },
      { variadic: M },
    );
  set('merge', merge(false));
  set('mustMerge', merge(false));
  set('mergeOverwrite', merge(true));
  set('mustMergeOverwrite', merge(true));
  set('values', def([M], (_c, d) => sortedKeys(needMap(d ?? null)).map((k) => needMap(d ?? null).get(k) ?? null)));

  const push = def([A, A], (_c, l, v) => [...needList(l ?? null, 'push on type'), v ?? null]);
  set('append', push);
  set('push', push);
  set('mustAppend', push);
  set('mustPush', push);
  const prepend = def([A, A], (_c, l, v) => [v ?? null, ...needList(l ?? null, 'prepend on type')]);
  set('prepend', prepend);
  set('mustPrepend', prepend);
  const first = def([A], (_c, l) => needList(l ?? null, 'find first on type')[0] ?? null);
  set('first', first);
  set('mustFirst', first);
  const restF = def([A], (_c, l) => {
    const a = needList(l ?? null, 'find rest on type');
    return a.length === 0 ? nilSlice() : a.slice(1);
  });
  set('rest', restF);
  set('mustRest', restF);
  const last = def([A], (_c, l) => {
    const a = needList(l ?? null, 'find last on type');
    return a.length === 0 ? null : (a[a.length - 1] ?? null);
  });
  set('last', last);
  set('mustLast', last);
  const initial = def([A], (_c, l) => {
    const a = needList(l ?? null, 'find initial on type');
    return a.length === 0 ? nilSlice() : a.slice(0, -1);
  });
  set('initial', initial);
  set('mustInitial', initial);
  const reverse = def([A], (_c, l) => [...needList(l ?? null, 'find reverse on type')].reverse());
  set('reverse', reverse);
  set('mustReverse', reverse);
  const uniq = def([A], (_c, l) => {
    const out: GoValue[] = [];
    for (const x of needList(l ?? null, 'find uniq on type')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  });
  set('uniq', uniq);
  set('mustUniq', uniq);
  const without = def([A], (_c, l, ...omit) => needList(l ?? null, 'find without on type').filter((x) => !omit.some((y) => deepEqual(x, y))), { variadic: A });
  set('without', without);
  set('mustWithout', without);
  const has = def([A, A], (_c, needle, hay) => {
    if (hay === null || hay === undefined) return false;
    return needList(hay, 'find has on type').some((x) => deepEqual(needle ?? null, x));
  });
  set('has', has);
  set('mustHas', has);
  const slice = def([A], (_c, l, ...ix) => mustSlice(l ?? null, ix), { variadic: A });
  set('slice', slice);
  set('mustSlice', slice);
  set(
    'concat',
    def(
      [],
      (_c, ...lists) => {
        let res: GoValue[] = nilSlice();
        for (const l of lists) {
          if (!Array.isArray(l)) throw new FuncError(`Cannot concat type ${kindForError(l)} as list`);
          res = [...res, ...l];
        }
        return res;
      },
      { variadic: A },
    ),
  );
  set('dig', def([], (_c, ...ps) => dig(ps), { variadic: A }));
  const chunkF = def([I, A], (_c, n, l) => chunk(int(n), l ?? null));
  set('chunk', chunkF);
  set('mustChunk', chunkF);

  // flow control
  set(
    'fail',
    def([S], (_c, msg) => {
      throw new FuncError(toText(str(msg)));
    }),
  );

  // regex
  set('regexMatch', def([S, S], (_c, r, s) => {
    try {
      return findAll(reMust(str(r)), toText(str(s)), 1).length > 0;
    } catch (e) {
      if (e instanceof FuncError && !(e instanceof RefusedPattern)) return false;
      throw e;
    }
  }));
  set('mustRegexMatch', def([S, S], (_c, r, s) => findAll(reMust(str(r)), toText(str(s)), 1).length > 0));
  const findAllF = (mustForm: boolean) =>
    def([S, S, I], (_c, r, s, n) => {
      const g = mustForm ? reMust(str(r)) : re(str(r));
      const ms = findAll(g, toText(str(s)), int(n));
      return ms.length === 0 ? nilSlice('string') : typedSlice(ms.map((m) => fx(m[0])), 'string');
    });
  set('regexFindAll', findAllF(false));
  set('mustRegexFindAll', findAllF(true));
  set('regexFind', def([S, S], (_c, r, s) => fx(findAll(re(str(r)), toText(str(s)), 1)[0]?.[0] ?? '')));
  set('mustRegexFind', def([S, S], (_c, r, s) => fx(findAll(reMust(str(r)), toText(str(s)), 1)[0]?.[0] ?? '')));
  set('regexReplaceAll', def([S, S, S], (_c, r, s, p) => fx(replaceAll(re(str(r)), toText(str(s)), toText(str(p)), false))));
  set('mustRegexReplaceAll', def([S, S, S], (_c, r, s, p) => fx(replaceAll(reMust(str(r)), toText(str(s)), toText(str(p)), false))));
  set('regexReplaceAllLiteral', def([S, S, S], (_c, r, s, p) => fx(replaceAll(re(str(r)), toText(str(s)), toText(str(p)), true))));
  set('mustRegexReplaceAllLiteral', def([S, S, S], (_c, r, s, p) => fx(replaceAll(reMust(str(r)), toText(str(s)), toText(str(p)), true))));
  const splitF = (mustForm: boolean) =>
    def([S, S, I], (_c, r, s, n) => {
      const parts = reSplit(mustForm ? reMust(str(r)) : re(str(r)), toText(str(s)), int(n));
      return parts === null ? nilSlice('string') : typedSlice(parts.map(fx), 'string');
    });
  set('regexSplit', splitF(false));
  set('mustRegexSplit', splitF(true));
  set('regexQuoteMeta', def([S], (_c, s) => quoteMeta(str(s))));

  // urls
  set('urlParse', def([S], (_c, v) => urlParse(str(v))));
  set('urlJoin', def([M], (_c, d) => urlJoin(needMap(d ?? null))));
}

/** Sprig max/min over int64 (bigint has no Math.max). */
function pickInt(acc: bigint, b: bigint, max: boolean): bigint {
  if (max) return b > acc ? b : acc;
  return b < acc ? b : acc;
}

/** math.Max: NaN wins, +0 beats -0. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export { parseFloat64, parseIntBase0 };

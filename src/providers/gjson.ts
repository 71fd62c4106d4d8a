/**
 * A port of the parts of github.com/tidwall/gjson v1.18.0 (the version ESO's providers pin) that
 * `remoteRef.property` uses: `Get` (gjson.go Get, parseObject, parseArray, parseSquash, parseAny,
 * parseObjectPath, parseArrayPath, splitPossiblePipe, unescape, Result.String) and
 * tidwall/match.MatchLimit for `*`/`?` keys.
 *
 * gjson never validates: it skips to the first `{`/`[`, skips bytes it does not expect and stops at
 * the end of input, so payloads that are not strict JSON still have properties. Like Go, this works
 * on byte strings (one UTF-16 unit per byte, see go/bytes.ts). Modifiers, queries, static values
 * and multipaths are refused with GjsonUnsupportedError instead of being evaluated.
 */
import { decodeRune, encodeRune } from '../go/bytes.js';
import { formatFloatF } from '../go/strconv.js';

export type GjsonType = 'Null' | 'False' | 'Number' | 'String' | 'True' | 'JSON';

export interface GjsonResult {
  type: GjsonType;
  /** The value's raw bytes in the payload ("" when it does not exist). */
  raw: string;
  /** A String's unescaped bytes. */
  str: string;
  num: number;
}

export class GjsonUnsupportedError extends Error {}

const empty = (): GjsonResult => ({ type: 'Null', raw: '', str: '', num: 0 });

/** `Result.Exists()`. */
export function exists(r: GjsonResult): boolean {
  return r.type !== 'Null' || r.raw.length !== 0;
}

/** `Result.String()`, as bytes. */
export function resultString(r: GjsonResult): string {
  switch (r.type) {
    case 'False':
      return 'false';
    case 'True':
      return 'true';
    case 'String':
      return r.str;
    case 'JSON':
      return r.raw;
    case 'Number': {
      if (r.raw.length === 0) return formatFloatF(r.num);
      // Only digits after an optional '-' keep the raw text (so "-" alone does too).
      for (let i = r.raw[0] === '-' ? 1 : 0; i < r.raw.length; i++) {
        const c = r.raw.charCodeAt(i);
        if (c < 0x30 || c > 0x39) return formatFloatF(r.num);
      }
      return r.raw;
    }
    default:
      return '';
  }
}

interface Context {
  json: string;
  value: GjsonResult;
  pipe: string;
  piped: boolean;
}

const MODIFIERS = new Set(['pretty', 'ugly', 'reverse', 'this', 'flatten', 'join', 'valid', 'keys', 'values', 'tostr', 'fromstr', 'group', 'dig']);

/** gjson `Get(json, path)`; both are byte strings. */
export function get(json: string, path: string): GjsonResult {
  if (path.length > 1) {
    if (path[0] === '@' && MODIFIERS.has(modifierName(path))) throw new GjsonUnsupportedError('gjson modifiers (@...) are not supported');
    if (path[0] === '!' && isStatic(path)) throw new GjsonUnsupportedError('gjson static values (!...) are not supported');
    // parseSubSelectors may fail and fall back to a key lookup; we refuse either way.
    if (path[0] === '[' || path[0] === '{') throw new GjsonUnsupportedError('gjson multipaths are not supported');
  }
  const c: Context = { json, value: empty(), pipe: '', piped: false };
  if (path.length >= 2 && path[0] === '.' && path[1] === '.') {
    parseArray(c, 0, path.slice(2));
  } else {
    for (let i = 0; i < json.length; i++) {
      if (json[i] === '{') {
        parseObject(c, i + 1, path);
        break;
      }
      if (json[i] === '[') {
        parseArray(c, i + 1, path);
        break;
      }
    }
  }
  if (c.piped) return get(c.value.raw, c.pipe);
  return c.value;
}

/** execModifier's name: up to the first ':', '|' or '.'. */
function modifierName(path: string): string {
  for (let i = 1; i < path.length; i++) {
    if (path[i] === ':' || path[i] === '|' || path[i] === '.') return path.slice(1, i);
  }
  return path.slice(1);
}

/** execStatic's `ok`. */
function isStatic(path: string): boolean {
  let name = path.slice(1);
  if (name.length > 0 && '{["+-0123456789'.includes(name[0]!)) return true;
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '|' || path[i] === '.') {
      name = path.slice(1, i);
      break;
    }
  }
  return ['true', 'false', 'null', 'nan', 'inf'].includes(name.toLowerCase());
}

/** isDotPiperChar: a `.` followed by a modifier or a multipath starts a pipe. */
function isDotPiperChar(s: string): boolean {
  const c = s[0];
  if (c === '@') {
    let i = 1;
    while (i < s.length && s[i] !== '.' && s[i] !== '|' && s[i] !== ':') i++;
    return MODIFIERS.has(s.slice(1, i));
  }
  return c === '[' || c === '{';
}

interface ObjectPath {
  part: string;
  path: string;
  pipe: string;
  piped: boolean;
  wild: boolean;
  more: boolean;
}

function parseObjectPath(path: string): ObjectPath {
  const r: ObjectPath = { part: '', path: '', pipe: '', piped: false, wild: false, more: false };
  const split = (part: string, i: number): ObjectPath => {
    r.part = part;
    if (i < path.length - 1 && isDotPiperChar(path.slice(i + 1))) {
      r.pipe = path.slice(i + 1);
      r.piped = true;
    } else {
      r.path = path.slice(i + 1);
      r.more = true;
    }
    return r;
  };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') {
      r.part = path.slice(0, i);
      r.pipe = path.slice(i + 1);
      r.piped = true;
      return r;
    }
    if (ch === '.') return split(path.slice(0, i), i);
    if (ch === '*' || ch === '?') {
      r.wild = true;
      continue;
    }
    if (ch === '\\') {
      // Escape mode: the part loses its backslashes (an escaped * or ? stays in a wild pattern).
      let epart = path.slice(0, i);
      i++;
      if (i < path.length) {
        epart += path[i];
        i++;
        for (; i < path.length; i++) {
          const e = path[i]!;
          if (e === '\\') {
            i++;
            if (i < path.length) epart += path[i];
            continue;
          }
          if (e === '.') return split(epart, i);
          if (e === '|') {
            r.part = epart;
            r.pipe = path.slice(i + 1);
            r.piped = true;
            return r;
          }
          if (e === '*' || e === '?') r.wild = true;
          epart += e;
        }
      }
      r.part = epart;
      return r;
    }
  }
  r.part = path;
  return r;
}

interface ArrayPath {
  part: string;
  path: string;
  pipe: string;
  piped: boolean;
  more: boolean;
  alogok: boolean;
  arrch: boolean;
  alogkey: string;
}

function parseArrayPath(path: string): ArrayPath {
  const r: ArrayPath = { part: '', path: '', pipe: '', piped: false, more: false, alogok: false, arrch: false, alogkey: '' };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') {
      r.part = path.slice(0, i);
      r.pipe = path.slice(i + 1);
      r.piped = true;
      return r;
    }
    if (ch === '.') {
      r.part = path.slice(0, i);
      if (!r.arrch && i < path.length - 1 && isDotPiperChar(path.slice(i + 1))) {
        r.pipe = path.slice(i + 1);
        r.piped = true;
      } else {
        r.path = path.slice(i + 1);
        r.more = true;
      }
      return r;
    }
    if (ch === '#') {
      r.arrch = true;
      if (i === 0 && path.length > 1) {
        if (path[1] === '.') {
          r.alogok = true;
          r.alogkey = path.slice(2);
          r.path = path.slice(0, 1);
        } else if (path[1] === '[' || path[1] === '(') {
          throw new GjsonUnsupportedError('gjson queries (#(...)) are not supported');
        }
      }
    }
  }
  r.part = path;
  r.path = '';
  return r;
}

/** parseString: i is just after the opening quote. [end, raw with quotes, escaped, ok]. */
function parseString(json: string, i: number): [number, string, boolean, boolean] {
  const s = i;
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c > 0x5c) continue;
    if (c === 0x22) return [i + 1, json.slice(s - 1, i + 1), false, true];
    if (c === 0x5c) {
      i++;
      for (; i < json.length; i++) {
        const d = json.charCodeAt(i);
        if (d > 0x5c) continue;
        if (d === 0x22) {
          if (json[i - 1] === '\\' && evenBackslashesBefore(json, i - 1, 1)) continue;
          return [i + 1, json.slice(s - 1, i + 1), true, true];
        }
      }
      break;
    }
  }
  return [i, json.slice(s - 1), false, false];
}

/** For a quote preceded by a backslash at `j`: are the backslashes in [floor, j) even in number (the quote is escaped)? */
function evenBackslashesBefore(json: string, j: number, floor: number): boolean {
  let n = 0;
  for (let k = j - 1; k > floor - 1 && k >= 0; k--) {
    if (json[k] !== '\\') break;
    n++;
  }
  return n % 2 === 0;
}

function parseNumber(json: string, i: number): [number, string] {
  const s = i;
  for (i++; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c <= 0x20 || c === 0x2c || c === 0x5d || c === 0x7d) return [i, json.slice(s, i)];
  }
  return [i, json.slice(s)];
}

function parseLiteral(json: string, i: number): [number, string] {
  const s = i;
  for (i++; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) return [i, json.slice(s, i)];
  }
  return [i, json.slice(s)];
}

/** parseSquash: json[i] is '{', '[' or '('; skips to its matching close by depth, ignoring strings. */
function parseSquash(json: string, i: number): [number, string] {
  const s = i;
  let depth = 1;
  for (i++; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const s2 = i + 1;
      for (i++; i < json.length; i++) {
        if (json[i] !== '"') continue;
        if (json[i - 1] === '\\' && evenBackslashesBefore(json, i - 1, s2)) continue;
        break;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return [i + 1, json.slice(s, i + 1)];
    }
  }
  return [i, json.slice(s)];
}

function stringResult(val: string, vesc: boolean): GjsonResult {
  const inner = val.slice(1, -1);
  return { type: 'String', raw: val, str: vesc ? unescapeString(inner) : inner, num: 0 };
}

function literalResult(vc: string, val: string): GjsonResult {
  return { type: vc === 't' ? 'True' : vc === 'f' ? 'False' : 'Null', raw: val, str: '', num: 0 };
}

function numberResult(val: string): GjsonResult {
  return { type: 'Number', raw: val, str: '', num: goParseFloat(val) };
}

const isNumberStart = (ch: string | undefined) => ch !== undefined && '+-0123456789iIN'.includes(ch);

function parseObject(c: Context, i: number, path: string): [number, boolean] {
  const json = c.json;
  const rp = parseObjectPath(path);
  if (!rp.more && rp.piped) {
    c.pipe = rp.pipe;
    c.piped = true;
  }
  while (i < json.length) {
    let key = '';
    let kesc = false;
    let ok = false;
    for (; i < json.length; i++) {
      if (json[i] === '"') {
        const [end, raw, esc, found] = parseString(json, i + 1);
        i = end;
        ok = found;
        kesc = esc;
        key = found ? raw.slice(1, -1) : raw.slice(1);
        break;
      }
      if (json[i] === '}') return [i + 1, false];
    }
    if (!ok) return [i, false];
    const k = kesc ? unescapeString(key) : key;
    const pmatch = rp.wild ? matchLimit(k, rp.part) : rp.part === k;
    let hit = pmatch && !rp.more;
    for (; i < json.length; i++) {
      const ch = json[i];
      let num = false;
      let val: string;
      if (ch === '"') {
        let vesc: boolean;
        [i, val, vesc, ok] = parseString(json, i + 1);
        if (!ok) return [i, false];
        if (hit) {
          c.value = stringResult(val, vesc);
          return [i, true];
        }
      } else if (ch === '{' || ch === '[') {
        if (pmatch && !hit) {
          [i, hit] = ch === '{' ? parseObject(c, i + 1, rp.path) : parseArray(c, i + 1, rp.path);
          if (hit) return [i, true];
        } else {
          [i, val] = parseSquash(json, i);
          if (hit) {
            c.value = { type: 'JSON', raw: val, str: '', num: 0 };
            return [i, true];
          }
        }
      } else if (ch === 'n' && i + 1 < json.length && json[i + 1] !== 'u') {
        num = true;
      } else if (ch === 'n' || ch === 't' || ch === 'f') {
        [i, val] = parseLiteral(json, i);
        if (hit) {
          c.value = literalResult(ch, val);
          return [i, true];
        }
      } else if (isNumberStart(ch)) {
        num = true;
      } else {
        continue;
      }
      if (num) {
        [i, val] = parseNumber(json, i);
        if (hit) {
          c.value = numberResult(val);
          return [i, true];
        }
      }
      break;
    }
  }
  return [i, false];
}

function parseArray(c: Context, i: number, path: string): [number, boolean] {
  const json = c.json;
  const rp = parseArrayPath(path);
  let partidx = -1;
  if (!rp.arrch && /^\d+$/.test(rp.part)) partidx = Number(rp.part);
  if (!rp.more && rp.piped) {
    c.pipe = rp.pipe;
    c.piped = true;
  }
  let pmatch = false;
  let hit = false;
  let h = 0;
  const alog: number[] = [];
  while (i < json.length + 1) {
    if (!rp.arrch) {
      pmatch = partidx === h;
      hit = pmatch && !rp.more;
    }
    h++;
    if (rp.alogok) alog.push(i);
    for (; ; i++) {
      if (i > json.length) break;
      // The end of input reads as ']'.
      const ch = i === json.length ? ']' : json[i];
      let num = false;
      let val: string;
      if (ch === '"') {
        let vesc: boolean;
        let ok: boolean;
        [i, val, vesc, ok] = parseString(json, i + 1);
        if (!ok) return [i, false];
        if (hit) {
          if (rp.alogok) break;
          c.value = stringResult(val, vesc);
          return [i, true];
        }
      } else if (ch === '{' || ch === '[') {
        if (pmatch && !hit) {
          [i, hit] = ch === '{' ? parseObject(c, i + 1, rp.path) : parseArray(c, i + 1, rp.path);
          if (hit) {
            if (rp.alogok) break;
            return [i, true];
          }
        } else {
          [i, val] = parseSquash(json, i);
          if (hit) {
            if (rp.alogok) break;
            c.value = { type: 'JSON', raw: val, str: '', num: 0 };
            return [i, true];
          }
        }
      } else if (ch === 'n' && i + 1 < json.length && json[i + 1] !== 'u') {
        num = true;
      } else if (ch === 'n' || ch === 't' || ch === 'f') {
        [i, val] = parseLiteral(json, i);
        if (hit) {
          if (rp.alogok) break;
          c.value = literalResult(ch, val);
          return [i, true];
        }
      } else if (isNumberStart(ch)) {
        num = true;
      } else if (ch === ']') {
        if (rp.arrch && rp.part === '#') {
          if (rp.alogok) {
            c.value = projection(c, rp, alog);
            return [i + 1, true];
          }
          c.value = { type: 'Number', raw: String(h - 1), str: '', num: h - 1 };
          return [i + 1, true];
        }
        return [i + 1, false];
      } else {
        continue;
      }
      if (num) {
        [i, val] = parseNumber(json, i);
        if (hit) {
          if (rp.alogok) break;
          c.value = numberResult(val);
          return [i, true];
        }
      }
      break;
    }
  }
  return [i, false];
}

/** `#.key`: each element's `key`, joined as a JSON array of raw values. */
function projection(c: Context, rp: ArrayPath, alog: readonly number[]): GjsonResult {
  const json = c.json;
  let key = rp.alogkey;
  const split = splitPossiblePipe(key);
  if (split) {
    key = split[0];
    c.pipe = split[1];
    c.piped = true;
  }
  const parts: string[] = [];
  for (let idx of alog) {
    while (idx < json.length && ' \t\r\n'.includes(json[idx]!)) idx++;
    if (idx < json.length && json[idx] !== ']') {
      const [, elem, ok] = parseAny(json, idx);
      if (!ok) continue;
      const res = get(elem.raw, key);
      if (exists(res)) parts.push(res.raw.length === 0 ? resultString(res) : res.raw);
    }
  }
  return { type: 'JSON', raw: `[${parts.join(',')}]`, str: '', num: 0 };
}

/** parseAny with hit=true: the value starting at or after i. */
function parseAny(json: string, i: number): [number, GjsonResult, boolean] {
  for (; i < json.length; i++) {
    const ch = json[i]!;
    if (ch === '{' || ch === '[') {
      const [end, val] = parseSquash(json, i);
      return [end, { type: 'JSON', raw: val, str: '', num: 0 }, true];
    }
    if (json.charCodeAt(i) <= 0x20) continue;
    if (ch === '"') {
      const [end, val, vesc, ok] = parseString(json, i + 1);
      return ok ? [end, stringResult(val, vesc), true] : [end, empty(), false];
    }
    if ((ch === 'n' && !(i + 1 < json.length && json[i + 1] !== 'u')) || ch === 't' || ch === 'f') {
      const [end, val] = parseLiteral(json, i);
      return [end, literalResult(ch, val), true];
    }
    if (ch === 'n' || isNumberStart(ch)) {
      const [end, val] = parseNumber(json, i);
      return [end, numberResult(val), true];
    }
  }
  return [i, empty(), false];
}

/** splitPossiblePipe: splits `a.b|c` at the first `|` outside escapes and `#[...]`/`#(...)` selectors. */
function splitPossiblePipe(path: string): [string, string] | undefined {
  if (!path.includes('|')) return undefined;
  if (path[0] === '{') {
    const squashed = squash(path.slice(1));
    if (squashed.length < path.length - 1) {
      const left = path.slice(0, squashed.length + 1);
      const remain = path.slice(left.length);
      if (remain[0] === '|') return [left, remain.slice(1)];
    }
    return undefined;
  }
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\') {
      i++;
    } else if (path[i] === '.') {
      if (i === path.length - 1) return undefined;
      if (path[i + 1] === '#') {
        i += 2;
        if (i === path.length) return undefined;
        if (path[i] === '[' || path[i] === '(') {
          const start = path[i];
          const end = start === '[' ? ']' : ')';
          let depth = 1;
          for (i++; i < path.length; i++) {
            if (path[i] === '\\') i++;
            else if (path[i] === start) depth++;
            else if (path[i] === end) {
              depth--;
              if (depth === 0) break;
            } else if (path[i] === '"') {
              for (i++; i < path.length; i++) {
                if (path[i] === '\\') i++;
                else if (path[i] === '"') break;
              }
            }
          }
        }
      }
    } else if (path[i] === '|') {
      return [path.slice(0, i), path.slice(i + 1)];
    }
  }
  return undefined;
}

/** gjson `squash` (used only for a `{`-path in splitPossiblePipe). */
function squash(json: string): string {
  let i = 0;
  let depth = 0;
  if (json[0] !== '"') {
    i = 1;
    depth = 1;
  }
  for (; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const s2 = ++i;
      for (; i < json.length; i++) {
        if (json[i] !== '"') continue;
        if (json[i - 1] === '\\' && evenBackslashesBefore(json, i - 1, s2)) continue;
        break;
      }
      if (depth === 0) return i >= json.length ? json : json.slice(0, i + 1);
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return json.slice(0, i + 1);
    }
  }
  return json;
}

/** gjson `unescape`: stops at a control byte, an invalid escape or a short \u; bad surrogates give U+FFFD. */
function unescapeString(json: string): string {
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (json.charCodeAt(i) < 0x20) return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    i++;
    if (i >= json.length) return out;
    const e = json[i];
    if (e === '\\' || e === '/' || e === '"') out += e;
    else if (e === 'b') out += '\b';
    else if (e === 'f') out += '\f';
    else if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 't') out += '\t';
    else if (e === 'u') {
      if (i + 5 > json.length) return out;
      let r = runeit(json.slice(i + 1, i + 5));
      i += 5;
      if (r >= 0xd800 && r < 0xe000 && json.length - i >= 6 && json[i] === '\\' && json[i + 1] === 'u') {
        r = decodeSurrogates(r, runeit(json.slice(i + 2, i + 6)));
        i += 6;
      }
      out += encodeRune(r);
      i--;
    } else return out;
  }
  return out;
}

/** strconv.ParseUint(s[:4], 16, 64) with the error ignored (0). */
function runeit(hex: string): number {
  return /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : 0;
}

/** utf16.DecodeRune. */
function decodeSurrogates(r1: number, r2: number): number {
  if (r1 >= 0xd800 && r1 < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) return (((r1 - 0xd800) << 10) | (r2 - 0xdc00)) + 0x10000;
  return 0xfffd;
}

/** strconv.ParseFloat(s, 64) with the error ignored: 0 on a syntax error, ±Inf out of range. */
export function goParseFloat(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN; // special(): a sign is read only before inf
  if (s.includes('_')) {
    if (!underscoreOK(s)) return 0;
    s = s.replaceAll('_', '');
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  // Hex floats need a p exponent.
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!m || (m[2] === '' && m[3] === '')) return 0;
  const frac = m[3]!;
  const r = Number.parseInt(`${m[2] || '0'}${frac}`, 16) * 2 ** (Number(m[4]) - 4 * frac.length);
  return m[1] === '-' ? -r : r;
}

/** strconv's underscoreOK: each '_' sits between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** tidwall/match.MatchLimit(str, pattern, 10000): `*` any runes, `?` one rune, `\` escapes. */
function matchLimit(str: string, pattern: string): boolean {
  if (pattern === '*') return true;
  const counter = { n: 0 };
  return match(str, pattern, str.length, counter) === 'match';
}

type MatchResult = 'nomatch' | 'match' | 'stop';

function match(str: string, pat: string, slen: number, counter: { n: number }): MatchResult {
  if (counter.n > slen * 10000) return 'stop';
  counter.n++;
  while (pat.length > 0) {
    let wild = false;
    let [pc, ps] = decodeRune(pat, 0);
    const [sc, ss] = str.length > 0 ? decodeRune(str, 0) : [0, 0];
    if (pc === 0x3f) {
      if (ss === 0) return 'nomatch';
    } else if (pc === 0x2a) {
      while (pat.length > 1 && pat[1] === '*') pat = pat.slice(1);
      if (pat.length === 1) return 'match';
      const trimmed = matchTrimSuffix(str, pat);
      if (!trimmed) return 'nomatch';
      [str, pat] = trimmed;
      if (pat.length === 1) return 'match';
      const r = match(str, pat.slice(1), slen, counter);
      if (r !== 'nomatch') return r;
      if (str.length === 0) return 'nomatch';
      wild = true;
    } else {
      if (ss === 0) return 'nomatch';
      if (pc === 0x5c) {
        pat = pat.slice(ps);
        if (pat.length === 0) return 'nomatch';
        [pc, ps] = decodeRune(pat, 0);
      }
      if (sc !== pc) return 'nomatch';
    }
    str = str.slice(ss);
    if (!wild) pat = pat.slice(ps);
  }
  return str.length === 0 ? 'match' : 'nomatch';
}

function matchTrimSuffix(str: string, pat: string): [string, string] | undefined {
  while (str.length > 0 && pat.length > 1) {
    const [pc, last] = decodeLastRune(pat);
    let ps = last;
    let esc = false;
    for (let i = 0; ; i++) {
      if (pat[pat.length - ps - i - 1] !== '\\') {
        if ((i & 1) === 1) {
          esc = true;
          ps++;
        }
        break;
      }
    }
    if (pc === 0x2a && !esc) break;
    const [sc, ss] = decodeLastRune(str);
    if (!((pc === 0x3f && !esc) || pc === sc)) return undefined;
    str = str.slice(0, str.length - ss);
    pat = pat.slice(0, pat.length - ps);
  }
  return [str, pat];
}

/** utf8.DecodeLastRuneInString. */
function decodeLastRune(s: string): [number, number] {
  const end = s.length;
  if (s.charCodeAt(end - 1) < 0x80) return [s.charCodeAt(end - 1), 1];
  let start = end - 1;
  const lim = Math.max(end - 4, 0);
  for (start--; start >= lim; start--) {
    if ((s.charCodeAt(start) & 0xc0) !== 0x80) break;
  }
  if (start < 0) start = 0;
  const [r, size] = decodeRune(s.slice(start, end), 0);
  return start + size !== end ? [0xfffd, 1] : [r, size];
}

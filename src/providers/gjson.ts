/**
 * A port of the parts of github.com/tidwall/gjson v1.18.0 (the version ESO's providers pin) that
 * `remoteRef.property` uses: `Get` (gjson.go Get, parseObject, parseArray, parseSquash, parseAny,
 * unescape, Result.String). Path syntax is in gjson-path.ts, `*`/`?` key matching in gjson-match.ts.
 *
 * gjson never validates: it skips to the first `{`/`[`, skips bytes it does not expect and stops at
 * the end of input, so payloads that are not strict JSON still have properties. Like Go, this works
 * on byte strings (one UTF-16 unit per byte, see go/bytes.ts). Modifiers, queries, static values
 * and multipaths are refused with GjsonUnsupportedError instead of being evaluated.
 */
import { encodeRune } from '../go/bytes.js';
import { formatFloatF, parseFloatOrZero } from '../go/strconv.js';
import { matchLimit } from './gjson-match.js';
import { type ArrayPath, evenBackslashesBefore, GjsonUnsupportedError, isStatic, MODIFIERS, modifierName, parseArrayPath, parseObjectPath, splitPossiblePipe } from './gjson-path.js';

export type GjsonType = 'Null' | 'False' | 'Number' | 'String' | 'True' | 'JSON';

export interface GjsonResult {
  type: GjsonType;
  /** The value's raw bytes in the payload ("" when it does not exist). */
  raw: string;
  /** A String's unescaped bytes. */
  str: string;
  num: number;
}

export { GjsonUnsupportedError };

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
  return { type: 'Number', raw: val, str: '', num: parseFloatOrZero(val) };
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

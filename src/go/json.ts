// Go encoding/json Marshal/MarshalIndent/Unmarshal (into interface{}) over the value model.
import { decodeRune, fromText, toText } from './bytes.js';
import { formatFloat } from './fmt.js';
import { GoObject, type GoValue, intOf, isInt, isNilSlice, sortedKeys, typedMap } from './value.js';

export class JSONError extends Error {}

const hexd = '0123456789abcdef';

/** encodeState.string: Go's JSON string escaping of a byte string. */
export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (!escapeHTML || (c !== 0x3c && c !== 0x3e && c !== 0x26))) {
        out += s[i];
      } else {
        switch (c) {
          case 0x22:
            out += '\\"';
            break;
          case 0x5c:
            out += '\\\\';
            break;
          case 0x0a:
            out += '\\n';
            break;
          case 0x0d:
            out += '\\r';
            break;
          case 0x09:
            out += '\\t';
            break;
          case 0x08: // Go 1.22+ (ESO's Go) writes \b and \f; older Go wrote \u0008 / \u000c.
            out += '\\b';
            break;
          case 0x0c:
            out += '\\f';
            break;
          default:
            out += `\\u00${hexd[c >> 4]}${hexd[c & 0xf]}`;
        }
      }
      i++;
      continue;
    }
    const [r, n] = decodeRune(s, i);
    if (r === 0xfffd && n === 1) out += '\\ufffd';
    else if (r === 0x2028 || r === 0x2029) out += `\\u202${hexd[r & 0xf]}`;
    else out += s.slice(i, i + n);
    i += n;
  }
  return `${out}"`;
}

function floatJSON(f: number): string {
  if (!Number.isFinite(f)) throw new JSONError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  let fmt: 'f' | 'e' = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1);
  if (fmt === 'e') {
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s.slice(n - 1);
  }
  return s;
}

/** json.Marshal (escapeHTML) or an Encoder with SetEscapeHTML(false); indent '' for compact. */
export function marshal(v: GoValue, escapeHTML: boolean, indent = ''): string {
  const enc = (x: GoValue, depth: number): string => {
    if (x === null) return 'null';
    if (typeof x === 'string') return jsonString(x, escapeHTML);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (isInt(x)) return intOf(x).toString();
    if (typeof x === 'number') return floatJSON(x);
    const nl = indent ? `\n${indent.repeat(depth + 1)}` : '';
    const close = indent ? `\n${indent.repeat(depth)}` : '';
    const colon = indent ? ': ' : ':';
    if (Array.isArray(x)) {
      if (isNilSlice(x)) return 'null';
      if (x.length === 0) return '[]';
      return `[${x.map((e) => nl + enc(e, depth + 1)).join(',')}${close}]`;
    }
    if (x instanceof Map) {
      if (x.size === 0) return '{}';
      return `{${sortedKeys(x)
        .map((k) => `${nl}${jsonString(k, escapeHTML)}${colon}${enc(x.get(k) ?? null, depth + 1)}`)
        .join(',')}${close}}`;
    }
    if (x instanceof GoObject) {
      const j = (x as GoObject & { toJSONValue?: () => GoValue }).toJSONValue;
      if (j) return enc(j.call(x), depth);
      return '{}';
    }
    return 'null';
  };
  return enc(v, 0);
}

function fromJS(v: unknown): GoValue {
  if (v === null) return null;
  if (typeof v === 'string') return fromText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJS);
  const m = typedMap(new Map<string, GoValue>(), 'interface {}');
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(fromText(k), fromJS(x));
  return m;
}

/** json.Unmarshal into interface{} (numbers are float64, objects map[string]interface {}). */
export function unmarshal(s: string): GoValue {
  const text = toText(s);
  if (text.trim() === '') throw new JSONError('unexpected end of JSON input');
  let parsed: unknown;
  try {
    // __proto__ keys must become ordinary map keys, as in Go.
    parsed = JSON.parse(text, function (this: unknown, _k, val: unknown) {
      return val;
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : '';
    const at = /position (\d+)/.exec(msg);
    if (/end of JSON input|Unterminated/.test(msg) || (at && Number(at[1]) >= text.trimEnd().length)) {
      throw new JSONError('unexpected end of JSON input');
    }
    throw new JSONError('invalid character in JSON input');
  }
  return fromJS(parsed);
}

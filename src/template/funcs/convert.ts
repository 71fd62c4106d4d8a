// Go value conversions Sprig relies on: strval, spf13/cast (v1.10, as ESO vendors it) ToInt64 /
// ToInt / ToFloat64, and reflect-style list access.
import { sprintValue } from '../../go/fmt.js';
import { GoInt, GoObject, type GoValue, intOf, isInt, typeName } from '../../go/value.js';
import { FuncError } from './types.js';

/** Sprig strval: strings as is, everything else with %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof GoObject) return v.toString();
  return sprintValue(v);
}

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

export function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** strconv.ParseInt(s, 0, 64): base prefixes, underscores only with a prefix; null on error. */
export function parseIntBase0(s: string): bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) return null;
  let body = m[2]!;
  const hasPrefix = /^0[xXoObB]/.test(body) || /^0[0-7]/.test(body);
  if (body.includes('_')) {
    if (!hasPrefix && !/^0/.test(body)) return null;
    if (/__|_$/.test(body)) return null;
    body = body.replace(/_/g, '');
  }
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body.replace(/^0X/, '0x').replace(/^0B/, '0b'));
  if (m[1] === '-') v = -v;
  if (v > I64_MAX || v < I64_MIN) return null;
  return v;
}

/** cast v1.10 trimDecimal: "12.7" → "12", "-.5" → "-0". */
function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const m = /^([-+]?\d*)(\.\d*)?$/.exec(s);
  if (!m) return s;
  let r = m[1]!;
  if (r === '-' || r === '+') r += '0';
  if (r === '') r = '0';
  return r;
}

/** Go's float64 → int64 conversion (truncation; out of range is implementation-defined in Go, we saturate to MinInt64). */
function f2i(f: number): bigint {
  if (!Number.isFinite(f) || Math.abs(f) >= 2 ** 63) return I64_MIN;
  return BigInt(Math.trunc(f));
}

/** cast.ToInt64 (errors give 0). */
export function toInt64(v: GoValue): bigint {
  if (v === null) return 0n;
  if (isInt(v)) return intOf(v);
  if (typeof v === 'number') return f2i(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    if (v === '') return 0n;
    return parseIntBase0(trimDecimal(v)) ?? 0n;
  }
  return 0n;
}

/** strconv.ParseFloat(s, 64); null on error. */
export function parseFloat64(s: string): number | null {
  const t = s.replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(t)) return Number.NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?0[xX]/.test(t)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
    if (!m) return null;
    const mant = Number.parseInt(`${m[2] || '0'}${m[3]}`, 16);
    const r = mant * 2 ** (Number(m[4]) - 4 * m[3]!.length);
    return m[1] === '-' ? -r : r;
  }
  return null;
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat64(v: GoValue): number {
  if (v === null) return 0;
  if (isInt(v)) return Number(intOf(v));
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    if (v === '') return 0;
    return parseFloat64(v) ?? 0;
  }
  return 0;
}

export function int64(v: bigint): GoInt {
  return new GoInt(wrapInt64(v), 'int64');
}

/** Elements of a slice-like value (reflect Slice/Array kinds); null if not a list. */
export function listItems(v: GoValue): GoValue[] | null {
  if (Array.isArray(v)) return v;
  return null;
}

/** reflect.TypeOf(x).Kind() name for error messages ("ptr" for nil panics like Go's). */
export function kindForError(v: GoValue): string {
  if (v === null) throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof GoInt) return v.type;
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Map) return 'map';
  if (v instanceof GoObject) return v.kind();
  return typeName(v);
}

// text/template's builtin functions (go/src/text/template/funcs.go).
import { fromText, toText } from '../../go/bytes.js';
import { isPrint, sprint, sprintf, sprintln } from '../../go/fmt.js';
import { GoFunc, GoInt, type GoValue, mapElem, typeName, zeroOf } from '../../go/value.js';
import { isTrue } from '../exec.js';
import { FuncError, type FuncTable, def } from './types.js';

type Kind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof GoInt) return v.type === 'int64' || v.type === 'int32' ? 'int' : 'uint';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  return 'invalid';
}

function num(v: GoValue): bigint | number | string | boolean {
  if (v instanceof GoInt) return v.v;
  return v as bigint | number | string | boolean;
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function eq(a: GoValue, ...bs: GoValue[]): boolean {
  if (bs.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of bs) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = num(a) === num(b);
      else if (a !== null && b !== null) throw new FuncError(errBadComparison);
    } else if (k1 === 'invalid') {
      if (a === null || b === null) truth = a === b;
      // Go: maps, slices and funcs are not comparable. Go also prints the values; we do not.
      else if (typeName(a) === typeName(b)) throw new FuncError(`non-comparable type ${typeName(b)}`);
      else throw new FuncError(`non-comparable types ${typeName(a)}, ${typeName(b)}`);
    } else truth = num(a) === num(b);
    if (truth) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FuncError(errBadComparisonType);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return (num(a) as bigint) < (num(b) as bigint);
    throw new FuncError(errBadComparison);
  }
  if (k1 === 'bool') throw new FuncError(errBadComparisonType);
  return (num(a) as number) < (num(b) as number);
}

/** evalArgs: a single string argument is used as is, otherwise fmt.Sprint. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null ? '<no value>' : a)));
}

/** template.HTMLEscapeString */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0':
        return '\xef\xbf\xbd';
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      default:
        return '&gt;';
    }
  });
}

/** template.JSEscapeString */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of toText(s)) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x80 ? r >= 0x20 && r < 0x7f : isPrint(r)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return fromText(out);
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${s.charCodeAt(i).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) throw new FuncError('index of untyped nil');
  for (const ix of indexes) {
    if (Array.isArray(item) || typeof item === 'string') {
      let x: bigint;
      if (typeof ix === 'bigint') x = ix;
      else if (ix instanceof GoInt) x = ix.v;
      else if (ix === null) throw new FuncError('cannot index slice/array with nil');
      else throw new FuncError(`cannot index slice/array with type ${typeName(ix)}`);
      if (x < 0n || x > BigInt(item.length)) throw new FuncError(`index out of range: ${x}`);
      // Go's indexArg allows x == len and reflect then panics.
      if (x === BigInt(item.length)) throw new FuncError(`reflect: ${typeof item === 'string' ? 'string' : 'slice'} index out of range`);
      item = typeof item === 'string' ? new GoInt(BigInt(item.charCodeAt(Number(x))), 'uint8') : (item[Number(x)] ?? null);
    } else if (item instanceof Map) {
      if (ix === null) throw new FuncError('value is nil; should be of type string');
      if (typeof ix !== 'string') throw new FuncError(`value has type ${typeName(ix)}; should be string`);
      const v = item.get(ix);
      item = v === undefined ? zeroOf(mapElem(item)) : v;
    } else {
      throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function len(item: GoValue): GoValue {
  if (typeof item === 'string' || Array.isArray(item)) return BigInt(item.length);
  if (item instanceof Map) return BigInt(item.size);
  if (item === null) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  throw new FuncError(`len of type ${typeName(item)}`);
}

function call(callee: string, fn: GoValue, ...args: GoValue[]): GoValue {
  if (fn === null) throw new FuncError('call of nil');
  if (!(fn instanceof GoFunc)) throw new FuncError(`non-function ${callee} of type ${typeName(fn)}`);
  return fn.fn(...args);
}

export function builtinFuncs(): FuncTable {
  const t: FuncTable = new Map();
  const v = 'value' as const;
  t.set('and', def([v], () => null, { variadic: v }));
  t.set('or', def([v], () => null, { variadic: v }));
  t.set('not', def([v], (_c, a) => !isTrue(a ?? null)[0]));
  t.set('len', def([v], (_c, a) => len(a ?? null)));
  t.set('index', def([v], (_c, a, ...ix) => index(a ?? null, ...ix), { variadic: v }));
  t.set('call', def([v], (c, f, ...args) => call(c.callee ?? '', f ?? null, ...args), { variadic: v }));
  t.set('print', def([], (_c, ...a) => sprint(a), { variadic: 'any' }));
  t.set('printf', def(['string'], (_c, f, ...a) => sprintf(f as string, a), { variadic: 'any' }));
  t.set('println', def([], (_c, ...a) => sprintln(a), { variadic: 'any' }));
  t.set('html', def([], (_c, ...a) => htmlEscape(evalArgs(a)), { variadic: 'any' }));
  t.set('js', def([], (_c, ...a) => jsEscape(evalArgs(a)), { variadic: 'any' }));
  t.set('urlquery', def([], (_c, ...a) => queryEscape(evalArgs(a)), { variadic: 'any' }));
  t.set('eq', def([v], (_c, a, ...b) => eq(a ?? null, ...b), { variadic: v }));
  t.set('ne', def([v, v], (_c, a, b) => !eq(a ?? null, b ?? null)));
  t.set('lt', def([v, v], (_c, a, b) => lt(a ?? null, b ?? null)));
  t.set('le', def([v, v], (_c, a, b) => lt(a ?? null, b ?? null) || eq(a ?? null, b ?? null)));
  t.set('gt', def([v, v], (_c, a, b) => !(lt(a ?? null, b ?? null) || eq(a ?? null, b ?? null))));
  t.set('ge', def([v, v], (_c, a, b) => !lt(a ?? null, b ?? null)));
  return t;
}

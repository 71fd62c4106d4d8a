// Go's fmt (Sprintf, Sprint, Sprintln) and strconv float/quote formatting over the value
// model in value.ts. Strings in and out are Go byte strings (see bytes.ts).
// Source: go/src/fmt/{print.go,format.go}, go/src/strconv/{ftoa.go,quote.go}.
import { decodeRune, encodeRune, runeCount } from './bytes.js';
import { GoInt, GoObject, type GoValue, intOf, isInt, sortedKeys, typeName } from './value.js';

// ---------- floats ----------

interface Digits {
  d: string; // decimal digits, no leading zeros ('' for zero)
  dp: number; // decimal point position: value = 0.d × 10^dp
}

/** Exact decimal expansion of a finite double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  const t = s.replace(/0+$/, '');
  return { d: t, dp };
}

/** Shortest digits that round-trip (JS and Go both produce the shortest representation). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [m, ex] = Math.abs(x).toExponential().split('e') as [string, string];
  const d = m.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(ex) + 1 };
}

/** Rounds exact digits to nd significant digits, half to even (as strconv's decimal.Round). */
function roundTo(g: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: g.dp };
  if (g.d.length <= nd) return g;
  const d = g.d;
  let up: boolean;
  const next = d.charCodeAt(nd) - 48;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.length) up = true; // more non-zero digits follow (d has no trailing zeros)
  else up = nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let kept = d.slice(0, nd);
  let dp = g.dp;
  if (up) {
    let i = kept.length - 1;
    const arr = kept.split('');
    while (i >= 0 && arr[i] === '9') {
      arr[i] = '0';
      i--;
    }
    if (i < 0) {
      arr.unshift('1');
      arr.pop();
      dp++;
      if (arr.length === 0) arr.push('1');
    } else arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
    kept = arr.join('');
  }
  kept = kept.replace(/0+$/, '');
  return { d: kept, dp: kept === '' ? 0 : dp };
}

function digitAt(g: Digits, i: number): string {
  return i >= 0 && i < g.d.length ? g.d[i]! : '0';
}

function fmtE(g: Digits, prec: number, fmt: 'e' | 'E'): string {
  let s = g.d === '' ? '0' : g.d[0]!;
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(g, i);
  }
  const exp = g.d === '' ? 0 : g.dp - 1;
  const ae = Math.abs(exp);
  return `${s}${fmt}${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`;
}

function fmtF(g: Digits, prec: number): string {
  let s = '';
  if (g.dp > 0) {
    for (let i = 0; i < g.dp; i++) s += digitAt(g, i);
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digitAt(g, g.dp + i);
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G. */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const shortest = prec < 0;
  let g: Digits;
  if (shortest) {
    g = shortestDigits(ax);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(g.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(g.d.length - g.dp, 0);
    else prec = g.d.length;
  } else {
    const ex = exactDigits(ax);
    if (fmt === 'e' || fmt === 'E') g = roundTo(ex, prec + 1);
    else if (fmt === 'f') g = roundTo(ex, ex.dp + prec);
    else {
      if (prec === 0) prec = 1;
      g = roundTo(ex, prec);
    }
  }
  let out: string;
  if (fmt === 'e' || fmt === 'E') out = fmtE(g, prec, fmt);
  else if (fmt === 'f') out = fmtF(g, prec);
  else {
    let eprec = prec;
    const nd = g.d.length;
    if (eprec > nd && nd >= g.dp) eprec = nd;
    if (shortest) eprec = 6;
    const exp = g.dp - 1;
    if (g.d !== '' && (exp < -4 || exp >= eprec)) {
      if (prec > nd) prec = nd;
      out = fmtE(g, prec - 1, fmt === 'g' ? 'e' : 'E');
    } else {
      if (prec > g.dp) prec = nd;
      out = fmtF(g, Math.max(prec - g.dp, 0));
    }
  }
  return neg ? `-${out}` : out;
}

// ---------- quoting ----------

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint */
export function isPrint(r: number): boolean {
  if (r < 0x20 || r === 0x7f) return false;
  if (r < 0x7f) return true;
  return printable.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(r: number, quote: number, ascii: boolean): string {
  if (r === quote || r === 0x5c) return `\\${String.fromCharCode(r)}`;
  if (ascii ? r < 0x80 && isPrint(r) : isPrint(r)) return encodeRune(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/** strconv.Quote / QuoteToASCII over a byte string (invalid UTF-8 bytes → \xNN). */
export function quote(s: string, ascii = false): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    if (r === 0xfffd && n === 1) out += `\\x${hex(s.charCodeAt(i), 2)}`;
    else out += escapeRune(r, 0x22, ascii);
    i += n;
  }
  return `${out}"`;
}

/** strconv.QuoteRune / QuoteRuneToASCII */
export function quoteRune(r: number, ascii = false): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return `'${escapeRune(r, 0x27, ascii)}'`;
}

/** strconv.CanBackquote */
function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    if (r === 0xfffd && n === 1) return false;
    if (r === 0x60 || r === 0xfeff) return false;
    if ((r < 0x20 && r !== 9) || r === 0x7f) return false;
    i += n;
  }
  return true;
}

// ---------- the printer ----------

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  /** %#v (Go syntax); set instead of sharp for the v verb, as doPrintf does. */
  sharpV: boolean;
  space: boolean;
  zero: boolean;
  wid: number | null;
  prec: number | null;
}

const noFlags = (): Flags => ({ plus: false, minus: false, sharp: false, sharpV: false, space: false, zero: false, wid: null, prec: null });

function pad(s: string, f: Flags): string {
  if (f.wid === null) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero ? '0' : ' ').repeat(n) + s;
}

function fmtInteger(v: bigint, base: number, verb: string, f: Flags, signed = true): string {
  // Go: precision 0 and value 0 means no digits, no sign, no prefix; only padding.
  if (f.prec === 0 && v === 0n) return f.wid !== null ? ' '.repeat(f.wid) : '';
  const neg = signed && v < 0n;
  let digits = (neg ? -v : v).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = f.prec;
  let zeroPad = false;
  if (prec === null && f.zero && f.wid !== null && !f.minus) {
    zeroPad = true;
  }
  if (prec !== null) {
    if (prec === 0 && v === 0n) digits = '';
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
  }
  let prefix = '';
  if (f.sharp) {
    if (base === 2) prefix = '0b';
    else if (base === 8 && !digits.startsWith('0')) prefix = '0';
    else if (base === 16) prefix = verb === 'X' ? '0X' : '0x';
  }
  if (verb === 'O') prefix = '0o';
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (zeroPad && f.wid !== null) {
    prec = f.wid - sign.length - prefix.length;
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    return sign + prefix + digits;
  }
  return pad(sign + prefix + digits, { ...f, zero: false });
}

function fmtFloatVerb(v: number, verb: string, f: Flags): string {
  let fmt: 'e' | 'E' | 'f' | 'g' | 'G';
  let prec: number;
  switch (verb) {
    case 'v':
      fmt = 'g';
      prec = -1;
      break;
    case 'g':
    case 'G':
      fmt = verb;
      prec = -1;
      break;
    case 'e':
    case 'E':
    case 'f':
      fmt = verb;
      prec = 6;
      break;
    case 'F':
      fmt = 'f';
      prec = 6;
      break;
    default:
      throw new Error('unreachable');
  }
  if (f.prec !== null) prec = f.prec;
  let num = formatFloat(v, fmt, prec);
  if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
  if (f.space && num[0] === '+' && !f.plus) num = ` ${num.slice(1)}`;
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(num, { ...f, zero: false });
  }
  if (f.sharp) {
    let digits = 0;
    if (verb === 'v' || verb === 'g' || verb === 'G') digits = prec === -1 ? 6 : prec;
    let tail = '';
    let body = num;
    const ei = body.search(/[eE]/);
    if (ei >= 0) {
      tail = body.slice(ei);
      body = body.slice(0, ei);
    }
    let sawNonzero = false;
    for (let i = 1; i < body.length; i++) {
      const c = body[i]!;
      if (c === '.') continue;
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
    if (!body.includes('.')) {
      if (body.length === 2 && body[1] === '0') digits--;
      body += '.';
    }
    while (digits > 0) {
      body += '0';
      digits--;
    }
    num = body + tail;
  }
  if (f.plus || num[0] !== '+') {
    if (f.zero && f.wid !== null && f.wid > num.length && !f.minus) {
      return num[0] + '0'.repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

/** %b (mantissa p exponent) and shortest %x/%X (hex mantissa p exponent) of a float64. */
function fmtFloatBits(x: number, verb: string, f: Flags): string {
  let body: string;
  if (!Number.isFinite(x)) body = Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  else {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, x);
    const neg = (buf.getUint32(0) >>> 31) === 1;
    const bexp = (buf.getUint32(0) >>> 20) & 0x7ff;
    let mant = (BigInt(buf.getUint32(0) & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
    let exp: number;
    if (bexp === 0) exp = -1074;
    else {
      mant |= 1n << 52n;
      exp = bexp - 1075;
    }
    if (verb === 'b') body = `${mant}p${exp >= 0 ? '+' : '-'}${Math.abs(exp)}`;
    else if (mant === 0n) body = '0x0p+00';
    else {
      // normalise to 1.xxx × 2^e with the leading 1 at bit 52
      let m = mant;
      let e = exp + 52;
      while (m < 1n << 52n) {
        m <<= 1n;
        e--;
      }
      const frac = (m & ((1n << 52n) - 1n)).toString(16).padStart(13, '0').replace(/0+$/, '');
      const ae = Math.abs(e);
      body = `0x1${frac ? `.${frac}` : ''}p${e >= 0 ? '+' : '-'}${ae < 10 ? `0${ae}` : ae}`;
    }
    if (verb === 'X') body = body.toUpperCase();
    if (neg) body = `-${body}`;
    else if (f.plus) body = `+${body}`;
    else if (f.space) body = ` ${body}`;
  }
  return pad(body, f);
}

function fmtString(s: string, verb: string, f: Flags): string | null {
  switch (verb) {
    case 'v':
    case 's': {
      if (f.prec !== null) s = truncRunes(s, f.prec);
      return pad(s, f);
    }
    case 'q': {
      if (f.prec !== null) s = truncRunes(s, f.prec);
      if (f.sharp && canBackquote(s)) return pad(`\`${s}\``, f);
      return pad(quote(s, f.plus), f);
    }
    case 'x':
    case 'X': {
      let b = s;
      if (f.prec !== null && f.prec < b.length) b = b.slice(0, f.prec);
      const parts: string[] = [];
      for (let i = 0; i < b.length; i++) {
        let h = hex(b.charCodeAt(i), 2);
        if (verb === 'X') h = h.toUpperCase();
        if (f.sharp && (f.space || i === 0)) h = (verb === 'X' ? '0X' : '0x') + h;
        parts.push(h);
      }
      return pad(parts.join(f.space ? ' ' : ''), f);
    }
  }
  return null;
}

function truncRunes(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) i += decodeRune(s, i)[1];
  return s.slice(0, i);
}

function badVerb(verb: string, arg: GoValue, depth: number, f: Flags = noFlags()): string {
  if (arg === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(arg)}=${printValue(arg, 'v', f, depth + 1)})`;
}

function printValue(arg: GoValue, verb: string, f: Flags, depth: number): string {
  if (verb === 'T') return fmtString(typeName(arg), 's', f) ?? '';
  if (arg === null) {
    if (verb === 'v') return pad('<nil>', f);
    return badVerb(verb, arg, depth, f);
  }
  if (typeof arg === 'boolean') {
    if (verb === 't' || verb === 'v') return pad(arg ? 'true' : 'false', f);
    return badVerb(verb, arg, depth, f);
  }
  if (isInt(arg)) {
    const v = intOf(arg);
    switch (verb) {
      case 'v':
      case 'd':
        return fmtInteger(v, 10, verb, f);
      case 'b':
        return fmtInteger(v, 2, verb, f);
      case 'o':
      case 'O':
        return fmtInteger(v, 8, verb, f);
      case 'x':
      case 'X':
        return fmtInteger(v, 16, verb, f);
      case 'c':
        return pad(encodeRune(Number(v)), f);
      case 'q': {
        // fmtQc: runes beyond MaxRune (and negative ones) quote as U+FFFD; '#' plays no part.
        const r = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
        return pad(quoteRune(r, f.plus), f);
      }
      case 'U': {
        const u = BigInt.asUintN(64, v);
        let s = `U+${u.toString(16).toUpperCase().padStart(Math.max(f.prec ?? 4, 4), '0')}`;
        if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${encodeRune(Number(u))}'`;
        return pad(s, { ...f, zero: false });
      }
    }
    return badVerb(verb, arg, depth, f);
  }
  if (typeof arg === 'number') {
    if ('vgGeEfF'.includes(verb)) return fmtFloatVerb(arg, verb, f);
    if (verb === 'b' || ((verb === 'x' || verb === 'X') && f.prec === null)) return fmtFloatBits(arg, verb, f);
    return badVerb(verb, arg, depth, f);
  }
  if (typeof arg === 'string') {
    if (verb === 'v' && f.sharpV) return pad(quote(arg), f);
    return fmtString(arg, verb, f) ?? badVerb(verb, arg, depth, f);
  }
  if (Array.isArray(arg)) {
    if (f.sharpV && verb === 'v') return `${typeName(arg)}{${arg.map((x) => goSyntax(x)).join(', ')}}`;
    return `[${arg.map((x) => (x === null ? '<nil>' : printValue(x, verb, f, depth + 1))).join(' ')}]`;
  }
  if (arg instanceof Map) {
    if (f.sharpV && verb === 'v') return goSyntax(arg);
    const parts = sortedKeys(arg).map(
      (k) => {
        const x = arg.get(k) ?? null;
        return `${printValue(k, verb, f, depth + 1)}:${x === null ? '<nil>' : printValue(x, verb, f, depth + 1)}`;
      },
    );
    return `map[${parts.join(' ')}]`;
  }
  if (arg instanceof GoObject) {
    if (verb === 'v' || verb === 's') return pad(arg.toString(), f);
    if (verb === 'q') return pad(quote(arg.toString(), f.plus), f);
    return badVerb(verb, arg, depth, f);
  }
  return '';
}

/** %#v (Go syntax), approximated for our value model. */
function goSyntax(v: GoValue): string {
  if (v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof GoInt) return `0x${v.v.toString(16)}`;
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `${typeName(v)}{${v.map(goSyntax).join(', ')}}`;
  if (v instanceof Map) return `${typeName(v)}{${sortedKeys(v).map((k) => `${quote(k)}:${goSyntax(v.get(k) ?? null)}`).join(', ')}}`;
  return v.toString();
}

/** fmt.Sprintf with a Go byte-string format. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    let goodArgNum = true;
    // flags
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') {
        f.minus = true;
        f.zero = false;
      } else if (c === ' ') f.space = true;
      else break;
    }
    const argIndex = (): void => {
      if (format[i] !== '[') return;
      const close = format.indexOf(']', i);
      if (close < 0) return;
      const n = /^\d+$/.test(format.slice(i + 1, close)) ? Number(format.slice(i + 1, close)) : Number.NaN;
      reordered = true;
      if (Number.isInteger(n) && n >= 1 && n <= args.length) argNum = n - 1;
      else goodArgNum = false;
      i = close + 1;
    };
    argIndex();
    // width
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (a !== undefined && isInt(a)) {
        f.wid = Number(intOf(a));
        if (f.wid < 0) {
          f.minus = true;
          f.zero = false;
          f.wid = -f.wid;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.wid = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (a !== undefined && isInt(a)) {
          f.prec = Number(intOf(a));
          if (f.prec < 0) f.prec = null;
        } else out += '%!(BADPREC)';
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const [r, n] = decodeRune(format, i);
    const verb = encodeRune(r);
    i += n;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++] as GoValue;
    if (verb === 'v') {
      if (f.plus) f.plus = false; // %+v only matters for structs
      if (f.sharp) {
        f.sharp = false;
        f.sharpV = true;
      }
    }
    out += printValue(arg, verb, f, 0);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ';
    out += args
      .slice(argNum)
      .map((a) => (a === null ? '<nil>' : `${typeName(a)}=${printValue(a, 'v', noFlags(), 0)}`))
      .join(', ');
    out += ')';
  }
  return out;
}

/** %v of one value. */
export function sprintValue(v: GoValue): string {
  return printValue(v, 'v', noFlags(), 0);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, n) => {
    const isString = typeof a === 'string';
    if (n > 0 && !isString && !prevString) out += ' ';
    out += printValue(a, 'v', noFlags(), 0);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always spaces, trailing newline. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map((a) => printValue(a, 'v', noFlags(), 0)).join(' ')}\n`;
}

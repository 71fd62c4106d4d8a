// shopspring/decimal arithmetic as Sprig's addf/subf/mulf/divf use it:
// NewFromFloat (shortest decimal of the float), exact add/sub/mul, Div rounded to 16
// decimal places (half away from zero), then Float64 (nearest double).
import type { GoValue } from '../../go/value.js';
import { toFloat64 } from './convert.js';

interface Dec {
  c: bigint; // coefficient
  e: number; // exponent: value = c × 10^e
}

function fromFloat(f: number): Dec {
  if (f === 0 || !Number.isFinite(f)) return { c: 0n, e: 0 };
  const [m, ex] = f.toExponential().split('e') as [string, string];
  const neg = m.startsWith('-');
  const digits = m.replace('-', '').replace('.', '');
  const e = Number(ex) - (digits.length - 1);
  const c = BigInt(digits);
  return { c: neg ? -c : c, e };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e];
}

function div(a: Dec, b: Dec): Dec {
  if (b.c === 0n) throw new Error('decimal division by 0');
  // quotient rounded to 16 places: q = round(a / b × 10^16)
  const prec = 16;
  // a/b = (a.c/b.c) × 10^(a.e-b.e); scale numerator to get prec+1 digits after the point
  const shift = prec + 1 + (a.e - b.e);
  let num = a.c;
  let den = b.c;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den; // truncated, with one extra digit
  const neg = q < 0n;
  if (neg) q = -q;
  const last = q % 10n;
  q /= 10n;
  if (last >= 5n) q += 1n;
  return { c: neg ? -q : q, e: -prec };
}

function toNumber(d: Dec): number {
  return Number(`${d.c}e${d.e}`);
}

export function decimalOp(first: GoValue | number, rest: (GoValue | bigint)[], op: 'add' | 'sub' | 'mul' | 'div'): number {
  let acc = fromFloat(typeof first === 'number' ? first : toFloat64(first));
  for (const x of rest) {
    const d = fromFloat(toFloat64(x as GoValue));
    if (op === 'mul') acc = { c: acc.c * d.c, e: acc.e + d.e };
    else if (op === 'div') acc = div(acc, d);
    else {
      const [a, b, e] = align(acc, d);
      acc = { c: op === 'add' ? a + b : a - b, e };
    }
  }
  return toNumber(acc);
}

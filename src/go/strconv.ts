/** Go `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never exponent notation. */
export function formatFloatF(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, frac = '', expText] = match;
  const exp = Number(expText);
  const digits = `${lead}${frac}`;
  if (exp >= 0) {
    const intLen = 1 + exp;
    return intLen >= digits.length ? `${sign}${digits}${'0'.repeat(intLen - digits.length)}` : `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

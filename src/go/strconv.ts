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

/** `f, _ := strconv.ParseFloat(s, 64)`: 0 on a syntax error, ±Inf out of range. */
export function parseFloatOrZero(s: string): number {
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

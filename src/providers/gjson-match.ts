/**
 * tidwall/match.MatchLimit(str, pattern, 10000), as gjson v1.18.0 matches `*`/`?` path parts
 * against object keys: `*` any runes, `?` one rune, `\` escapes; a match costing more than
 * 10000 steps per key byte is no match. Byte strings in, runes decoded as Go does.
 */
import { decodeRune } from '../go/bytes.js';

export function matchLimit(str: string, pattern: string): boolean {
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

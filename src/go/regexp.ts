// Go RE2 regular expressions on top of JS RegExp: a translator that rewrites the RE2
// syntax whose JS meaning differs (., \s, ^/$ in multiline mode, POSIX classes, \A, \z,
// \Q..\E, (?P<name>)) and rejects what would behave differently, plus Go's FindAll /
// ReplaceAll / Split / Expand semantics (empty matches abutting a previous match are skipped).
// Patterns and subjects are JS text (decode Go byte strings with bytes.toText first).

export class RegexpError extends Error {}

const posix: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const perlSpace = '\\t\\n\\f\\r ';

/** Go's syntax.Error text: the code and the offending fragment (the whole pattern when none is named). */
function unsupported(pattern: string, what: string): never {
  if (what.includes('`')) throw new RegexpError(`error parsing regexp: ${what}`);
  throw new RegexpError(`error parsing regexp: ${what}: \`${pattern}\``);
}

export interface GoRegexp {
  re: RegExp;
  /** Capture group names by index (index 0 = whole match, '' = unnamed). */
  names: string[];
}

/** Compiles a Go RE2 pattern (JS text) into an equivalent JS RegExp, or throws RegexpError in Go's words. */
export function compile(pattern: string): GoRegexp {
  let flagI = false;
  let flagS = false;
  let flagM = false;
  let i = 0;
  // Leading flag group (?ims) applies to the whole pattern; scoped or later flags are rejected.
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i') flagI = true;
      else if (f === 's') flagS = true;
      else if (f === 'm') flagM = true;
      else unsupported(pattern, 'the (?U) ungreedy flag is not supported by this renderer');
    }
    i = lead[0].length;
  }
  let out = '';
  const names: string[] = [''];
  let depth = 0;
  let lastAtomStart = -1;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) unsupported(pattern, 'trailing backslash at end of expression');
      if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        lastAtomStart = out.length;
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? n : end + 2;
        continue;
      }
      lastAtomStart = out.length;
      if (e === 'A') out += '(?<![\\s\\S])';
      else if (e === 'z') out += '(?![\\s\\S])';
      else if (e === 's') out += `[${perlSpace}]`;
      else if (e === 'S') out += `[^${perlSpace}]`;
      else if (e === 'p' || e === 'P') {
        const m = /^\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(pattern.slice(i));
        if (!m) unsupported(pattern, `invalid character class range: \`${pattern.slice(i, i + 3)}\``);
        out += unicodeClass(m[0], e === 'P');
        i += m[0].length;
        continue;
      } else if (e === 'x') {
        const m = /^\\x(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{2})/.exec(pattern.slice(i));
        if (!m) unsupported(pattern, `invalid escape sequence: \`${pattern.slice(i, i + 2)}\``);
        out += m[1]!.startsWith('{') ? `\\u${m[1]}` : `\\x${m[1]}`;
        i += m[0].length;
        continue;
      } else if (/[1-9]/.test(e)) unsupported(pattern, `invalid escape sequence: \`\\${e}\``);
      else if (/[dDwWbBfnrtv]/.test(e)) out += `\\${e}`;
      else if (e === 'a') out += '\\x07';
      else if (e === '0') unsupported(pattern, 'octal escapes are not supported by this renderer');
      else if (/[A-Za-z0-9]/.test(e)) unsupported(pattern, `invalid escape sequence: \`\\${e}\``);
      else out += `\\${e}`;
      i += 2;
      continue;
    }
    if (c === '[') {
      const [cls, next] = translateClass(pattern, i);
      lastAtomStart = out.length;
      out += cls;
      i = next;
      continue;
    }
    if (c === '(') {
      lastAtomStart = -1;
      if (pattern[i + 1] === '?') {
        const rest = pattern.slice(i);
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (named) {
          names.push(named[1]!);
          out += `(?<${named[1]}>`;
          i += named[0].length;
          depth++;
          continue;
        }
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
          depth++;
          continue;
        }
        if (/^\(\?[imsU-]*[:)]/.test(rest)) unsupported(pattern, 'flags inside the pattern are not supported by this renderer; put (?i)/(?s)/(?m) at the start');
        unsupported(pattern, `invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\``);
      }
      names.push('');
      out += '(';
      i++;
      depth++;
      continue;
    }
    if (c === ')') {
      if (depth === 0) unsupported(pattern, 'unexpected )');
      depth--;
      out += ')';
      i++;
      continue;
    }
    if (c === '.') {
      lastAtomStart = out.length;
      out += flagS ? '[\\s\\S]' : '[^\\n]';
      i++;
      continue;
    }
    if (c === '^') {
      out += flagM ? '(?<![^\\n])' : '(?<![\\s\\S])';
      i++;
      continue;
    }
    if (c === '$') {
      out += flagM ? '(?![^\\n])' : '(?![\\s\\S])';
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m) {
        if (lastAtomStart < 0 && !/[)\]]$/.test(out)) unsupported(pattern, `missing argument to repetition operator: \`${m[0]}\``);
        const lo = Number(m[1]);
        const hi = m[3] ? Number(m[3]) : lo;
        if (lo > 1000 || hi > 1000 || (m[3] && hi < lo)) unsupported(pattern, `invalid repeat count: \`${m[0]}\``);
        out += m[0];
        i += m[0].length;
        if (pattern[i] === '?') {
          out += '?';
          i++;
        }
        if (pattern[i] === '*' || pattern[i] === '+' || pattern[i] === '{') unsupported(pattern, `invalid nested repetition operator: \`${m[0]}${pattern[i]}\``);
        continue;
      }
      lastAtomStart = out.length;
      out += '\\{';
      i++;
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      const prev = out[out.length - 1];
      if (out === '' || prev === '|' || prev === '(' || out.endsWith('(?:') || out.endsWith('(?<![\\s\\S])') && lastAtomStart < 0) {
        unsupported(pattern, `missing argument to repetition operator: \`${c}\``);
      }
      out += c;
      i++;
      if (pattern[i] === '?') {
        out += '?';
        i++;
      }
      if (pattern[i] === '*' || pattern[i] === '+' || (pattern[i] === '?' && c !== '?')) {
        unsupported(pattern, `invalid nested repetition operator: \`${c}${pattern[i]}\``);
      }
      continue;
    }
    if (c === '|') {
      lastAtomStart = -1;
      out += '|';
      i++;
      continue;
    }
    lastAtomStart = out.length;
    out += c === '/' ? '\\/' : c;
    i++;
  }
  if (depth > 0) unsupported(pattern, 'missing closing )');
  try {
    return { re: new RegExp(out, `gu${flagI ? 'i' : ''}`), names };
  } catch (e) {
    throw new RegexpError(`error parsing regexp: ${(e as Error).message}: \`${pattern}\``);
  }
}

function unicodeClass(esc: string, negated: boolean): string {
  let name = esc.slice(2);
  if (name.startsWith('{')) name = name.slice(1, -1);
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  const gc = /^(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Co|Cs)$/.test(name);
  const body = name === 'Any' ? 'Any' : gc ? name : `Script=${name}`;
  return `\\${negated ? 'P' : 'p'}{${body}}`;
}

/** Translates a bracket expression starting at pattern[i] === '['. */
function translateClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === ']' && !first) return [`${out}]`, i + 1];
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (m && posix[m[2]!]) {
        if (m[1]) unsupported(pattern, 'negated POSIX classes ([:^name:]) are not supported by this renderer');
        out += posix[m[2]!];
        i += m[0].length;
        continue;
      }
      if (m) unsupported(pattern, `invalid character class range: \`${m[0]}\``);
    }
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === 's') out += perlSpace;
      else if (e === 'S') unsupported(pattern, '\\S inside a character class is not supported by this renderer');
      else if (e === 'p' || e === 'P') {
        const m = /^\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(pattern.slice(i));
        if (!m) unsupported(pattern, 'invalid character class');
        out += unicodeClass(m[0], e === 'P');
        i += m[0].length;
        continue;
      } else if (e === 'x') {
        const m = /^\\x(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{2})/.exec(pattern.slice(i));
        if (!m) unsupported(pattern, 'invalid escape sequence');
        out += m[1]!.startsWith('{') ? `\\u${m[1]}` : `\\x${m[1]}`;
        i += m[0].length;
        continue;
      } else if (e === 'a') out += '\\x07';
      else if (e !== undefined && /[dDwWfnrtv]/.test(e)) out += `\\${e}`;
      else if (e !== undefined && /[A-Za-z0-9]/.test(e)) unsupported(pattern, `invalid escape sequence: \`\\${e}\``);
      else out += `\\${e ?? ''}`;
      i += 2;
      continue;
    }
    if (c === '[' || c === '/' || c === '{' || c === '}' || c === '(' || c === ')' || c === '|') {
      out += `\\${c}`;
      i++;
      continue;
    }
    if (c === '-' && (pattern[i + 1] === ']' || out.endsWith('[') || out.endsWith('[^'))) {
      out += '\\-';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return unsupported(pattern, `missing closing ]: \`${pattern.slice(start)}\``);
}

/** [start, end] index pairs (and groups) of successive matches, Go's FindAll semantics; n < 0 = all. */
export function findAll(g: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  const re = g.re;
  re.lastIndex = 0;
  let prevEnd = -1;
  let pos = 0;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start && start === prevEnd) accept = false;
    if (accept) {
      out.push(m);
      prevEnd = end;
    }
    if (end > start) pos = end;
    else {
      // advance one code point past an empty match
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (start >= s.length) break;
    }
  }
  return out;
}

/** Regexp.Expand-style template expansion: $1, ${1}, $name, ${name}, $$ ($1x names group "1x"). */
export function expand(template: string, m: RegExpExecArray, names: string[]): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name = '';
    let len = 0;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += '$';
        i++;
        continue;
      }
      name = inner;
      len = close + 1 - i;
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!mm) {
        out += '$';
        i++;
        continue;
      }
      name = mm[0];
      len = 1 + name.length;
    }
    i += len;
    if (/^[0-9]+$/.test(name)) {
      const k = Number(name);
      if (k < m.length) out += m[k] ?? '';
      continue;
    }
    const k = names.indexOf(name);
    if (k >= 0) out += m[k] ?? '';
  }
  return out;
}

export function replaceAll(g: GoRegexp, s: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  for (const m of findAll(g, s, -1)) {
    out += s.slice(last, m.index);
    out += literal ? repl : expand(repl, m, g.names);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Regexp.Split */
export function split(g: GoRegexp, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (g.re.source !== '(?:)' && s === '') return [''];
  const matches = findAll(g, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

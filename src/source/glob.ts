/**
 * Argo CD matches `directory.include`/`exclude` with gobwas/glob compiled without separators
 * (util/glob), so `*` crosses `/` — unlike fast-glob/minimatch. Supported: `*`, `**`, `?`,
 * `[abc]`, `[!a-z]`, `{a,b}` and `\` escapes, as gobwas has them.
 */
export function compileArgoGlob(pattern: string): RegExp {
  let i = 0;
  const parse = (inBraces: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (inBraces && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\' && i < pattern.length) out += escapeChar(pattern[i++]!);
      else if (c === '*') {
        while (pattern[i] === '*') i++;
        out += '[\\s\\S]*';
      } else if (c === '?') out += '[\\s\\S]';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end < 0) throw new Error(`unexpected end of input in character class of glob ${JSON.stringify(pattern)}`);
        let body = pattern.slice(i, end);
        i = end + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') {
        const alternatives: string[] = [];
        for (;;) {
          alternatives.push(parse(true));
          const sep = pattern[i++];
          if (sep === '}') break;
          if (sep !== ',') throw new Error(`unclosed { in glob ${JSON.stringify(pattern)}`);
        }
        out += `(?:${alternatives.join('|')})`;
      } else out += escapeChar(c);
    }
    if (inBraces) throw new Error(`unclosed { in glob ${JSON.stringify(pattern)}`);
    return out;
  };
  return new RegExp(`^${parse(false)}$`, 'u');
}

function escapeChar(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

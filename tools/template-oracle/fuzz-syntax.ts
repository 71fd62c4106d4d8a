// Differential fuzzing of the lexer/parser: random token soup, parse and execution errors
// compared with Go text for text. Dev-only.
// Usage: tools/template-oracle/build.sh && TZ=UTC node --import tsx tools/template-oracle/fuzz-syntax.ts [seed]
import { execFileSync } from 'node:child_process';
import { executeTemplate } from '../../src/template/index.js';
let seed = Number(process.argv[2] ?? 1);
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const pick = <T,>(a: T[]) => a[rnd(a.length)]!;
const toks = ['{{', '}}', '{{-', '-}}', ' ', '  ', '\n', 'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', '.', '.a', '.a.b', '$', '$x', '$x :=', '$x =', ':=', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-1', '1.5', '0x', '1e', 'upper', 'printf', 'len', ',', '/*', '*/', 'x', '"unterminated', '@', '#', 'text'];
const cases = Array.from({ length: 600 }, (_, i) => {
  let t = '';
  const n = 2 + rnd(10);
  for (let k = 0; k < n; k++) t += pick(toks) + (rnd(2) ? ' ' : '');
  return { name: `p${i}`, template: t, data: { a: 'A' }, dataB64: {}, missingKey: 'default', delims: [] };
});
const out = JSON.parse(execFileSync('/tmp/template-oracle', { input: JSON.stringify(cases), maxBuffer: 1 << 26 }).toString()) as { name: string; outputB64: string; error?: string }[];
let diffs = 0;
const kinds = new Map<string, number>();
for (const [i, c] of cases.entries()) {
  const g = out[i]!;
  let mine = ''; let merr: string | undefined;
  try { mine = Buffer.from(await executeTemplate(c.template, new Map([['a', Buffer.from('A')]]), { name: c.name, missingKey: 'default' })).toString('base64'); }
  catch (e) { merr = (e as Error).message; }
  const same = g.error !== undefined ? merr === g.error : merr === undefined && mine === g.outputB64;
  if (!same) {
    diffs++;
    const k = (g.error ?? 'OK').replace(/^template: p\d+:\d+(:\d+)?: /, '').slice(0, 40);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (diffs <= 25) console.log(JSON.stringify(c.template), '\n  go  :', g.error ?? Buffer.from(g.outputB64, 'base64').toString(), '\n  ours:', merr ?? Buffer.from(mine, 'base64').toString());
  }
}
console.log('diffs', diffs, 'of', cases.length, [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15));

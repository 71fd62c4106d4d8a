// Differential fuzzing against the oracle: random Sprig pipelines inside {{ }}, if, range, with
// and printf, rendered by Go and by us. Known, documented differences (redacted range errors,
// Go 1.22 range-over-int) are filtered. Dev-only.
// Usage: tools/template-oracle/build.sh && TZ=UTC node --import tsx tools/template-oracle/fuzz.ts [seed]
import { execFileSync } from 'node:child_process';
import { executeTemplate } from '../../src/template/index.js';
let seed = Number(process.argv[2] ?? 1);
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const pick = <T,>(a: T[]) => a[rnd(a.length)]!;
const lits = ['"abc"', '"Hello World"', '"a,b,c"', '""', '" x "', '"é"', '0', '1', '-3', '2.5', '1e3', 'true', 'false', 'nil', '.username', '.num', '.json', '.empty', '(list 1 "a")', '(dict "k" "v")', '"42"', '"0x1F"', '.spaces', '"a\\tb"', '\'x\''];
const fns1 = ['upper','lower','title','trim','quote','squote','b64enc','b64dec','toString','toJson','len','not','int','int64','float64','atoi','sha1sum','nospace','initials','snakecase','kebabcase','swapcase','first','last','rest','initial','reverse','uniq','compact','typeOf','kindOf','empty','toStrings','sortAlpha','keys','values','fromJson','toRawJson','toPrettyJson','b32enc','ceil','floor','add1','add1f','trimAll "a"','trunc 3','abbrev 5','repeat 2','indent 2','nindent 1','replace "a" "b"','default "d"','printf "%v|%s|%d|%q|%x|%5.2f"','printf "%T"','contains "a"','hasPrefix "a"','splitList ","','join ","','split ","','regexFind "[a-z]+"','regexReplaceAll "[aeiou]" "_"','wrap 3','plural "one" "many"','until','seq','ternary "y" "n"','without 1','has "a"','append 9','prepend 0','chunk 2','slice 1','dig "a" "d"','pluck "k"','html','js','urlquery','print','println','eq "a"','ne 1','lt 1','coalesce ""','all 1','any 0','max 3','min 3','mul 2','add 1','sub 1','div 2','mod 3','round 1','maxf 1.5','addf 0.1','mulf 2','semver','base','dir','ext','clean','isAbs','toDecimal','cat "x"','index'];
function expr(depth: number): string {
  if (depth > 2 || rnd(3) === 0) return pick(lits);
  const f = pick(fns1);
  const parts = f.split(' ');
  if (rnd(2) === 0) return `(${expr(depth + 1)} | ${f})`;
  return `(${f} ${expr(depth + 1)})`;
}
const data = { username: 'admin', num: '42', json: '{"a":1,"b":[1,2]}', empty: '', spaces: '  x  ' };
const wrap = (e: string) => pick([`{{ ${e} }}`, `{{ if ${e} }}T{{ else }}F{{ end }}`, `{{ range $i, $v := ${e} }}[{{ $i }}:{{ $v }}]{{ else }}E{{ end }}`, `{{ with ${e} }}<{{ . }}>{{ end }}`, `{{ printf "%v %T" ${e} ${e} }}`]);
const cases = Array.from({ length: 400 }, (_, i) => ({ name: `f${i}`, template: wrap(expr(0)), data, dataB64: {}, missingKey: 'error', delims: [] }));
const out = JSON.parse(execFileSync('/tmp/template-oracle', { input: JSON.stringify(cases), maxBuffer: 1 << 26 }).toString()) as { name: string; outputB64: string; error?: string }[];
let diffs = 0;
for (const [i, c] of cases.entries()) {
  const g = out[i]!;
  let mine: string; let merr: string | undefined;
  try { mine = Buffer.from(await executeTemplate(c.template, new Map(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)])), { name: c.name, missingKey: 'error' })).toString('base64'); }
  catch (e) { merr = (e as Error).message; mine = ''; }
  const known = (g.error ?? '').includes("range can't iterate over") && (merr ?? '').match(/range can't iterate over value of type|iterate over more than one variable/);
  const same = known || (g.error !== undefined ? merr === g.error : merr === undefined && mine === g.outputB64);
  if (!same && diffs < 40) {
    diffs++;
    console.log('TEMPLATE', c.template);
    console.log('  go  :', g.error ?? Buffer.from(g.outputB64, 'base64').toString());
    console.log('  ours:', merr ?? Buffer.from(mine, 'base64').toString());
  } else if (!same) diffs++;
}
console.log('diffs', diffs, 'of', cases.length);

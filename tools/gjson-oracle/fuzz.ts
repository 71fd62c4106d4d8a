// Differential fuzzing of src/providers/gjson.ts against Go gjson (tools/gjson-oracle/main.go):
// random JSON documents, valid and mutated (deleted/inserted bytes, truncation, junk before/after,
// trailing commas, single quotes), and random paths (keys, indexes, #, wildcards, escapes, |, ..).
// Dev-only. Usage: tools/gjson-oracle/build.sh GJSON MATCH PRETTY && node --import tsx tools/gjson-oracle/fuzz.ts [seed] [cases]
import { execFileSync } from 'node:child_process';
import { get, exists, resultString } from '../../src/providers/gjson.js';
import { fromText, fromBytes } from '../../src/go/bytes.js';
type Case = readonly [Uint8Array, string];
function oracle(cases: readonly Case[]): Array<{ exists: boolean; str: Uint8Array; type: string }> {
  const input = cases.map(([j, p]) => JSON.stringify({ json: Buffer.from(j).toString('base64'), path: p })).join('\n') + '\n';
  const out = execFileSync(process.env.GJSON_ORACLE ?? '/tmp/gjson-oracle-bin', { input, maxBuffer: 1 << 30 }).toString('utf8').trim().split('\n');
  return out.map((l) => {
    const o = JSON.parse(l) as { exists: boolean; str: string | null; type: string };
    return { exists: o.exists, str: Buffer.from(o.str ?? '', 'base64'), type: o.type };
  });
}

let seed = Number(process.argv[2] ?? 1);
const rnd = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
const KEYS = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a.b', 'x*', '', 'é', 'q"', 'a\\b', 'ab', 'aa', '😀', 'n'];
const STR = ['x', '', 'é', '\\n', '\\u00e9', '\\ud83d\\ude00', '\\ud800', '\\"', '\\\\', 'a\\/b', '{', ']', '\\u0041x', '\\t'];
const ws = () => pick(['', '', '', ' ', '\n', '\t', ' \r\n ']);
function val(d: number): string {
  const r = rnd();
  if (d > 3 || (d > 0 && r < 0.35)) return pick(['"' + pick(STR) + '"', '1', '-2', '1.50', '1e3', '0', 'true', 'false', 'null', '12345678901234567890', '-0.0', '2.5E-3', pick(['0x1p-2', '0x_1p4', '1_0', 'Inf', '-inf', 'NaN', 'nan', '+nan', '+.5', '.5', '5.', '1e', 'infinity', 'Infinit', '-', '0X1.8P1', 'nul', 'tru', 'fals'])]);
  if (r < 0.7) { const n = Math.floor(rnd() * 4); const ks = Array.from({ length: n }, () => pick(KEYS)); return '{' + ks.map((k) => ws() + JSON.stringify(k).replace('\\\\', '\\\\') + ws() + ':' + ws() + val(d + 1) + ws()).join(',') + '}'; }
  const n = Math.floor(rnd() * 4); return '[' + Array.from({ length: n }, () => ws() + val(d + 1) + ws()).join(',') + ']';
}
const JUNK = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', 'x', '1', '-', 't', 'n', 'f', 'u', '(', ')', '\n'];
function mutate(s: string): string {
  const r = rnd();
  const at = Math.floor(rnd() * (s.length + 1));
  if (r < 0.25) return s.slice(0, at) + s.slice(at + 1);
  if (r < 0.5) return s.slice(0, at) + pick(JUNK) + s.slice(at);
  if (r < 0.6) return s.slice(0, at);
  if (r < 0.7) return pick(['junk ', '\ufeff', 'x', '"{"', ' ']) + s;
  if (r < 0.8) return s + pick([' junk', ',', '}', '{"a":"y"}', ']']);
  if (r < 0.9) return s.replace(/([}\]])/, ',$1');
  return s.replace(/"/, "'");
}
const SEGS = ['a*b*', '*\\*', '\\\\*', '?*?', '😀?', 'é*', '*\\', 'q\\"', 'a\\\\b', 'a', 'b', '0', '1', '#', 'a', 'b', '0', 'a', 'b', '#', '2', '#', '*', 'a*', '?', 'a\\.b', 'x\\*', 'é', '', 'a?', '*b', 'q"', 'n', '😀', '\\é', 'x*'];
function path(): string {
  const n = 1 + Math.floor(rnd() * 3);
  let p = pick(SEGS);
  for (let i = 1; i < n; i++) p += pick(['.', '.', '.', '|']) + pick(SEGS);
  if (rnd() < 0.03) p = '..' + p;
  return p;
}
const N = Number(process.argv[3] ?? 20000);
const cases: Array<[Uint8Array, string, boolean]> = [];
for (let k = 0; k < N; k++) {
  if (rnd() < 0.25) {
    // Noise: bytes from the structural alphabet plus invalid UTF-8 and long escaped runs.
    // One UTF-16 unit per byte: \xff and a lone \xc3 are invalid UTF-8, \xef\xbb\xbf a BOM.
    const NOISE = ['{', '{"a":', '"b":', '[', ']', '}', '"', '\\', '\\"', ',', ':', ' ', '1', '-', 'tr', 'nu', 'n', 'fa', 'x', 'e', '.', '\\u', 'd83d', '\xff', '\xc3', 'aaaaaaaaa', '\xef\xbb\xbf'];
    const doc = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => pick(NOISE)).join('');
    cases.push([Buffer.from(doc, 'latin1'), path(), false]);
    continue;
  }
  let doc = val(0);
  const valid = rnd() < 0.4;
  if (!valid) { const m = 1 + Math.floor(rnd() * 3); for (let j = 0; j < m; j++) doc = mutate(doc); }
  cases.push([new TextEncoder().encode(doc), path(), valid]);
}
const res = oracle(cases.map(([d, p]) => [d, p] as const));
let bad = 0, panics = 0, validN = 0;
for (let k = 0; k < N; k++) {
  const [d, p, valid] = cases[k]!;
  const o = res[k]!;
  if (o.type === 'PANIC') { panics++; continue; }
  const want = o.exists ? Buffer.from(o.str).toString('latin1') : undefined;
  let got: string | undefined;
  try { const r = get(fromBytes(d), fromText(p)); got = exists(r) ? resultString(r) : undefined; } catch (e) { got = `THROW ${(e as Error).message}`; }
  if (got !== want) { if (bad++ < 15) console.log('DIFF', JSON.stringify(new TextDecoder().decode(d)), JSON.stringify(p), 'gjson=', JSON.stringify(want), 'ours=', JSON.stringify(got)); }
  if (valid) validN++;
}
console.log(`cases=${N} found=${res.filter((r) => r.exists).length} valid=${validN} ours≠gjson=${bad} gjson panics=${panics}`);

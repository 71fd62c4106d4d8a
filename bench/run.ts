/**
 * `npm run bench [-- --quick] [-- --only cold-start,pass-through] [-- --runs N] [-- --compare FILE]`
 *
 * Runs the scenarios in bench/scenarios/, prints a table of medians, spreads (inter-quartile range
 * relative to the median) and ratios measured in the same run, and writes everything to
 * bench/results/<timestamp>.json. `--compare` prints the change of each ratio against an earlier
 * results file (another commit); `--against OTHER/dist` times another build (say the previous
 * commit's dist, copied aside) in the same run, for an A/B of a change. Absolute times on a shared machine are noise; read the ratios.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, quantile, relativeSpread } from './lib/stats.js';
import type { BenchOptions, ScenarioOutcome } from './lib/types.js';
import { scenarios } from './scenarios/index.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};
if (flag('--help')) {
  process.stdout.write('usage: npm run bench -- [--quick] [--runs N] [--only id,id] [--compare bench/results/X.json] [--against OTHER/dist]\n');
  process.stdout.write(`scenarios: ${scenarios.map((s) => `${s.number} ${s.id}`).join(', ')}\n`);
  process.exit(0);
}
const quick = flag('--quick');
const only = value('--only')?.split(',');
const compare = value('--compare');
if (!existsSync(join(root, 'dist', 'cli.mjs'))) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm run bench does it)');

const scratch = mkdtempSync(join(tmpdir(), 'eso-bench-'));
const options: BenchOptions = {
  quick,
  runs: Number(value('--runs') ?? (quick ? 6 : 10)),
  warmup: quick ? 2 : 3,
  root,
  against: value('--against') ? resolve(value('--against')!) : undefined,
  scratch,
  log: (line) => process.stderr.write(`${line}\n`),
};

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

const results: Array<{ number: number; id: string; title: string; outcome: ScenarioOutcome }> = [];
try {
  for (const s of scenarios) {
    if (only && !only.includes(s.id) && !only.includes(String(s.number))) continue;
    options.log(`scenario ${s.number} ${s.id}: ${s.title}`);
    const started = Date.now();
    const outcome = await s.run(options);
    options.log(`  ${outcome.status === 'ok' ? 'done' : `skipped: ${outcome.reason}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    results.push({ number: s.number, id: s.id, title: s.title, outcome });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const out: string[] = [];
out.push(`argocd-eso-plugin bench · ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' (dirty)' : ''} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ' · --quick' : ''}`);
for (const r of results) {
  out.push('');
  out.push(`${r.number}. ${r.title}`);
  const o = r.outcome;
  if (o.status === 'skipped') {
    out.push(`   skipped: ${o.reason}`);
    continue;
  }
  const hasProbe = o.series.some((s) => s.maxRssKb);
  out.push(
    `   ${pad('', 28)} ${lpad('median ms', 10)} ${lpad('± IQR', 7)} ${lpad('min', 8)} ${lpad('max', 8)} ${lpad('n', 3)}${hasProbe ? `${lpad('CPU ms', 9)}${lpad('peak RSS MiB', 14)}` : ''}`,
  );
  for (const s of o.series) {
    const probe = s.maxRssKb ? `${lpad(s.cpuMs ? fmtMs(median(s.cpuMs)) : '', 9)}${lpad((median(s.maxRssKb) / 1024).toFixed(0), 14)}` : '';
    out.push(
      `   ${pad(s.name, 28)} ${lpad(fmtMs(median(s.ms)), 10)} ${lpad(`${(relativeSpread(s.ms) * 100).toFixed(0)}%`, 7)} ${lpad(fmtMs(quantile(s.ms, 0)), 8)} ${lpad(fmtMs(quantile(s.ms, 1)), 8)} ${lpad(String(s.ms.length), 3)}${probe}`,
    );
  }
  for (const q of o.ratios) {
    const goal = q.limit === undefined ? '' : q.value <= q.limit ? `  goal ≤ ${q.limit}× met` : `  goal ≤ ${q.limit}× NOT MET (${((q.value / q.limit - 1) * 100).toFixed(0)}% over)`;
    out.push(`   ratio ${pad(q.name, 34)} ${lpad(`${q.value.toFixed(2)}×`, 7)}${goal}`);
  }
  for (const [k, v] of Object.entries(o.figures)) out.push(`   ${pad(k, 44)} ${v.toFixed(Math.abs(v) < 10 ? 2 : 1)}`);
  for (const n of o.notes) out.push(`   note: ${n}`);
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const record = {
  timestamp: new Date().toISOString(),
  commit: git('rev-parse', 'HEAD'),
  dirty: git('status', '--porcelain') !== '',
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  quick,
  results,
};

if (compare) {
  const before = JSON.parse(readFileSync(compare, 'utf8')) as typeof record;
  out.push('');
  out.push(`compared with ${compare} (${before.commit.slice(0, 7)}, ${before.timestamp}): ratios before → now`);
  for (const r of results) {
    if (r.outcome.status !== 'ok') continue;
    const prev = before.results.find((x) => x.id === r.id)?.outcome;
    if (prev?.status !== 'ok') continue;
    for (const q of r.outcome.ratios) {
      const p = prev.ratios.find((x) => x.name === q.name);
      if (p) out.push(`   ${pad(`${r.number}. ${q.name}`, 40)} ${lpad(p.value.toFixed(2), 6)} → ${lpad(q.value.toFixed(2), 6)}`);
    }
  }
}

process.stdout.write(`${out.join('\n')}\n`);
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${stamp}.json`);
writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`\nresults: ${file.slice(root.length + 1)}\n`);

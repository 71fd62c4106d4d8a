/**
 * `node --import tsx bench/aws-run.ts [--quick] [--only 2,3,4] [--base REV] [--concurrency N]`
 *
 * Runs the AWS scenarios (bench/aws.ts) against dist/cli.mjs (run `npm run build` first), prints a
 * table of medians, spreads and ratios measured in the same run, and writes
 * bench/results/aws-<timestamp>.json. `--base REV` builds that commit's CLI into .tmp/base-REV
 * (git archive + the same esbuild script, this checkout's node_modules) and times it in scenario 4
 * as "before".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { quantile, type Result, scenarios } from './aws.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const argv = process.argv.slice(2);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const only = value('--only')?.split(',');
const baseRev = value('--base');
const concurrency = value('--concurrency') ? Number(value('--concurrency')) : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

if (!existsSync(join(root, 'dist', 'cli.mjs'))) throw new Error('dist/cli.mjs is missing: run `npm run build`');

let baseCli: string | undefined;
let baseLabel: string | undefined;
if (baseRev) {
  const sha = git('rev-parse', '--short', baseRev);
  const dir = join(root, '.tmp', `base-${sha}`);
  baseCli = join(dir, 'dist', 'cli.mjs');
  baseLabel = sha;
  if (!existsSync(baseCli)) {
    log(`building ${baseRev} (${sha}) into ${dir}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${sha} src scripts package.json | tar -x -C '${dir}'`], { cwd: root });
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'inherit' });
  }
}

const all: Result[] = [];
for (const s of scenarios) {
  if (only && !only.some((o) => s.name.startsWith(o))) continue;
  log(`scenario ${s.name}`);
  const started = Date.now();
  all.push(...(await s.run({ quick, baseCli, baseLabel, concurrency, log })));
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const med = (r: Result) => quantile(r.runs, 0.5);
/** Inter-quartile range relative to the median. */
const spread = (r: Result) => (r.runs.length < 2 ? 0 : (quantile(r.runs, 0.75) - quantile(r.runs, 0.25)) / med(r));
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

const lines: string[] = [];
let dirty = '';
try {
  dirty = git('status', '--porcelain') ? ' (dirty)' : '';
} catch {}
lines.push(`argocd-eso-plugin AWS bench · ${git('rev-parse', '--short', 'HEAD')}${dirty} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ' · --quick' : ''}`);
for (const scenario of [...new Set(all.map((r) => r.scenario))]) {
  const rows = all.filter((r) => r.scenario === scenario);
  lines.push('', scenario);
  lines.push(`  ${'variant'.padEnd(56)} ${'n'.padStart(4)} ${'median ms'.padStart(10)} ${'IQR/med'.padStart(8)} ${'ratio'.padStart(8)}`);
  for (const r of rows) {
    // The ratio: how many times faster than the scenario's reference (a "baseline" or "before" row of
    // the same service), measured in this run.
    const service = /\((SM|SSM)\)$/.exec(r.variant)?.[1];
    const ref = rows.find((x) => (x.variant.startsWith('baseline') || x.variant.startsWith('before')) && (!service || x.variant.endsWith(`(${service})`)));
    const ratio = ref && ref !== r ? `${(med(ref) / med(r)).toFixed(1)}×` : ref === r ? 'ref' : '';
    lines.push(`  ${r.variant.padEnd(56)} ${String(r.runs.length).padStart(4)} ${fmt(med(r)).padStart(10)} ${`${(spread(r) * 100).toFixed(0)}%`.padStart(8)} ${ratio.padStart(8)}`);
    if (r.counts) lines.push(`      counts: ${Object.entries(r.counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (r.notes) lines.push(`      ${r.notes}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `aws-${stamp}.json`);
writeFileSync(file, `${JSON.stringify({ commit: git('rev-parse', 'HEAD'), node: process.version, cpus: cpus().length, quick, results: all }, null, 2)}\n`);
log(`wrote ${file}`);

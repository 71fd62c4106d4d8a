/**
 * `node --import tsx bench/experiments/snapshot.ts [runs]` — would a V8 startup snapshot pay?
 *
 * `node --build-snapshot` (Node 20+; stability "experimental") runs a script once and saves the
 * whole heap, compiled functions included, to a blob; `node --snapshot-blob <blob> <args>` then
 * starts from that heap instead of loading and compiling modules. The experiment: the CLI bundled
 * as one CommonJS file (a snapshot entry may require only built-ins, so no split chunks: the
 * dynamic imports are inlined), trained in the builder by three renders of a plain app and of
 * fixtures/demo (fake provider, no secret beyond the demo's own), against the shipped ESM build,
 * in the same run. Output is compared byte for byte first. Not shipped: see bench/README.md
 * ("Startup snapshot").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { childEnv, type Command, measure } from '../lib/process.js';
import { median } from '../lib/stats.js';
import { APP_ENV, plainApp } from '../scenarios/cold-start.js';

const root = resolve(new URL('../..', import.meta.url).pathname);
const runs = Number(process.argv[2] ?? 20);
const scratch = mkdtempSync(join(tmpdir(), 'eso-snapshot-'));

// Replaces main.ts's last statement (`main().then(...)`): in the builder, train and register the
// deserialised entry; otherwise run as usual. argv[1] is the first user argument in a snapshot run.
const SNAPSHOT_TAIL = `
const snapshot = require('node:v8').startupSnapshot;
if (snapshot?.isBuildingSnapshot()) {
  (async () => {
    for (const dir of (process.env.SNAPSHOT_TRAIN ?? '').split(':')) {
      for (let i = 0; i < 3; i++) {
        await generate({ dir, env: { ARGOCD_APP_NAMESPACE: 'demo' }, flags: {}, redactor: new Redactor(), signal: new AbortController().signal, warn() {}, debug() {} });
      }
    }
  })();
  snapshot.setDeserializeMainFunction(() => {
    process.argv.splice(1, 0, 'argocd-eso-plugin');
    // --import (bench/lib/probe.mjs) is not run from a snapshot: do its job here.
    const probe = process.env.BENCH_PROBE_FILE;
    if (probe) process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(probe, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime)); });
    start();
  });
} else start();
function start() {
main().then(`;

try {
  const yamlEsm = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
  const bundle = join(scratch, 'main.cjs');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: bundle,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    define: { __VERSION__: '"experiment"' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'snapshot-entry',
        setup: (b) => {
          b.onResolve({ filter: /^yaml$/ }, () => ({ path: yamlEsm }));
          b.onLoad({ filter: /src[\\/]cli[\\/]main\.ts$/ }, (a) => {
            const text = readFileSync(a.path, 'utf8');
            if (!text.includes('main().then(')) throw new Error('main.ts no longer ends with main().then(: update the experiment');
            return { loader: 'ts', contents: `${text.replace('main().then(', SNAPSHOT_TAIL)}\n}\n` };
          });
        },
      },
    ],
  });
  const plain = plainApp(root, scratch);
  const demo = join(root, 'fixtures', 'demo');
  const blob = join(scratch, 'cli.blob');
  const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], { env: childEnv({ SNAPSHOT_TRAIN: `${plain}:${demo}` }) });
  if (built.status !== 0) throw new Error(`--build-snapshot failed: ${built.stderr}`);
  const esm = join(root, 'dist', 'cli.mjs');
  for (const app of [plain, demo]) {
    const a = spawnSync(process.execPath, [esm, 'generate', app], { env: childEnv(APP_ENV) });
    const b = spawnSync(process.execPath, ['--snapshot-blob', blob, 'generate', app], { env: childEnv(APP_ENV) });
    if (a.status !== 0 || b.status !== 0 || !a.stdout.equals(b.stdout)) throw new Error(`the snapshot build renders ${app} differently`);
  }
  const snap = (app: string): string[] => [process.execPath, '--snapshot-blob', blob, 'generate', app];
  const commands: Command[] = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'], probe: true },
    { name: 'esm plain', argv: [process.execPath, esm, 'generate', plain], env: APP_ENV, probe: true },
    { name: 'snapshot plain', argv: snap(plain), env: APP_ENV, probe: true },
    { name: 'esm demo', argv: [process.execPath, esm, 'generate', demo], env: APP_ENV, probe: true },
    { name: 'snapshot demo', argv: snap(demo), env: APP_ENV, probe: true },
  ];
  const samples = measure(commands, runs, 3, scratch);
  const bare = samples.get('node -e 0')!;
  const bareCpu = median(bare.map((x) => x.cpuMs!));
  const bareWall = median(bare.map((x) => x.ms));
  process.stdout.write(`node ${process.version}, blob ${(statSync(blob).size / 2 ** 20).toFixed(1)} MiB, ${runs} runs each, medians (CPU = user + system of the child)\n`);
  for (const c of commands) {
    const s = samples.get(c.name)!;
    const wall = median(s.map((x) => x.ms));
    const cpu = median(s.map((x) => x.cpuMs!));
    process.stdout.write(
      `  ${c.name.padEnd(16)} wall ${wall.toFixed(1).padStart(6)} ms (${(wall / bareWall).toFixed(2)}×)   CPU ${cpu.toFixed(1).padStart(6)} ms (${(cpu / bareCpu).toFixed(2)}×)\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * `node --import tsx bench/profile.ts [plain|demo] [runs]` — where a cold start's time goes.
 * Builds an unminified copy of the CLI (same esbuild settings otherwise, so names are readable),
 * runs `generate` under `node --cpu-prof` a few times and prints the top frames by self and by
 * inclusive time, summed over the runs (one run is too few samples on a noisy machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { childEnv } from './lib/process.js';
import { APP_ENV, plainApp } from './scenarios/cold-start.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = resolve(new URL('..', import.meta.url).pathname);
const which = process.argv[2] ?? 'plain';
const runs = Number(process.argv[3] ?? 5);
const scratch = mkdtempSync(join(tmpdir(), 'eso-profile-'));
try {
  const yamlEsm = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
  await build({
    entryPoints: { cli: join(root, 'src/cli/main.ts') },
    outdir: join(scratch, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: false,
    outExtension: { '.js': '.mjs' },
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    define: { __VERSION__: '"profile"' },
    plugins: [{ name: 'yaml-esm', setup: (b) => b.onResolve({ filter: /^yaml$/ }, () => ({ path: yamlEsm })) }],
    logLevel: 'warning',
  });
  const app = which === 'demo' ? join(root, 'fixtures', 'demo') : plainApp(root, scratch);
  const profDir = join(scratch, 'prof');
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profDir, join(scratch, 'dist', 'cli.mjs'), 'generate', app], {
      env: childEnv(APP_ENV),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(r.stderr.toString());
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const f of readdirSync(profDir)) {
    const p = JSON.parse(readFileSync(join(profDir, f), 'utf8')) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const label = (n: ProfileNode) => {
      const { functionName, url, lineNumber } = n.callFrame;
      const where = url.includes('/dist/cli.mjs') ? `cli.mjs:${lineNumber + 1}` : url.replace(/^node:/, '') || '(native)';
      return `${functionName || '(anonymous)'} ${where}`;
    };
    p.samples.forEach((id, i) => {
      const dt = (p.timeDeltas[i] ?? 0) / 1000;
      total += dt;
      const node = byId.get(id)!;
      self.set(label(node), (self.get(label(node)) ?? 0) + dt);
      const seen = new Set<string>();
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        const l = label(byId.get(x)!);
        if (!seen.has(l)) {
          seen.add(l);
          inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
        }
      }
    });
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${(v / runs).toFixed(1).padStart(6)} ms  ${k}`)
      .join('\n');
  process.stdout.write(`generate ${which} app under --cpu-prof, ${runs} runs, mean per run (profile total ${(total / runs).toFixed(1)} ms)\n`);
  process.stdout.write(`top frames by self time:\n${top(self, 15)}\ntop frames by inclusive time:\n${top(inclusive, 25)}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * Scenario 1 — cold start. Argo CD starts one plugin process per render, so the start-up of a
 * whole process is the figure that matters: `generate` on an app without ExternalSecrets
 * (pure pass-through) and on fixtures/demo (fake provider, no SDK), against `node -e 0` on the
 * same node binary. `--version` is printed too: it loads the entry chunk and does nothing else,
 * so it separates module loading from the render itself. What the image runs is the launcher
 * (plugin/argocd-eso-plugin: sh, then node from the V8 startup snapshot dist/cli.blob); the goals
 * are measured on that, and the bundle without the snapshot (node dist/cli.mjs) is shown beside it.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Command, measure } from '../lib/process.js';
import { median } from '../lib/stats.js';
import type { BenchOptions, Scenario, ScenarioOutcome, Series } from '../lib/types.js';
import { bundleFloor } from './pass-through.js';

export const APP_ENV = { ARGOCD_APP_NAME: 'bench', ARGOCD_APP_NAMESPACE: 'demo', ARGOCD_APP_PROJECT_NAME: 'default' };

/** The demo app minus its ExternalSecrets and store: what most apps on a shared sidecar look like. */
export function plainApp(root: string, scratch: string): string {
  const dir = join(scratch, 'plain-app');
  mkdirSync(dir, { recursive: true });
  for (const f of ['configmap.yaml', 'deployment.yaml']) copyFileSync(join(root, 'fixtures', 'demo', f), join(dir, f));
  return dir;
}

export const coldStart: Scenario = {
  number: 1,
  id: 'cold-start',
  title: 'cold start: whole generate processes vs node -e 0',
  async run(o: BenchOptions): Promise<ScenarioOutcome> {
    const dist = join(o.root, 'dist');
    const cli = join(dist, 'cli.mjs');
    const node = process.execPath;
    const plain = plainApp(o.root, o.scratch);
    const demo = join(o.root, 'fixtures', 'demo');
    if (!existsSync(join(dist, 'cli.blob'))) return { status: 'skipped', reason: 'dist/cli.blob is missing (npm run build makes it)' };
    // The launcher finds node on PATH: put this node first, as the image has only one.
    const launcherEnv = { ...APP_ENV, ESO_PLUGIN_DIST: dist, PATH: `${dirname(node)}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const launcher = join(o.root, 'plugin', 'argocd-eso-plugin');
    // CPU and peak RSS of every row come from wait4 (bench/lib/rusage.py), the same way for all:
    // the --import probe would add the ES module loader's start to the bundle rows only.
    const commands: Command[] = [
      { name: 'node -e 0', argv: [node, '-e', '0'], opaque: true },
      // The least a YAML-aware plugin can do with the plain app: load yaml, parse, print (scenario 5's floor).
      { name: 'yaml floor, plain app', argv: [node, await bundleFloor(o), plain], opaque: true },
      { name: 'cli --version', argv: [launcher, '--version'], env: launcherEnv, opaque: true },
      { name: 'generate plain app', argv: [launcher, 'generate', plain], env: launcherEnv, opaque: true },
      { name: 'generate fixtures/demo', argv: [launcher, 'generate', demo], env: launcherEnv, opaque: true },
      { name: 'bundle: cli --version', argv: [node, cli, '--version'], opaque: true },
      { name: 'bundle: generate plain app', argv: [node, cli, 'generate', plain], env: APP_ENV, opaque: true },
      { name: 'bundle: generate fixtures/demo', argv: [node, cli, 'generate', demo], env: APP_ENV, opaque: true },
    ];
    if (o.against) {
      const old = join(o.against, 'cli.mjs');
      commands.push(
        { name: 'against: cli --version', argv: [node, old, '--version'], opaque: true },
        { name: 'against: generate plain app', argv: [node, old, 'generate', plain], env: APP_ENV, opaque: true },
        { name: 'against: generate demo', argv: [node, old, 'generate', demo], env: APP_ENV, opaque: true },
      );
    }
    const runs = o.quick ? Math.max(8, Math.floor(o.runs / 2)) : o.runs * 2;
    o.log(`  ${commands.length} commands × ${runs} runs (+${o.warmup} warm-up)`);
    const samples = measure(commands, runs, o.warmup, o.scratch);
    // CPU time (user + system) from probed twins of the same commands: the goals use wall time of
    // unprobed processes, CPU time is the steadier second opinion on a busy machine.
    const probed = measure(
      commands.map((c) => ({ ...c, probe: true })),
      runs,
      1,
      o.scratch,
    );
    const series: Series[] = commands.map((c) => ({
      name: c.name,
      ms: samples.get(c.name)!.map((s) => s.ms),
      cpuMs: probed.get(c.name)!.map((s) => s.cpuMs!),
      maxRssKb: probed.get(c.name)!.map((s) => s.maxRssKb!),
    }));
    const m = (name: string) => median(series.find((s) => s.name === name)!.ms);
    const cpu = (name: string) => median(series.find((s) => s.name === name)!.cpuMs!);
    const base = m('node -e 0');
    return {
      status: 'ok',
      series,
      ratios: [
        { name: 'module load (--version)', numerator: 'cli --version', denominator: 'node -e 0', value: m('cli --version') / base },
        { name: 'no ExternalSecrets', numerator: 'generate plain app', denominator: 'node -e 0', value: m('generate plain app') / base, limit: 1.5 },
        { name: 'demo app (fake provider)', numerator: 'generate fixtures/demo', denominator: 'node -e 0', value: m('generate fixtures/demo') / base, limit: 3 },
        { name: 'plain app vs yaml floor', numerator: 'generate plain app', denominator: 'yaml floor, plain app', value: m('generate plain app') / m('yaml floor, plain app') },
        { name: 'yaml floor vs node -e 0', numerator: 'yaml floor, plain app', denominator: 'node -e 0', value: m('yaml floor, plain app') / base },
        { name: 'CPU: no ExternalSecrets', numerator: 'generate plain app', denominator: 'node -e 0', value: cpu('generate plain app') / cpu('node -e 0') },
        { name: 'CPU: demo app', numerator: 'generate fixtures/demo', denominator: 'node -e 0', value: cpu('generate fixtures/demo') / cpu('node -e 0') },
        { name: 'bundle (no snapshot): no ExternalSecrets', numerator: 'bundle: generate plain app', denominator: 'node -e 0', value: m('bundle: generate plain app') / base },
        { name: 'bundle (no snapshot): demo app', numerator: 'bundle: generate fixtures/demo', denominator: 'node -e 0', value: m('bundle: generate fixtures/demo') / base },
        { name: 'CPU, snapshot / bundle: demo app', numerator: 'generate fixtures/demo', denominator: 'bundle: generate fixtures/demo', value: cpu('generate fixtures/demo') / cpu('bundle: generate fixtures/demo') },
      ],
      figures: {
        ...(o.against
          ? {
              'A/B: plain app, this bundle / --against (wall)': m('bundle: generate plain app') / m('against: generate plain app'),
              'A/B: demo, this bundle / --against (wall)': m('bundle: generate fixtures/demo') / m('against: generate demo'),
              'A/B: plain app, this bundle / --against (CPU)': cpu('bundle: generate plain app') / cpu('against: generate plain app'),
              'A/B: demo, this bundle / --against (CPU)': cpu('bundle: generate fixtures/demo') / cpu('against: generate demo'),
              'A/B: --version, this bundle / --against (CPU)': cpu('bundle: cli --version') / cpu('against: cli --version'),
            }
          : {}),
        'entry chunk load over bare node (ms)': m('cli --version') - base,
        'plain app render over bare node (ms)': m('generate plain app') - base,
        'demo render over bare node (ms)': m('generate fixtures/demo') - base,
      },
      notes: [
        `node ${process.version}; child env built from scratch (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS)`,
        'cli/generate rows: the launcher as the image runs it (sh, then node --snapshot-blob dist/cli.blob); bundle rows: node dist/cli.mjs',
      ],
    };
  },
};

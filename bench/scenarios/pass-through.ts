/**
 * Scenario 5 — pass-through scaling. An app of N generated non-secret documents (ConfigMaps,
 * Services, Deployments in files of 1000) rendered by `generate`, against the floor: a bundled
 * script that parses the same streams with `yaml` and prints them back. Whole processes, time
 * and peak RSS. Goal: ≤ 2× the floor at every size, and linear (the slope is printed).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { type Command, measure } from '../lib/process.js';
import { linearFit, median } from '../lib/stats.js';
import type { BenchOptions, Ratio, Scenario, ScenarioOutcome, Series } from '../lib/types.js';
import { APP_ENV } from './cold-start.js';

const PER_FILE = 1000;
const yamlEsm = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');

/** Document i of a generated app: deterministic, varied enough to exercise the YAML paths. */
export function passThroughDoc(i: number): string {
  const name = `app-${i.toString().padStart(6, '0')}`;
  switch (i % 3) {
    case 0:
      return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: bench
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "yes"
  replicas: "3"
  config.json: |
    {"listen": ":8080", "upstreams": ["a", "b"], "timeoutSeconds": 30}
`;
    case 1:
      return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  annotations:
    example.com/owner: team-${i % 17}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
    default:
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}, tier: web}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: ["--port", "8080", '--verbose']
          ports:
            - containerPort: 8080
          resources:
            limits: {cpu: 500m, memory: 128Mi}
# a comment that pass-through keeps
`;
  }
}

export function writePassThroughApp(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f * PER_FILE < n; f++) {
    const parts: string[] = [];
    for (let i = f * PER_FILE; i < Math.min(n, (f + 1) * PER_FILE); i++) parts.push(passThroughDoc(i));
    writeFileSync(join(dir, `part-${f.toString().padStart(3, '0')}.yaml`), parts.join('---\n'));
  }
}

/** The floor script bundled like the CLI (same esbuild settings, yaml's ES build), so loading it costs what loading yaml costs us. */
export async function bundleFloor(o: BenchOptions): Promise<string> {
  const out = join(o.scratch, 'floor.mjs');
  if (existsSync(out)) return out;
  await build({
    entryPoints: [new URL('../floor/yaml-roundtrip.ts', import.meta.url).pathname],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    plugins: [{ name: 'yaml-esm', setup: (b) => b.onResolve({ filter: /^yaml$/ }, () => ({ path: yamlEsm })) }],
    logLevel: 'warning',
  });
  return out;
}

export const passThrough: Scenario = {
  number: 5,
  id: 'pass-through',
  title: 'pass-through scaling: N non-secret documents vs a bare yaml parse + stringify',
  async run(o: BenchOptions): Promise<ScenarioOutcome> {
    const cli = join(o.root, 'dist', 'cli.mjs');
    const floor = await bundleFloor(o);
    // A 50k-document render takes tens of seconds here (yaml parses ~1-2 MB/s on this VM), so the
    // big sizes get few runs and no warm-up (the OS file cache is warm from writing the app);
    // --quick stops at 16k documents.
    const sizes = o.quick ? [1000, 4000, 16_000] : [1000, 10_000, 50_000];
    const runs = o.quick ? 2 : 3;
    const series: Series[] = [];
    const ratios: Ratio[] = [];
    const ours: number[] = [];
    const floors: number[] = [];
    const oursCpu: number[] = [];
    const floorsCpu: number[] = [];
    for (const n of sizes) {
      const dir = join(o.scratch, `pass-through-${n}`);
      writePassThroughApp(dir, n);
      const commands: Command[] = [
        { name: `floor ${n}`, argv: [process.execPath, floor, dir], probe: true },
        { name: `generate ${n}`, argv: [process.execPath, cli, 'generate', dir], env: APP_ENV, probe: true },
      ];
      const warmup = n <= 1000 ? 1 : 0;
      o.log(`  ${n} documents: 2 commands × ${runs} runs (+${warmup} warm-up)`);
      const samples = measure(commands, runs, warmup, o.scratch);
      for (const c of commands) {
        const s = samples.get(c.name)!;
        series.push({ name: c.name, ms: s.map((x) => x.ms), maxRssKb: s.map((x) => x.maxRssKb!), cpuMs: s.map((x) => x.cpuMs!) });
      }
      const t = median(series.at(-1)!.ms);
      const f = median(series.at(-2)!.ms);
      ours.push(t);
      floors.push(f);
      oursCpu.push(median(series.at(-1)!.cpuMs!));
      floorsCpu.push(median(series.at(-2)!.cpuMs!));
      ratios.push({ name: `${n} documents, time`, numerator: `generate ${n}`, denominator: `floor ${n}`, value: t / f, limit: 2 });
      ratios.push({ name: `${n} documents, CPU`, numerator: `generate ${n}`, denominator: `floor ${n}`, value: oursCpu.at(-1)! / floorsCpu.at(-1)! });
      ratios.push({
        name: `${n} documents, peak RSS`,
        numerator: `generate ${n}`,
        denominator: `floor ${n}`,
        value: median(series.at(-1)!.maxRssKb!) / median(series.at(-2)!.maxRssKb!),
      });
    }
    const fitOurs = linearFit(sizes, ours);
    const fitFloor = linearFit(sizes, floors);
    const fitOursCpu = linearFit(sizes, oursCpu);
    // Marginal cost per document between sizes: equal figures mean linear.
    const marginal = (ms: number[], i: number) => (ms[i]! - ms[i - 1]!) / (sizes[i]! - sizes[i - 1]!);
    return {
      status: 'ok',
      series,
      ratios,
      figures: {
        'generate slope (µs/document)': fitOurs.slope * 1000,
        'generate fit r²': fitOurs.r2,
        'floor slope (µs/document)': fitFloor.slope * 1000,
        'floor fit r²': fitFloor.r2,
        'generate CPU slope (µs/document)': fitOursCpu.slope * 1000,
        'generate CPU fit r²': fitOursCpu.r2,
        [`generate marginal ${sizes[0]! / 1000}k→${sizes[1]! / 1000}k (µs/document)`]: marginal(ours, 1) * 1000,
        [`generate marginal ${sizes[1]! / 1000}k→${sizes[2]! / 1000}k (µs/document)`]: marginal(ours, 2) * 1000,
        [`floor marginal ${sizes[1]! / 1000}k→${sizes[2]! / 1000}k (µs/document)`]: marginal(floors, 2) * 1000,
        [`generate CPU marginal ${sizes[0]! / 1000}k→${sizes[1]! / 1000}k (µs/document)`]: marginal(oursCpu, 1) * 1000,
        [`generate CPU marginal ${sizes[1]! / 1000}k→${sizes[2]! / 1000}k (µs/document)`]: marginal(oursCpu, 2) * 1000,
      },
      notes: [`${PER_FILE} documents per file; peak RSS and CPU time from process.resourceUsage() in the child (bench/lib/probe.mjs)`],
    };
  },
};

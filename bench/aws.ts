/**
 * AWS scenarios of the bench (issue 9): 2 remote calls, 3 throttling, 4 mass hard refresh.
 * Every figure comes from whole `generate` processes (dist/cli.mjs) against the loopback AWS test
 * server behind a fault proxy (aws-proxy.ts: latency, seeded random throttling, per-service rate
 * limits, request counts). Baselines are measured in the same run; read the ratios, not the ms.
 * Standalone: `node --import tsx bench/aws-run.ts [--quick]`; bench/README-aws.md explains the design.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAwsServer } from '../test/support/aws-server.js';
import { type GeneratedApp, ROLE, SIDECAR_ROLE, type SecretsManagerRef, writeApp } from './aws-fixture.js';
import { type AwsProxy, flatCounts, startAwsProxy } from './aws-proxy.js';

export interface Result {
  scenario: string;
  variant: string;
  runs: number[] /* ms */;
  counts?: Record<string, number>;
  notes?: string;
}

export interface AwsBenchOptions {
  quick: boolean;
  /** Another build's cli.mjs (e.g. the commit before a change) to time in the same run. */
  baseCli?: string | undefined;
  baseLabel?: string | undefined;
  /** Concurrent processes in scenario 4 (default 10). */
  concurrency?: number | undefined;
  log?: (line: string) => void;
}

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const CLI = join(ROOT, 'dist', 'cli.mjs');
const LATENCY_MS = 50;

interface ProcessResult {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One `generate` process as the sidecar runs it; NODE_EXTRA_CA_CERTS and the shell's env left out. */
export function generate(cli: string, cwd: string, env: Record<string, string>): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'generate'], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ms: performance.now() - started, status, stdout, stderr }));
  });
}

const secretsIn = (stdout: string) => (stdout.match(/^kind: Secret$/gm) ?? []).length;

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function keysEnv(proxy: AwsProxy, app: GeneratedApp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: proxy.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHSIDECAR',
    AWS_SECRET_ACCESS_KEY: 'bench-sidecar-secret',
    ESO_PLUGIN_CONFIG_DIR: app.admin,
    ESO_PLUGIN_CACHE: 'off',
    ARGOCD_APP_NAME: 'bench',
    ARGOCD_APP_NAMESPACE: 'payments',
    ARGOCD_APP_PROJECT_NAME: 'payments',
    ...extra,
  };
}

/** The naive plugin: one sequential GetSecretValue per reference, as written (no dedupe, no batch). */
async function naiveSecretsManager(endpoint: string, refs: readonly SecretsManagerRef[]): Promise<{ ms: number; values: number }> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = performance.now();
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const client = new sdk.SecretsManagerClient({ region: 'eu-west-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIDBENCHNAIVE', secretAccessKey: 'x' } });
  let values = 0;
  for (const ref of refs) {
    const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: ref.key }));
    const json = JSON.parse(out.SecretString ?? '{}') as Record<string, unknown>;
    values += ref.property ? (json[ref.property] !== undefined ? 1 : 0) : Object.keys(json).length;
  }
  client.destroy();
  return { ms: performance.now() - started, values };
}

async function naiveParameterStore(endpoint: string, names: readonly string[]): Promise<{ ms: number }> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = performance.now();
  const sdk = await import('@aws-sdk/client-ssm');
  const client = new sdk.SSMClient({ region: 'eu-west-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIDBENCHNAIVE', secretAccessKey: 'x' } });
  for (const name of names) await client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }));
  client.destroy();
  return { ms: performance.now() - started };
}

const FLOOR = `const { parseAllDocuments, stringify } = await import('yaml');
const docs = parseAllDocuments(require('node:fs').readFileSync(process.argv[1], 'utf8')).map((d) => d.toJS());
const out = docs.map((d) => stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: d.spec.target.name, namespace: 'payments' }, type: 'Opaque', data: { password: 'cHctMS14eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4' } })).join('---\\n');
process.stdout.write(String(out.length));`;

/** The yaml floor as a whole process (same spawn path as generate). */
function yamlFloor(file: string): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=commonjs', '-e', `(async()=>{${FLOOR}})()`, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`yaml floor failed: ${stderr}`));
      else resolve({ ms: performance.now() - started, status, stdout, stderr });
    });
  });
}

/** Runs `generate` n times; fails loudly on a failed render or a changing request count. */
async function timedRenders(n: number, run: () => Promise<ProcessResult>, proxy: AwsProxy, expectSecrets: number): Promise<{ runs: number[]; counts: Record<string, number>[] }> {
  const runs: number[] = [];
  const counts: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    proxy.reset();
    const r = await run();
    if (r.status !== 0) throw new Error(`generate failed (exit ${r.status}):\n${r.stderr}`);
    if (secretsIn(r.stdout) !== expectSecrets) throw new Error(`expected ${expectSecrets} Secrets, got ${secretsIn(r.stdout)}`);
    runs.push(r.ms);
    counts.push(flatCounts(proxy.counts));
  }
  return { runs, counts };
}

const sumCounts = (all: Record<string, number>[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
};

const same = (all: Record<string, number>[]) => all.every((c) => JSON.stringify(c) === JSON.stringify(all[0]));

async function remoteCalls(opts: AwsBenchOptions): Promise<Result[]> {
  const scenario = '2 remote calls';
  const dir = mkdtempSync(join(tmpdir(), 'eso-bench-aws2-'));
  const sm = writeApp(join(dir, 'sm'), { externalSecrets: 500, secrets: 200 });
  const ssm = writeApp(join(dir, 'ssm'), { externalSecrets: 0, secrets: 1, ssmExternalSecrets: 100, parameters: 100 });
  const server = await startAwsServer({ ...sm.seed, parameters: ssm.seed.parameters ?? [] });
  const proxy = await startAwsProxy({ upstream: server.url, latencyMs: LATENCY_MS });
  const n = opts.quick ? 3 : 5;
  const results: Result[] = [];
  try {
    opts.log?.(`  ${scenario}: plugin, 500 ExternalSecrets over 200 secrets × ${n}`);
    const ours = await timedRenders(n, () => generate(CLI, sm.app, keysEnv(proxy, sm)), proxy, 500);
    results.push({
      scenario,
      variant: 'plugin: 500 ES / 200 secrets (SM)',
      runs: ours.runs,
      counts: ours.counts[0]!,
      notes: `goal ⌈200/20⌉ = 10 BatchGetSecretValue, no GetSecretValue${same(ours.counts) ? '' : '; counts varied between runs'}`,
    });
    const bn = opts.quick ? 1 : 2;
    opts.log?.(`  ${scenario}: baseline, ${sm.smRefs.length} sequential GetSecretValue × ${bn}`);
    const base: number[] = [];
    for (let i = 0; i < bn; i++) {
      proxy.reset();
      base.push((await naiveSecretsManager(proxy.url, sm.smRefs)).ms);
    }
    results.push({ scenario, variant: 'baseline: sequential GetSecretValue per reference (SM)', runs: base, counts: flatCounts(proxy.counts), notes: 'in the bench process (SDK import included); reference for the SM ratio' });

    // Context for the ratio: what parsing this stream and printing 500 Secrets costs any YAML-aware
    // plugin (the yaml package, unbundled, in a process of its own) — the plugin's CPU floor.
    const floor: number[] = [];
    for (let i = 0; i < n; i++) floor.push((await yamlFloor(join(sm.app, 'externalsecrets.yaml'))).ms);
    results.push({ scenario, variant: 'floor: node + yaml parse/stringify of the same stream', runs: floor, notes: 'no network: the CPU part of any YAML-aware plugin on this stream' });

    opts.log?.(`  ${scenario}: plugin, 100 ExternalSecrets over 100 parameters × ${n}`);
    const oursSsm = await timedRenders(n, () => generate(CLI, ssm.app, keysEnv(proxy, ssm)), proxy, 100);
    results.push({ scenario, variant: 'plugin: 100 ES / 100 parameters (SSM)', runs: oursSsm.runs, counts: oursSsm.counts[0]!, notes: 'goal ⌈100/10⌉ = 10 GetParameters, no GetParameter' });
    const baseSsm: number[] = [];
    for (let i = 0; i < bn; i++) {
      proxy.reset();
      baseSsm.push((await naiveParameterStore(proxy.url, ssm.ssmRefs)).ms);
    }
    results.push({ scenario, variant: 'baseline: sequential GetParameter per reference (SSM)', runs: baseSsm, counts: flatCounts(proxy.counts), notes: 'reference for the SSM ratio' });
  } finally {
    await proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

async function throttling(opts: AwsBenchOptions): Promise<Result[]> {
  const scenario = '3 throttling';
  const dir = mkdtempSync(join(tmpdir(), 'eso-bench-aws3-'));
  const sm = writeApp(join(dir, 'sm'), { externalSecrets: 500, secrets: 200, ssmExternalSecrets: 100, parameters: 100 });
  const server = await startAwsServer(sm.seed);
  const proxy = await startAwsProxy({ upstream: server.url, latencyMs: LATENCY_MS });
  const n = opts.quick ? 3 : 7;
  const results: Result[] = [];
  try {
    opts.log?.(`  ${scenario}: no throttling × ${n}`);
    const calm = await timedRenders(n, () => generate(CLI, sm.app, keysEnv(proxy, sm)), proxy, 600);
    results.push({ scenario, variant: 'baseline: same render, no throttling', runs: calm.runs, counts: calm.counts[0]!, notes: '500 SM + 100 SSM ExternalSecrets; reference for the ratio' });
    const throttled: number[] = [];
    const all: Record<string, number>[] = [];
    opts.log?.(`  ${scenario}: 30% of requests throttled × ${n}`);
    for (let i = 0; i < n; i++) {
      // A different (seeded) throttling pattern each run; the render must succeed every time.
      proxy.set({ latencyMs: LATENCY_MS, throttle: 0.3, seed: 1000 + i });
      const r = await timedRenders(1, () => generate(CLI, sm.app, keysEnv(proxy, sm)), proxy, 600);
      throttled.push(r.runs[0]!);
      all.push(r.counts[0]!);
    }
    const total = sumCounts(all);
    const extra = Object.entries(total)
      .filter(([k]) => k.endsWith(' throttled'))
      .reduce((a, [, v]) => a + v, 0);
    const calls = Object.entries(total)
      .filter(([k]) => !k.endsWith(' throttled'))
      .reduce((a, [, v]) => a + v, 0);
    const mean: Record<string, number> = {};
    for (const [k, v] of Object.entries(total)) mean[k] = Math.round((v / n) * 10) / 10;
    results.push({
      scenario,
      variant: 'plugin: 30% of requests throttled',
      runs: throttled,
      counts: mean,
      notes: `mean per render over ${n} seeds; extra calls = throttled replies = ${(extra / n).toFixed(1)}/render (${((extra / (calls - extra)) * 100).toFixed(0)}% of the ${((calls - extra) / n).toFixed(0)} needed; the minimum, since each throttled reply costs exactly one retry); all renders succeeded, max ${Math.max(...throttled).toFixed(0)} ms vs a 45 s deadline`,
    });
  } finally {
    await proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

interface Burst {
  times: number[];
  failures: number;
  throttlingFailures: number;
  wallMs: number;
  counts: Record<string, number>;
  firstError: string | undefined;
}

/** Scenario 4's burst: `apps.length` generate processes, at most `concurrency` at a time. */
async function burst(cli: string, apps: GeneratedApp[], proxy: AwsProxy, concurrency: number, env: (i: number) => Record<string, string>): Promise<Burst> {
  proxy.reset();
  const times: number[] = new Array(apps.length);
  let failures = 0;
  let throttlingFailures = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= apps.length) return;
      const r = await generate(cli, apps[i]!.app, env(i));
      times[i] = r.ms;
      if (r.status !== 0) {
        failures++;
        if (/Throttl/.test(r.stderr)) throttlingFailures++;
        firstError ??= r.stderr.trim().split('\n').slice(0, 3).join(' | ');
      } else if (secretsIn(r.stdout) !== 6) throw new Error(`app ${i}: expected 6 Secrets`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { times, failures, throttlingFailures, wallMs: performance.now() - started, counts: flatCounts(proxy.counts), firstError };
}

async function massRefresh(opts: AwsBenchOptions): Promise<Result[]> {
  const scenario = '4 mass hard refresh';
  const apps = opts.quick ? 100 : 200;
  const concurrency = opts.concurrency ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'eso-bench-aws4-'));
  const generated = Array.from({ length: apps }, (_, i) => writeApp(join(dir, `app-${i}`), { externalSecrets: 6, secrets: 4, offset: i * 4, pool: 200, role: ROLE }));
  const token = join(dir, 'token');
  writeFileSync(token, 'eyJhbGciOi.bench.token');
  const server = await startAwsServer(generated[0]!.seed);
  // 30% of requests throttled at random, and the account's STS / Secrets Manager request rates
  // scaled down to what this machine can drive (AWS: per account and region).
  const throttle = { latencyMs: LATENCY_MS, throttle: 0.3, seed: 4, rateLimits: { sts: 10, secretsmanager: 50 } };
  const proxy = await startAwsProxy({ upstream: server.url, ...throttle });
  const settings = `${apps} apps (6 ES over 4 secrets each), ${concurrency} processes at a time, IRSA web identity → AssumeRole ${ROLE.split('/')[1]}; server: ${LATENCY_MS} ms latency, 30% throttled, STS ≤ 10 req/s, SM ≤ 50 req/s`;
  const env = (cacheDir: string | undefined, extra: Record<string, string> = {}) => (i: number) => ({
    AWS_ENDPOINT_URL: proxy.url,
    AWS_REGION: 'eu-west-1',
    AWS_ROLE_ARN: SIDECAR_ROLE,
    AWS_WEB_IDENTITY_TOKEN_FILE: token,
    ESO_PLUGIN_CONFIG_DIR: generated[i]!.admin,
    ARGOCD_APP_NAME: `app-${i}`,
    ARGOCD_APP_NAMESPACE: 'payments',
    ARGOCD_APP_PROJECT_NAME: 'payments',
    ...(cacheDir ? { ESO_PLUGIN_CACHE: 'on', ESO_PLUGIN_CACHE_DIR: cacheDir } : { ESO_PLUGIN_CACHE: 'off' }),
    ...extra,
  });
  const results: Result[] = [];
  const record = (variant: string, b: Burst, notes = '') => {
    const sts = (b.counts.AssumeRoleWithWebIdentity ?? 0) + (b.counts.AssumeRole ?? 0);
    const provider = Object.entries(b.counts)
      .filter(([k]) => !k.endsWith(' throttled') && !k.startsWith('AssumeRole'))
      .reduce((a, [, v]) => a + v, 0);
    opts.log?.(`    ${variant}: ${b.failures} failed, p50 ${quantile(b.times, 0.5).toFixed(0)} ms, p99 ${quantile(b.times, 0.99).toFixed(0)} ms, STS ${sts}, provider ${provider}, burst ${(b.wallMs / 1000).toFixed(1)} s`);
    results.push({
      scenario,
      variant,
      runs: b.times,
      counts: { failures: b.failures, 'failures (throttling)': b.throttlingFailures, 'p50 ms': Math.round(quantile(b.times, 0.5)), 'p99 ms': Math.round(quantile(b.times, 0.99)), 'burst wall ms': Math.round(b.wallMs), 'STS calls': sts, 'provider calls': provider, ...b.counts },
      notes: [settings, notes, b.firstError ? `first error: ${b.firstError}` : ''].filter(Boolean).join('; '),
    });
  };
  try {
    if (opts.baseCli) {
      opts.log?.(`  ${scenario}: ${opts.baseLabel ?? 'base build'} (before)`);
      record(`before (${opts.baseLabel ?? opts.baseCli})`, await burst(opts.baseCli, generated, proxy, concurrency, env(undefined)), 'the build before the credential cache and throttling-until-deadline');
    }
    opts.log?.(`  ${scenario}: cache off`);
    record('after, ESO_PLUGIN_CACHE=off', await burst(CLI, generated, proxy, concurrency, env(undefined)), 'retries throttling until the deadline; STS chain per render');
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'eso-bench-cache-')), 'cache');
    opts.log?.(`  ${scenario}: cache on, cold`);
    record('after, credential cache (cold)', await burst(CLI, generated, proxy, concurrency, env(cacheDir)), 'one web identity exchange for all apps; one AssumeRole per app session (argocd-<project>-<app>, CloudTrail)');
    opts.log?.(`  ${scenario}: cache on, warm (a second hard refresh within the credentials' lifetime)`);
    record('after, credential cache (warm, 2nd refresh)', await burst(CLI, generated, proxy, concurrency, env(cacheDir)), 'the same apps refreshed again within the credential lifetime');
    rmSync(resolve(cacheDir, '..'), { recursive: true, force: true });
    const projectDir = join(mkdtempSync(join(tmpdir(), 'eso-bench-cache-')), 'cache');
    opts.log?.(`  ${scenario}: cache on, ESO_PLUGIN_AWS_SESSION_SCOPE=project, cold`);
    record(
      'after, cache + ESO_PLUGIN_AWS_SESSION_SCOPE=project (cold)',
      await burst(CLI, generated, proxy, concurrency, env(projectDir, { ESO_PLUGIN_AWS_SESSION_SCOPE: 'project' })),
      'role sessions named argocd-<project>: one chain for every app of the project',
    );
    rmSync(resolve(projectDir, '..'), { recursive: true, force: true });
  } finally {
    await proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export const scenarios: Array<{ name: string; run(opts: { quick: boolean } & Partial<AwsBenchOptions>): Promise<Result[]> }> = [
  { name: '2 remote calls', run: (opts) => remoteCalls(opts) },
  { name: '3 throttling', run: (opts) => throttling(opts) },
  { name: '4 mass hard refresh', run: (opts) => massRefresh(opts) },
];

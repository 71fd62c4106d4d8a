/**
 * Scenario 2 for Azure Key Vault (issue 9: "Azure: no duplicate reads, concurrency-bound"). Key
 * Vault has no batch read, so the goals are: one authorized GET per distinct (vault, object,
 * version) however many ExternalSecrets reference it, one token request per identity, and a wall
 * time bound by the provider's concurrency (⌈distinct / concurrency⌉ × latency), not by the
 * number of references.
 *
 * Whole `generate` processes (dist/cli.mjs) against the Azure test server
 * (test/support/azure-server.ts) over HTTPS on loopback, with the real SDKs: the child gets the
 * test CA (NODE_EXTRA_CA_CERTS, which the provider also hands to the SDK) and the test-only TLS
 * routing preload (test/support/azure-loopback.mjs). The render runs at 50 ms latency on every Key
 * Vault and Entra response, at 200 ms and at none, interleaved. How many latency rounds a render
 * waits is the slope of its time against the latency, between 50 and 200 ms (a 150 ms step, so
 * that 22 rounds stand out of this machine's noise): ≈ ⌈distinct /
 * concurrency⌉ + 2 (challenge probe, token) when bound by the concurrency, ⌈references /
 * concurrency⌉ + 2 without dedupe, one per reference when sequential. (Against 0 ms the slope
 * understates: there the reads are CPU-bound and the CPU is not hidden behind waiting.) The
 * baseline is the naive plugin — one sequential getSecret per reference, no dedupe — in the bench
 * process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AzureApp, type AzureRef, AZURE_CLIENT, AZURE_TENANT, AZURE_VAULT_HOST, azureSidecarEnv, writeAzureApp } from './azure-fixture.js';
import { type AzureTestServer, startAzureServer } from '../test/support/azure-server.js';
import { generate, quantile, type Result } from './aws.js';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const CLI = join(ROOT, 'dist', 'cli.mjs');
const LOOPBACK = join(ROOT, 'test', 'support', 'azure-loopback.mjs');
export const AZURE_LATENCY_MS = 50;
/** The second latency, for the slope of time against latency. */
export const SLOW_LATENCY_MS = 200;
/** The provider's per-client limit (src/providers/azurekv/client.ts, keyVaultClient). */
export const AZURE_CONCURRENCY = 10;
export const AZURE_EXTERNAL_SECRETS = 500;
export const AZURE_SECRETS = 200;

export interface AzureBenchOptions {
  readonly quick: boolean;
  readonly log?: (line: string) => void;
}

/** What one render asked of the test server. */
export interface AzureCounts {
  /** Authorized Key Vault GETs, all paths. */
  readonly gets: number;
  /** Distinct objects (paths) among them, and the most GETs any one path got. */
  readonly distinct: number;
  readonly maxPerObject: number;
  /** Unauthenticated requests the SDK's challenge auth sends to learn tenant and resource (401). */
  readonly probes: number;
  readonly tokens: number;
  /** Every Entra request (discovery documents and tokens). */
  readonly identityRequests: number;
  readonly maxInFlight: number;
  /** First Key Vault request to last response, as the server saw it (ms). */
  readonly vaultSpanMs: number;
}

export function azureCounts(server: AzureTestServer): AzureCounts {
  const perPath = new Map<string, number>();
  for (const q of server.authorizedRequests()) perPath.set(`${q.host}${q.path}`, (perPath.get(`${q.host}${q.path}`) ?? 0) + 1);
  return {
    gets: server.authorizedRequests().length,
    distinct: perPath.size,
    maxPerObject: Math.max(0, ...perPath.values()),
    probes: server.requests.filter((q) => q.auth !== 'valid').length,
    tokens: server.tokens.length,
    identityRequests: server.identityRequests.length,
    maxInFlight: server.maxInFlight,
    vaultSpanMs: (server.lastVaultResponseAt ?? 0) - (server.firstVaultRequestAt ?? 0),
  };
}

/** The render's env: the sidecar's (workload identity), the test CA and the TLS routing preload. */
export function azureRenderEnv(app: AzureApp, server: AzureTestServer): Record<string, string> {
  return {
    ...azureSidecarEnv(app),
    NODE_EXTRA_CA_CERTS: server.pki.caFile,
    NODE_OPTIONS: `--import=${LOOPBACK}`,
    ESO_TEST_TLS_ROUTES: `${AZURE_VAULT_HOST},login.microsoftonline.com=${server.port}`,
  };
}

const secretsIn = (stdout: string) => (stdout.match(/^kind: Secret$/gm) ?? []).length;

/** The naive plugin: one sequential getSecret per reference, as written (no dedupe), same SDK, same identity. */
async function naiveKeyVault(server: AzureTestServer, app: AzureApp, refs: readonly AzureRef[]): Promise<{ ms: number; values: number }> {
  const started = performance.now();
  const [identity, kv] = await Promise.all([import('@azure/identity'), import('@azure/keyvault-secrets')]);
  // Only the test CA: a list with every root would cost the baseline ~1 ms of CPU per request (the
  // https agent hashes `ca` into its pool key), which the plugin, started with NODE_EXTRA_CA_CERTS, does not pay.
  const tlsOptions = { ca: [readFileSync(server.pki.caFile, 'utf8')] };
  const credential = new identity.WorkloadIdentityCredential({ tenantId: AZURE_TENANT, clientId: AZURE_CLIENT, tokenFilePath: app.tokenFile, tlsOptions });
  const client = new kv.SecretClient(`https://${AZURE_VAULT_HOST}`, credential, { tlsOptions, retryOptions: { maxRetries: 0 } });
  let values = 0;
  for (const ref of refs) {
    const s = await client.getSecret(ref.key);
    const json = JSON.parse(s.value ?? '{}') as Record<string, unknown>;
    values += ref.property ? (json[ref.property] !== undefined ? 1 : 0) : Object.keys(json).length;
  }
  return { ms: performance.now() - started, values };
}

const fmt = (c: AzureCounts): Record<string, number> => ({
  'authorized GETs': c.gets,
  'distinct objects': c.distinct,
  'max GETs per object': c.maxPerObject,
  'challenge probes (401)': c.probes,
  'token requests': c.tokens,
  'Entra requests': c.identityRequests,
  'max in flight': c.maxInFlight,
  'Key Vault span ms': Math.round(c.vaultSpanMs),
});

const same = (all: AzureCounts[]) => all.every((c) => c.gets === all[0]!.gets && c.probes === all[0]!.probes && c.tokens === all[0]!.tokens);

export async function azureRemoteCalls(opts: AzureBenchOptions): Promise<Result[]> {
  const scenario = '2 remote calls (Azure)';
  const dir = mkdtempSync(join(tmpdir(), 'eso-bench-azure2-'));
  const app = writeAzureApp(join(dir, 'kv'), { externalSecrets: AZURE_EXTERNAL_SECRETS, secrets: AZURE_SECRETS });
  // The baseline runs in this process: its TLS connections go to the server as the child's do.
  const server = (await startAzureServer()).route([AZURE_VAULT_HOST, 'login.microsoftonline.com']);
  const n = opts.quick ? 3 : 5;
  const results: Result[] = [];
  const render = async (latencyMs: number) => {
    server.reset();
    server.seed(app.seed);
    server.latencyMs = latencyMs;
    server.identityLatencyMs = latencyMs;
    const r = await generate(CLI, app.app, azureRenderEnv(app, server));
    if (r.status !== 0) throw new Error(`generate failed (exit ${r.status}):\n${r.stderr}`);
    if (secretsIn(r.stdout) !== AZURE_EXTERNAL_SECRETS) throw new Error(`expected ${AZURE_EXTERNAL_SECRETS} Secrets, got ${secretsIn(r.stdout)}`);
    return { ms: r.ms, counts: azureCounts(server) };
  };
  try {
    opts.log?.(`  ${scenario}: warm-up render`);
    await render(AZURE_LATENCY_MS);
    const latencies = [AZURE_LATENCY_MS, SLOW_LATENCY_MS, 0];
    const runs = new Map<number, { ms: number[]; counts: AzureCounts[] }>(latencies.map((l) => [l, { ms: [], counts: [] }]));
    opts.log?.(`  ${scenario}: plugin, ${AZURE_EXTERNAL_SECRETS} ExternalSecrets over ${AZURE_SECRETS} secrets at ${latencies.join(', ')} ms latency, interleaved × ${n}`);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < latencies.length; k++) {
        const latency = latencies[(i + k) % latencies.length]!;
        const r = await render(latency);
        runs.get(latency)!.ms.push(r.ms);
        runs.get(latency)!.counts.push(r.counts);
      }
    }
    const rounds = Math.ceil(AZURE_SECRETS / AZURE_CONCURRENCY);
    for (const latency of latencies) {
      const { ms, counts } = runs.get(latency)!;
      const c = counts[0]!;
      results.push({
        scenario,
        variant: `plugin: ${AZURE_EXTERNAL_SECRETS} ES / ${AZURE_SECRETS} secrets (KV), ${latency} ms`,
        runs: ms,
        counts: { ...fmt(c), 'Key Vault span ms (median)': Math.round(quantile(counts.map((x) => x.vaultSpanMs), 0.5)) },
        notes:
          latency === 0
            ? 'no latency: the CPU part (start-up, SDK load, TLS, YAML; reads then run one after another, CPU-bound)'
            : `goal: ${AZURE_SECRETS} authorized GETs (1 per object), 1 token request, ≈ ⌈${AZURE_SECRETS}/${AZURE_CONCURRENCY}⌉ + 2 = ${rounds + 2} rounds of latency${same(counts) ? '' : '; counts varied between runs'}`,
      });
    }
    // One run: 500 sequential requests of ~latency each (≈ 27 s); its spread is in the requests.
    opts.log?.(`  ${scenario}: baseline, ${app.refs.length} sequential getSecret`);
    server.reset();
    server.seed(app.seed);
    server.latencyMs = AZURE_LATENCY_MS;
    server.identityLatencyMs = AZURE_LATENCY_MS;
    const b = await naiveKeyVault(server, app, app.refs);
    if (b.values === 0) throw new Error('baseline read no values');
    results.push({
      scenario,
      variant: `baseline: sequential getSecret per reference (KV), ${AZURE_LATENCY_MS} ms`,
      runs: [b.ms],
      counts: fmt(azureCounts(server)),
      notes: 'in the bench process (SDK import included); reference for the ratio',
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

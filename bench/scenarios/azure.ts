/**
 * Scenario 2 for Azure Key Vault (bench/azure.ts) in the runner's shape. Key Vault has no batch
 * read, so the goals are counts and a bound, each printed as a ratio with its limit:
 * - authorized GETs per distinct object ≤ 1 and token requests per identity ≤ 1 (at 50 and 200 ms);
 * - concurrency-bound: the latency rounds a render waits — the slope of its time against the
 *   latency between 50 and 200 ms, from the server's view (first Key Vault request to last
 *   response) and from the wall time of the process — within 1.25× of ⌈distinct / concurrency⌉
 *   read rounds + 1 for the challenge probe + 1 for the token. Reading per reference (no dedupe)
 *   would be ⌈500 / 10⌉ + 2 = 52 rounds, sequentially 500.
 */
import { AZURE_CONCURRENCY, AZURE_EXTERNAL_SECRETS, AZURE_LATENCY_MS, AZURE_SECRETS, azureRemoteCalls, SLOW_LATENCY_MS } from '../azure.js';
import { median } from '../lib/stats.js';
import type { Ratio, Scenario } from '../lib/types.js';

/** Read rounds at the provider's concurrency, plus one round for the challenge probe and one for the token. */
export const AZURE_BOUND_ROUNDS = Math.ceil(AZURE_SECRETS / AZURE_CONCURRENCY) + 2;
const SLACK = 1.25;

export const remoteCallsAzure: Scenario = {
  number: 2,
  id: 'remote-calls-azure',
  title: `remote calls (Azure): ${AZURE_EXTERNAL_SECRETS} ExternalSecrets over ${AZURE_SECRETS} Key Vault secrets at ${AZURE_LATENCY_MS} ms latency vs one sequential getSecret per reference`,
  run: async (o) => {
    const results = await azureRemoteCalls({ quick: o.quick, log: o.log });
    const row = (latency: number, kind = 'plugin') => results.find((r) => r.variant.startsWith(kind) && r.variant.endsWith(`, ${latency} ms`));
    const m = (latency: number, kind = 'plugin') => median(row(latency, kind)?.runs ?? [Number.NaN]);
    const count = (latency: number, k: string) => row(latency)?.counts?.[k] ?? Number.NaN;
    const slow = SLOW_LATENCY_MS;
    const wallRounds = (m(slow) - m(AZURE_LATENCY_MS)) / (slow - AZURE_LATENCY_MS);
    const spanRounds = (count(slow, 'Key Vault span ms (median)') - count(AZURE_LATENCY_MS, 'Key Vault span ms (median)')) / (slow - AZURE_LATENCY_MS);
    const ratios: Ratio[] = [
      { name: 'KV: plugin / sequential getSecret', numerator: 'plugin (KV)', denominator: 'baseline (KV)', value: m(AZURE_LATENCY_MS) / m(AZURE_LATENCY_MS, 'baseline') },
      {
        name: 'KV: authorized GETs / distinct objects',
        numerator: 'authorized GETs',
        denominator: 'distinct objects',
        value: Math.max(count(AZURE_LATENCY_MS, 'authorized GETs'), count(slow, 'authorized GETs')) / AZURE_SECRETS,
        limit: 1,
      },
      {
        name: 'KV: token requests / identities',
        numerator: 'token requests',
        denominator: 'identities (1)',
        value: Math.max(count(AZURE_LATENCY_MS, 'token requests'), count(slow, 'token requests')),
        limit: 1,
      },
      { name: 'KV: latency rounds (server) / bound', numerator: 'Δ span / Δ latency', denominator: `${AZURE_BOUND_ROUNDS} rounds`, value: spanRounds / AZURE_BOUND_ROUNDS, limit: SLACK },
      { name: 'KV: latency rounds (wall) / bound', numerator: 'Δ wall / Δ latency', denominator: `${AZURE_BOUND_ROUNDS} rounds`, value: wallRounds / AZURE_BOUND_ROUNDS, limit: SLACK },
    ];
    // Every count of the 50 ms render; of the others what differs (all of them are in the JSON).
    const shown: Record<string, readonly string[]> = {
      [`plugin ${AZURE_LATENCY_MS} ms`]: Object.keys(row(AZURE_LATENCY_MS)?.counts ?? {}).filter((k) => k !== 'Key Vault span ms'),
      [`plugin ${slow} ms`]: ['authorized GETs', 'token requests', 'max in flight', 'Key Vault span ms (median)'],
      'plugin 0 ms': ['max in flight', 'Key Vault span ms (median)'],
      [`baseline ${AZURE_LATENCY_MS} ms`]: ['authorized GETs', 'max GETs per object', 'token requests', 'Key Vault span ms'],
    };
    const figures: Record<string, number> = {};
    for (const r of results) {
      const name = r.variant.replace(/^(plugin|baseline)\b.*\(KV\), (\d+ ms)$/, '$1 $2');
      for (const k of shown[name] ?? []) if (r.counts?.[k] !== undefined) figures[`${name}: ${k}`] = r.counts[k];
    }
    figures['latency rounds, server span (50→200 ms)'] = Math.round(spanRounds * 10) / 10;
    figures['latency rounds, wall time (50→200 ms)'] = Math.round(wallRounds * 10) / 10;
    figures['bound: ⌈distinct/concurrency⌉ + 2 rounds'] = AZURE_BOUND_ROUNDS;
    figures['per reference: ⌈500/concurrency⌉ + 2 rounds'] = Math.ceil(AZURE_EXTERNAL_SECRETS / AZURE_CONCURRENCY) + 2;
    return {
      status: 'ok',
      series: results.map((r) => ({ name: r.variant.replace(/^(plugin|baseline)\b.*\(KV\), (\d+ ms)$/, '$1 (KV), $2'), ms: r.runs })),
      ratios: ratios.filter((r) => Number.isFinite(r.value)),
      figures,
      notes: results.filter((r) => r.notes).map((r) => `${r.variant}: ${r.notes}`),
    };
  },
};

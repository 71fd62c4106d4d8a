/**
 * Scenarios 2–4 (bench/aws.ts) in the runner's shape: each Result row becomes a series, the
 * scenario's references become ratios (goal: the plugin at most 1/20 of the sequential baseline),
 * request counts become figures. `--against OTHER/dist` is timed as "before" in scenario 4.
 * bench/aws-run.ts runs the same scenarios standalone; bench/README-aws.md explains them.
 */
import { join } from 'node:path';
import { type Result, scenarios as aws } from '../aws.js';
import type { BenchOptions, Ratio, Scenario, ScenarioOutcome } from '../lib/types.js';
import { median } from '../lib/stats.js';

function outcome(results: Result[], ratios: (m: (variant: string) => number) => Ratio[]): ScenarioOutcome {
  const m = (variant: string) => median(results.find((r) => r.variant.startsWith(variant))?.runs ?? [Number.NaN]);
  const figures: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.counts ?? {})) figures[`${r.variant}: ${k}`] = v;
  return {
    status: 'ok',
    series: results.map((r) => ({ name: r.variant, ms: r.runs })),
    ratios: ratios(m).filter((r) => Number.isFinite(r.value)),
    figures,
    notes: results.filter((r) => r.notes).map((r) => `${r.variant}: ${r.notes}`),
  };
}

const run = (index: number, o: BenchOptions) =>
  aws[index]!.run({ quick: o.quick, log: o.log, baseCli: o.against ? join(o.against, 'cli.mjs') : undefined, baseLabel: o.against ? '--against' : undefined });

export const remoteCalls: Scenario = {
  number: 2,
  id: 'remote-calls',
  title: 'remote calls: 500 ExternalSecrets over 200 AWS secrets at 50 ms latency vs one sequential GetSecretValue per reference',
  run: async (o) =>
    outcome(await run(0, o), (m) => [
      { name: 'SM: plugin / sequential GetSecretValue', numerator: 'plugin (SM)', denominator: 'baseline (SM)', value: m('plugin: 500 ES') / m('baseline: sequential GetSecretValue'), limit: 1 / 20 },
      { name: 'SM: plugin / yaml floor', numerator: 'plugin (SM)', denominator: 'yaml floor', value: m('plugin: 500 ES') / m('floor:') },
      { name: 'SSM: plugin / sequential GetParameter', numerator: 'plugin (SSM)', denominator: 'baseline (SSM)', value: m('plugin: 100 ES') / m('baseline: sequential GetParameter') },
    ]),
};

export const throttling: Scenario = {
  number: 3,
  id: 'throttling',
  title: 'throttling: scenario 2 (+100 SSM) with 30% of calls throttled',
  run: async (o) =>
    outcome(await run(1, o), (m) => [{ name: '30% throttled / no throttling', numerator: 'throttled', denominator: 'no throttling', value: m('plugin: 30%') / m('baseline: same render') }]),
};

export const massRefresh: Scenario = {
  number: 4,
  id: 'mass-refresh',
  title: 'mass hard refresh: 200 generate processes (10 at a time) sharing one IRSA identity, throttling server',
  run: async (o) =>
    outcome(await run(2, o), (m) => [
      { name: 'p50: credential cache (cold) / cache off', numerator: 'cache (cold)', denominator: 'cache off', value: m('after, credential cache (cold)') / m('after, ESO_PLUGIN_CACHE=off') },
      { name: 'p50: session scope project / cache off', numerator: 'scope project', denominator: 'cache off', value: m('after, cache + ESO_PLUGIN_AWS_SESSION_SCOPE') / m('after, ESO_PLUGIN_CACHE=off') },
      { name: 'p50: cache off / before (--against)', numerator: 'cache off', denominator: 'before', value: m('after, ESO_PLUGIN_CACHE=off') / m('before') },
    ]),
};

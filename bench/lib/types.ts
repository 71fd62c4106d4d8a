/**
 * The contract between the bench runner and its scenarios. A scenario is one module under
 * bench/scenarios/ exporting a `Scenario`; the runner owns timing policy (runs, warm-up,
 * interleaving), printing and the JSON results, so a new scenario (e.g. the AWS remote-call ones,
 * once the test server exists) only describes what to run and which ratios are goals.
 */

export interface BenchOptions {
  /** Shorter run: fewer repetitions, for a quick look (not for the README figures). */
  readonly quick: boolean;
  /** Timed repetitions per measured command (after warm-up). */
  readonly runs: number;
  readonly warmup: number;
  /** Repository root (dist/cli.mjs lives under it). */
  readonly root: string;
  /** `--against DIR`: another build's dist/ (e.g. the previous commit's), timed in the same run for an A/B. */
  readonly against: string | undefined;
  /** Scratch directory for generated apps; removed after the run. */
  readonly scratch: string;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** One measured thing: a sample per run, in milliseconds (and peak RSS in KiB, CPU ms when probed). */
export interface Series {
  readonly name: string;
  readonly ms: number[];
  readonly maxRssKb?: number[];
  readonly cpuMs?: number[];
}

/** A ratio of two medians measured in the same run, optionally with a goal. */
export interface Ratio {
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly value: number;
  /** Goal: value ≤ limit. */
  readonly limit?: number;
}

export interface ScenarioResult {
  readonly series: Series[];
  readonly ratios: Ratio[];
  /** Derived figures worth printing (slopes, per-item costs), with units in the name. */
  readonly figures: Record<string, number>;
  readonly notes: string[];
}

export type ScenarioOutcome = ({ readonly status: 'ok' } & ScenarioResult) | { readonly status: 'skipped'; readonly reason: string };

export interface Scenario {
  /** Issue 9's scenario number. */
  readonly number: number;
  /** Short id for --only (e.g. `cold-start`). */
  readonly id: string;
  readonly title: string;
  run(options: BenchOptions): Promise<ScenarioOutcome>;
}

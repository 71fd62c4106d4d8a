/**
 * Runs whole processes for start-up figures. The child's env is built from scratch (like the
 * sidecar's), so NODE_EXTRA_CA_CERTS — which Node 20 reads at every start, +60 ms — and
 * NODE_OPTIONS from the developer's shell never reach it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Command {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Record peak RSS via bench/lib/maxrss.mjs preloaded into the (node) child; adds ~1 ms. */
  readonly rss?: boolean;
}

export interface Sample {
  readonly ms: number;
  readonly maxRssKb: number | undefined;
  readonly stdoutBytes: number;
}

const MAXRSS_HOOK = new URL('./maxrss.mjs', import.meta.url).pathname;

export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...extra };
}

export function runOnce(cmd: Command, scratch: string): Sample {
  const [exe, ...args] = cmd.argv;
  const env = childEnv(cmd.env);
  let rssFile: string | undefined;
  if (cmd.rss) {
    rssFile = join(scratch, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    args.unshift('--import', MAXRSS_HOOK);
    env.BENCH_MAXRSS_FILE = rssFile;
  }
  const t0 = performance.now();
  const r = spawnSync(exe!, args, { env, cwd: cmd.cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${cmd.name}: exit ${r.status ?? r.signal}\n${r.stderr?.toString().slice(0, 2000)}`);
  }
  let maxRssKb: number | undefined;
  if (rssFile) {
    maxRssKb = Number(readFileSync(rssFile, 'utf8'));
    rmSync(rssFile, { force: true });
  }
  return { ms, maxRssKb, stdoutBytes: r.stdout.length };
}

/**
 * Warm-up, then `runs` rounds; each round runs every command once, in rotating order, so drift
 * on a shared machine (another build, thermal) lands on all commands alike.
 */
export function measure(commands: readonly Command[], runs: number, warmup: number, scratch: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>(commands.map((c) => [c.name, []]));
  for (let i = 0; i < warmup; i++) for (const c of commands) runOnce(c, scratch);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[(round + k) % commands.length]!;
      out.get(c.name)!.push(runOnce(c, scratch));
    }
  }
  return out;
}

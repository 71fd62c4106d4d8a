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
  /** Record peak RSS and CPU time via bench/lib/probe.mjs preloaded into the (node) child; adds ~1 ms. */
  readonly probe?: boolean;
  /** Not a plain node child (the launcher, a snapshot start): probe through bench/lib/rusage.py (wait4) instead. */
  readonly opaque?: boolean;
}

export interface Sample {
  readonly ms: number;
  readonly maxRssKb: number | undefined;
  readonly cpuMs: number | undefined;
  readonly stdoutBytes: number;
}

const PROBE = new URL('./probe.mjs', import.meta.url).pathname;
const RUSAGE = new URL('./rusage.py', import.meta.url).pathname;

export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...extra };
}

export function runOnce(cmd: Command, scratch: string): Sample {
  let [exe, ...args] = cmd.argv;
  const env = childEnv(cmd.env);
  let probeFile: string | undefined;
  if (cmd.probe) {
    probeFile = join(scratch, `probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
    if (cmd.opaque) {
      args = [RUSAGE, probeFile, exe!, ...args];
      exe = 'python3';
    } else {
      args.unshift('--import', PROBE);
      env.BENCH_PROBE_FILE = probeFile;
    }
  }
  const t0 = performance.now();
  const r = spawnSync(exe!, args, { env, cwd: cmd.cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${cmd.name}: exit ${r.status ?? r.signal}\n${r.stderr?.toString().slice(0, 2000)}`);
  }
  let maxRssKb: number | undefined;
  let cpuMs: number | undefined;
  if (probeFile) {
    const [rss, cpu] = readFileSync(probeFile, 'utf8').split(' ').map(Number);
    maxRssKb = rss;
    cpuMs = cpu! / 1000;
    rmSync(probeFile, { force: true });
  }
  return { ms, maxRssKb, cpuMs, stdoutBytes: r.stdout.length };
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

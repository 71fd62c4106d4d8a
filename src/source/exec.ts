/**
 * Runs kustomize and helm for the source stage. Argo CD runs them with the repo-server's whole
 * environment (util/helm/cmd.go:runWithStdin, util/kustomize/kustomize.go:Build); in our sidecar
 * that env holds the admin's cloud identity (AWS_*, AZURE_*, IRSA token paths) and our own
 * settings, and a chart or a kustomize exec plugin is tenant code — so the tools get a clean,
 * minimal env instead: PATH, a throwaway HOME, Helm's cache/config/data dirs under it, and,
 * unless the admin allows network access, proxies that lead nowhere and git limited to local
 * files. Fail closed: a non-zero exit, a signal, the deadline or too much output is an error that
 * carries the tool's stderr (the CLI scrubs it through the redactor).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginError } from '../errors/index.js';

/** What the source stage needs to run tools; built by the CLI from trusted inputs only. */
export interface ToolContext {
  /** PATH (and proxy settings when network is allowed) come from here: the sidecar's env, never the app's. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly allowNetwork: boolean;
  /** Epoch ms by which every tool run must have finished. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly maxOutputBytes: number;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
}

export interface ToolRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Temp dir whose subdirs become HOME and Helm's dirs. */
  readonly home: string;
  /** What to call the run in errors, e.g. `helm template`. */
  readonly label: string;
  /** Paths replaced in stderr, as Argo's redactPaths does (random temp dirs say nothing to a user). */
  readonly pathNames?: ReadonlyArray<readonly [string, string]>;
}

const STDERR_KEEP = 8 * 1024;
const KILL_GRACE_MS = 2000;

/** Variables the tools may see, all from the sidecar's env. Proxies only when network is allowed. */
const PASSED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];
const PROXY = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
/** Port 9 (discard) on loopback: every proxied request fails fast instead of reaching the network. */
const NOWHERE = 'http://127.0.0.1:9';

export function toolEnv(ctx: ToolContext, home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED) {
    const v = ctx.env[name];
    if (v !== undefined) env[name] = v;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  env.HOME = home;
  // Same layout as util/helm/cmd.go (XDG_* and HELM_CONFIG_HOME under a per-run temp dir).
  env.XDG_CACHE_HOME = join(home, 'cache');
  env.XDG_CONFIG_HOME = join(home, 'config');
  env.XDG_DATA_HOME = join(home, 'data');
  env.HELM_CACHE_HOME = join(home, 'cache', 'helm');
  env.HELM_CONFIG_HOME = join(home, 'config', 'helm');
  env.HELM_DATA_HOME = join(home, 'data', 'helm');
  env.KUBECONFIG = join(home, 'kubeconfig');
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  if (ctx.allowNetwork) {
    for (const name of PROXY) {
      const v = ctx.env[name];
      if (v !== undefined) env[name] = v;
    }
  } else {
    // Defence in depth behind the static checks in kustomize.ts/helm.ts: kustomize clones remote
    // bases with git, helm fetches charts over HTTP(S).
    for (const name of PROXY) env[name] = name.toLowerCase().startsWith('no_') ? '' : NOWHERE;
    env.GIT_ALLOW_PROTOCOL = 'file';
  }
  return env;
}

/** A per-render temp dir, removed by `dispose` whatever happens. */
export async function makeTempDir(prefix: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `eso-plugin-${prefix}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

export async function runTool(ctx: ToolContext, run: ToolRun): Promise<Uint8Array> {
  const remaining = ctx.deadline - Date.now();
  if (remaining <= 0) {
    throw new PluginError('deadline', `no time left to run ${run.label}`, { hint: 'raise ESO_PLUGIN_DEADLINE or make the app smaller' });
  }
  if (ctx.signal?.aborted) throw new PluginError('deadline', `aborted before ${run.label}`);
  ctx.debug(`running ${run.label}: ${[run.command, ...run.args].map((a) => scrubPaths(a, run.pathNames)).join(' ')}`);

  return new Promise<Uint8Array>((resolve, reject) => {
    const child = spawn(run.command, [...run.args], {
      cwd: run.cwd,
      env: toolEnv(ctx, run.home),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so the deadline kills what the tool started too (helm plugins, git).
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: PluginError | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const kill = (why: PluginError) => {
      failure ??= why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(
      () =>
        kill(
          new PluginError('deadline', `${run.label} did not finish within its share of the deadline (${Math.round(remaining / 1000)} s)`, {
            hint: 'raise ESO_PLUGIN_DEADLINE, or vendor chart dependencies so nothing is fetched at render time',
          }),
        ),
      remaining,
    );
    const onAbort = () => kill(new PluginError('deadline', `${run.label} was stopped: the render was aborted`));
    ctx.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ctx.maxOutputBytes) {
        kill(
          new PluginError('input', `${run.label} printed more than ${ctx.maxOutputBytes} bytes`, {
            hint: 'the rendered app is too large for one render; split it into several apps',
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 2 * STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??=
        e.code === 'ENOENT'
          ? new PluginError('config', `${run.label}: ${run.command} was not found on PATH`, {
              hint: 'the sidecar image must ship it (see docs/sources.md for the pinned versions)',
            })
          : new PluginError('input', `${run.label} could not start: ${e.message}`);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      ctx.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      if (code !== 0) {
        const status = sig ? `signal ${sig}` : `exit status ${code}`;
        const text = scrubPaths(tail(stderr), run.pathNames);
        return reject(new PluginError('input', `${run.label} failed (${status})${text ? `:\n${text}` : ''}`, { hint: 'fix the app so that the tool succeeds; nothing was printed' }));
      }
      if (stderr.trim()) ctx.debug(`${run.label} stderr: ${scrubPaths(tail(stderr), run.pathNames)}`);
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function tail(text: string): string {
  const t = text.trim();
  return t.length > STDERR_KEEP ? `…${t.slice(-STDERR_KEEP)}` : t;
}

export function scrubPaths(text: string, names: ReadonlyArray<readonly [string, string]> | undefined): string {
  let out = text;
  // Longest first, so a temp dir inside the repo root is named before the root is.
  for (const [path, name] of [...(names ?? [])].sort((a, b) => b[0].length - a[0].length)) {
    if (path) out = out.split(path).join(name);
  }
  return out;
}

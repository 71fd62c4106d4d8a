/**
 * Runs the built plugin as Argo's sidecar would find it: `argocd-eso-plugin` on PATH is the image's
 * launcher (plugin/argocd-eso-plugin), which starts the CLI from dist/cli.blob (the V8 startup
 * snapshot) — so every test through the CMP emulator runs what the image runs. runCli/runCliAsync
 * run dist/cli.mjs directly (the ES module build, same code).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const CLI = join(ROOT, 'dist', 'cli.mjs');
export const PLUGIN_YAML = join(ROOT, 'plugin', 'plugin.yaml');
export const LAUNCHER = join(ROOT, 'plugin', 'argocd-eso-plugin');
export const DIST = join(ROOT, 'dist');
export const FIXTURES = join(ROOT, 'fixtures');

let binDir: string | undefined;

/** A directory holding `argocd-eso-plugin` → the launcher, like the image's /usr/local/bin. */
export function pluginBinDir(): string {
  if (!existsSync(CLI) || !existsSync(join(DIST, 'cli.blob'))) throw new Error('dist/cli.mjs or dist/cli.blob is missing: run `npm run build` (npm test does it)');
  if (!binDir) {
    binDir = mkdtempSync(join(tmpdir(), 'eso-plugin-bin-'));
    symlinkSync(LAUNCHER, join(binDir, 'argocd-eso-plugin'));
  }
  return binDir;
}

let esmDir: string | undefined;

/**
 * A dist without the snapshot blob, for ESO_PLUGIN_DIST: the launcher then runs dist/cli.mjs. For
 * tests that preload a hook with NODE_OPTIONS=--import (a process started from a snapshot does not
 * run --import).
 */
export function esmOnlyDist(): string {
  if (!esmDir) {
    esmDir = mkdtempSync(join(tmpdir(), 'eso-plugin-esm-'));
    symlinkSync(CLI, join(esmDir, 'cli.mjs'));
    symlinkSync(join(DIST, 'chunks'), join(esmDir, 'chunks'));
  }
  return esmDir;
}

/**
 * The sidecar container's env: PATH with the plugin, HOME, nothing from the developer's shell.
 * The cross-process credential cache is off unless a test turns it on (ESO_PLUGIN_CACHE=on with
 * its own ESO_PLUGIN_CACHE_DIR): STS call counts must not depend on earlier tests' entries.
 */
export function sidecarEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: `${pluginBinDir()}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: tmpdir(), ESO_PLUGIN_CACHE: 'off', ESO_PLUGIN_DIST: DIST };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI directly (no emulator) with a clean env plus `env`. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: sidecarEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like runCli, without blocking the event loop: needed when a test server runs in this process. */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: sidecarEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function tempDir(prefix = 'eso-plugin-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(d, { recursive: true });
  return d;
}

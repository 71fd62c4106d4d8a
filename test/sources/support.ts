// Helpers for the source tests: run the built CLI as Argo's cmp-server would (child process,
// cwd = app dir, Argo's env), parse its YAML stream, build throwaway repos.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.mjs');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `argocd-eso-plugin <args>` in `cwd` with only PATH, HOME and `env`: nothing of the test
 * process's own env (ESO_PLUGIN_*, AWS_*, ...) leaks in.
 */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type Doc = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown } };

export function parseStream(text: string): Doc[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

export function find(docs: readonly Doc[], kind: string, name: string): Doc | undefined {
  return docs.find((d) => d.kind === kind && d.metadata.name === name);
}

export function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

/** `[{name, map|array|string}]` as Argo writes ARGOCD_APP_PARAMETERS. */
export function appParameters(...params: ReadonlyArray<{ name: string; string?: string; array?: string[]; map?: Record<string, string> }>): string {
  return JSON.stringify(params);
}

/** A throwaway repo (with a `.git` dir so the CLI finds its root) holding `files`; returns its path. */
export function tempRepo(files: Record<string, string> = {}, copy: Record<string, string> = {}): { root: string; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'eso-sources-test-'));
  mkdirSync(join(root, '.git'));
  for (const [to, from] of Object.entries(copy)) cpSync(from, join(root, to), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

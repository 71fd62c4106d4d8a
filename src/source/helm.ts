/**
 * The Helm source: `helm template` in the app path with the flags Argo CD passes
 * (reposerver/repository/repository.go:helmTemplate, util/helm/cmd.go:template):
 * `template . --name-template <release> --namespace <destination> --kube-version <KUBE_VERSION>
 * --set… --set-string… --set-file… --values <valueFiles…> --values <values> --api-versions…
 * [--include-crds unless skipCrds] [--skip-tests]`, cwd = the chart.
 *
 * Value files and --set-file paths are resolved as Argo does (util/io/path/resolved.go:
 * ResolveValueFilePathOrUrl: relative to the chart, `/x` relative to the repo root) and refused
 * when they resolve — symlinks included — outside the repo; URLs are refused (no network for
 * tenants). A `charts/` dir is used as is; missing dependencies are built (`helm dependency
 * build`, on a copy of the repo so a local run leaves the user's tree alone) only when the admin
 * allows network access, as Argo retries after helm.IsMissingDependencyErr.
 */
import { cp, lstat, mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PluginError } from '../errors/index.js';
import type { SourceFile } from './directory.js';
import { envsubst } from './envsubst.js';
import { makeTempDir, runTool, type ToolContext } from './exec.js';
import { helmEscapeWarnings } from './helm-escape.js';
import { inside, refuseEscapingSymlinks } from './symlinks.js';

/** Tenant-safe part of Argo's Application `spec.source.helm`. */
export interface HelmParameters {
  readonly releaseName: string | undefined;
  /** `values` / `valuesObject` as a YAML string. */
  readonly values: string | undefined;
  readonly valueFiles: readonly string[];
  readonly parameters: ReadonlyArray<readonly [string, string]>;
  readonly stringParameters: ReadonlyArray<readonly [string, string]>;
  readonly fileParameters: ReadonlyArray<readonly [string, string]>;
  readonly skipCrds: boolean;
  readonly skipTests: boolean;
  readonly ignoreMissingValueFiles: boolean;
}

export interface HelmAdmin {
  readonly binary: string | undefined;
}

export interface HelmInput {
  readonly appDir: string;
  readonly repoRoot: string;
  readonly params: HelmParameters;
  readonly admin: HelmAdmin;
  /** ARGOCD_APP_NAME (`<appNamespace>_<name>` for apps outside Argo's namespace). */
  readonly appName: string;
  readonly destinationNamespace: string;
  readonly kubeVersion: string | undefined;
  readonly apiVersions: readonly string[];
  readonly argoEnv: Readonly<Record<string, string>>;
  readonly tool: ToolContext;
}

const MAX_VALUES_FILE_BYTES = 4 * 1024 * 1024;

export async function renderHelm(input: HelmInput): Promise<SourceFile> {
  const rootReal = await realpath(input.repoRoot);
  const appReal = await realpath(input.appDir);
  const shown = relative(rootReal, appReal) || '.';
  if (!(await stat(join(appReal, 'Chart.yaml')).catch(() => undefined))) {
    throw new PluginError('input', `${shown}: no Chart.yaml in the app path, so helm template cannot run`, {
      hint: 'point the app at the chart directory, or set the source-type parameter to directory or kustomize',
    });
  }
  await refuseEscapingSymlinks(appReal, rootReal);
  const temp = await makeTempDir('helm');
  try {
    const args = await templateArgs(input, rootReal, appReal, temp.path);
    const binary = input.admin.binary || 'helm';
    const pathNames: Array<readonly [string, string]> = [
      [join(temp.path, 'values.yaml'), '<temp file with the helm-values parameter>'],
      [temp.path, '<temp>'],
      [`${rootReal}${sep}`, ''],
      [rootReal, '.'],
    ];
    const label = `helm template ${shown}`;
    const home = join(temp.path, 'home');
    let bytes: Uint8Array;
    try {
      bytes = await withChartLockRestored(appReal, () => runTool(input.tool, { command: binary, args, cwd: appReal, home, label, pathNames }));
    } catch (e) {
      if (!(e instanceof PluginError) || !isMissingDependency(e.message)) throw e;
      if (!input.tool.allowNetwork) {
        throw new PluginError('input', `${shown}: the chart's dependencies are not in charts/, and fetching them needs network access`, {
          hint: 'run `helm dependency build` and commit charts/ (or a vendored copy); only the admin can allow network access (ESO_PLUGIN_ALLOW_NETWORK=true)',
        });
      }
      bytes = await withDependencies(input, rootReal, appReal, temp.path, args, { binary, home, label, pathNames });
    }
    for (const w of helmEscapeWarnings(bytes, `${shown} (helm template)`)) input.tool.warn(w);
    return { path: `${shown} (helm template)`, bytes };
  } finally {
    await temp.dispose();
  }
}

/** helm.IsMissingDependencyErr (util/helm/helm.go). */
function isMissingDependency(message: string): boolean {
  return message.includes('found in requirements.yaml, but missing in charts') || message.includes('found in Chart.yaml, but missing in charts/ directory');
}

/** Argo's release name: the name part of ARGOCD_APP_NAME (argo.ParseInstanceName splits on the first `_`). */
export function releaseName(appName: string, param: string | undefined): string {
  if (param) return param;
  const i = appName.indexOf('_');
  return i >= 0 ? appName.slice(i + 1) : appName;
}

/** Argo's cleanSetParameters: escape commas unless the value is a `{a,b}` list. */
export function cleanSetParameter(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let prev = '';
  for (const c of value) {
    out += c === ',' && prev !== '\\' ? '\\,' : c;
    prev = c;
  }
  return out;
}

async function templateArgs(input: HelmInput, rootReal: string, appReal: string, tempDir: string): Promise<string[]> {
  const p = input.params;
  const env = input.argoEnv;
  const args = ['template', '.', '--name-template', releaseName(input.appName, p.releaseName)];
  if (input.destinationNamespace) args.push('--namespace', input.destinationNamespace);
  if (input.kubeVersion) args.push('--kube-version', input.kubeVersion);
  // Argo keeps these in Go maps (last one wins per name); we keep the last one too, in a stable order.
  for (const [k, v] of lastWins(p.parameters)) args.push('--set', `${k}=${cleanSetParameter(envsubst(v, env))}`);
  for (const [k, v] of lastWins(p.stringParameters)) args.push('--set-string', `${k}=${cleanSetParameter(envsubst(v, env))}`);
  for (const [k, v] of lastWins(p.fileParameters)) {
    const file = await resolveRepoFile(envsubst(v, env), appReal, rootReal, 'helm-file-parameters', false);
    if (file === undefined) throw new PluginError('input', `parameter helm-file-parameters: ${k}: file ${JSON.stringify(v)} does not exist`);
    args.push('--set-file', `${k}=${cleanSetParameter(file)}`);
  }
  const seen = new Set<string>();
  for (const raw of p.valueFiles) {
    const file = await resolveRepoFile(envsubst(raw, env), appReal, rootReal, 'helm-value-files', p.ignoreMissingValueFiles);
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    args.push('--values', file);
  }
  if (p.values !== undefined && p.values.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = parseYaml(p.values, { version: '1.1', maxAliasCount: 100 });
    } catch (e) {
      throw new PluginError('usage', `parameter helm-values is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new PluginError('usage', 'parameter helm-values must be a YAML mapping of values, as spec.source.helm.values is');
    }
    const file = join(tempDir, 'values.yaml');
    await writeFile(file, p.values);
    args.push('--values', file);
  }
  for (const v of input.apiVersions) args.push('--api-versions', v);
  if (!p.skipCrds) args.push('--include-crds');
  if (p.skipTests) args.push('--skip-tests');
  return args;
}

function lastWins(entries: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return [...new Map(entries.map(([k, v]) => [k, v])).entries()];
}

/**
 * A value file or --set-file path, resolved as util/io/path/resolved.go does (relative to the chart;
 * absolute means relative to the repo root) and refused when it — or any symlink on the way —
 * leaves the repo. Returns undefined for a missing file when `ignoreMissing` is set.
 */
export async function resolveRepoFile(raw: string, appReal: string, rootReal: string, param: string, ignoreMissing: boolean): Promise<string | undefined> {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw)) {
    throw new PluginError('input', `parameter ${param}: ${JSON.stringify(raw)} is a URL; only files inside the repository can be used`, {
      hint: 'commit the values file to the repository and name it by its path',
    });
  }
  const joined = isAbsolute(raw) ? join(rootReal, raw) : resolve(appReal, raw);
  const outside = new PluginError('input', `parameter ${param}: ${JSON.stringify(raw)} resolves outside the repository`, {
    hint: 'value files must live in the same repository as the chart; files outside it are never read',
  });
  if (!inside(rootReal, joined)) throw outside;
  const real = await realpath(joined).catch(() => undefined);
  if (real === undefined) {
    if (await lstat(joined).catch(() => undefined)) throw outside; // a dangling symlink: refuse rather than guess
    if (ignoreMissing) return undefined;
    throw new PluginError('input', `parameter ${param}: ${JSON.stringify(raw)} does not exist in the repository`, {
      hint: 'fix the path (relative to the chart, or /-rooted at the repository), or set helm-ignore-missing-value-files',
    });
  }
  if (!inside(rootReal, real)) throw outside;
  const info = await stat(real);
  if (!info.isFile()) throw new PluginError('input', `parameter ${param}: ${JSON.stringify(raw)} is not a file`);
  if (info.size > MAX_VALUES_FILE_BYTES) throw new PluginError('input', `parameter ${param}: ${JSON.stringify(raw)} is over ${MAX_VALUES_FILE_BYTES} bytes`);
  return real;
}

/** Argo's cleanupChartLockFile (util/helm/cmd.go): helm may write Chart.lock; remove it if it was not there. */
async function withChartLockRestored<T>(chartDir: string, run: () => Promise<T>): Promise<T> {
  const lock = join(chartDir, 'Chart.lock');
  const existed = (await lstat(lock).catch(() => undefined)) !== undefined;
  try {
    return await run();
  } finally {
    if (!existed) await rm(lock, { force: true });
  }
}

/**
 * `helm dependency build` then `helm template` again, on a copy of the repo (minus .git): in Argo
 * the checkout is throwaway, but a local run must not write charts/ into the user's tree.
 */
async function withDependencies(
  input: HelmInput,
  rootReal: string,
  appReal: string,
  tempDir: string,
  args: readonly string[],
  run: { binary: string; home: string; label: string; pathNames: Array<readonly [string, string]> },
): Promise<Uint8Array> {
  const copy = join(tempDir, 'repo');
  await mkdir(copy);
  await cp(rootReal, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => relative(rootReal, src).split(sep)[0] !== '.git' });
  const chart = join(copy, relative(rootReal, appReal));
  const names: Array<readonly [string, string]> = [[`${copy}${sep}`, ''], [copy, '.'], ...run.pathNames];
  await runTool(input.tool, { command: run.binary, args: ['dependency', 'build'], cwd: chart, home: run.home, label: `helm dependency build ${relative(rootReal, appReal) || '.'}`, pathNames: names });
  return runTool(input.tool, { command: run.binary, args: [...args], cwd: chart, home: run.home, label: run.label, pathNames: names });
}


/**
 * Runs a plugin the way Argo CD's cmp-server does (shared/docs/argo-cmp.md §8), with no cluster:
 * plugin.yaml parsed and validated, the whole repo copied like the tarball (`.git` included,
 * exclusions with Go filepath.Match, files 0644 / dirs 0755, symlinks kept and refused when they
 * leave the copy), Argo's request env on top of the sidecar env (an empty ARGOCD_APP_NAMESPACE is
 * still sent, ARGOCD_APP_PARAMETERS is `null` without parameters), discover if the plugin has rules,
 * init then generate in the app path in their own process group under ONE deadline (SIGTERM, then
 * SIGKILL 5 s later), and stdout parsed as the repo-server parses it.
 */
import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type CmpStage = 'config' | 'select' | 'copy' | 'discover' | 'init' | 'generate' | 'timeout' | 'parse';

export class CmpError extends Error {
  constructor(
    readonly stage: CmpStage,
    message: string,
    readonly stderr = '',
  ) {
    super(message);
  }
}

interface Command {
  command: string[];
  args: string[];
}

export interface PluginConfig {
  name: string;
  version: string;
  identity: string;
  init: Command | undefined;
  generate: Command;
  discover: { fileName?: string; glob?: string; command?: Command } | undefined;
  preserveFileMode: boolean;
}

export type ParameterValue = { name: string; string: string } | { name: string; array: string[] } | { name: string; map: Record<string, string> };

export interface AppSpec {
  name: string;
  destNamespace: string;
  project?: string;
  revision?: string;
  repoURL?: string;
  targetRevision?: string;
  plugin?: { name?: string; env?: Array<{ name: string; value: string }>; parameters?: ParameterValue[] };
}

export interface RenderOptions {
  pluginYaml: string;
  repoDir: string;
  /** App path relative to the repo root. */
  appPath: string;
  app: AppSpec;
  kubeVersion?: string;
  apiVersions?: string[];
  tarExclusions?: string[];
  timeoutMs?: number;
  sidecarEnv?: NodeJS.ProcessEnv;
}

export interface RenderResult {
  manifests: Array<Record<string, unknown>>;
  stdout: string;
  stderr: string;
  /** Empty stdout: a success with zero manifests (Argo would prune everything with auto-prune). */
  empty: boolean;
}

export async function loadPluginConfig(path: string): Promise<PluginConfig> {
  const text = await readFile(path, 'utf8');
  const docs = parseAllDocuments(text);
  const raw = (Array.isArray(docs) ? docs[0]?.toJS() : undefined) as Record<string, unknown> | undefined;
  // cmpserver/plugin/config.go: YAML → JSON, non-strict (unknown keys ignored); kind and name validated.
  if (raw?.kind !== 'ConfigManagementPlugin') throw new CmpError('config', `invalid plugin configuration file. kind: ${String(raw?.kind)}`);
  const metadata = (raw.metadata ?? {}) as Record<string, unknown>;
  const spec = (raw.spec ?? {}) as Record<string, unknown>;
  const name = String(metadata.name ?? '');
  if (!name) throw new CmpError('config', 'invalid plugin configuration file. metadata.name should be non-empty.');
  const cmd = (v: unknown): Command | undefined => {
    const o = v as { command?: string[]; args?: string[] } | undefined;
    return o?.command?.length ? { command: o.command.map(String), args: (o.args ?? []).map(String) } : undefined;
  };
  const generate = cmd(spec.generate);
  if (!generate) throw new CmpError('config', 'invalid plugin configuration file. spec.generate command should be non-empty');
  const version = String(spec.version ?? '');
  const d = spec.discover as { fileName?: string; find?: { glob?: string; command?: string[]; args?: string[] } } | undefined;
  const discoverCmd = cmd(d?.find);
  const discover = d && (d.fileName || d.find?.glob || discoverCmd) ? { fileName: d.fileName, glob: d.find?.glob, command: discoverCmd } : undefined;
  return {
    name,
    version,
    identity: version ? `${name}-${version}` : name,
    init: cmd(spec.init),
    generate,
    discover,
    preserveFileMode: spec.preserveFileMode === true,
  };
}

/** Go's filepath.Match: `*` and `?` never cross `/`; `[...]` with `^` negation; `\` escapes. */
export function goFilepathMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      let body = pattern.slice(i + 1, end);
      i = end;
      if (body.startsWith('^')) body = `^${body.slice(1).replace(/[\\\]]/g, '\\$&')}`;
      else body = body.replace(/[\\\]^]/g, '\\$&');
      re += `[${body}]`;
    } else re += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

/** util/io/files/tar.go + untar: copy, honouring exclusions, modes and symlink rules. */
async function copyRepo(src: string, dest: string, exclusions: readonly string[], preserveFileMode: boolean): Promise<void> {
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir)).sort()) {
      const abs = join(dir, entry);
      const rel = relative(src, abs);
      if (exclusions.some((p) => goFilepathMatch(p, rel))) continue;
      const info = await lstat(abs);
      const target = join(dest, rel);
      if (info.isSymbolicLink()) {
        const link = await readlink(abs);
        const resolved = resolve(dirname(target), link);
        const inside = relative(dest, resolved);
        if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
          throw new CmpError('copy', `illegal filepath in symlink: ${rel}`);
        }
        await symlink(link, target);
      } else if (info.isDirectory()) {
        await mkdir(target, { mode: 0o755 });
        await chmod(target, preserveFileMode ? info.mode & 0o777 : 0o755);
        await walk(abs);
      } else if (info.isFile()) {
        await writeFile(target, await readFile(abs));
        await chmod(target, preserveFileMode ? info.mode & 0o777 : 0o644);
        files++;
      }
    }
  };
  await walk(src);
  if (files === 0) throw new CmpError('copy', `no files to send(${src})`);
}

const escapeParam = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

/** Go os.Expand as Argo's Envsubst uses it: `$VAR`, `${VAR}`, `$$` → `$`, unknown → ''. */
function envsubst(value: string, vars: Record<string, string>): string {
  return value.replace(/\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g, (_, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$';
    return vars[braced ?? bare ?? ''] ?? '';
  });
}

/** reposerver/repository/repository.go newEnv + getPluginEnvs + getPluginParamEnvs. */
export function buildEnv(opts: RenderOptions): Record<string, string> {
  const { app } = opts;
  const revision = app.revision ?? '0123456789abcdef0123456789abcdef01234567';
  const request: Array<[string, string]> = [
    ['ARGOCD_APP_NAME', app.name],
    ['ARGOCD_APP_NAMESPACE', app.destNamespace],
    ['ARGOCD_APP_PROJECT_NAME', app.project ?? 'default'],
    ['ARGOCD_APP_REVISION', revision],
    ['ARGOCD_APP_REVISION_SHORT', revision.slice(0, 7)],
    ['ARGOCD_APP_REVISION_SHORT_8', revision.slice(0, 8)],
    ['ARGOCD_APP_SOURCE_REPO_URL', app.repoURL ?? 'https://git.example.com/team/apps.git'],
    ['ARGOCD_APP_SOURCE_PATH', opts.appPath],
    ['ARGOCD_APP_SOURCE_TARGET_REVISION', app.targetRevision ?? 'HEAD'],
    ['KUBE_VERSION', opts.kubeVersion ?? '1.31.0'],
    ['KUBE_API_VERSIONS', (opts.apiVersions ?? []).join(',')],
  ];
  const vars = Object.fromEntries(request);
  for (const e of app.plugin?.env ?? []) request.push([`ARGOCD_ENV_${e.name}`, envsubst(e.value, vars)]);
  if (app.plugin) {
    request.push(['ARGOCD_APP_PARAMETERS', app.plugin.parameters ? JSON.stringify(app.plugin.parameters) : 'null']);
    for (const p of app.plugin.parameters ?? []) {
      const base = `PARAM_${escapeParam(p.name)}`;
      if ('string' in p) request.push([base, p.string]);
      if ('array' in p) for (const [i, v] of p.array.entries()) request.push([`${base}_${i}`, v]);
      if ('map' in p) for (const [k, v] of Object.entries(p.map)) request.push([`${base}_${escapeParam(k)}`, v]);
    }
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.sidecarEnv ?? process.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of request) env[k] = v; // Go exec keeps the last duplicate: request vars win
  return env;
}

interface RunOutcome {
  stdout: string;
  stderr: string;
}

function run(cmd: Command, cwd: string, env: Record<string, string>, deadline: number, stage: CmpStage): Promise<RunOutcome> {
  return new Promise((resolveRun, reject) => {
    const argv = [...cmd.command.slice(1), ...cmd.args];
    const child = spawn(cmd.command[0]!, argv, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {}
        killTimer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {}
        }, 5000);
      },
      Math.max(0, deadline - Date.now()),
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CmpError(stage, `\`${[cmd.command[0], ...argv].join(' ')}\` failed: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const line = [cmd.command[0], ...argv].join(' ');
      if (timedOut) return reject(new CmpError('timeout', `context deadline exceeded: \`${line}\` ${signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : 'terminated'}` : `exit status ${code}`}`, stderr));
      if (code !== 0) {
        const status = signal ? `signal: ${signal}` : `exit status ${code}`;
        return reject(new CmpError(stage, `\`${line}\` failed ${status}: ${stderr.trim()}`, stderr));
      }
      resolveRun({ stdout, stderr });
    });
  });
}

/** gitops-engine kube.SplitYAMLToString + repo-server: JSON stream or YAML docs; mappings with kind; lists flattened. */
export function parseManifests(stdout: string): Array<Record<string, unknown>> {
  const text = stdout.replace(/\n$/, '');
  const objects: unknown[] = [];
  if (text.trimStart().startsWith('{')) {
    let rest = text.trim();
    while (rest.length) {
      let depth = 0;
      let inString = false;
      let end = -1;
      for (let i = 0; i < rest.length; i++) {
        const c = rest[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) {
          end = i + 1;
          break;
        }
      }
      if (end < 0) throw new CmpError('parse', 'failed to unmarshal manifest: unexpected EOF');
      try {
        objects.push(JSON.parse(rest.slice(0, end)));
      } catch (e) {
        throw new CmpError('parse', `failed to unmarshal manifest: ${(e as Error).message}`);
      }
      rest = rest.slice(end).trim();
    }
  } else {
    const docs = parseAllDocuments(text, { version: '1.1' });
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length) throw new CmpError('parse', `failed to unmarshal manifest: ${doc.errors[0]!.message}`);
      const value = doc.toJS();
      if (value !== null && value !== undefined) objects.push(value);
    }
  }
  const out: Array<Record<string, unknown>> = [];
  for (const obj of objects) {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof (obj as Record<string, unknown>).kind !== 'string') {
      throw new CmpError('parse', 'failed to convert CMP manifests to unstructured objects: Object \'Kind\' is missing');
    }
    const o = obj as Record<string, unknown>;
    if (Array.isArray(o.items)) out.push(...(o.items as Array<Record<string, unknown>>));
    else out.push(o);
  }
  return out;
}

export async function renderWithCmp(opts: RenderOptions): Promise<RenderResult> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000) - 100; // cmpTimeoutBuffer
  const config = await loadPluginConfig(opts.pluginYaml);
  const wanted = opts.app.plugin?.name;
  if (wanted !== undefined && wanted !== config.identity) {
    throw new CmpError('select', `could not find cmp-server plugin with name "${wanted}" supporting the given repository`);
  }
  const root = join(tmpdir(), '_cmp_server');
  await mkdir(root, { recursive: true });
  const workDir = await mkdtemp(join(root, 'work-'));
  try {
    await copyRepo(opts.repoDir, workDir, opts.tarExclusions ?? [], config.preserveFileMode);
    const appDir = normalize(join(workDir, opts.appPath));
    if (relative(workDir, appDir).startsWith('..')) throw new CmpError('select', 'illegal appPath: out of workDir bound');
    const env = buildEnv(opts);
    if (config.discover) {
      let matched = false;
      if (config.discover.command) {
        const { stdout } = await run(config.discover.command, appDir, env, deadline, 'discover');
        matched = stdout.replace(/\n$/, '') !== '';
      } else throw new CmpError('discover', 'the emulator implements find.command discovery only');
      if (!matched) throw new CmpError('select', `could not find cmp-server plugin with name "${wanted ?? config.identity}" supporting the given repository`);
    }
    if (config.init) await run(config.init, appDir, env, deadline, 'init');
    const { stdout, stderr } = await run(config.generate, appDir, env, deadline, 'generate');
    const trimmed = stdout.replace(/\n$/, '');
    return { manifests: trimmed ? parseManifests(trimmed) : [], stdout, stderr, empty: trimmed === '' };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

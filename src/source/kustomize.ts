/**
 * The Kustomize source: `kustomize build` in the app path as Argo CD runs it
 * (util/kustomize/kustomize.go:Build — `build <appPath> <buildOptions...>` with cwd = repo root),
 * falling back to `kubectl kustomize` when no kustomize binary is on PATH.
 *
 * App parameters: Argo applies namePrefix/nameSuffix/images/commonLabels/commonAnnotations/
 * namespace with `kustomize edit set|add ...` on its throwaway checkout. We must not edit the
 * user's files when run locally, and `kubectl kustomize` has no `edit`, so we generate an overlay
 * kustomization in a temp dir whose only resource is the app. The result is the same except that
 * an overlay namePrefix/nameSuffix is added to one the app already sets, where `edit set` would
 * replace it (docs/sources.md says so).
 *
 * Network: kustomize fetches any `resources`/`bases`/`components` entry that is not a local path
 * as a remote git base (api/internal/target/kusttarget.go accumulates a non-file as a repo URL).
 * We walk the kustomization graph first and refuse local entries and symlinks that leave the
 * repo and — unless the admin allows network access — remote entries; exec.ts also points the
 * tool's proxies nowhere.
 */
import { access, constants, lstat, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { PluginError } from '../errors/index.js';
import type { SourceFile } from './directory.js';
import { envsubst } from './envsubst.js';
import { makeTempDir, runTool, type ToolContext } from './exec.js';
import { inside, refuseEscapingSymlinks } from './symlinks.js';

/** Tenant-safe part of Argo's Application `spec.source.kustomize`. */
export interface KustomizeParameters {
  readonly namePrefix: string | undefined;
  readonly nameSuffix: string | undefined;
  readonly namespace: string | undefined;
  /** `kustomize edit set image` arguments: `name=newName:tag`, `name:tag`, `name@digest`, ... */
  readonly images: readonly string[];
  readonly commonLabels: ReadonlyArray<readonly [string, string]>;
  readonly commonAnnotations: ReadonlyArray<readonly [string, string]>;
}

/** Admin-only (sidecar env): Argo's `kustomize.buildOptions` and binary path equivalents. */
export interface KustomizeAdmin {
  readonly buildOptions: readonly string[];
  readonly binary: string | undefined;
}

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizeInput {
  readonly appDir: string;
  readonly repoRoot: string;
  readonly params: KustomizeParameters;
  readonly admin: KustomizeAdmin;
  /** Argo's build env (ARGOCD_APP_*), for `$VAR` in images and labels as Argo substitutes them. */
  readonly argoEnv: Readonly<Record<string, string>>;
  readonly kubeVersion: string | undefined;
  readonly apiVersions: readonly string[];
  readonly tool: ToolContext;
}

export async function renderKustomize(input: KustomizeInput): Promise<SourceFile> {
  const rootReal = await realpath(input.repoRoot);
  const appReal = await realpath(input.appDir);
  const shown = relative(rootReal, appReal) || '.';
  // Every local kustomization the build reaches is checked, whether or not network is allowed.
  await checkLocal(appReal, rootReal, input.tool.allowNetwork, new Set(), 0);

  const temp = await makeTempDir('kustomize');
  try {
    let target = appReal;
    const overlay = overlayKustomization(relative(join(temp.path, 'overlay'), appReal), input.params, input.argoEnv);
    if (overlay !== undefined) {
      target = join(temp.path, 'overlay');
      await mkdir(target);
      await writeFile(join(target, 'kustomization.yaml'), overlay);
    }
    const [command, ...prefix] = await kustomizeCommand(input.admin.binary, input.tool.env.PATH);
    const args = [...prefix, target, ...input.admin.buildOptions];
    // As Argo (parseKustomizeBuildOptions): with Helm inflation enabled, the chart sees the cluster's versions.
    if (input.admin.buildOptions.some((o) => o.startsWith('--enable-helm'))) {
      if (input.kubeVersion) args.push('--helm-kube-version', input.kubeVersion);
      for (const v of input.apiVersions) args.push('--helm-api-versions', v);
    }
    const bytes = await runTool(input.tool, {
      command,
      args,
      cwd: rootReal,
      home: join(temp.path, 'home'),
      label: `kustomize build ${shown}`,
      pathNames: [
        [join(temp.path, 'overlay'), '<overlay with the kustomize-* parameters>'],
        [temp.path, '<temp>'],
        [`${rootReal}${sep}`, ''],
        [rootReal, '.'],
      ],
    });
    return { path: `${shown} (kustomize build)`, bytes };
  } finally {
    await temp.dispose();
  }
}

/** `kustomize build` when kustomize is on PATH (or the admin names a binary), else `kubectl kustomize`. */
async function kustomizeCommand(binary: string | undefined, path: string | undefined): Promise<[string, ...string[]]> {
  if (binary) return [binary, ...(binary.endsWith('kubectl') ? ['kustomize'] : ['build'])];
  if (await onPath('kustomize', path)) return ['kustomize', 'build'];
  return ['kubectl', 'kustomize'];
}

async function onPath(name: string, path: string | undefined): Promise<boolean> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const ok = await access(join(dir, name), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return true;
  }
  return false;
}

/** The overlay kustomization, or undefined when no parameter is set (then the app is built as is). */
export function overlayKustomization(appFromOverlay: string, params: KustomizeParameters, argoEnv: Readonly<Record<string, string>>): string | undefined {
  const k: Record<string, unknown> = {};
  if (params.namePrefix) k.namePrefix = params.namePrefix;
  if (params.nameSuffix) k.nameSuffix = params.nameSuffix;
  if (params.namespace) k.namespace = params.namespace;
  // Argo substitutes $ARGOCD_APP_* in images and label values (kustomize.go:Build), not in annotations
  // unless commonAnnotationsEnvsubst is set, which the tenant-facing parameters do not offer.
  if (params.images.length) k.images = params.images.map((i) => parseImage(envsubst(i, argoEnv)));
  if (params.commonLabels.length) k.commonLabels = Object.fromEntries(params.commonLabels.map(([n, v]) => [n, envsubst(v, argoEnv)]));
  if (params.commonAnnotations.length) k.commonAnnotations = Object.fromEntries(params.commonAnnotations);
  if (Object.keys(k).length === 0) return undefined;
  const doc = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [appFromOverlay.split(sep).join('/')], ...k };
  return stringify(doc);
}

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * Parses a `kustomize edit set image` argument (kustomize/commands/edit/set/setimage.go):
 * `name=newName[:tag|@digest]` or `name[:tag|@digest]`.
 */
export function parseImage(arg: string): ImageOverride {
  const eq = arg.indexOf('=');
  const name = eq >= 0 ? arg.slice(0, eq) : undefined;
  const ref = eq >= 0 ? arg.slice(eq + 1) : arg;
  let image = ref;
  let tag: string | undefined;
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at >= 0) {
    image = ref.slice(0, at);
    digest = ref.slice(at + 1);
  } else {
    const colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      image = ref.slice(0, colon);
      tag = ref.slice(colon + 1);
    }
  }
  if (!image || (name !== undefined && !name) || tag === '' || digest === '') {
    throw new PluginError('usage', `parameter kustomize-images: ${JSON.stringify(arg)} is not an image override`, {
      hint: 'use name=newName:tag, name:tag or name@sha256:digest, as `kustomize edit set image` takes them',
    });
  }
  const out: ImageOverride = { name: name ?? image };
  if (name !== undefined) out.newName = image;
  if (tag !== undefined) out.newTag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

const REFERENCE_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'] as const;

async function checkLocal(dir: string, rootReal: string, allowNetwork: boolean, seen: Set<string>, depth: number): Promise<void> {
  if (seen.has(dir)) return;
  seen.add(dir);
  await refuseEscapingSymlinks(dir, rootReal);
  if (depth > 50) throw new PluginError('input', `${relative(rootReal, dir)}: kustomization bases nest more than 50 levels deep`);
  const file = await findKustomization(dir);
  if (file === undefined) return; // a plain directory resource: kustomize reports what is missing
  const shown = relative(rootReal, join(dir, file));
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(join(dir, file), 'utf8'), { version: '1.1', maxAliasCount: 100 });
  } catch (e) {
    throw new PluginError('input', `${shown}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null) return;
  const k = doc as Record<string, unknown>;
  for (const field of REFERENCE_FIELDS) {
    const entries = k[field];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      // Inline generator/transformer configs are objects or multi-line strings, not references.
      if (typeof entry !== 'string' || entry.includes('\n')) continue;
      const real = isAbsolute(entry) ? undefined : await realpath(resolve(dir, entry)).catch(() => undefined);
      if (real === undefined) {
        if (allowNetwork) continue; // a remote base: kustomize fetches it
        throw new PluginError('input', `${shown}: ${field} entry ${JSON.stringify(entry)} is not a file or directory in the repository, so kustomize would fetch it over the network`, {
          hint: 'vendor the remote base into the repository; only the admin can allow network access (ESO_PLUGIN_ALLOW_NETWORK=true on the sidecar)',
        });
      }
      if (!inside(rootReal, real)) {
        throw new PluginError('input', `${shown}: ${field} entry ${JSON.stringify(entry)} resolves outside the repository`, {
          hint: 'files outside the repository are never read; move the base into the repository',
        });
      }
      if ((await stat(real)).isDirectory()) await checkLocal(real, rootReal, allowNetwork, seen, depth + 1);
    }
  }
  // helmCharts (with the admin's --enable-helm) pull the chart unless it is already under chartHome.
  const charts = k.helmCharts;
  if (!allowNetwork && Array.isArray(charts)) {
    const globals = k.helmGlobals as { chartHome?: unknown } | undefined;
    const home = typeof globals?.chartHome === 'string' ? globals.chartHome : 'charts';
    for (const c of charts) {
      const name = (c as { name?: unknown } | null)?.name;
      const repo = (c as { repo?: unknown } | null)?.repo;
      if (typeof name !== 'string' || typeof repo !== 'string' || repo === '') continue;
      const local = await lstat(resolve(dir, home, name)).catch(() => undefined);
      if (!local) {
        throw new PluginError('input', `${shown}: helmCharts entry ${JSON.stringify(name)} is not vendored under ${home}/, so kustomize would download it from ${repo}`, {
          hint: `vendor it (helm pull ${repo.startsWith('oci://') ? `${repo}/${name}` : `--repo ${repo} ${name}`} --untar --untardir ${home}); only the admin can allow network access`,
        });
      }
    }
  }
}

export async function findKustomization(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_NAMES) {
    if (await lstat(join(dir, name)).catch(() => undefined)) return name;
  }
  return undefined;
}

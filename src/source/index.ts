/**
 * Turns the app directory into source files, choosing the source type as Argo CD does
 * (util/app/discovery/discovery.go:Discover, run on the app path): a file named
 * `kustomization.yaml|yml` or `Kustomization` ⇒ Kustomize; a file whose name ends in `Chart.yaml`
 * ⇒ Helm (Argo tests strings.HasSuffix, so `MyChart.yaml` counts too); Kustomize wins when both
 * are present (the walk visits `Chart.yaml` before `kustomization.yaml` and the later one is
 * kept); otherwise a plain directory. The `source-type` parameter forces the type, as an
 * Application's explicit `kustomize:`/`helm:`/`directory:` block does (ApplicationSource.ExplicitType).
 *
 * Kustomize and Helm output is returned as one SourceFile named after what produced it
 * (`apps/web (kustomize build)`), so errors point at the render.
 */
import { readdir } from 'node:fs/promises';
import { PluginError } from '../errors/index.js';
import { type DirectoryOptions, readDirectorySource, type SourceFile } from './directory.js';
import type { ToolContext } from './exec.js';
import type { HelmAdmin, HelmParameters } from './helm.js';
import type { KustomizeAdmin, KustomizeParameters } from './kustomize.js';

export type { SourceFile } from './directory.js';
export type { ToolContext } from './exec.js';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export type SourceType = 'directory' | 'kustomize' | 'helm';

/** What the Kustomize/Helm sources need beyond the directory options; all built by the CLI. */
export interface RenderContext {
  /** Forced by the `source-type` parameter; detected when undefined. */
  readonly type: SourceType | undefined;
  readonly kustomize: KustomizeParameters;
  readonly helm: HelmParameters;
  readonly admin: { readonly kustomize: KustomizeAdmin; readonly helm: HelmAdmin };
  /** ARGOCD_APP_NAME as Argo sets it. */
  readonly appName: string;
  readonly destinationNamespace: string;
  /** KUBE_VERSION / KUBE_API_VERSIONS (Argo-derived, trusted). */
  readonly kubeVersion: string | undefined;
  readonly apiVersions: readonly string[];
  /** Argo's build env (ARGOCD_APP_*) for `$VAR` substitution in parameters. */
  readonly argoEnv: Readonly<Record<string, string>>;
  readonly tool: ToolContext;
}

export interface SourceOptions {
  readonly directory: DirectoryOptions;
  /** Without it, Kustomize and Helm apps are refused (nothing to run the tools with). */
  readonly render?: RenderContext | undefined;
}

export async function detectSourceType(appDir: string): Promise<{ type: SourceType; marker: string | undefined }> {
  const names = (await readdir(appDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();
  const kustomization = KUSTOMIZATION_NAMES.find((n) => names.includes(n));
  if (kustomization) return { type: 'kustomize', marker: kustomization };
  const chart = names.find((n) => n.endsWith('Chart.yaml'));
  if (chart) return { type: 'helm', marker: chart };
  return { type: 'directory', marker: undefined };
}

export async function readSource(appDir: string, repoRoot: string, options: SourceOptions): Promise<SourceFile[]> {
  const render = options.render;
  const type = render?.type ?? (await detectSourceType(appDir)).type;
  if (type === 'directory') return readDirectorySource(appDir, repoRoot, options.directory);
  if (!render) {
    throw new PluginError('internal', `this app is a ${type === 'helm' ? 'Helm' : 'Kustomize'} source, but no render context was given`);
  }
  if (type === 'kustomize') {
    const { renderKustomize } = await import('./kustomize.js');
    return [
      await renderKustomize({
        appDir,
        repoRoot,
        params: render.kustomize,
        admin: render.admin.kustomize,
        argoEnv: render.argoEnv,
        kubeVersion: render.kubeVersion,
        apiVersions: render.apiVersions,
        tool: render.tool,
      }),
    ];
  }
  const { renderHelm } = await import('./helm.js');
  return [
    await renderHelm({
      appDir,
      repoRoot,
      params: render.helm,
      admin: render.admin.helm,
      appName: render.appName,
      destinationNamespace: render.destinationNamespace,
      kubeVersion: render.kubeVersion,
      apiVersions: render.apiVersions,
      argoEnv: render.argoEnv,
      tool: render.tool,
    }),
  ];
}

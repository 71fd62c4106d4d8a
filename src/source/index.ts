/**
 * Turns the app directory into source files, choosing the source type as Argo CD does
 * (util/app/discovery): `kustomization.yaml|yml` or `Kustomization` ⇒ Kustomize, `Chart.yaml` ⇒ Helm,
 * otherwise a plain directory. Kustomize and Helm are refused until they are implemented, rather
 * than half-rendered (their templates would be printed raw).
 */
import { lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PluginError } from '../errors/index.js';
import { type DirectoryOptions, readDirectorySource, type SourceFile } from './directory.js';

export type { SourceFile } from './directory.js';

export type SourceType = 'directory' | 'kustomize' | 'helm';

export interface SourceOptions {
  readonly directory: DirectoryOptions;
}

const MARKERS: ReadonlyArray<readonly [string, SourceType]> = [
  ['kustomization.yaml', 'kustomize'],
  ['kustomization.yml', 'kustomize'],
  ['Kustomization', 'kustomize'],
  ['Chart.yaml', 'helm'],
];

export async function detectSourceType(appDir: string): Promise<{ type: SourceType; marker: string | undefined }> {
  for (const [marker, type] of MARKERS) {
    if (await lstat(join(appDir, marker)).catch(() => undefined)) return { type, marker };
  }
  return { type: 'directory', marker: undefined };
}

export async function readSource(appDir: string, repoRoot: string, options: SourceOptions): Promise<SourceFile[]> {
  const { type, marker } = await detectSourceType(appDir);
  if (type !== 'directory') {
    const name = type === 'helm' ? 'Helm' : 'Kustomize';
    throw new PluginError('input', `${relative(repoRoot, join(appDir, marker!))}: this app is a ${name} source, which the plugin does not render yet`, {
      hint: `render it with ${type === 'helm' ? 'helm template' : 'kustomize build'} into a directory of plain manifests, or keep ExternalSecrets in a plain directory app`,
    });
  }
  return readDirectorySource(appDir, repoRoot, options.directory);
}

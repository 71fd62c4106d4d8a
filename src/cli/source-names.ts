/**
 * Names of the Kustomize/Helm app parameters, as plugin.yaml announces them. Kept apart from
 * source-inputs.ts so that inputs.ts can recognise them without an import cycle.
 */
/** Announced names (plugin.yaml) → how they arrive. Escaped names are what PARAM_/ARGOCD_ENV_ use. */
const SCALARS = [
  'source-type',
  'kustomize-name-prefix',
  'kustomize-name-suffix',
  'kustomize-namespace',
  'helm-release-name',
  'helm-values',
  'helm-skip-crds',
  'helm-skip-tests',
  'helm-ignore-missing-value-files',
] as const;
const ARRAYS = ['kustomize-images', 'helm-value-files'] as const;
const MAPS = ['kustomize-common-labels', 'kustomize-common-annotations', 'helm-parameters', 'helm-string-parameters', 'helm-file-parameters'] as const;

export type Scalar = (typeof SCALARS)[number];
export type ArrayName = (typeof ARRAYS)[number];
export type MapName = (typeof MAPS)[number];

/** Argo's escaping of parameter names (types.go:escaped): upper case, [^A-Z0-9_] → `_`. */
export function escapeParameterName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Escaped scalar names, for tenantParameters' unknown-parameter warning. */
export const SOURCE_SCALAR_PARAMETERS: readonly string[] = SCALARS.map(escapeParameterName);
/** Escaped array/map names: `<NAME>`, `<NAME>_<i>` and `<NAME>_<KEY>` are all ours. */
export const SOURCE_COLLECTION_PARAMETERS: readonly string[] = [...ARRAYS, ...MAPS].map(escapeParameterName);

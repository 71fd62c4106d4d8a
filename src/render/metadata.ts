/**
 * How ESO's ownership policies map onto Argo CD (design §3): the annotations we add, the Argo
 * annotations we refuse to copy from the ExternalSecret, and the merge of comma-list options.
 */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';

/** Copying these from the ExternalSecret would confuse Argo (tracking, hooks) or leak old state. */
export function isDroppedAnnotation(key: string): boolean {
  return (
    key === 'kubectl.kubernetes.io/last-applied-configuration' ||
    key === 'argocd.argoproj.io/tracking-id' ||
    key.startsWith('argocd.argoproj.io/hook')
  );
}

/** Merges `Prune=false,Delete=false`-style lists; ours win on the same option name. */
export function mergeOptions(theirs: string | undefined, ours: readonly string[]): string {
  const byName = new Map<string, string>();
  for (const part of (theirs ?? '').split(',')) {
    const opt = part.trim();
    if (opt) byName.set(optionName(opt), opt);
  }
  for (const opt of ours) byName.set(optionName(opt), opt);
  return [...byName.values()].join(',');
}

function optionName(option: string): string {
  const eq = option.indexOf('=');
  return (eq < 0 ? option : option.slice(0, eq)).trim().toLowerCase();
}

export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

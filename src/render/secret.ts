/**
 * Assembles the Secret ESO would write (eso-semantics.md §7.4, §8.1) from the final data map,
 * and maps creationPolicy onto Argo CD's sync/compare options (design §3). Pure.
 */
import type { ExternalSecret } from '../model/types.js';
import { COMPARE_OPTIONS, isDroppedAnnotation, mergeOptions, SYNC_OPTIONS, sortedRecord } from './metadata.js';

export const MANAGED_LABEL = 'reconcile.external-secrets.io/managed';
export const CREATED_BY_LABEL = 'reconcile.external-secrets.io/created-by';
export const DATA_HASH_ANNOTATION = 'reconcile.external-secrets.io/data-hash';

/** Client-side apply stores the whole object in an annotation capped at 256 KiB: switch to SSA well before. */
export const SSA_THRESHOLD_BYTES = 200 * 1024;
/** The API server's limit on a Secret's data. */
export const MAX_SECRET_BYTES = 1024 * 1024;

export interface SecretMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly finalizers: readonly string[];
  readonly type: string | undefined;
}

export interface BuiltSecret {
  /** The Secret manifest, keys in a fixed order. */
  readonly object: Record<string, unknown>;
  readonly warnings: string[];
}

const b64 = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

export function encodeData(data: ReadonlyMap<string, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...data.keys()].sort()) out[key] = b64(data.get(key)!);
  return out;
}

export function dataBytes(data: ReadonlyMap<string, Uint8Array>): number {
  let total = 0;
  for (const [k, v] of data) total += Buffer.byteLength(k) + v.byteLength;
  return total;
}

/** ESO's created-by label: SHA3-224 of "<namespace>/<name>" (runtime/esutils ObjectHash of a string). */
export function createdByHash(namespace: string, name: string): string {
  // node:crypto is loaded on first use, not imported: it costs ~7 ms of CPU at every start, and a
  // render without ExternalSecrets never hashes (bench/README.md).
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha3-224').update(`${namespace}/${name}`).digest('hex');
}

/**
 * Labels/annotations when there is no template: the ExternalSecret's own, as ESO copies them,
 * minus the Argo/kubectl annotations that must not travel to the Secret.
 */
export function inheritedMetadata(es: ExternalSecret): { labels: Record<string, string>; annotations: Record<string, string>; warnings: string[] } {
  const warnings: string[] = [];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(es.metadata.annotations)) {
    if (isDroppedAnnotation(k)) warnings.push(`${es.origin.file}#${es.origin.doc}: annotation ${k} is not copied to the generated Secret`);
    else annotations[k] = v;
  }
  return { labels: { ...es.metadata.labels }, annotations, warnings };
}

/**
 * The labels and annotations ESO's controller writes around the template's: the managed label;
 * created-by for Owner only (applyOwnership deletes it for every other policy, also one copied or
 * templated); never a data-hash annotation — ESO always overwrites it with ObjectHash(secret.Data),
 * we emit none (docs/compatibility.md), so a copied or templated value must not pass for ESO's.
 */
function controllerMetadata(es: ExternalSecret, namespace: string, meta: SecretMetadata): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = { ...meta.labels, [MANAGED_LABEL]: 'true' };
  if (es.target.creationPolicy === 'Owner') labels[CREATED_BY_LABEL] = createdByHash(namespace, es.metadata.name);
  else delete labels[CREATED_BY_LABEL];
  const annotations: Record<string, string> = { ...meta.annotations };
  delete annotations[DATA_HASH_ANNOTATION];
  return { labels, annotations };
}

/** ESO setMetadata adds each finalizer only if not already present (controllerutil.ContainsFinalizer). */
function uniqueFinalizers(finalizers: readonly string[]): string[] {
  return [...new Set(finalizers)];
}

export function buildSecret(es: ExternalSecret, namespace: string, data: ReadonlyMap<string, Uint8Array>, meta: SecretMetadata): BuiltSecret {
  const warnings: string[] = [];
  const policy = es.target.creationPolicy;
  const { labels, annotations } = controllerMetadata(es, namespace, meta);
  const syncOptions: string[] = [];
  const compareOptions: string[] = [];
  if (policy === 'Orphan') {
    syncOptions.push('Prune=false', 'Delete=false');
    compareOptions.push('IgnoreExtraneous');
  }
  const encoded = encodeData(data);
  if (JSON.stringify(encoded).length > SSA_THRESHOLD_BYTES) syncOptions.push('ServerSideApply=true');
  if (syncOptions.length) annotations[SYNC_OPTIONS] = mergeOptions(annotations[SYNC_OPTIONS], syncOptions);
  if (compareOptions.length) annotations[COMPARE_OPTIONS] = mergeOptions(annotations[COMPARE_OPTIONS], compareOptions);

  const metadata: Record<string, unknown> = { name: es.target.name, namespace };
  if (Object.keys(labels).length) metadata.labels = sortedRecord(labels);
  if (Object.keys(annotations).length) metadata.annotations = sortedRecord(annotations);
  if (meta.finalizers.length) metadata.finalizers = uniqueFinalizers(meta.finalizers);
  const object: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata };
  if (es.target.immutable) object.immutable = true;
  object.type = meta.type ?? 'Opaque';
  object.data = encoded;
  return { object, warnings };
}

/**
 * What ESO's Merge/CreateOrMerge writes onto the target Secret besides data (controller mutationFunc,
 * ApplyTemplate, setMetadata, applyOwnership): the ExternalSecret's labels and annotations (or the
 * template's), its finalizers, `type` only when the template sets one, `immutable` when requested,
 * the managed label, and no created-by label. The data-hash annotation is left out (we emit none).
 */
export interface MergeMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly finalizers: readonly string[];
  readonly type: string | undefined;
  readonly immutable: boolean;
}

export function mergeMetadata(es: ExternalSecret, namespace: string, meta: SecretMetadata): MergeMetadata {
  const { labels, annotations } = controllerMetadata(es, namespace, meta);
  return { labels, annotations, finalizers: uniqueFinalizers(meta.finalizers), type: es.target.template ? meta.type : undefined, immutable: es.target.immutable };
}

/**
 * creationPolicy Merge/CreateOrMerge when the target Secret is not in the render: a partial Secret
 * with only what ESO's Merge writes (managed keys and mergeMetadata), applied server-side so Argo
 * never takes over the rest of the Secret.
 */
export function buildMergePatch(es: ExternalSecret, namespace: string, data: ReadonlyMap<string, Uint8Array>, meta: MergeMetadata): Record<string, unknown> {
  const annotations = {
    ...meta.annotations,
    [COMPARE_OPTIONS]: mergeOptions(meta.annotations[COMPARE_OPTIONS], ['IgnoreExtraneous']),
    [SYNC_OPTIONS]: mergeOptions(meta.annotations[SYNC_OPTIONS], ['ServerSideApply=true', 'Prune=false', 'Delete=false']),
  };
  const metadata: Record<string, unknown> = { name: es.target.name, namespace, labels: sortedRecord(meta.labels), annotations: sortedRecord(annotations) };
  if (meta.finalizers.length) metadata.finalizers = meta.finalizers;
  const object: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata };
  if (meta.immutable) object.immutable = true;
  if (meta.type !== undefined) object.type = meta.type;
  object.data = encodeData(data);
  return object;
}

/** Applies mergeMetadata to a Secret of the render, as ESO's mutationFunc does to the live one. */
export function applyMergeMetadata(secret: Record<string, unknown>, meta: MergeMetadata): void {
  const metadata = { ...((secret.metadata as Record<string, unknown> | undefined) ?? {}) };
  const labels: Record<string, string> = { ...((metadata.labels as Record<string, string> | undefined) ?? {}), ...meta.labels };
  delete labels[CREATED_BY_LABEL];
  metadata.labels = sortedRecord(labels);
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}), ...meta.annotations };
  if (Object.keys(annotations).length) metadata.annotations = sortedRecord(annotations);
  const finalizers = [...((metadata.finalizers as string[] | undefined) ?? [])];
  for (const f of meta.finalizers) if (!finalizers.includes(f)) finalizers.push(f);
  if (finalizers.length) metadata.finalizers = finalizers;
  secret.metadata = metadata;
  if (meta.immutable) secret.immutable = true;
  if (meta.type !== undefined) secret.type = meta.type;
}

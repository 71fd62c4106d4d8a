/**
 * Builds an ExternalSecret's data map exactly in ESO's order (GetProviderSecretData,
 * eso-semantics.md §2.1–2.2): `dataFrom[]` in list order (later entries overwrite), then `data[]`
 * (always wins). Per dataFrom entry: fetch → rewrite → key conversion (only without rewrite) →
 * key validation → decoding → null-byte check. "Not found" follows deletionPolicy.
 */
import { PluginError } from '../errors/index.js';
import type { DataFromItem, ExternalSecret, Rewrite } from '../model/types.js';
import type { Fetcher } from '../plan/fetch.js';
import type { PlannedExternalSecret, ResolvedStore } from '../plan/index.js';
import { NoSecretError, ProviderError } from '../providers/types.js';
import { convertKeys, KeyCollisionError, UnsupportedPathError } from '../providers/value.js';
import { RewriteError } from './rewrite.js';
import { assertNoNullBytes, decodeMap, decodeValue, StrategyError, validateKeys } from './strategies.js';

export interface DataResult {
  readonly data: Map<string, Uint8Array>;
  /** Items skipped because their remote value is missing (deletionPolicy Delete/Merge). */
  readonly missing: readonly string[];
}

export type RewriteFn = (rules: readonly Rewrite[], map: Map<string, Uint8Array>) => Promise<Map<string, Uint8Array>>;

export interface DataOptions {
  readonly rewrite: RewriteFn;
  /** The project's key rule (policy projects.<p>.keys), applied to every find result. */
  readonly allowKey?: ((remoteKey: string) => boolean) | undefined;
  readonly warn?: ((message: string) => void) | undefined;
}

export async function buildData(planned: PlannedExternalSecret, fetcher: Fetcher, options: DataOptions): Promise<DataResult> {
  const { es } = planned;
  const data = new Map<string, Uint8Array>();
  const missing: string[] = [];
  const tolerateMissing = es.target.deletionPolicy !== 'Retain';

  for (const item of es.dataFrom) {
    const store = planned.stores.get(item.field);
    try {
      const map = await dataFromEntry(item, store, fetcher, options, (field) => planned.generators.get(field) ?? {});
      if (map) for (const [k, v] of map) data.set(k, v);
    } catch (e) {
      if (e instanceof NoSecretError && tolerateMissing) {
        missing.push(item.field);
        continue;
      }
      throw asPluginError(e, es, item.field, store, item.extract?.key);
    }
  }

  for (const item of es.data) {
    const store = planned.stores.get(item.field)!;
    const ref = item.remoteRef;
    try {
      let value = await fetcher.getSecret(store, ref);
      value = decodeValue(ref.decodingStrategy, value);
      if (ref.nullBytePolicy === 'Fail') assertNoNullBytes(item.secretKey, value);
      data.set(item.secretKey, value);
    } catch (e) {
      if (e instanceof NoSecretError && tolerateMissing) {
        missing.push(item.field);
        continue;
      }
      throw asPluginError(e, es, `${item.field}.remoteRef`, store, ref.key);
    }
  }
  return { data, missing };
}

async function dataFromEntry(
  item: DataFromItem,
  store: ResolvedStore | undefined,
  fetcher: Fetcher,
  options: DataOptions,
  generatorData: (field: string) => Readonly<Record<string, string>>,
): Promise<Map<string, Uint8Array> | undefined> {
  if (item.generatorRef) {
    // ESO's generator pipeline: Generate → RewriteMap → ValidateKeys (no conversion, no decoding).
    let generated = new Map<string, Uint8Array>(Object.entries(generatorData(item.field)).map(([k, v]) => [k, new TextEncoder().encode(v)]));
    if (item.rewrite.length > 0) generated = await options.rewrite(item.rewrite, generated);
    validateKeys(generated);
    return generated;
  }
  const spec = item.find ?? item.extract;
  if (!spec || !store) return undefined; // sourceRef.storeRef alone contributes nothing (ESO)
  let map = new Map(item.find ? await fetcher.getAllSecrets(store, item.find) : await fetcher.getSecretMap(store, item.extract!));
  if (item.find && options.allowKey) {
    const denied = [...map.keys()].filter((k) => !options.allowKey!(k));
    for (const k of denied) map.delete(k);
    if (denied.length) options.warn?.(`${item.field}.find: ${denied.length} match(es) outside the project's allowed keys were left out (policy rule projects.keys)`);
  }
  map = item.rewrite.length > 0 ? await options.rewrite(item.rewrite, map) : convertKeys(spec.conversionStrategy, map);
  validateKeys(map);
  map = decodeMap(spec.decodingStrategy, map);
  if (spec.nullBytePolicy === 'Fail') for (const key of [...map.keys()].sort()) assertNoNullBytes(key, map.get(key)!);
  return map;
}

function asPluginError(e: unknown, es: ExternalSecret, field: string, store: ResolvedStore | undefined, key: string | undefined): PluginError {
  if (e instanceof PluginError) return e.at(es.origin, field);
  const from = store ? ` from ${store.store.kind} "${store.store.metadata.name}"` : '';
  const what = key !== undefined ? `key "${key}"${from}` : `find${from}`;
  if (e instanceof NoSecretError) {
    return new PluginError('provider', `${what}: Secret does not exist`, {
      origin: es.origin,
      field,
      hint: 'create it in the provider, fix the key, or set spec.target.deletionPolicy to Delete or Merge to skip missing values (the render fails under the default Retain so Argo keeps the live Secret)',
    });
  }
  // Providers name the store and key themselves (providers/types.ts contract).
  if (e instanceof ProviderError) return new PluginError('provider', e.message, { origin: es.origin, field, hint: e.hint });
  if (e instanceof StrategyError || e instanceof KeyCollisionError || e instanceof UnsupportedPathError || e instanceof RewriteError) {
    return new PluginError('render', e.message, { origin: es.origin, field });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new PluginError('provider', `${what}: ${message}`, { origin: es.origin, field });
}

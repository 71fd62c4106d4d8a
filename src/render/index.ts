/**
 * Renders every planned ExternalSecret into its Secret and lays out the output documents:
 * each Secret takes its ExternalSecret's place, stores are dropped, everything else passes
 * through. Fails closed: any error fails the whole render.
 */
import { type Origin, PluginError, PluginErrors } from '../errors/index.js';
import type { ExternalSecret, PassThrough, SecretStore } from '../model/types.js';
import type { Fetcher } from '../plan/fetch.js';
import type { Plan, PlannedExternalSecret } from '../plan/index.js';
import { buildData } from './data.js';
import { sortedRecord } from './metadata.js';
import { applyMergeMetadata, buildMergePatch, buildSecret, dataBytes, encodeData, MAX_SECRET_BYTES, type MergeMetadata, mergeMetadata } from './secret.js';
import { applyTemplate, needsEngine, type ObjectLookup, type TemplateRunner } from './template.js';

/** One output document: verbatim text or an object to serialise. */
export type OutputDoc = { readonly text: string } | { readonly object: Record<string, unknown> };

export interface TemplateSettings {
  /** Admin policy: allow now/rand/uuidv4/... (each render would change the Secret). */
  readonly allowNonDeterministic: boolean;
  /** Per-install key for deterministic PKCS#12 salt/IV. */
  readonly hmacKey: Uint8Array | undefined;
}

export interface RenderOptions {
  readonly destinationNamespace: string;
  readonly templates: TemplateSettings;
  /** The project's key rule, applied to find results (policy projects.<p>.keys). */
  readonly allowKey?: ((remoteKey: string) => boolean) | undefined;
  /** Allow refreshPolicy: CreatedOnce (every render reads afresh, unlike ESO). */
  readonly allowCreatedOnce: boolean;
}

export interface RenderResult {
  readonly documents: OutputDoc[];
  readonly warnings: string[];
}

interface Generated {
  readonly planned: PlannedExternalSecret;
  readonly data: Map<string, Uint8Array>;
  readonly object: Record<string, unknown> | undefined;
  /** Merge/CreateOrMerge: what is written onto the target besides data. */
  readonly merge?: MergeMetadata;
}

export async function renderAll(
  documents: ReadonlyArray<ExternalSecret | SecretStore | PassThrough>,
  plan: Plan,
  fetcher: Fetcher,
  options: RenderOptions,
): Promise<RenderResult> {
  const warnings: string[] = [];
  const errors: PluginError[] = [];
  const byEs = new Map<ExternalSecret, PlannedExternalSecret>(plan.externalSecrets.map((p) => [p.es, p]));
  const lookup = objectLookup(documents, options.destinationNamespace);

  // All ExternalSecrets render concurrently; the fetcher batches and dedupes underneath.
  const results = await Promise.all(
    plan.externalSecrets.map(async (planned): Promise<Generated | undefined> => {
      try {
        return await renderOne(planned, fetcher, options, warnings, lookup);
      } catch (e) {
        if (e instanceof PluginError) errors.push(e);
        else if (e instanceof PluginErrors) errors.push(...e.errors);
        else throw e;
        return undefined;
      }
    }),
  );
  if (errors.length) throw new PluginErrors(errors);
  const generated = new Map<ExternalSecret, Generated>();
  for (const g of results) if (g) generated.set(g.planned.es, g);

  // Secrets already in the render, by namespace/name, for collisions and Merge.
  const existing = new Map<string, { doc: PassThrough; index: number }>();
  const out: Array<OutputDoc | undefined> = [];
  const passIndex = new Map<PassThrough, number>();
  for (const doc of documents) {
    if (doc.kind !== 'PassThrough') continue;
    const v = doc.value;
    if (v.apiVersion === 'v1' && v.kind === 'Secret') {
      const meta = (v.metadata ?? {}) as Record<string, unknown>;
      const id = `${String(meta.namespace ?? options.destinationNamespace)}/${String(meta.name ?? '')}`;
      existing.set(id, { doc, index: -1 });
    }
  }

  const claimed = new Map<string, Origin>();
  const merges = new Map<PassThrough, Generated[]>();
  for (const doc of documents) {
    if (doc.kind === 'PassThrough') {
      passIndex.set(doc, out.length);
      out.push(doc.text !== undefined ? { text: doc.text } : { object: doc.value });
      continue;
    }
    if (doc.kind !== 'ExternalSecret') continue; // stores are plugin input only
    const planned = byEs.get(doc);
    const g = generated.get(doc);
    if (!planned || !g?.object) continue;
    const id = `${planned.namespace}/${doc.target.name}`;
    const policy = doc.target.creationPolicy;
    const target = existing.get(id);
    if (target && (policy === 'Merge' || policy === 'CreateOrMerge')) {
      merges.set(target.doc, [...(merges.get(target.doc) ?? []), g]);
      continue;
    }
    if (target) {
      errors.push(
        new PluginError('render', `Secret ${id} is generated here and also defined at ${target.doc.origin.file}#${target.doc.origin.doc}`, {
          origin: doc.origin,
          field: 'spec.target.name',
          hint: 'rename the target, remove the other Secret, or use creationPolicy: Merge to add keys to it',
        }),
      );
      continue;
    }
    const other = claimed.get(id);
    if (other) {
      errors.push(
        new PluginError('render', `Secret ${id} is also generated by the ExternalSecret at ${other.file}#${other.doc}`, {
          origin: doc.origin,
          field: 'spec.target.name',
          hint: 'give each ExternalSecret its own target name',
        }),
      );
      continue;
    }
    claimed.set(id, doc.origin);
    out.push({ object: g.object });
  }
  for (const [doc, gens] of merges) out[passIndex.get(doc)!] = { object: mergeInto(doc.value, gens) };
  if (errors.length) throw new PluginErrors(errors);
  return { documents: out.filter((d): d is OutputDoc => d !== undefined), warnings };
}

async function renderOne(
  planned: PlannedExternalSecret,
  fetcher: Fetcher,
  options: RenderOptions,
  warnings: string[],
  lookup: ObjectLookup,
): Promise<Generated | undefined> {
  const { es, namespace } = planned;
  const policy = es.target.creationPolicy;
  if (policy === 'None') return undefined; // ESO writes no Secret; we also skip the reads
  if (es.refreshPolicy === 'CreatedOnce' && !options.allowCreatedOnce) {
    throw new PluginError('render', 'refreshPolicy: CreatedOnce cannot be honoured: every render reads the provider afresh', {
      origin: es.origin,
      field: 'spec.refreshPolicy',
      hint: 'remove refreshPolicy, or set the app parameter allow-created-once: "true" to accept that values are re-read on every render',
    });
  }
  const run = needsEngine(es) ? await templateRunner(options.templates) : noEngine;
  const { data, missing } = await buildData(planned, fetcher, {
    rewrite: async (rules, map) => (await import('./rewrite.js')).rewriteMap(rules, map, run),
    allowKey: options.allowKey,
    warn: (m) => warnings.push(`${es.origin.file}#${es.origin.doc} ${m}`),
  });
  for (const field of missing) warnings.push(`${es.origin.file}#${es.origin.doc} ${field}: remote value missing, skipped (deletionPolicy ${es.target.deletionPolicy})`);

  if (data.size === 0) {
    if (es.target.deletionPolicy === 'Retain') {
      throw new PluginError('render', 'no data was fetched, so the live Secret would be retained, which a render cannot do', {
        origin: es.origin,
        field: 'spec',
        hint: 'check that find/extract match something; with deletionPolicy Delete the Secret is dropped, with Merge it is kept with the remaining keys',
      });
    }
    if (es.target.deletionPolicy === 'Delete') {
      // ESO only deletes a Secret it owns; the webhook lets Orphan + Delete through, the controller fails it.
      if (policy !== 'Owner') {
        throw new PluginError('render', `unable to delete secret ${es.target.name}: creationPolicy=${policy} is not Owner`, {
          origin: es.origin,
          field: 'spec.target.deletionPolicy',
          hint: 'no data was fetched and deletionPolicy Delete may only delete a Secret the ExternalSecret owns: set creationPolicy to Owner, or deletionPolicy to Merge',
        });
      }
      return { planned, data, object: undefined };
    }
  }

  const templated = await applyTemplate(es, namespace, data, run, lookup);
  warnings.push(...templated.warnings);
  const size = dataBytes(templated.data);
  if (size > MAX_SECRET_BYTES) {
    throw new PluginError('render', `the Secret would hold ${size} bytes, over Kubernetes' 1 MiB limit`, { origin: es.origin, field: 'spec.target' });
  }
  if (policy === 'Merge' || policy === 'CreateOrMerge') {
    const merge = mergeMetadata(es, namespace, templated.meta);
    return { planned, data: templated.data, object: buildMergePatch(es, namespace, templated.data, merge), merge };
  }
  return { planned, data: templated.data, object: buildSecret(es, namespace, templated.data, templated.meta).object };
}

/**
 * ESO Merge into a Secret that is part of the render: existing keys kept, managed keys overwrite,
 * and the ExternalSecret's metadata applied as ESO's mutationFunc does (in document order).
 */
function mergeInto(secret: Record<string, unknown>, gens: readonly Generated[]): Record<string, unknown> {
  const merged = structuredClone(secret);
  const data = { ...((merged.data as Record<string, string> | undefined) ?? {}) };
  const stringData = { ...((merged.stringData as Record<string, string> | undefined) ?? {}) };
  for (const g of gens) {
    if (g.merge) applyMergeMetadata(merged, g.merge);
    for (const [k, v] of Object.entries(encodeData(g.data))) {
      data[k] = v;
      delete stringData[k]; // stringData wins on apply; our value must not be shadowed
    }
  }
  merged.data = sortedRecord(data);
  if (Object.keys(stringData).length) merged.stringData = stringData;
  else delete merged.stringData;
  return merged;
}

const noEngine: TemplateRunner = async () => {
  throw new Error('internal: template engine not loaded');
};

/** The engine is a separate chunk, loaded on first use: renders without templates never read it. */
async function templateRunner(settings: TemplateSettings): Promise<TemplateRunner> {
  const { executeTemplate } = await import('../template/index.js');
  return (text, data, opts) =>
    executeTemplate(text, data, {
      name: opts.name,
      missingKey: opts.missingKey,
      allowNonDeterministic: settings.allowNonDeterministic,
      ...(settings.hmacKey ? { hmacKey: settings.hmacKey } : {}),
    });
}

/** ConfigMaps and Secrets of this render, for templateFrom (ESO reads them from the ExternalSecret's namespace). */
function objectLookup(documents: ReadonlyArray<ExternalSecret | SecretStore | PassThrough>, destination: string): ObjectLookup {
  const byId = new Map<string, Map<string, Uint8Array>>();
  for (const doc of documents) {
    if (doc.kind !== 'PassThrough' || doc.value.apiVersion !== 'v1') continue;
    const kind = doc.value.kind;
    if (kind !== 'ConfigMap' && kind !== 'Secret') continue;
    const meta = (doc.value.metadata ?? {}) as Record<string, unknown>;
    const values = new Map<string, Uint8Array>();
    const strings = (o: unknown) => (typeof o === 'object' && o !== null ? Object.entries(o as Record<string, unknown>) : []);
    const enc = new TextEncoder();
    if (kind === 'ConfigMap') {
      // ESO reads only cm.Data (templating/parser.go MergeConfigMap): binaryData keys are "missing".
      for (const [k, v] of strings(doc.value.data)) values.set(k, enc.encode(String(v)));
    } else {
      for (const [k, v] of strings(doc.value.data)) values.set(k, new Uint8Array(Buffer.from(String(v), 'base64')));
      for (const [k, v] of strings(doc.value.stringData)) values.set(k, enc.encode(String(v)));
    }
    byId.set(`${kind}/${String(meta.namespace ?? destination)}/${String(meta.name ?? '')}`, values);
  }
  return (kind, namespace, name) => byId.get(`${kind}/${namespace}/${name}`);
}

/**
 * Sorts the app's documents into ESO inputs and pass-through documents, validating ESO kinds.
 * The table of kinds is where later API groups plug in (legacy kubernetes-client.io ExternalSecrets).
 */
import { PluginError } from '../errors/index.js';
import type { ManifestDoc } from '../manifest/parse.js';
import { ESO_GROUP, parseExternalSecret } from './externalsecret.js';
import { parseStore } from './store.js';
import type { ExternalSecret, PassThrough, SecretStore, StoreSource } from './types.js';

export interface Classified {
  readonly externalSecrets: ExternalSecret[];
  readonly stores: SecretStore[];
  /** Every document in source order; ESO inputs appear here as their parsed objects. */
  readonly documents: ReadonlyArray<ExternalSecret | SecretStore | PassThrough>;
  readonly errors: PluginError[];
}

const SERVED = new Set([`${ESO_GROUP}/v1`, `${ESO_GROUP}/v1beta1`]);

export function classify(docs: readonly ManifestDoc[], source: StoreSource = 'repo'): Classified {
  const externalSecrets: ExternalSecret[] = [];
  const stores: SecretStore[] = [];
  const documents: Array<ExternalSecret | SecretStore | PassThrough> = [];
  const errors: PluginError[] = [];

  for (const doc of docs) {
    const apiVersion = typeof doc.value.apiVersion === 'string' ? doc.value.apiVersion : '';
    const kind = String(doc.value.kind);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const refuse = (message: string, hint?: string) => errors.push(new PluginError('input', message, { origin: doc.origin, hint }));

    if (group === ESO_GROUP) {
      if (!SERVED.has(apiVersion)) {
        refuse(`${apiVersion} ${kind} is not supported`, `use ${ESO_GROUP}/v1 (v1beta1 is also accepted)`);
        continue;
      }
      if (kind === 'ExternalSecret') {
        const parsed = parseExternalSecret(doc.value, doc.origin);
        for (const e of parsed.errors) errors.push(new PluginError('input', e.message, { origin: doc.origin, field: e.field, hint: e.hint }));
        if (parsed.value) {
          externalSecrets.push(parsed.value);
          documents.push(parsed.value);
        }
        continue;
      }
      if (kind === 'SecretStore' || kind === 'ClusterSecretStore') {
        const parsed = parseStore(doc.value, doc.origin, kind, source);
        for (const e of parsed.errors) errors.push(new PluginError('input', e.message, { origin: doc.origin, field: e.field, hint: e.hint }));
        if (parsed.value) {
          stores.push(parsed.value);
          documents.push(parsed.value);
        }
        continue;
      }
      if (kind === 'ClusterExternalSecret') {
        refuse('ClusterExternalSecret is not supported yet', 'write one ExternalSecret per namespace');
        continue;
      }
      if (kind === 'PushSecret' || kind === 'ClusterPushSecret') {
        refuse(`${kind} is not supported: a renderer cannot write to a provider`, 'push secrets with an in-cluster ESO');
        continue;
      }
      refuse(`unknown ${ESO_GROUP} kind ${kind}`);
      continue;
    }
    if (group === 'generators.external-secrets.io') {
      refuse(`${kind} generators are not supported: generated values are not reproducible by a renderer`);
      continue;
    }
    if (group === 'kubernetes-client.io') {
      refuse('kubernetes-external-secrets (kubernetes-client.io) manifests are not supported yet', `convert them to ${ESO_GROUP}/v1 ExternalSecrets`);
      continue;
    }
    documents.push({ kind: 'PassThrough', origin: doc.origin, value: doc.value, text: doc.text });
  }
  return { externalSecrets, stores, documents, errors };
}

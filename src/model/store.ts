/**
 * SecretStore / ClusterSecretStore (secretstore_types.go): exactly one provider block, whose
 * contents the provider validates; `conditions` only mean something on a ClusterSecretStore.
 */
import type { Origin } from '../errors/index.js';
import { type Parsed, parseMetadata } from './externalsecret.js';
import { FieldReader, isObject, type Obj } from './fields.js';
import type { ClusterStoreCondition, SecretStore, StoreKind, StoreSource } from './types.js';

export function parseStore(doc: Obj, origin: Origin, kind: StoreKind, source: StoreSource): Parsed<SecretStore> {
  const r = new FieldReader();
  const metadata = parseMetadata(r, doc, kind === 'SecretStore');
  r.known(doc, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const spec = r.object(doc, 'spec', 'spec', true) ?? {};
  r.known(spec, 'spec', ['controller', 'provider', 'retrySettings', 'refreshInterval', 'conditions']);
  const provider = r.object(spec, 'provider', 'spec.provider', true) ?? {};
  const names = Object.keys(provider).filter((k) => provider[k] !== null && provider[k] !== undefined);
  if (names.length !== 1) r.fail('spec.provider', `must set exactly one provider, found ${names.length === 0 ? 'none' : names.join(', ')}`);
  const conditions: ClusterStoreCondition[] = [];
  if (kind === 'ClusterSecretStore') {
    r.list(spec, 'conditions', 'spec.conditions').forEach((raw, i) => {
      const field = `spec.conditions[${i}]`;
      if (!isObject(raw)) {
        r.fail(field, 'must be an object');
        return;
      }
      r.known(raw, field, ['namespaceSelector', 'namespaces', 'namespaceRegexes']);
      conditions.push({
        namespaces: r.stringList(raw, 'namespaces', `${field}.namespaces`),
        namespaceRegexes: r.stringList(raw, 'namespaceRegexes', `${field}.namespaceRegexes`),
        hasNamespaceSelector: raw.namespaceSelector !== undefined && raw.namespaceSelector !== null,
      });
    });
  }
  if (r.errors.length) return { value: undefined, errors: r.errors };
  const providerName = names[0]!;
  return {
    value: {
      kind,
      apiVersion: String(doc.apiVersion),
      origin,
      source,
      metadata,
      controller: r.string(spec, 'controller', 'spec.controller'),
      providerName,
      providerSpec: (provider as Obj)[providerName],
      conditions,
    },
    errors: [],
  };
}

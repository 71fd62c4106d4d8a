/**
 * Sorts the app's documents into ESO inputs and pass-through documents, validating ESO kinds.
 * The table of kinds is where later API groups plug in (legacy kubernetes-client.io ExternalSecrets).
 */
import { PluginError } from '../errors/index.js';
import type { ManifestDoc } from '../manifest/parse.js';
import { ESO_GROUP, parseExternalSecret, parseMetadata } from './externalsecret.js';
import { FieldReader, isObject, type Obj } from './fields.js';
import { parseStore } from './store.js';
import type { ExternalSecret, FakeGenerator, PassThrough, SecretStore, StoreSource } from './types.js';

export interface Classified {
  readonly externalSecrets: ExternalSecret[];
  readonly stores: SecretStore[];
  readonly generators: FakeGenerator[];
  /** Every document in source order; ESO inputs appear here as their parsed objects. */
  readonly documents: ReadonlyArray<ExternalSecret | SecretStore | PassThrough>;
  readonly errors: PluginError[];
}

const SERVED = new Set([`${ESO_GROUP}/v1`, `${ESO_GROUP}/v1beta1`]);
const LEGACY_V1ALPHA1 = `${ESO_GROUP}/v1alpha1`;
const GENERATORS_GROUP = 'generators.external-secrets.io';

export function classify(docs: readonly ManifestDoc[], source: StoreSource = 'repo'): Classified {
  const externalSecrets: ExternalSecret[] = [];
  const stores: SecretStore[] = [];
  const generators: FakeGenerator[] = [];
  const documents: Array<ExternalSecret | SecretStore | PassThrough> = [];
  const errors: PluginError[] = [];

  for (const doc of docs) {
    const apiVersion = typeof doc.value.apiVersion === 'string' ? doc.value.apiVersion : '';
    const kind = String(doc.value.kind);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const refuse = (message: string, hint?: string) => errors.push(new PluginError('input', message, { origin: doc.origin, hint }));

    const addExternalSecret = (value: Obj, fieldPrefix = '') => {
      const parsed = parseExternalSecret(value, doc.origin);
      for (const e of parsed.errors) {
        const field = fieldPrefix && e.field.startsWith('spec') ? `${fieldPrefix}${e.field.slice(4)}` : e.field;
        errors.push(new PluginError('input', e.message, { origin: doc.origin, field, hint: e.hint }));
      }
      if (parsed.value) {
        externalSecrets.push(parsed.value);
        documents.push(parsed.value);
      }
    };

    if (apiVersion === LEGACY_V1ALPHA1 && kind === 'ExternalSecret') {
      addExternalSecret(fromV1alpha1(doc.value));
      continue;
    }
    if (group === ESO_GROUP) {
      if (kind === 'ClusterExternalSecret' && apiVersion === `${ESO_GROUP}/v1`) {
        const expanded = expandClusterExternalSecret(doc.value);
        for (const e of expanded.errors) errors.push(new PluginError('input', e.message, { origin: doc.origin, field: e.field, hint: e.hint }));
        for (const es of expanded.externalSecrets) addExternalSecret(es, 'spec.externalSecretSpec');
        continue;
      }
      if (!SERVED.has(apiVersion)) {
        refuse(`${apiVersion} ${kind} is not supported`, `use ${ESO_GROUP}/v1 (v1beta1 is also accepted)`);
        continue;
      }
      if (kind === 'ExternalSecret') {
        addExternalSecret(doc.value);
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
      if (kind === 'PushSecret' || kind === 'ClusterPushSecret') {
        refuse(`${kind} is not supported: a renderer cannot write to a provider`, 'push secrets with an in-cluster ESO');
        continue;
      }
      refuse(`unknown ${ESO_GROUP} kind ${kind}`);
      continue;
    }
    if (group === GENERATORS_GROUP) {
      if (kind !== 'Fake') {
        refuse(`${kind} generators are not supported: generated values are not reproducible by a renderer`, 'only the Fake generator is rendered');
        continue;
      }
      const r = new FieldReader();
      const metadata = parseMetadata(r, doc.value, true);
      r.known(doc.value, '', ['apiVersion', 'kind', 'metadata', 'spec']);
      const spec = r.object(doc.value, 'spec', 'spec') ?? {};
      r.known(spec, 'spec', ['controller', 'data']);
      const data = r.stringMap(spec, 'data', 'spec.data');
      for (const e of r.errors) errors.push(new PluginError('input', e.message, { origin: doc.origin, field: e.field, hint: e.hint }));
      if (!r.errors.length) generators.push({ kind: 'Fake', origin: doc.origin, metadata, data });
      continue;
    }
    if (group === 'kubernetes-client.io') {
      refuse('kubernetes-external-secrets (kubernetes-client.io) manifests are not supported yet', `convert them to ${ESO_GROUP}/v1 ExternalSecrets`);
      continue;
    }
    documents.push({ kind: 'PassThrough', origin: doc.origin, value: doc.value, text: doc.text });
  }
  return { externalSecrets, stores, generators, documents, errors };
}

/**
 * ESO ≤ 0.8's v1alpha1: `dataFrom` is a list of remote refs, each read as an `extract`; its default
 * template engine was v1, which ESO removed (the model refuses it with a clear message).
 */
function fromV1alpha1(doc: Obj): Obj {
  const spec = isObject(doc.spec) ? doc.spec : {};
  const target = isObject(spec.target) ? spec.target : undefined;
  const template = target && isObject(target.template) ? target.template : undefined;
  const converted: Record<string, unknown> = { ...spec };
  if (Array.isArray(spec.dataFrom)) converted.dataFrom = spec.dataFrom.map((ref) => ({ extract: ref }));
  if (template && template.engineVersion === undefined) {
    converted.target = { ...target, template: { ...template, engineVersion: 'v1' } };
  }
  return { ...doc, apiVersion: `${ESO_GROUP}/v1beta1`, spec: converted };
}

/**
 * ClusterExternalSecret (clusterexternalsecret_controller.go): one ExternalSecret per namespace,
 * named `spec.externalSecretName` (default: the ClusterExternalSecret's name), with
 * `spec.externalSecretMetadata` labels/annotations. Namespace selectors need the live cluster.
 */
function expandClusterExternalSecret(doc: Obj): { externalSecrets: Obj[]; errors: FieldReader['errors'] } {
  const r = new FieldReader();
  const metadata = parseMetadata(r, doc, false);
  r.known(doc, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const spec = r.object(doc, 'spec', 'spec', true) ?? {};
  r.known(spec, 'spec', ['externalSecretSpec', 'externalSecretName', 'externalSecretMetadata', 'namespaceSelector', 'namespaceSelectors', 'namespaces', 'refreshTime']);
  const esSpec = r.object(spec, 'externalSecretSpec', 'spec.externalSecretSpec', true);
  const name = r.string(spec, 'externalSecretName', 'spec.externalSecretName') ?? metadata.name;
  const meta = r.object(spec, 'externalSecretMetadata', 'spec.externalSecretMetadata') ?? {};
  r.known(meta, 'spec.externalSecretMetadata', ['labels', 'annotations']);
  const labels = r.stringMap(meta, 'labels', 'spec.externalSecretMetadata.labels');
  const annotations = r.stringMap(meta, 'annotations', 'spec.externalSecretMetadata.annotations');
  if (spec.namespaceSelector !== undefined || spec.namespaceSelectors !== undefined) {
    r.fail('spec.namespaceSelector', "namespace selectors need the live cluster's namespace labels, which a renderer cannot see", 'list the namespaces in spec.namespaces');
  }
  const namespaces = r.stringList(spec, 'namespaces', 'spec.namespaces');
  if (namespaces.length === 0 && spec.namespaceSelector === undefined && spec.namespaceSelectors === undefined) {
    r.fail('spec.namespaces', 'lists no namespace, so no ExternalSecret would be rendered');
  }
  if (r.errors.length || !esSpec) return { externalSecrets: [], errors: r.errors };
  const externalSecrets = [...new Set(namespaces)].sort().map((namespace) => ({
    apiVersion: doc.apiVersion,
    kind: 'ExternalSecret',
    metadata: { name, namespace, labels, annotations },
    spec: esSpec,
  }));
  return { externalSecrets, errors: [] };
}

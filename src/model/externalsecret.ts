/**
 * ExternalSecret validation for `external-secrets.io/v1` and `v1beta1` (one internal shape):
 * the CRD schema (types, enums, patterns, defaults — eso-semantics.md §1.2–1.4, §9.1) and the
 * admission webhook's rules (externalsecret_validator.go, §1.5) as render-time errors.
 */
import type { Origin } from '../errors/index.js';
import { FieldReader, isObject, join, type Obj } from './fields.js';
import type {
  DataFromItem,
  DataItem,
  ExternalSecret,
  FindRef,
  GeneratorRef,
  RemoteRef,
  Rewrite,
  SecretTemplate,
  StoreRef,
  Target,
  TemplateFromItem,
  TemplateFromKey,
} from './types.js';

export const ESO_GROUP = 'external-secrets.io';
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DECODING = ['None', 'Base64', 'Base64URL', 'Auto'] as const;
const CONVERSION = ['Default', 'Unicode'] as const;
const NULL_BYTE = ['Ignore', 'Fail'] as const;

export interface Parsed<T> {
  readonly value: T | undefined;
  readonly errors: FieldReader['errors'];
}

export function parseMetadata(r: FieldReader, doc: Obj, namespaced: boolean) {
  const meta = r.object(doc, 'metadata', 'metadata', true) ?? {};
  const name = r.string(meta, 'name', 'metadata.name', true) ?? '';
  if (name && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    r.fail('metadata.name', 'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", "."), at most 253 characters');
  }
  const namespace = r.string(meta, 'namespace', 'metadata.namespace');
  if (!namespaced && namespace !== undefined) r.fail('metadata.namespace', 'is not allowed on a cluster-scoped resource');
  return {
    name,
    namespace: namespaced ? namespace : undefined,
    labels: r.stringMap(meta, 'labels', 'metadata.labels'),
    annotations: r.stringMap(meta, 'annotations', 'metadata.annotations'),
  };
}

export function parseExternalSecret(doc: Obj, origin: Origin): Parsed<ExternalSecret> {
  const r = new FieldReader();
  const apiVersion = String(doc.apiVersion);
  const v1 = apiVersion === `${ESO_GROUP}/v1`;
  const metadata = parseMetadata(r, doc, true);
  r.known(doc, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const spec = r.object(doc, 'spec', 'spec', true) ?? {};
  r.known(spec, 'spec', ['secretStoreRef', 'target', 'refreshInterval', 'refreshPolicy', 'data', 'dataFrom', ...(v1 ? ['syncWindows'] : [])]);

  const secretStoreRef = storeRef(r, spec, 'secretStoreRef', 'spec.secretStoreRef');
  const target = parseTarget(r, spec, v1, metadata.name);
  const refreshPolicy = r.oneOf(spec, 'refreshPolicy', 'spec.refreshPolicy', ['Periodic', 'OnChange', 'CreatedOnce'], 'Periodic');
  const refreshInterval = spec.refreshInterval;
  if (refreshInterval !== undefined && typeof refreshInterval !== 'string' && typeof refreshInterval !== 'number') {
    r.fail('spec.refreshInterval', 'must be a duration string such as "1h"');
  }

  const data: DataItem[] = [];
  r.list(spec, 'data', 'spec.data').forEach((raw, i) => {
    const field = `spec.data[${i}]`;
    if (!isObject(raw)) {
        r.fail(field, 'must be an object');
        return;
      }
    r.known(raw, field, ['secretKey', 'remoteRef', 'sourceRef']);
    const secretKey = r.string(raw, 'secretKey', `${field}.secretKey`, true);
    if (secretKey !== undefined && (!SECRET_KEY.test(secretKey) || secretKey.length > 253)) {
      r.fail(`${field}.secretKey`, 'must match ^[-._a-zA-Z0-9]+$ and be at most 253 characters');
    }
    const remoteRef = parseRemoteRef(r, raw, 'remoteRef', `${field}.remoteRef`, v1, true);
    const source = r.object(raw, 'sourceRef', `${field}.sourceRef`);
    let itemStore: StoreRef | undefined;
    if (source) {
      r.known(source, `${field}.sourceRef`, ['storeRef', 'generatorRef']);
      itemStore = storeRef(r, source, 'storeRef', `${field}.sourceRef.storeRef`);
      if (source.generatorRef !== undefined) {
        r.fail(`${field}.sourceRef.generatorRef`, 'generatorRef in spec.data is deprecated and not implemented by ESO', 'use spec.dataFrom[].sourceRef.generatorRef');
      }
    }
    if (secretKey !== undefined && remoteRef) data.push({ secretKey, remoteRef, storeRef: itemStore, field });
  });

  const dataFrom: DataFromItem[] = [];
  r.list(spec, 'dataFrom', 'spec.dataFrom').forEach((raw, i) => {
    const item = parseDataFrom(r, raw, `spec.dataFrom[${i}]`, v1);
    if (item) dataFrom.push(item);
  });

  // Admission webhook rules (externalsecret_validator.go).
  const rawData = Array.isArray(spec.data) ? spec.data : [];
  const rawDataFrom = Array.isArray(spec.dataFrom) ? spec.dataFrom : [];
  if (rawData.length === 0 && rawDataFrom.length === 0) r.fail('spec', 'either data or dataFrom should be specified');
  const { creationPolicy, deletionPolicy } = target;
  if (deletionPolicy === 'Delete' && ['Merge', 'None', 'CreateOrMerge'].includes(creationPolicy)) {
    r.fail(
      'spec.target.deletionPolicy',
      "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner",
    );
  }
  if (deletionPolicy === 'Merge' && creationPolicy === 'None') {
    r.fail('spec.target.deletionPolicy', 'deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with');
  }
  if (deletionPolicy === 'Retain') {
    const seen = new Set<string>();
    for (const item of data) {
      if (seen.has(item.secretKey)) r.fail(`${item.field}.secretKey`, `duplicate secretKey found: ${item.secretKey}`);
      seen.add(item.secretKey);
    }
  }
  if (!secretStoreRef) {
    const uncovered = [...data.filter((d) => !d.storeRef), ...dataFrom.filter((d) => !d.storeRef && !d.generatorRef)];
    for (const item of uncovered) r.fail(item.field, 'has no store: set spec.secretStoreRef or this item\'s sourceRef.storeRef');
  }

  if (r.errors.length) return { value: undefined, errors: r.errors };
  return {
    value: { kind: 'ExternalSecret', apiVersion, origin, metadata, secretStoreRef, target, refreshPolicy, data, dataFrom },
    errors: [],
  };
}

function storeRef(r: FieldReader, parent: Obj, key: string, field: string): StoreRef | undefined {
  const o = r.object(parent, key, field);
  if (!o) return undefined;
  r.known(o, field, ['name', 'kind']);
  const name = r.string(o, 'name', `${field}.name`);
  const kind = r.oneOf(o, 'kind', `${field}.kind`, ['SecretStore', 'ClusterSecretStore'], 'SecretStore');
  if (name === undefined) return r.fail(`${field}.name`, 'is required');
  return { name, kind };
}

function parseRemoteRef(r: FieldReader, parent: Obj, key: string, field: string, v1: boolean, required: boolean): RemoteRef | undefined {
  const o = r.object(parent, key, field, required);
  if (!o) return undefined;
  r.known(o, field, ['key', 'property', 'version', 'metadataPolicy', 'conversionStrategy', 'decodingStrategy', ...(v1 ? ['nullBytePolicy'] : [])]);
  const k = r.string(o, 'key', `${field}.key`, true);
  if (k === undefined) return undefined;
  return {
    key: k,
    property: r.string(o, 'property', `${field}.property`),
    version: r.string(o, 'version', `${field}.version`),
    metadataPolicy: r.oneOf(o, 'metadataPolicy', `${field}.metadataPolicy`, ['None', 'Fetch'], 'None'),
    conversionStrategy: r.oneOf(o, 'conversionStrategy', `${field}.conversionStrategy`, CONVERSION, 'Default'),
    decodingStrategy: r.oneOf(o, 'decodingStrategy', `${field}.decodingStrategy`, DECODING, 'None'),
    nullBytePolicy: r.oneOf(o, 'nullBytePolicy', `${field}.nullBytePolicy`, NULL_BYTE, 'Ignore'),
  };
}

function parseFind(r: FieldReader, o: Obj, field: string, v1: boolean): FindRef {
  r.known(o, field, ['path', 'name', 'tags', 'conversionStrategy', 'decodingStrategy', ...(v1 ? ['nullBytePolicy'] : [])]);
  const nameObj = r.object(o, 'name', `${field}.name`);
  let name: { regexp: string } | undefined;
  if (nameObj) {
    r.known(nameObj, `${field}.name`, ['regexp']);
    name = { regexp: r.rawString(nameObj, 'regexp', `${field}.name.regexp`) ?? '' };
  }
  const tags = o.tags === undefined || o.tags === null ? undefined : r.stringMap(o, 'tags', `${field}.tags`);
  return {
    path: r.string(o, 'path', `${field}.path`),
    name,
    tags,
    conversionStrategy: r.oneOf(o, 'conversionStrategy', `${field}.conversionStrategy`, CONVERSION, 'Default'),
    decodingStrategy: r.oneOf(o, 'decodingStrategy', `${field}.decodingStrategy`, DECODING, 'None'),
    nullBytePolicy: r.oneOf(o, 'nullBytePolicy', `${field}.nullBytePolicy`, NULL_BYTE, 'Ignore'),
  };
}

function parseDataFrom(r: FieldReader, raw: unknown, field: string, v1: boolean): DataFromItem | undefined {
  if (!isObject(raw)) return r.fail(field, 'must be an object');
  r.known(raw, field, ['extract', 'find', 'rewrite', 'sourceRef']);
  const extract = parseRemoteRef(r, raw, 'extract', `${field}.extract`, v1, false);
  const findObj = r.object(raw, 'find', `${field}.find`);
  const find = findObj ? parseFind(r, findObj, `${field}.find`, v1) : undefined;
  let store: StoreRef | undefined;
  let generatorRef: GeneratorRef | undefined;
  const source = r.object(raw, 'sourceRef', `${field}.sourceRef`);
  if (source) {
    r.known(source, `${field}.sourceRef`, ['storeRef', 'generatorRef']);
    store = storeRef(r, source, 'storeRef', `${field}.sourceRef.storeRef`);
    const gen = r.object(source, 'generatorRef', `${field}.sourceRef.generatorRef`);
    if (gen) {
      r.known(gen, `${field}.sourceRef.generatorRef`, ['apiVersion', 'kind', 'name']);
      const kind = r.string(gen, 'kind', `${field}.sourceRef.generatorRef.kind`, true);
      const name = r.string(gen, 'name', `${field}.sourceRef.generatorRef.name`, true);
      const apiVersion = r.string(gen, 'apiVersion', `${field}.sourceRef.generatorRef.apiVersion`) ?? 'generators.external-secrets.io/v1alpha1';
      if (kind && name) generatorRef = { apiVersion, kind, name };
    }
    if (source.storeRef !== undefined && source.generatorRef !== undefined) {
      r.fail(`${field}.sourceRef`, 'storeRef and generatorRef cannot be set at the same time');
    }
    if (source.storeRef === undefined && source.generatorRef === undefined) {
      r.fail(`${field}.sourceRef`, 'generatorRef or storeRef must be set when using sourceRef in dataFrom');
    }
  }
  const set = [raw.extract, raw.find, source?.generatorRef].filter((x) => x !== undefined && x !== null).length;
  if (set > 1) r.fail(field, 'extract, find, or generatorRef cannot be set at the same time');
  if (set === 0 && !source) r.fail(field, 'either extract, find, or sourceRef must be set to dataFrom');

  const rewrite: Rewrite[] = [];
  r.list(raw, 'rewrite', `${field}.rewrite`).forEach((rw, j) => {
    const f = `${field}.rewrite[${j}]`;
    if (!isObject(rw)) {
        r.fail(f, 'must be an object');
        return;
      }
    r.known(rw, f, ['regexp', 'transform', ...(v1 ? ['merge'] : [])]);
    const count = ['regexp', 'transform', 'merge'].filter((k) => rw[k] !== undefined && rw[k] !== null).length;
    if (count !== 1) {
        r.fail(f, 'exactly one of regexp, transform or merge must be set');
        return;
      }
    const re = r.object(rw, 'regexp', `${f}.regexp`);
    if (re) {
      r.known(re, `${f}.regexp`, ['source', 'target']);
      const source = r.rawString(re, 'source', `${f}.regexp.source`) ?? r.fail(`${f}.regexp.source`, 'is required');
      const target = r.rawString(re, 'target', `${f}.regexp.target`) ?? r.fail(`${f}.regexp.target`, 'is required');
      if (source !== undefined && target !== undefined) rewrite.push({ regexp: { source, target } });
      return;
    }
    const tr = r.object(rw, 'transform', `${f}.transform`);
    if (tr) {
      r.known(tr, `${f}.transform`, ['template']);
      const template = r.rawString(tr, 'template', `${f}.transform.template`) ?? r.fail(`${f}.transform.template`, 'is required');
      if (template !== undefined) rewrite.push({ transform: { template } });
      return;
    }
    const mg = r.object(rw, 'merge', `${f}.merge`);
    if (mg) {
      r.known(mg, `${f}.merge`, ['into', 'priority', 'priorityPolicy', 'conflictPolicy', 'strategy']);
      rewrite.push({
        merge: {
          into: r.rawString(mg, 'into', `${f}.merge.into`) ?? '',
          priority: r.stringList(mg, 'priority', `${f}.merge.priority`),
          priorityPolicy: r.oneOf(mg, 'priorityPolicy', `${f}.merge.priorityPolicy`, ['Strict', 'IgnoreNotFound'], 'Strict'),
          conflictPolicy: r.oneOf(mg, 'conflictPolicy', `${f}.merge.conflictPolicy`, ['Error', 'Ignore'], 'Error'),
          strategy: r.oneOf(mg, 'strategy', `${f}.merge.strategy`, ['Extract', 'JSON'], 'Extract'),
        },
      });
    }
  });
  return { extract, find, generatorRef, storeRef: store, rewrite, field };
}

function parseTarget(r: FieldReader, spec: Obj, v1: boolean, esName: string): Target {
  const t = r.object(spec, 'target', 'spec.target') ?? {};
  r.known(t, 'spec.target', ['name', 'creationPolicy', 'deletionPolicy', 'template', 'immutable', ...(v1 ? ['manifest'] : [])]);
  const name = r.string(t, 'name', 'spec.target.name') ?? esName;
  if (t.name !== undefined && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    r.fail('spec.target.name', 'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", "."), at most 253 characters');
  }
  if (t.manifest !== undefined && t.manifest !== null) {
    r.fail('spec.target.manifest', 'generic targets (rendering a ConfigMap or custom resource) are not supported', 'target a Secret');
  }
  const creationPolicies = ['Owner', 'Orphan', 'Merge', 'None', ...(v1 ? ['CreateOrMerge' as const] : [])] as const;
  return {
    name,
    creationPolicy: r.oneOf(t, 'creationPolicy', 'spec.target.creationPolicy', creationPolicies, 'Owner'),
    deletionPolicy: r.oneOf(t, 'deletionPolicy', 'spec.target.deletionPolicy', ['Retain', 'Delete', 'Merge'], 'Retain'),
    immutable: r.boolean(t, 'immutable', 'spec.target.immutable') ?? false,
    template: parseTemplate(r, t, v1),
  };
}

function parseTemplate(r: FieldReader, target: Obj, v1: boolean): SecretTemplate | undefined {
  const field = 'spec.target.template';
  const t = r.object(target, 'template', field);
  if (!t) return undefined;
  r.known(t, field, ['type', 'engineVersion', 'mergePolicy', 'metadata', 'data', 'templateFrom']);
  // The CRD defaults only an absent field; an explicit "" fails its enum, so the API server refuses it.
  const engine = r.rawString(t, 'engineVersion', `${field}.engineVersion`) ?? 'v2';
  if (engine === '') {
    r.fail(`${field}.engineVersion`, 'Unsupported value: "": supported values: "v2"', 'remove engineVersion or set it to v2');
  } else if (engine !== 'v2') {
    r.fail(`${field}.engineVersion`, `unsupported template engine version: ${engine}`, 'ESO removed the v1 engine; rewrite the template for engineVersion v2');
  }
  const meta = r.object(t, 'metadata', `${field}.metadata`) ?? {};
  r.known(meta, `${field}.metadata`, ['labels', 'annotations', ...(v1 ? ['finalizers'] : [])]);
  const templateFrom: TemplateFromItem[] = [];
  r.list(t, 'templateFrom', `${field}.templateFrom`).forEach((raw, i) => {
    const f = `${field}.templateFrom[${i}]`;
    if (!isObject(raw)) {
        r.fail(f, 'must be an object');
        return;
      }
    r.known(raw, f, ['configMap', 'secret', 'literal', 'target', ...(v1 ? ['valuesDecodingStrategy'] : [])]);
    const targetRaw = r.string(raw, 'target', `${f}.target`) ?? 'Data';
    const target = (['Data', 'Annotations', 'Labels'] as const).find((x) => x.toLowerCase() === targetRaw.toLowerCase());
    if (!target) r.fail(`${f}.target`, 'must be Data, Annotations or Labels for a Secret target');
    templateFrom.push({
      configMap: templateSource(r, raw, 'configMap', `${f}.configMap`),
      secret: templateSource(r, raw, 'secret', `${f}.secret`),
      literal: r.rawString(raw, 'literal', `${f}.literal`),
      target: target ?? 'Data',
      valuesDecodingStrategy: r.oneOf(raw, 'valuesDecodingStrategy', `${f}.valuesDecodingStrategy`, DECODING, 'None'),
    });
  });
  const type = r.string(t, 'type', `${field}.type`);
  const annotations = r.stringMap(meta, 'annotations', `${field}.metadata.annotations`);
  // ESO refuses to mint privileged Secret types (externalsecret_validator.go).
  if (type === 'bootstrap.kubernetes.io/token') {
    r.fail(`${field}.type`, 'secret type bootstrap.kubernetes.io/token is not allowed');
  }
  if (type === 'kubernetes.io/service-account-token' && ('kubernetes.io/service-account.name' in annotations || templateFrom.some((x) => x.target === 'Annotations'))) {
    r.fail(`${field}.type`, 'secret type kubernetes.io/service-account-token with a service-account.name annotation is not allowed');
  }
  return {
    type,
    engineVersion: 'v2',
    mergePolicy: r.oneOf(t, 'mergePolicy', `${field}.mergePolicy`, ['Replace', 'Merge'], 'Replace'),
    metadata: {
      labels: r.stringMap(meta, 'labels', `${field}.metadata.labels`),
      annotations,
      finalizers: r.stringList(meta, 'finalizers', `${field}.metadata.finalizers`),
    },
    data: r.stringMap(t, 'data', `${field}.data`),
    templateFrom,
  };
}

function templateSource(r: FieldReader, parent: Obj, key: string, field: string) {
  const o = r.object(parent, key, field);
  if (!o) return undefined;
  r.known(o, field, ['name', 'items']);
  const name = r.string(o, 'name', `${field}.name`, true) ?? '';
  const items: TemplateFromKey[] = [];
  r.list(o, 'items', `${field}.items`).forEach((raw, i) => {
    const f = join(`${field}.items`, i);
    if (!isObject(raw)) {
        r.fail(f, 'must be an object');
        return;
      }
    r.known(raw, f, ['key', 'templateAs']);
    const key = r.string(raw, 'key', `${f}.key`, true);
    if (key !== undefined && !SECRET_KEY.test(key)) r.fail(`${f}.key`, 'must match ^[-._a-zA-Z0-9]+$');
    const templateAs = r.oneOf(raw, 'templateAs', `${f}.templateAs`, ['Values', 'KeysAndValues'], 'Values');
    if (key !== undefined) items.push({ key, templateAs });
  });
  return { name, items };
}

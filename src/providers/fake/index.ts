/**
 * ESO's `fake` provider (providers/v1/fake/fake.go), exactly: entries keyed by `key + version`
 * (plain concatenation, as ESO), exact version match, `property` by gjson path (a missing
 * property is NoSecretErr, unlike AWS), `find` by name only, latest version by string order.
 * The legacy `valueMap` (ESO < 0.9) is accepted as a JSON object value.
 */
import { FieldReader, isObject } from '../fields.js';
import type { Provider, SecretsClient } from '../types.js';
import { NoSecretError, ProviderError } from '../types.js';
import { bytes, convertKeys, jsonToSecretMap, SecretMapError, selectProperty } from '../value.js';

export interface FakeEntry {
  readonly key: string;
  readonly value: string;
  readonly version: string;
}

export interface FakeSpec {
  readonly data: readonly FakeEntry[];
}

export const fakeProvider: Provider<FakeSpec> = {
  name: 'fake',

  parseStore(raw) {
    const r = new FieldReader();
    if (!isObject(raw)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
    r.known(raw, '', ['data', 'validationResult']);
    const data: FakeEntry[] = [];
    const list = raw.data ?? [];
    if (!Array.isArray(list)) r.fail('data', 'must be a list');
    else
      for (const [i, item] of (list as unknown[]).entries()) {
        const entry = parseEntry(r, item, i);
        if (entry) data.push(entry);
      }
    return r.errors.length ? { ok: false, errors: r.errors } : { ok: true, spec: { data } };
  },

  identity() {
    return { kind: 'none' };
  },

  async newClient(use) {
    return fakeClient(use.spec, `${use.store.kind} "${use.store.metadata.name}"`);
  },
};

function parseEntry(r: FieldReader, item: unknown, i: number): FakeEntry | undefined {
  const field = `data[${i}]`;
  if (!isObject(item)) return r.fail(field, 'must be an object');
  r.known(item, field, ['key', 'value', 'valueMap', 'version']);
  const key = r.string(item, 'key', `${field}.key`);
  if (key === undefined) return r.fail(`${field}.key`, `key must be set in data ${i}`);
  const version = r.string(item, 'version', `${field}.version`) ?? '';
  let value = r.string(item, 'value', `${field}.value`);
  const valueMap = r.object(item, 'valueMap', `${field}.valueMap`);
  if (value === undefined && valueMap) {
    for (const [k, v] of Object.entries(valueMap)) {
      if (typeof v !== 'string') r.fail(`${field}.valueMap.${k}`, 'must be a string');
    }
    value = JSON.stringify(valueMap);
  }
  if (value === undefined) return r.fail(`${field}.value`, `at least one value must be set in data ${i}`);
  return { key, value, version };
}

function fakeClient(spec: FakeSpec, storeName: string): SecretsClient {
  // ESO keys its map by key+version; a later entry with the same concatenation replaces an earlier one.
  const entries = new Map<string, FakeEntry>();
  for (const entry of spec.data) entries.set(entry.key + entry.version, entry);

  const lookup = (key: string, version: string | undefined): FakeEntry => {
    const entry = entries.get(key + (version ?? ''));
    if (!entry || entry.version !== (version ?? '')) throw new NoSecretError();
    return entry;
  };

  const client: SecretsClient = {
    async getSecret(ref) {
      const entry = lookup(ref.key, ref.version);
      if (ref.property === undefined || ref.property === '') return bytes(entry.value);
      const value = selectProperty(bytes(entry.value), ref.property, 'path-only');
      if (value === undefined) throw new NoSecretError();
      return value;
    },

    async getSecretMap(ref) {
      const value = await client.getSecret(ref);
      try {
        return jsonToSecretMap(value);
      } catch (e) {
        if (e instanceof SecretMapError) throw new ProviderError(`${storeName}: extract "${ref.key}": unable to unmarshal secret: ${e.message}`);
        throw e;
      }
    },

    async getAllSecrets(find) {
      if (!find.name) throw new ProviderError(`${storeName}: unsupported find operator: only find.name is supported by the fake provider`);
      const { compileFindRegexp } = await import('../find.js'); // Go regexp translation loads on first use
      const matcher = compileFindRegexp(find.name.regexp, storeName);
      const latest = new Map<string, FakeEntry>();
      for (const entry of entries.values()) {
        if (!matcher.test(entry.key)) continue;
        const seen = latest.get(entry.key);
        if (!seen || seen.version < entry.version) latest.set(entry.key, entry);
      }
      const out = new Map<string, Uint8Array>();
      for (const key of [...latest.keys()].sort()) out.set(key, bytes(latest.get(key)!.value));
      return convertKeys(find.conversionStrategy, out);
    },
  };
  return client;
}

/**
 * Reads of secrets, keys and certificates with ESO's semantics (keyvault.go
 * getSecretWithLegacySDK / GetSecretMap / getAllSecretsWithLegacySDK, keyvault_new_sdk.go for
 * `useAzureSDK: true`; eso-semantics.md §6).
 *
 * The official SDKs do the wire work: @azure/keyvault-secrets always, @azure/keyvault-keys and
 * @azure/keyvault-certificates only when a `key/` or `cert/` ref is read (each loads on first use).
 * Why the SDKs rather than hand-written REST: their Key Vault challenge policy (with resource
 * verification) is the security boundary issue 5 requires, and they track api-version changes.
 *
 * Each distinct (object type, name, version) is fetched once per client: data, dataFrom.extract,
 * metadataPolicy Fetch and find share one response.
 */
import { setMaxListeners } from 'node:events';
import type { CertificateClient } from '@azure/keyvault-certificates';
import type { JsonWebKey, KeyClient } from '@azure/keyvault-keys';
import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import type { FindRef, RemoteRef } from '../../model/types.js';
import type { ProviderContext, SecretsClient } from '../types.js';
import { ProviderError } from '../types.js';
import { compileFindRegexp } from '../find.js';
import { bytes, jsonToSecretMap, SecretMapError, selectProperty, UnsupportedPathError } from '../value.js';
import { parseJson } from '../json.js';
import type { TlsOptions } from './auth.js';
import { type Subject, toProviderError } from './errors.js';
import { limiter, withRetry } from './retry.js';

type ObjectType = 'secret' | 'key' | 'cert';

/** Tags plus, for ESO's legacy SDK path, the `attribute.*` timestamps (getSecretAllMetadata). */
type Metadata = Map<string, string>;

interface FetchedSecret {
  readonly value: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly attributes: Attributes;
}
interface FetchedKey {
  readonly key: JsonWebKey | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly attributes: Attributes;
}
interface FetchedCert {
  readonly cer: Uint8Array | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly attributes: Attributes;
}
interface Attributes {
  readonly expires: Date | undefined;
  readonly created: Date | undefined;
  readonly updated: Date | undefined;
  readonly notBefore: Date | undefined;
}

export interface KeyVaultClientOptions {
  readonly vaultUrl: string;
  readonly credential: TokenCredential;
  readonly tls: TlsOptions | undefined;
  /** ESO `useAzureSDK`: tags-only metadata (new SDK) instead of tags + attribute.* (legacy). */
  readonly useAzureSDK: boolean;
  readonly ctx: ProviderContext;
  readonly concurrency?: number;
}

const ERR_DATA_FROM_CERT = 'cannot get use dataFrom to get certificate secret';
const ERR_DATA_FROM_KEY = 'cannot get use dataFrom to get key secret';

/** ESO getObjType: `type/name[/ignored...]`, default `secret`. */
export function objectType(key: string): { type: string; name: string } {
  const parts = key.split('/');
  if (parts.length > 1) return { type: parts[0]!, name: parts[1]! };
  return { type: 'secret', name: key };
}

function isKnownType(t: string): t is ObjectType {
  return t === 'secret' || t === 'key' || t === 'cert';
}

/**
 * Key Vault object names are 1-127 of [0-9a-zA-Z-], versions are hex ids. Anything else cannot
 * exist in a vault, and a name like `..` or one with `?` must not reach the request path.
 */
const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-zA-Z-]{1,64}$/;

function checkName(key: string, name: string, version: string | undefined): void {
  if (!OBJECT_NAME.test(name)) {
    throw new ProviderError(`remoteRef.key ${JSON.stringify(key)}: ${JSON.stringify(name)} is not a Key Vault object name (1-127 letters, digits and -)`);
  }
  if (version && !VERSION.test(version)) throw new ProviderError(`remoteRef.version ${JSON.stringify(version)} is not a Key Vault version id`);
}

export function keyVaultClient(options: KeyVaultClientOptions): SecretsClient {
  const { vaultUrl, credential, tls, ctx } = options;
  const limit = limiter(options.concurrency ?? 10);
  const sdkOptions = {
    // Our retry loop knows the deadline; the SDK's does not (see retry.ts).
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: 'argocd-eso-plugin' },
    ...(tls ? { tlsOptions: tls } : {}),
  };
  // One challenge gate per SDK client: each has its own challenge state (see challengeGate).
  const secretGate = challengeGate(credential);
  const keyGate = challengeGate(credential);
  const certGate = challengeGate(credential);
  let secrets: Promise<SecretClient> | undefined;
  let keys: Promise<KeyClient> | undefined;
  let certs: Promise<CertificateClient> | undefined;
  const secretClient = () =>
    (secrets ??= import('@azure/keyvault-secrets').then((m) => new m.SecretClient(vaultUrl, secretGate.credential, sdkOptions)));
  const keyClient = () => (keys ??= import('@azure/keyvault-keys').then((m) => new m.KeyClient(vaultUrl, keyGate.credential, sdkOptions)));
  const certClient = () =>
    (certs ??= import('@azure/keyvault-certificates').then((m) => new m.CertificateClient(vaultUrl, certGate.credential, sdkOptions)));

  // Requests and retry waits listen to this client's own signal, which follows the render's
  // without a listener on it (AbortSignal.any): a burst of throttled reads would otherwise trip
  // Node's listener-leak warning, on stderr.
  const clientSignal = AbortSignal.any([ctx.signal]);
  setMaxListeners(0, clientSignal);

  let requests = 0;
  const call = <T>(subject: Subject, op: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    withRetry(
      () =>
        limit(() => {
          requests++;
          return op(requestSignal(clientSignal, ctx.deadline));
        }),
      {
        deadline: ctx.deadline,
        signal: clientSignal,
        onRetry: (n, delay, reason) => ctx.debug(`azurekv: ${subject.object}: ${reason}, retry ${n} in ${Math.round(delay)} ms`),
      },
    ).catch((e: unknown) => {
      throw toProviderError(e, subject);
    });

  const cache = new Map<string, Promise<FetchedSecret | FetchedKey | FetchedCert>>();
  const subjectOf = (type: ObjectType, name: string, version: string | undefined): Subject => ({
    vault: vaultUrl,
    object: `${type === 'cert' ? 'certificate' : type} ${JSON.stringify(name)}${version ? ` version ${version}` : ''}`,
  });

  function fetchSecret(name: string, version: string | undefined): Promise<FetchedSecret> {
    const id = `secret/${name}@${version ?? ''}`;
    let p = cache.get(id) as Promise<FetchedSecret> | undefined;
    if (!p) {
      p = call(subjectOf('secret', name, version), async (abortSignal) => {
        const s = await secretGate.run(async () => (await secretClient()).getSecret(name, { version: version || undefined, abortSignal }));
        return { value: s.value, tags: s.properties.tags ?? {}, attributes: attributesOf(s.properties) };
      });
      cache.set(id, p);
    }
    return p;
  }
  function fetchKey(name: string, version: string | undefined): Promise<FetchedKey> {
    const id = `key/${name}@${version ?? ''}`;
    let p = cache.get(id) as Promise<FetchedKey> | undefined;
    if (!p) {
      p = call(subjectOf('key', name, version), async (abortSignal) => {
        const k = await keyGate.run(async () => (await keyClient()).getKey(name, { version: version || undefined, abortSignal }));
        return { key: k.key, tags: k.properties.tags ?? {}, attributes: attributesOf(k.properties) };
      });
      cache.set(id, p);
    }
    return p;
  }
  function fetchCert(name: string, version: string | undefined): Promise<FetchedCert> {
    const id = `cert/${name}@${version ?? ''}`;
    let p = cache.get(id) as Promise<FetchedCert> | undefined;
    if (!p) {
      p = call(subjectOf('cert', name, version), async (abortSignal) => {
        const c = await certGate.run(async () => {
          const client = await certClient();
          return version ? client.getCertificateVersion(name, version, { abortSignal }) : client.getCertificate(name, { abortSignal });
        });
        return { cer: c.cer, tags: c.properties.tags ?? {}, attributes: attributesOf(c.properties) };
      });
      cache.set(id, p);
    }
    return p;
  }
  const fetchObject = (type: ObjectType, name: string, version: string | undefined) =>
    type === 'secret' ? fetchSecret(name, version) : type === 'key' ? fetchKey(name, version) : fetchCert(name, version);

  /** ESO getSecretAllMetadata (legacy) / resp.Tags (new SDK). */
  const metadataOf = (o: FetchedSecret | FetchedKey | FetchedCert): Metadata => {
    const m = new Map(Object.entries(o.tags));
    if (!options.useAzureSDK) {
      const set = (k: string, d: Date | undefined) => {
        if (d) m.set(k, rfc3339(d));
      };
      set('attribute.expires', o.attributes.expires);
      set('attribute.created', o.attributes.created);
      set('attribute.updated', o.attributes.updated);
      set('attribute.notBefore', o.attributes.notBefore);
    }
    return m;
  };

  const client: SecretsClient = {
    async prefetch(refs: readonly RemoteRef[]) {
      const started: Promise<unknown>[] = [];
      for (const ref of refs) {
        const { type, name } = objectType(ref.key);
        if (!isKnownType(type) || !OBJECT_NAME.test(name) || (ref.version && !VERSION.test(ref.version))) continue;
        started.push(fetchObject(type, name, ref.version));
      }
      // Errors surface on the get that needs them (with deletionPolicy applied there).
      await Promise.allSettled(started);
      ctx.debug(`azurekv: ${vaultUrl}: prefetched ${started.length} ref(s), ${requests} request(s) so far`);
    },

    async getSecret(ref) {
      const { type, name } = objectType(ref.key);
      if (!isKnownType(type)) throw new ProviderError(`unknown Azure Keyvault object Type for ${name}`);
      checkName(ref.key, name, ref.version);
      const fetched = await fetchObject(type, name, ref.version);
      if (ref.metadataPolicy === 'Fetch') return getSecretTag(metadataOf(fetched), ref.property ?? '');
      if (type === 'cert') return new Uint8Array((fetched as FetchedCert).cer ?? new Uint8Array());
      const payload = type === 'key' ? jwkJson((fetched as FetchedKey).key) : ((fetched as FetchedSecret).value ?? '');
      return getProperty(payload, ref.property ?? '', ref.key);
    },

    async getSecretMap(ref) {
      const { type, name } = objectType(ref.key);
      if (type === 'cert') throw new ProviderError(ERR_DATA_FROM_CERT);
      if (type === 'key') throw new ProviderError(ERR_DATA_FROM_KEY);
      if (type !== 'secret') throw new ProviderError(`unknown Azure Keyvault object Type for ${name}`);
      const data = await client.getSecret(ref);
      if (ref.metadataPolicy === 'Fetch') {
        // ESO: `tags, _ := a.getSecretTags(ctx, ref)` — errors fetching tags are swallowed.
        const tags = await fetchSecret(name, ref.version).then(
          (s) => secretTagsForMap(name, s, !options.useAzureSDK),
          () => new Map<string, string>(),
        );
        return getSecretMapProperties(tags, ref.key, ref.property ?? '');
      }
      try {
        return jsonToSecretMap(data);
      } catch (e) {
        if (e instanceof SecretMapError) throw new ProviderError(`error unmarshalling json data: ${e.message}`);
        throw e;
      }
    },

    async getAllSecrets(find: FindRef) {
      const limits = ctx.policy.limits;
      const tags = Object.entries(find.tags ?? {});
      const pattern = find.name?.regexp ?? '';
      // ESO matches nothing on an invalid regexp (and logs); we fail instead: under
      // deletionPolicy Delete an empty result would make Argo prune the Secret over a typo.
      const matcher = pattern === "" ? undefined : compileFindRegexp(pattern, `vault ${vaultUrl}`);
      const names: string[] = [];
      const listSubject: Subject = { vault: vaultUrl, object: 'list secrets' };
      // All pages (the SDK follows the service's nextLink); a transient failure restarts the listing.
      const items = await call(listSubject, async (abortSignal) => {
        return secretGate.run(async () => {
          const all: SecretProperties[] = [];
          for await (const page of (await secretClient()).listPropertiesOfSecrets({ abortSignal }).byPage()) all.push(...page);
          return all;
        });
      });
      for (const item of items) {
        if (item.enabled !== true) continue; // ESO isValidSecret: disabled secrets are skipped
        if (!tags.every(([k, v]) => item.tags?.[k] === v)) continue; // strict AND of key=value
        if (matcher && !matcher.test(item.name)) continue; // unanchored, on the secret name
        names.push(item.name);
        if (names.length > limits.findMaxResults) {
          throw new ProviderError(
            `Key Vault ${vaultUrl}: dataFrom.find matches more than ${limits.findMaxResults} secrets (policy limits.findMaxResults)`,
            { hint: 'narrow find.name.regexp or find.tags' },
          );
        }
      }

      const out = new Map<string, Uint8Array>();
      let total = 0;
      const values = await Promise.all(names.map((n) => fetchSecret(n, undefined)));
      for (const [i, name] of names.entries()) {
        const value = values[i]!.value;
        if (value === undefined) continue; // ESO new SDK: `if secretResp.Value != nil`
        const b = bytes(value);
        total += b.length;
        if (total > limits.findMaxBytes) {
          throw new ProviderError(`Key Vault ${vaultUrl}: dataFrom.find results exceed ${limits.findMaxBytes} bytes (policy limits.findMaxBytes)`);
        }
        out.set(name, b);
      }
      return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },

    async close() {
      ctx.debug(`azurekv: ${vaultUrl}: ${requests} request(s)`);
    },
  };
  return client;
}

/**
 * The SDK's Key Vault challenge authentication (@azure/keyvault-common) first sends a request
 * without a token, to learn the vault's tenant and resource from the 401; but every request that
 * starts before that first challenge has completed does the same, so a prefetch that starts 10
 * reads at once cost 10 unauthenticated round trips, not 1. The gate lets the first request of an
 * SDK client go alone and releases the others as soon as it has obtained a token (or has settled,
 * e.g. when the token request failed): one probe per SDK client, and no extra round trip, since
 * the others start while the first one's authorized retry is in flight.
 */
export function challengeGate(credential: TokenCredential): {
  readonly credential: TokenCredential;
  run<T>(op: () => Promise<T>): Promise<T>;
} {
  let tokenObtained: () => void = () => {};
  const token = new Promise<void>((resolve) => {
    tokenObtained = resolve;
  });
  let open: Promise<void> | undefined;
  return {
    credential: {
      async getToken(scopes, options) {
        const t = await credential.getToken(scopes, options);
        if (t) tokenObtained();
        return t;
      },
    },
    run(op) {
      if (open) return open.then(op);
      const first = op();
      const settled = first.then(
        () => undefined,
        () => undefined,
      );
      // setImmediate: after the SDK's promise continuations that mark its challenge complete.
      open = Promise.race([token, settled]).then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      return first;
    },
  };
}

/** A per-request signal: the client's (render's) signal, and the deadline. */
function requestSignal(signal: AbortSignal, deadline: number): AbortSignal {
  const remaining = Math.max(1, deadline - Date.now());
  return AbortSignal.any([signal, AbortSignal.timeout(remaining)]);
}

function attributesOf(p: { expiresOn?: Date; createdOn?: Date; updatedOn?: Date; notBefore?: Date }): Attributes {
  return { expires: p.expiresOn, created: p.createdOn, updated: p.updatedOn, notBefore: p.notBefore };
}

/** Go `time.Time.UTC().Format(time.RFC3339)`: whole seconds, `Z`. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ESO getProperty: gjson path first, then the literal dotted key (the opposite order to AWS). */
function getProperty(payload: string, property: string, key: string): Uint8Array {
  if (property === '') return bytes(payload);
  let found: Uint8Array | undefined;
  try {
    found = selectProperty(bytes(payload), property, 'path-first');
  } catch (e) {
    if (e instanceof UnsupportedPathError) throw new ProviderError(`property ${property}: ${e.message}`);
    throw e;
  }
  if (found === undefined) throw new ProviderError(`property ${property} does not exist in key ${key}`);
  return found;
}

/** ESO getSecretTag. */
function getSecretTag(tags: Metadata, property: string): Uint8Array {
  if (property === '') return bytes(goJsonStringMap(tags));
  const direct = tags.get(property);
  if (direct !== undefined) return bytes(direct);
  const idx = property.indexOf('.');
  if (idx > 0) {
    const tagName = property.slice(0, idx);
    const val = tags.get(tagName);
    if (val !== undefined) {
      // strings.Replace(property, tagName+".", "", 1): the first occurrence, as Go.
      const rest = property.replace(`${tagName}.`, '');
      return getProperty(val, rest, property);
    }
  }
  throw new ProviderError(`tag ${property} does not exist`);
}

/**
 * ESO getSecretTagsWithLegacySDK / getSecretTagsWithNewSDK: `<name>_<tag>`; a tag whose value is
 * a JSON object of strings expands to `<name>_<tag>_<key>`; legacy adds `<name>_attribute.*`.
 */
function secretTagsForMap(name: string, s: FetchedSecret, legacy: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const [tag, value] of Object.entries(s.tags)) {
    const expanded = stringMap(value);
    if (expanded === undefined) out.set(`${name}_${tag}`, value);
    else for (const [k, v] of expanded) out.set(`${name}_${tag}_${k}`, v);
  }
  if (legacy) {
    const set = (k: string, d: Date | undefined) => {
      if (d) out.set(`${name}_${k}`, rfc3339(d));
    };
    set('attribute.expires', s.attributes.expires);
    set('attribute.created', s.attributes.created);
    set('attribute.updated', s.attributes.updated);
    set('attribute.notBefore', s.attributes.notBefore);
  }
  return out;
}

/** Go `json.Unmarshal(v, &map[string]string{})` succeeding: an object of strings (or null), else undefined. */
function stringMap(value: string): Map<string, string> | undefined {
  try {
    const node = parseJson(value);
    if (node.type === 'null') return new Map();
    if (node.type !== 'object') return undefined;
    const out = new Map<string, string>();
    for (const [k, v] of node.entries) {
      if (v.type === 'string') out.set(k, v.value);
      else if (v.type === 'null') out.set(k, '');
      else return undefined;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** ESO getSecretMapProperties. */
function getSecretMapProperties(tags: Metadata, key: string, property: string): Map<string, Uint8Array> {
  if (property !== '') {
    const name = `${key}_${property}`;
    let value: Uint8Array;
    try {
      value = getSecretTag(tags, name);
    } catch {
      value = new Uint8Array(); // ESO: `singleTag, _ := getSecretTag(...)` — the error is dropped
    }
    return new Map([[name, value]]);
  }
  return new Map([...tags].map(([k, v]) => [k, bytes(v)]));
}

/** Go json.Marshal of a string: like JSON.stringify, plus HTML-safe escapes of <, >, & and U+2028/9. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go json.Marshal(map[string]string): keys sorted bytewise. */
function goJsonStringMap(m: Metadata): string {
  const keys = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(m.get(k)!)}`).join(',')}}`;
}

function b64url(b: Uint8Array | undefined): string | undefined {
  return b && b.length > 0 ? Buffer.from(b).toString('base64url') : undefined;
}

/**
 * ESO `json.Marshal(keyResp.Key)`: the JSONWebKey struct's field order (kid, kty, key_ops, n, e,
 * d, dp, dq, qi, p, q, k, key_hsm, crv, x, y), empty fields omitted, binary fields base64url
 * without padding.
 */
export function jwkJson(key: JsonWebKey | undefined): string {
  if (!key) return 'null';
  const fields: Array<[string, string | undefined]> = [
    ['kid', key.kid ? goJsonString(key.kid) : undefined],
    ['kty', key.kty ? goJsonString(key.kty) : undefined],
    ['key_ops', key.keyOps && key.keyOps.length > 0 ? `[${key.keyOps.map((o) => goJsonString(o)).join(',')}]` : undefined],
    ['n', quoted(b64url(key.n))],
    ['e', quoted(b64url(key.e))],
    ['d', quoted(b64url(key.d))],
    ['dp', quoted(b64url(key.dp))],
    ['dq', quoted(b64url(key.dq))],
    ['qi', quoted(b64url(key.qi))],
    ['p', quoted(b64url(key.p))],
    ['q', quoted(b64url(key.q))],
    ['k', quoted(b64url(key.k))],
    ['key_hsm', quoted(b64url(key.t))],
    ['crv', key.crv ? goJsonString(key.crv) : undefined],
    ['x', quoted(b64url(key.x))],
    ['y', quoted(b64url(key.y))],
  ];
  return `{${fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `"${k}":${v}`)
    .join(',')}}`;
}

function quoted(s: string | undefined): string | undefined {
  return s === undefined ? undefined : `"${s}"`;
}


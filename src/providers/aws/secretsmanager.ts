/**
 * Secrets Manager, as ESO reads it (providers/v1/aws/secretsmanager/secretsmanager.go), with one
 * addition for speed: `prefetch` reads every distinct current value through BatchGetSecretValue
 * (≤ 20 ids a call), so N ExternalSecrets sharing M secrets cost ⌈M/20⌉ requests. Version-specific
 * and tag reads use GetSecretValue / DescribeSecret as ESO does. Every read is memoised per client
 * under ESO's cache key `name#version#SECRET|TAG`, so one remote value costs at most one request.
 */
import type { BatchGetSecretValueCommandOutput, ListSecretsCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { FindRef, RemoteRef } from '../../model/types.js';
import { compileFindRegexp, type NameMatcher } from '../find.js';
import type { SecretsClient } from '../types.js';
import { NoSecretError, ProviderError } from '../types.js';
import { bytes } from '../value.js';
import { applyProperty, type ClientDeps, chunks, countedCalls, extractMap, FindBudget, quiet, sortedMap, tagsJson } from './common.js';
import { awsProviderError, inspectAwsError, isAccessDenied, sanitize } from './errors.js';
import { clientConfig, endpointFor, loadSecretsManager, quietly } from './sdk.js';

/** What one read returned: SecretString and/or SecretBinary (tags come back as a SecretString). */
interface Fetched {
  readonly string: string | undefined;
  readonly binary: Uint8Array | undefined;
}

/** AWS's BatchGetSecretValue limit for SecretIdList. */
export const BATCH_IDS = 20;
const CURRENT = 'AWSCURRENT';

/** ESO: ResourceNotFoundException, or "was marked for deletion" (constructSecretValue), is NoSecretErr. */
function isMissing(code: string, message: string): boolean {
  // ESO matches InvalidParameterException; AWS answers a deleted secret with InvalidRequestException.
  return code === 'ResourceNotFoundException' || ((code === 'InvalidParameterException' || code === 'InvalidRequestException') && message.includes('was marked for deletion'));
}

/** ESO GetSecret without property: SecretString wins; with property the payload is SecretBinary if set (retrievePayload). */
export function secretValue(f: Fetched, ref: RemoteRef): Uint8Array {
  if (!ref.property) {
    if (f.string !== undefined) return bytes(f.string);
    if (f.binary !== undefined) return f.binary;
    throw new ProviderError(`invalid secret received. no secret string nor binary for key: ${ref.key}`);
  }
  const payload = f.binary ?? bytes(f.string ?? '');
  return applyProperty(payload, ref);
}

/** ESO fetchAndSet / setSecretValues: SecretBinary overrides SecretString; neither ⇒ no key. */
function findValue(f: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): Uint8Array | undefined {
  if (f.SecretBinary !== undefined) return f.SecretBinary;
  if (f.SecretString !== undefined) return bytes(f.SecretString);
  return undefined;
}

export async function secretsManagerClient(deps: ClientDeps): Promise<SecretsClient> {
  const { spec, ctx, label } = deps;
  const sdk = await loadSecretsManager();
  const client = quietly(() => new sdk.SecretsManagerClient(clientConfig(spec.region, endpointFor(ctx.env, 'SECRETS_MANAGER'), deps.credentials)));
  const cache = new Map<string, Promise<Fetched>>();
  let batchDenied = false;

  const { send, report } = countedCalls(deps);

  const getSecretValue = async (id: string, version: string): Promise<Fetched> => {
    const input = version.startsWith('uuid/') ? { SecretId: id, VersionId: version.slice('uuid/'.length) } : { SecretId: id, VersionStage: version };
    try {
      const out = await send('GetSecretValue', (abortSignal) => client.send(new sdk.GetSecretValueCommand(input), { abortSignal }));
      return { string: out.SecretString, binary: out.SecretBinary };
    } catch (e) {
      const info = inspectAwsError(e);
      if (info.service && isMissing(info.code, info.message)) throw new NoSecretError();
      throw awsProviderError(label, 'GetSecretValue', id, e);
    }
  };

  // ESO (constructSecretValue) does not map a missing secret to NoSecretErr on this path: it fails.
  const describeTags = async (id: string): Promise<Fetched> => {
    try {
      const out = await send('DescribeSecret', (abortSignal) => client.send(new sdk.DescribeSecretCommand({ SecretId: id }), { abortSignal }));
      return { string: tagsJson((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''] as const)), binary: undefined };
    } catch (e) {
      throw awsProviderError(label, 'DescribeSecret', id, e);
    }
  };

  const cacheKey = (id: string, version: string, kind: 'SECRET' | 'TAG') => `${id}#${version}#${kind}`;

  const fetch = (ref: RemoteRef): Promise<Fetched> => {
    const id = spec.prefix + ref.key;
    const version = ref.version || CURRENT;
    const kind = ref.metadataPolicy === 'Fetch' ? 'TAG' : 'SECRET';
    const key = cacheKey(id, version, kind);
    let pending = cache.get(key);
    if (!pending) {
      pending = quiet(kind === 'TAG' ? describeTags(id) : getSecretValue(id, version));
      cache.set(key, pending);
    }
    return pending;
  };

  /** Current values of many ids: BatchGetSecretValue in chunks of 20, GetSecretValue for a chunk of one. */
  const fetchCurrent = (ids: readonly string[]): void => {
    const todo = [...new Set(ids)].filter((id) => !cache.has(cacheKey(id, CURRENT, 'SECRET')));
    const settle = new Map<string, { resolve: (v: Fetched | Promise<Fetched>) => void; reject: (e: unknown) => void }>();
    for (const id of todo) {
      cache.set(
        cacheKey(id, CURRENT, 'SECRET'),
        quiet(
          new Promise<Fetched>((resolve, reject) => {
            settle.set(id, { resolve, reject });
          }),
        ),
      );
    }
    const one = (id: string) => settle.get(id)!.resolve(quiet(getSecretValue(id, CURRENT)));
    for (const chunk of chunks(todo, BATCH_IDS)) {
      if (chunk.length === 1 || batchDenied) {
        chunk.forEach(one);
        continue;
      }
      void batch(chunk).then(
        ({ found, errors }) => {
          // A partial ARN (no random suffix) names the secret whose ARN is it plus "-XXXXXX".
          const partialArns = new Map<string, string>();
          for (const arn of found.keys()) if (arn.startsWith('arn:') && /-[A-Za-z0-9]{6}$/.test(arn)) partialArns.set(arn.slice(0, -7), arn);
          for (const id of chunk) {
            const hit = found.get(id) ?? (id.startsWith('arn:') ? found.get(partialArns.get(id) ?? '') : undefined);
            const error = errors.get(id);
            if (hit) settle.get(id)!.resolve(hit);
            else if (error) settle.get(id)!.reject(isMissing(error.code, error.message) ? new NoSecretError() : batchEntryError(id, error));
            // Not recognisable in the reply (e.g. a partial ARN): read it on its own.
            else one(id);
          }
        },
        (e: unknown) => {
          if (isAccessDenied(inspectAwsError(e))) {
            // The identity may read each secret but lacks secretsmanager:BatchGetSecretValue.
            if (!batchDenied) ctx.debug(`aws ${label}: BatchGetSecretValue denied; falling back to GetSecretValue`);
            batchDenied = true;
            chunk.forEach(one);
            return;
          }
          for (const id of chunk) settle.get(id)!.reject(awsProviderError(label, 'BatchGetSecretValue', id, e));
        },
      );
    }
  };

  const batchEntryError = (id: string, error: { code: string; message: string }) =>
    new ProviderError(`${label}: BatchGetSecretValue ${JSON.stringify(id)} failed: ${error.code}${error.message ? `: ${error.message}` : ''}`, { code: error.code });

  const batch = async (chunk: readonly string[]) => {
    const found = new Map<string, Fetched>();
    const errors = new Map<string, { code: string; message: string }>();
    let token: string | undefined;
    do {
      const input = { SecretIdList: [...chunk], ...(token ? { NextToken: token } : {}) };
      const out = await send('BatchGetSecretValue', (abortSignal) => client.send(new sdk.BatchGetSecretValueCommand(input), { abortSignal }));
      for (const v of out.SecretValues ?? []) {
        const f = { string: v.SecretString, binary: v.SecretBinary };
        if (v.Name) found.set(v.Name, f);
        if (v.ARN) found.set(v.ARN, f);
      }
      for (const er of out.Errors ?? []) if (er.SecretId) errors.set(er.SecretId, { code: er.ErrorCode ?? 'Unknown', message: sanitize(er.Message ?? '') });
      token = out.NextToken;
    } while (token);
    return { found, errors };
  };

  /** ESO fetchWithBatch: BatchGetSecretValue by filters, all pages; per-secret Errors are skipped as ESO does. */
  const findWithBatch = async (filters: Array<{ Key: 'name' | 'tag-key' | 'tag-value'; Values: string[] }>, matcher: NameMatcher | undefined, budget: FindBudget) => {
    const data = new Map<string, Uint8Array>();
    let token: string | undefined;
    let skipped = 0;
    do {
      const input = { Filters: filters, ...(token ? { NextToken: token } : {}) };
      let out: BatchGetSecretValueCommandOutput;
      try {
        out = await send('BatchGetSecretValue', (abortSignal) => client.send(new sdk.BatchGetSecretValueCommand(input), { abortSignal }));
      } catch (e) {
        throw awsProviderError(label, 'BatchGetSecretValue (find)', filters.map((f) => `${f.Key}=${f.Values.join(',')}`).join(' '), e);
      }
      for (const secret of out.SecretValues ?? []) {
        if (!secret.Name || (matcher && !matcher.test(secret.Name))) continue;
        const value = findValue(secret);
        if (value === undefined) continue;
        budget.add(value);
        data.set(secret.Name, value);
      }
      skipped += out.Errors?.length ?? 0;
      token = out.NextToken;
    } while (token);
    if (skipped) ctx.debug(`aws ${label}: find skipped ${skipped} secret(s) BatchGetSecretValue reported in Errors (as ESO)`);
    return data;
  };

  /** ESO findByName without path: ListSecrets (all pages), unanchored regexp, then each value read. */
  const findWithList = async (filters: Array<{ Key: 'tag-key' | 'tag-value'; Values: string[] }>, matcher: NameMatcher, budget: FindBudget) => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const input = { ...(filters.length ? { Filters: filters } : {}), ...(token ? { NextToken: token } : {}) };
      let out: ListSecretsCommandOutput;
      try {
        out = await send('ListSecrets', (abortSignal) => client.send(new sdk.ListSecretsCommand(input), { abortSignal }));
      } catch (e) {
        throw awsProviderError(label, 'ListSecrets (find)', filters.map((f) => `${f.Key}=${f.Values.join(',')}`).join(' '), e);
      }
      for (const secret of out.SecretList ?? []) {
        if (!secret.Name || !matcher.test(secret.Name)) continue;
        budget.match();
        names.push(secret.Name);
      }
      token = out.NextToken;
    } while (token);
    // ESO quirk (fetchAndSet → fetch): the listed full name is read again with the store prefix in front.
    const ids = names.map((name) => spec.prefix + name);
    fetchCurrent(ids);
    const data = new Map<string, Uint8Array>();
    for (const [i, name] of names.entries()) {
      const f = await cache.get(cacheKey(ids[i]!, CURRENT, 'SECRET'))!;
      const value = findValue({ SecretString: f.string, SecretBinary: f.binary });
      if (value === undefined) continue;
      budget.size(value.byteLength);
      data.set(name, value);
    }
    return data;
  };

  return {
    async prefetch(refs) {
      const current: string[] = [];
      const others: Promise<unknown>[] = [];
      for (const ref of refs) {
        if (ref.metadataPolicy !== 'Fetch' && (!ref.version || ref.version === CURRENT)) current.push(spec.prefix + ref.key);
        else others.push(fetch(ref));
      }
      fetchCurrent(current);
      // Failures stay in the cache and surface from getSecret, naming the key that needs them.
      await Promise.allSettled([...others, ...current.map((id) => cache.get(cacheKey(id, CURRENT, 'SECRET')))]);
    },

    async getSecret(ref) {
      return secretValue(await fetch(ref), ref);
    },

    async getSecretMap(ref) {
      return extractMap(secretValue(await fetch(ref), ref), ref);
    },

    async getAllSecrets(find: FindRef) {
      const tags = Object.entries(find.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (!find.name && tags.length === 0) throw new ProviderError(`${label}: unexpected find operator`);
      const tagFilters = tags.flatMap(([k, v]) => [
        { Key: 'tag-key' as const, Values: [k] },
        { Key: 'tag-value' as const, Values: [v] },
      ]);
      const budget = new FindBudget(ctx, label);
      const matcher = find.name ? compileFindRegexp(find.name.regexp, label) : undefined;
      let data: Map<string, Uint8Array>;
      if (find.path !== undefined || !matcher) {
        const filters = find.path !== undefined ? [...tagFilters, { Key: 'name' as const, Values: [find.path] }] : tagFilters;
        data = await findWithBatch(filters, matcher, budget);
      } else {
        data = await findWithList(tagFilters, matcher, budget);
      }
      return sortedMap(data);
    },

    async close() {
      client.destroy();
      report();
    },
  };
}

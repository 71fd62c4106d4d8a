/**
 * Parameter Store, as ESO reads it (providers/v1/aws/parameterstore/parameterstore.go): name =
 * prefix + key (+ `:version`, a number or a label), always WithDecryption, StringList as its raw
 * comma-joined string. For speed, `prefetch` reads distinct names with GetParameters (≤ 10 names a
 * call), which reports misses in `InvalidParameters` rather than as an error.
 */
import type { DescribeParametersCommandOutput, GetParametersByPathCommandOutput } from '@aws-sdk/client-ssm';
import type { FindRef, RemoteRef } from '../../model/types.js';
import { compileFindRegexp } from '../find.js';
import type { SecretsClient } from '../types.js';
import { NoSecretError, ProviderError } from '../types.js';
import { bytes } from '../value.js';
import { applyProperty, type ClientDeps, chunks, countedCalls, extractMap, FindBudget, quiet, sortedMap, tagsJson } from './common.js';
import { awsProviderError, inspectAwsError, isAccessDenied } from './errors.js';
import { clientConfig, endpointFor, loadSsm, quietly } from './sdk.js';

/** AWS's GetParameters limit. */
export const GET_PARAMETERS_NAMES = 10;

/** ESO parameterNameWithVersion. */
export function parameterName(prefix: string, ref: Pick<RemoteRef, 'key' | 'version'>): string {
  return ref.version ? `${prefix}${ref.key}:${ref.version}` : prefix + ref.key;
}

/** `name:3` / `name:label` (an ARN has colons of its own). */
const hasSelector = (name: string) => !name.startsWith('arn:') && name.includes(':');

export async function parameterStoreClient(deps: ClientDeps): Promise<SecretsClient> {
  const { spec, ctx, label } = deps;
  const sdk = await loadSsm();
  const client = quietly(() => new sdk.SSMClient(clientConfig(spec.region, endpointFor(ctx.env, 'SSM'), deps.credentials)));
  const cache = new Map<string, Promise<string>>();
  let batchDenied = false;

  const { send, report } = countedCalls(deps);

  const getParameter = async (name: string): Promise<string> => {
    try {
      const out = await send('GetParameter', (abortSignal) => client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal }));
      if (out.Parameter?.Value === undefined) throw new ProviderError(`invalid secret received. parameter value is nil for key: ${name}`);
      return out.Parameter.Value;
    } catch (e) {
      const info = inspectAwsError(e);
      if (info.service && info.code === 'ParameterNotFound') throw new NoSecretError();
      throw awsProviderError(label, 'GetParameter', name, e);
    }
  };

  const listTags = async (name: string): Promise<string> => {
    try {
      const out = await send('ListTagsForResource', (abortSignal) =>
        client.send(new sdk.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }), { abortSignal }),
      );
      return tagsJson((out.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''] as const));
    } catch (e) {
      const info = inspectAwsError(e);
      if (info.service && info.code === 'ParameterNotFound') throw new NoSecretError();
      throw awsProviderError(label, 'ListTagsForResource', name, e);
    }
  };

  const valueKey = (name: string) => `${name}#VALUE`;

  /** Values of many names: GetParameters in chunks of 10; GetParameter for a chunk of one. */
  const fetchValues = (names: readonly string[]): void => {
    const todo = [...new Set(names)].filter((n) => !cache.has(valueKey(n)));
    const settle = new Map<string, { resolve: (v: string | Promise<string>) => void; reject: (e: unknown) => void }>();
    for (const name of todo) {
      cache.set(
        valueKey(name),
        quiet(
          new Promise<string>((resolve, reject) => {
            settle.set(name, { resolve, reject });
          }),
        ),
      );
    }
    const one = (name: string) => settle.get(name)!.resolve(quiet(getParameter(name)));
    for (const chunk of chunks(todo, GET_PARAMETERS_NAMES)) {
      if (chunk.length === 1 || batchDenied) {
        chunk.forEach(one);
        continue;
      }
      void send('GetParameters', (abortSignal) => client.send(new sdk.GetParametersCommand({ Names: [...chunk], WithDecryption: true }), { abortSignal })).then(
        (out) => {
          const found = new Map<string, string>();
          for (const p of out.Parameters ?? []) {
            if (p.Name === undefined || p.Value === undefined) continue;
            found.set(p.Name + (p.Selector ?? ''), p.Value);
            if (p.ARN && !p.Selector) found.set(p.ARN, p.Value);
          }
          const invalid = new Set(out.InvalidParameters ?? []);
          for (const name of chunk) {
            const value = found.get(name);
            if (value !== undefined) settle.get(name)!.resolve(value);
            // A plain name GetParameter would answer ParameterNotFound (ESO: NoSecretErr). A miss with
            // a version or label may be ParameterVersionNotFound, which ESO surfaces: ask GetParameter.
            else if (invalid.has(name) && !hasSelector(name)) settle.get(name)!.reject(new NoSecretError());
            else one(name);
          }
        },
        (e: unknown) => {
          if (isAccessDenied(inspectAwsError(e))) {
            if (!batchDenied) ctx.debug(`aws ${label}: GetParameters denied; falling back to GetParameter`);
            batchDenied = true;
            chunk.forEach(one);
            return;
          }
          for (const name of chunk) settle.get(name)!.reject(awsProviderError(label, 'GetParameters', name, e));
        },
      );
    }
  };

  const fetch = (ref: RemoteRef): Promise<string> => {
    const name = parameterName(spec.prefix, ref);
    if (ref.metadataPolicy === 'Fetch') {
      const key = `${name}#TAG`;
      let pending = cache.get(key);
      if (!pending) {
        // ESO (getParameterTags) asks for the tags of the name *with* its version suffix.
        pending = quiet(listTags(name));
        cache.set(key, pending);
      }
      return pending;
    }
    fetchValues([name]);
    return cache.get(valueKey(name))!;
  };

  const value = async (ref: RemoteRef): Promise<Uint8Array> => {
    const raw = bytes(await fetch(ref));
    return ref.property ? applyProperty(raw, ref) : raw;
  };

  /** ESO fetchAndSet (find via DescribeParameters): a parameter that vanished is an error there, not NoSecretErr. */
  const readFound = async (names: readonly string[], budget: FindBudget): Promise<Map<string, Uint8Array>> => {
    fetchValues(names);
    const data = new Map<string, Uint8Array>();
    for (const name of names) {
      let v: string;
      try {
        v = await cache.get(valueKey(name))!;
      } catch (e) {
        if (e instanceof NoSecretError) throw new ProviderError(`${label}: GetParameter ${JSON.stringify(name)} failed: ParameterNotFound`, { code: 'ParameterNotFound' });
        throw e;
      }
      const b = bytes(v);
      budget.size(b.byteLength);
      data.set(name, b);
    }
    return data;
  };

  type ParameterFilter = { Key: string; Option: string; Values: string[] };

  const describe = async (filters: ParameterFilter[], accept: (name: string) => boolean, budget: FindBudget) => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const input = { ParameterFilters: filters, ...(token ? { NextToken: token } : {}) };
      let out: DescribeParametersCommandOutput;
      try {
        out = await send('DescribeParameters', (abortSignal) => client.send(new sdk.DescribeParametersCommand(input), { abortSignal }));
      } catch (e) {
        throw awsProviderError(label, 'DescribeParameters (find)', filters.map((f) => `${f.Key}=${f.Values.join(',')}`).join(' '), e);
      }
      for (const p of out.Parameters ?? []) {
        if (!p.Name || !accept(p.Name)) continue;
        budget.match();
        names.push(p.Name);
      }
      token = out.NextToken;
    } while (token);
    return readFound(names, budget);
  };

  const findByName = async (find: FindRef & { name: { regexp: string } }, budget: FindBudget) => {
    const matcher = compileFindRegexp(find.name.regexp, label);
    const path = find.path ?? '/';
    const data = new Map<string, Uint8Array>();
    let token: string | undefined;
    do {
      const input = { Path: path, Recursive: true, WithDecryption: true, ...(token ? { NextToken: token } : {}) };
      let out: GetParametersByPathCommandOutput;
      try {
        out = await send('GetParametersByPath', (abortSignal) => client.send(new sdk.GetParametersByPathCommand(input), { abortSignal }));
      } catch (e) {
        if (isAccessDenied(inspectAwsError(e))) {
          // ESO fallbackFindByName: DescribeParameters (needs Resource "*") + a read per match.
          ctx.debug(`aws ${label}: GetParametersByPath denied for ${path}; falling back to DescribeParameters`);
          return describe([{ Key: 'Path', Option: 'Recursive', Values: [path] }], (n) => matcher.test(n), new FindBudget(ctx, label));
        }
        throw awsProviderError(label, 'GetParametersByPath (find)', path, e);
      }
      for (const p of out.Parameters ?? []) {
        if (!p.Name || p.Value === undefined || !matcher.test(p.Name)) continue;
        const b = bytes(p.Value);
        budget.add(b);
        data.set(p.Name, b);
      }
      token = out.NextToken;
    } while (token);
    return data;
  };

  return {
    async prefetch(refs) {
      const names: string[] = [];
      const others: Promise<unknown>[] = [];
      for (const ref of refs) {
        if (ref.metadataPolicy === 'Fetch') others.push(fetch(ref));
        else names.push(parameterName(spec.prefix, ref));
      }
      fetchValues(names);
      await Promise.allSettled([...others, ...names.map((n) => cache.get(valueKey(n)))]);
    },

    getSecret: value,

    async getSecretMap(ref) {
      return extractMap(await value(ref), ref);
    },

    async getAllSecrets(find) {
      const budget = new FindBudget(ctx, label);
      let data: Map<string, Uint8Array>;
      // ESO: find.name wins and tags are then ignored; a non-nil tags map (even empty) selects findByTags.
      if (find.name) data = await findByName({ ...find, name: find.name }, budget);
      else if (find.tags !== undefined) {
        const filters: ParameterFilter[] = Object.entries(find.tags)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => ({ Key: `tag:${k}`, Option: 'Equals', Values: [v] }));
        if (find.path !== undefined) filters.push({ Key: 'Path', Option: 'Recursive', Values: [find.path] });
        data = await describe(filters, () => true, budget);
      } else throw new ProviderError('unexpected find operator');
      return sortedMap(data);
    },

    async close() {
      client.destroy();
      report();
    },
  };
}

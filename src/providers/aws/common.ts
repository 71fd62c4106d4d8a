/**
 * What Secrets Manager and Parameter Store share (ESO keeps these in both service files):
 * the client's dependencies, the property/extract semantics, tags as Go's json.Marshal prints
 * them, and the find limits from policy.yaml.
 */
import type { RemoteRef } from '../../model/types.js';
import type { ProviderContext } from '../types.js';
import { ProviderError } from '../types.js';
import { jsonToSecretMap, SecretMapError, selectProperty, UnsupportedPathError } from '../value.js';
import type { Call } from './retry.js';
import type { CredentialProvider } from './sdk.js';
import type { AwsSpec } from './spec.js';

export interface ClientDeps {
  readonly spec: AwsSpec;
  readonly ctx: ProviderContext;
  /** `SecretStore "ns/name"`, for errors. */
  readonly label: string;
  readonly credentials: CredentialProvider;
  readonly call: Call;
}

/**
 * ESO GetSecret with a property (secretsmanager.go mapSecretToGjson / parameterstore.go GetSecret):
 * the whole property as one literal key first, then the gjson path.
 */
export function applyProperty(payload: Uint8Array, ref: RemoteRef): Uint8Array {
  const property = ref.property ?? '';
  let value: Uint8Array | undefined;
  try {
    value = selectProperty(payload, property, 'literal-first');
  } catch (e) {
    if (e instanceof UnsupportedPathError) throw new ProviderError(`${e.message}: ${property}`);
    throw e;
  }
  if (value === undefined) throw new ProviderError(`key ${property} does not exist in secret ${ref.key}`);
  return value;
}

/** ESO GetSecretMap: json.Unmarshal into map[string]json.RawMessage, strings unquoted. */
export function extractMap(value: Uint8Array, ref: RemoteRef): Map<string, Uint8Array> {
  try {
    return jsonToSecretMap(value);
  } catch (e) {
    if (e instanceof SecretMapError) throw new ProviderError(`unable to unmarshal secret ${ref.key}: ${e.message}`);
    throw e;
  }
}

function goQuote(s: string): string {
  // Go's encoder escapes <, > and & for HTML safety, and U+2028/U+2029; otherwise JSON.stringify agrees.
  return JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go `json.Marshal(map[string]string)`: keys sorted bytewise, HTML-escaped (awsutil.SecretTagsToJSONString). */
export function tagsJson(tags: Iterable<readonly [string, string]>): string {
  const m = new Map<string, string>(tags);
  const keys = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${goQuote(k)}:${goQuote(m.get(k)!)}`).join(',')}}`;
}

/** Caps `find` (policy.yaml limits): counted as results arrive so a huge account stops early. */
export class FindBudget {
  private count = 0;
  private bytes = 0;
  constructor(
    private readonly ctx: ProviderContext,
    private readonly label: string,
  ) {}

  /** One more match (checked before its value is fetched). */
  match(): void {
    const { findMaxResults } = this.ctx.policy.limits;
    this.count++;
    if (this.count > findMaxResults) {
      throw new ProviderError(`${this.label}: dataFrom.find matched more than ${findMaxResults} secrets (policy limits.findMaxResults)`, {
        code: 'FindLimit',
        hint: 'narrow find.name.regexp, find.path or find.tags',
      });
    }
  }

  size(byteLength: number): void {
    const { findMaxBytes } = this.ctx.policy.limits;
    this.bytes += byteLength;
    if (this.bytes > findMaxBytes) {
      throw new ProviderError(`${this.label}: dataFrom.find matched more than ${findMaxBytes} bytes (policy limits.findMaxBytes)`, {
        code: 'FindLimit',
        hint: 'narrow find.name.regexp, find.path or find.tags',
      });
    }
  }

  add(value: Uint8Array): void {
    this.match();
    this.size(value.byteLength);
  }
}

/** Keys of a find result in a stable order (ESO returns a Go map; order is ours to choose). */
export function sortedMap(entries: Map<string, Uint8Array>): Map<string, Uint8Array> {
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Settled promises must not surface as unhandled rejections before someone awaits them. */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * A client's requests go through `call` (retries, deadline, concurrency) and are counted per
 * operation for the --debug summary: `report()` prints it once, when the client closes.
 */
export function countedCalls(deps: Pick<ClientDeps, 'call' | 'ctx' | 'label'>) {
  const requests = new Map<string, number>();
  const send = <T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    deps.call((signal) => {
      requests.set(operation, (requests.get(operation) ?? 0) + 1);
      return fn(signal);
    });
  const report = () => {
    if (requests.size) deps.ctx.debug(`aws ${deps.label}: requests ${[...requests].map(([op, n]) => `${op}=${n}`).join(' ')}`);
  };
  return { send, report };
}

/** RemoteRef / FindRef builders with ESO's CRD defaults, for provider tests. */
import type { FindRef, RemoteRef } from '../../src/model/types.js';

export function ref(key: string, extra: Partial<RemoteRef> = {}): RemoteRef {
  return {
    key,
    property: undefined,
    version: undefined,
    metadataPolicy: 'None',
    conversionStrategy: 'Default',
    decodingStrategy: 'None',
    nullBytePolicy: 'Ignore',
    ...extra,
  };
}

export function find(extra: Partial<FindRef> = {}): FindRef {
  return { path: undefined, name: undefined, tags: undefined, conversionStrategy: 'Default', decodingStrategy: 'None', nullBytePolicy: 'Ignore', ...extra };
}

/**
 * Executes the plan's reads: one client per (store, referent namespace), created on first use;
 * `prefetch` with every distinct ref first (batching), then memoised reads, so a remote value is
 * requested at most once per render however many ExternalSecrets use it. Every value read is
 * handed to `onValue` (the redactor) before anyone else sees it.
 */
import type { FindRef, RemoteRef } from '../model/types.js';
import type { ProviderContext, SecretsClient } from '../providers/types.js';
import { type Plan, type ResolvedStore, readKey } from './index.js';

export interface Fetcher {
  getSecret(store: ResolvedStore, ref: RemoteRef): Promise<Uint8Array>;
  getSecretMap(store: ResolvedStore, ref: RemoteRef): Promise<Map<string, Uint8Array>>;
  getAllSecrets(store: ResolvedStore, find: FindRef): Promise<Map<string, Uint8Array>>;
  close(): Promise<void>;
  /** Reads actually sent to clients (after dedupe), for --debug and tests. */
  readonly counts: { gets: number; maps: number; finds: number };
}

export function createFetcher(plan: Plan, ctx: ProviderContext, onValue: (value: Uint8Array) => void): Fetcher {
  const clients = new Map<string, Promise<SecretsClient>>();
  const memo = new Map<string, Promise<unknown>>();
  const counts = { gets: 0, maps: 0, finds: 0 };

  const client = (store: ResolvedStore): Promise<SecretsClient> => {
    let c = clients.get(store.clientKey);
    if (!c) {
      c = (async () => {
        const created = await store.provider.newClient({ store: store.store, spec: store.spec, namespace: store.namespace }, ctx);
        const refs = plan.reads.get(store.clientKey) ?? [];
        if (created.prefetch && refs.length > 0) {
          ctx.debug(`${store.store.kind}/${store.store.metadata.name}: prefetch ${refs.length} distinct ref(s)`);
          await created.prefetch(refs);
        }
        return created;
      })();
      clients.set(store.clientKey, c);
    }
    return c;
  };

  const once = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      memo.set(key, p);
    }
    return p;
  };

  const seeMap = (m: Map<string, Uint8Array>) => {
    for (const v of m.values()) onValue(v);
    return m;
  };

  return {
    counts,
    getSecret: (store, ref) =>
      once(`get|${store.clientKey}|${readKey(ref)}`, async () => {
        counts.gets++;
        const value = await (await client(store)).getSecret(ref);
        onValue(value);
        return value;
      }),
    getSecretMap: (store, ref) =>
      once(`map|${store.clientKey}|${readKey(ref)}`, async () => {
        counts.maps++;
        return seeMap(await (await client(store)).getSecretMap(ref));
      }),
    getAllSecrets: (store, find) =>
      once(`find|${store.clientKey}|${JSON.stringify([find.path, find.name?.regexp, find.tags, find.conversionStrategy])}`, async () => {
        counts.finds++;
        return seeMap(await (await client(store)).getAllSecrets(find));
      }),
    async close() {
      await Promise.allSettled([...clients.values()].map(async (c) => (await c).close?.()));
    },
  };
}

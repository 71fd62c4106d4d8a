/**
 * dataFrom.find against the test server (ESO getAllSecrets*): every page of the list (nextLink),
 * disabled secrets skipped, tags as a strict AND, name.regexp unanchored, policy caps.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_LIMITS } from '../../src/policy/types.js';
import { ProviderError } from '../../src/providers/types.js';
import { client, find, providerContext, rejection, utf8 } from '../support/azure-context.js';
import { type AzureTestServer, type SeedSecret, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const VAULT = 'kv-find.vault.azure.net';
const STORE = {
  vaultUrl: `https://${VAULT}`,
  tenantId: TEST_TENANT,
  authSecretRef: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } },
};
const CREDENTIALS = { 'apps/sp/id': 'app-find', 'apps/sp/secret': 'pw' };

const s = suite<{ server: AzureTestServer }>('azurekv find');

s.before(async (ctx) => {
  ctx.server = await startAzureServer({ pageSize: 2 });
  ctx.server.route(['*.vault.azure.net', 'login.microsoftonline.com']);
});
s.after(async (ctx) => {
  await ctx.server.close();
});
s.before.each((ctx) => {
  ctx.server.reset();
  const secrets: Record<string, SeedSecret> = {
    'prod-db-password': { value: 'p1', tags: { env: 'prod', team: 'a' } },
    'prod-api-key': { value: 'p2', tags: { env: 'prod', team: 'b' } },
    'dev-db-password': { value: 'd1', tags: { env: 'dev', team: 'a' } },
    mydb: { value: 'm1' },
    'prod-old': { value: 'disabled-canary', tags: { env: 'prod', team: 'a' }, enabled: false },
    other: { value: 'o1', tags: { env: 'prod' } },
    'mixed-tags': { value: 'x1', tags: { env: 'dev', team: 'prod' } },
  };
  ctx.server.seed({ tenants: { [TEST_TENANT]: { clientSecrets: { 'app-find': 'pw' } } }, vaults: { [VAULT]: { secrets } } });
});

const plain = (m: Map<string, Uint8Array>) => Object.fromEntries([...m].map(([k, v]) => [k, utf8(v)]));

s('no name and no tags: every enabled secret, over all pages', async ({ server }) => {
  const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
  const m = await c.getAllSecrets(find());
  assert.equal(plain(m), {
    'dev-db-password': 'd1',
    'mixed-tags': 'x1',
    mydb: 'm1',
    other: 'o1',
    'prod-api-key': 'p2',
    'prod-db-password': 'p1',
  });
  const lists = server.authorizedRequests().filter((r) => r.path === '/secrets');
  assert.is(lists.length, 4, 'seven secrets in pages of two');
  assert.ok(lists.slice(1).every((r) => r.query.$skiptoken !== undefined));
  // the disabled secret is never read
  assert.not.ok(server.requests.some((r) => r.path.startsWith('/secrets/prod-old')));
});

s('name.regexp is unanchored', async ({ server }) => {
  const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
  assert.equal(Object.keys(plain(await c.getAllSecrets(find({ name: { regexp: 'db' } })))), ['dev-db-password', 'mydb', 'prod-db-password']);
  assert.equal(Object.keys(plain(await c.getAllSecrets(find({ name: { regexp: '^prod-.*-password$' } })))), ['prod-db-password']);
});

s('tags: every pair must match exactly (strict AND), combined with name', async ({ server }) => {
  const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
  assert.equal(plain(await c.getAllSecrets(find({ tags: { env: 'prod', team: 'a' } }))), { 'prod-db-password': 'p1' });
  assert.equal(Object.keys(plain(await c.getAllSecrets(find({ tags: { env: 'prod' } })))), ['other', 'prod-api-key', 'prod-db-password']);
  assert.equal(plain(await c.getAllSecrets(find({ tags: { env: 'prod' }, name: { regexp: 'api' } }))), { 'prod-api-key': 'p2' });
  assert.equal(plain(await c.getAllSecrets(find({ tags: { env: 'nope' } }))), {});
});

s('find.path is ignored (ESO)', async ({ server }) => {
  const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
  assert.equal(Object.keys(plain(await c.getAllSecrets(find({ path: 'prod/', name: { regexp: '^mydb$' } })))), ['mydb']);
});

s('an invalid regexp fails instead of matching nothing', async ({ server }) => {
  const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
  const e = await rejection(c.getAllSecrets(find({ name: { regexp: '(' } })));
  assert.instance(e, ProviderError);
  assert.match(e.message, 'could not compile find.name.regexp [(]');
});

s('policy caps: match count and bytes', async ({ server }) => {
  const few = providerContext(server, { credentials: CREDENTIALS, policy: { limits: { ...DEFAULT_LIMITS, findMaxResults: 2 } } });
  const e = await rejection((await client(STORE, few)).getAllSecrets(find({ name: { regexp: 'o' } })));
  assert.match(e.message, 'matches more than 2 secrets');
  const small = providerContext(server, { credentials: CREDENTIALS, policy: { limits: { ...DEFAULT_LIMITS, findMaxBytes: 3 } } });
  const e2 = await rejection((await client(STORE, small)).getAllSecrets(find({ name: { regexp: 'db' } })));
  assert.match(e2.message, 'exceed 3 bytes');
});

s('values are read once each, with bounded concurrency', async ({ server }) => {
  server.latencyMs = 30;
  try {
    const many: Record<string, SeedSecret> = {};
    for (let i = 0; i < 40; i++) many[`bulk-${String(i).padStart(2, '0')}`] = { value: `v${i}` };
    server.seed({ vaults: { [VAULT]: { secrets: many } } });
    const c = await client(STORE, providerContext(server, { credentials: CREDENTIALS }));
    const m = await c.getAllSecrets(find({ name: { regexp: '^bulk-' } }));
    assert.is(m.size, 40);
    const gets = server.authorizedRequests().filter((r) => r.path.startsWith('/secrets/bulk-'));
    assert.is(gets.length, 40);
    assert.ok(server.maxInFlight <= 10, `max in flight ${server.maxInFlight}`);
    assert.ok(server.maxInFlight > 1, 'reads run concurrently');
  } finally {
    server.latencyMs = 0;
  }
});

s.run();

/**
 * Faults from the Key Vault side: throttling with Retry-After, 5xx, latency past the deadline,
 * malformed JSON. Every failure is a ProviderError naming the vault and object, and no value
 * (canary) ever appears in a message.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../src/providers/types.js';
import { client, find, providerContext, ref, rejection, utf8 } from '../support/azure-context.js';
import { type AzureTestServer, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const VAULT = 'kv-faults.vault.azure.net';
const CANARY = 'canary-7f3a9e';
const STORE = {
  vaultUrl: `https://${VAULT}`,
  tenantId: TEST_TENANT,
  authSecretRef: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } },
};
const CREDENTIALS = { 'apps/sp/id': 'app-faults', 'apps/sp/secret': 'pw' };

const s = suite<{ server: AzureTestServer }>('azurekv faults');

s.before(async (ctx) => {
  ctx.server = await startAzureServer();
  ctx.server.route(['*.vault.azure.net', 'login.microsoftonline.com']);
});
s.after(async (ctx) => {
  await ctx.server.close();
});
s.before.each((ctx) => {
  ctx.server.reset();
  ctx.server.seed({
    tenants: { [TEST_TENANT]: { clientSecrets: { 'app-faults': 'pw' } } },
    vaults: { [VAULT]: { secrets: { db: { value: `${CANARY}-db` }, api: { value: `${CANARY}-api` } } } },
  });
});

const kv = (server: AzureTestServer, deadlineMs?: number) =>
  client(STORE, providerContext(server, { credentials: CREDENTIALS, ...(deadlineMs ? { deadlineMs } : {}) }));

function assertSafe(e: Error) {
  assert.instance(e, ProviderError);
  assert.match(e.message, VAULT);
  assert.not.match(e.message, CANARY);
  assert.not.match(String((e as ProviderError).hint ?? ''), CANARY);
}

s('429 with Retry-After is retried after the delay', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error: { code: 'Throttled', message: 'slow down' } }) });
  const c = await kv(server);
  const started = Date.now();
  assert.is(utf8(await c.getSecret(ref('db'))), `${CANARY}-db`);
  assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
  assert.equal(server.authorizedRequests().map((r) => r.status), [429, 200]);
});

s('5xx is retried with backoff', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 503, times: 2 });
  const c = await kv(server);
  assert.is(utf8(await c.getSecret(ref('db'))), `${CANARY}-db`);
  assert.equal(server.authorizedRequests().map((r) => r.status), [503, 503, 200]);
});

s('persistent 5xx gives up after bounded attempts with a ProviderError', async ({ server }) => {
  server.fault({
    path: /^\/secrets\/db/,
    status: 500,
    times: Number.POSITIVE_INFINITY,
    headers: { 'retry-after-ms': '5' },
    body: JSON.stringify({ error: { code: 'InternalError', message: 'boom' } }),
  });
  const c = await kv(server);
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'HTTP 500 InternalError: boom');
  assert.is(server.authorizedRequests().length, 5);
});

s('a Retry-After beyond the deadline fails at once instead of waiting', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 429, headers: { 'retry-after': '120' } });
  const c = await kv(server, 5000);
  const started = Date.now();
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.is((e as ProviderError).code, 'DeadlineExceeded');
  assert.match(e.message, 'Retry-After of 120000 ms does not fit before the render deadline');
  assert.ok(Date.now() - started < 2000);
});

s('latency past the deadline aborts the request', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, delayMs: 4000, status: 200, body: JSON.stringify({ value: CANARY }) });
  const c = await kv(server, 1500);
  const started = Date.now();
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  // Bounded, not timed: the server answers only after 4000 ms.
  assert.ok(Date.now() - started < 3900, `took ${Date.now() - started} ms`);
});

s('malformed JSON is a ProviderError that does not quote the body', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 200, body: `{"value":"${CANARY}-leak", "id": ` });
  const c = await kv(server);
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'malformed response');
});

s('an error body that is not Azure-shaped is not quoted', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 400, body: `<html>${CANARY}</html>` });
  const c = await kv(server);
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'HTTP 400');
});

s('a faulty list page fails the find, safely', async ({ server }) => {
  server.fault({ path: /^\/secrets$/, status: 200, body: `{"value":[{"id":"${CANARY}"` });
  const c = await kv(server);
  const e = await rejection(c.getAllSecrets(find()));
  assertSafe(e);
  assert.match(e.message, 'list secrets');
});

s('403 names the role the identity lacks', async ({ server }) => {
  server.fault({
    path: /^\/secrets\/db/,
    status: 403,
    body: JSON.stringify({ error: { code: 'Forbidden', message: "Caller is not authorized to perform action on resource.\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'" } }),
  });
  const c = await kv(server);
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'HTTP 403 Forbidden: Caller is not authorized');
  assert.match(String((e as ProviderError).hint), 'Key Vault Secrets User');
});

s('prefetch does not throw; the failing ref fails on get, the others succeed', async ({ server }) => {
  server.fault({ path: /^\/secrets\/db/, status: 400, body: JSON.stringify({ error: { code: 'BadParameter', message: 'nope' } }) });
  const c = await kv(server);
  await c.prefetch?.([ref('db'), ref('api')]);
  assert.is(utf8(await c.getSecret(ref('api'))), `${CANARY}-api`);
  assertSafe(await rejection(c.getSecret(ref('db'))));
});

s('token endpoint: a transient 503 is retried by the identity client', async ({ server }) => {
  server.fault({ host: 'login.microsoftonline.com', path: /oauth2\/v2.0\/token$/, status: 503, body: JSON.stringify({ error: 'temporarily_unavailable' }) });
  const c = await kv(server);
  const started = Date.now();
  assert.is(utf8(await c.getSecret(ref('db'))), `${CANARY}-db`);
  assert.ok(Date.now() - started < 3000);
  assert.is(server.tokens.length, 1);
});

s('token endpoint: persistent 500 is a ProviderError, in bounded time', async ({ server }) => {
  server.fault({ host: 'login.microsoftonline.com', path: /oauth2\/v2.0\/token$/, status: 500, times: Number.POSITIVE_INFINITY, body: `{"error":"server_error","error_description":"${CANARY}"}` });
  const c = await kv(server, 15000);
  const started = Date.now();
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'authentication failed: server_error', e.message);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.is(server.authorizedRequests().length, 0);
});

s('token endpoint: malformed JSON is a ProviderError without the body', async ({ server }) => {
  server.fault({ host: 'login.microsoftonline.com', path: /oauth2\/v2.0\/token$/, status: 200, body: `{"access_token":"${CANARY}", ` });
  const c = await kv(server);
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e);
  assert.match(e.message, 'authentication failed');
  assert.is(server.authorizedRequests().length, 0);
});

s('a burst of throttled reads retries without piling up abort listeners (no warnings on stderr)', async ({ server }) => {
  const secrets: Record<string, { value: string }> = {};
  for (let i = 0; i < 25; i++) secrets[`burst-${i}`] = { value: `v${i}` };
  server.seed({ vaults: { [VAULT]: { secrets } } });
  server.fault({ path: /^\/secrets\/burst-/, status: 429, times: 25, headers: { 'retry-after-ms': '100' } });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    const c = await kv(server);
    const refs = Object.keys(secrets).map((k) => ref(k));
    await c.prefetch?.(refs);
    for (const r of refs) await c.getSecret(r);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(warnings, []);
    assert.is(server.authorizedRequests().filter((r) => r.status === 429).length, 25);
  } finally {
    process.off('warning', onWarning);
  }
});

s.run();

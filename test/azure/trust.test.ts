/**
 * Trust boundaries (design §4, issue 5): a store cannot send the sidecar's identity to a host it
 * controls. Refused before any request when the host is outside the cloud's Key Vault domain;
 * and even for an admin-allowed host, the SDK's challenge resource verification (kept on) and
 * our scope guard stop any token request for a foreign resource.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explicitTrust } from '../../src/providers/azurekv/connect.js';
import { ProviderError } from '../../src/providers/types.js';
import { client, providerContext, ref, rejection, utf8 } from '../support/azure-context.js';
import { type AzureTestServer, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const tokenFile = join(mkdtempSync(join(tmpdir(), 'azure-trust-')), 'token');
writeFileSync(tokenFile, 'sidecar-sa-token');
const SIDECAR_ENV = { AZURE_CLIENT_ID: 'sidecar-app', AZURE_TENANT_ID: TEST_TENANT, AZURE_FEDERATED_TOKEN_FILE: tokenFile };
const SP = { authSecretRef: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } }, tenantId: TEST_TENANT };
const CREDENTIALS = { 'apps/sp/id': 'app-trust', 'apps/sp/secret': 'pw' };

const s = suite<{ server: AzureTestServer }>('azurekv trust');

s.before(async (ctx) => {
  ctx.server = await startAzureServer();
  ctx.server.route(['*.vault.azure.net', '*.vault.usgovcloudapi.net', 'attacker.example', 'login.microsoftonline.com', 'login.microsoftonline.us']);
});
s.after(async (ctx) => {
  await ctx.server.close();
});
s.before.each((ctx) => {
  ctx.server.reset();
  ctx.server.seed({
    tenants: { [TEST_TENANT]: { clientSecrets: { 'app-trust': 'pw' }, federated: { 'sidecar-app': 'sidecar-sa-token' } } },
    vaults: {
      'kv-ok.vault.azure.net': { secrets: { db: { value: 'ok' } } },
      'kv-gov.vault.usgovcloudapi.net': { secrets: { db: { value: 'gov' } } },
      // a host the attacker controls, relaying the real Key Vault challenge
      'attacker.example': { secrets: { db: { value: 'bait' } } },
      // a host inside the Key Vault domain that challenges for a broader resource
      'evil.vault.azure.net': { resource: 'https://azure.net', secrets: { db: { value: 'bait' } } },
    },
  });
});

s('a store pointing at a foreign host is refused before any request', async ({ server }) => {
  const ctx = providerContext(server, { env: SIDECAR_ENV, policy: { singleTenant: true } });
  const e = await rejection(client({ vaultUrl: 'https://attacker.example', authType: 'WorkloadIdentity' }, ctx));
  assert.instance(e, ProviderError);
  assert.is((e as ProviderError).code, 'VaultHostRefused');
  assert.match(e.message, 'vault host attacker.example is not a Key Vault host of PublicCloud (*.vault.azure.net)');
  assert.is(server.requests.length, 0);
  assert.is(server.identityRequests.length, 0);
});

s('even an admin-allowed foreign host gets no token: challenge resource verification stays on', async ({ server }) => {
  const ctx = providerContext(server, { env: { ...SIDECAR_ENV, ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS: 'attacker.example' }, policy: { singleTenant: true } });
  const c = await client({ vaultUrl: 'https://attacker.example', authType: 'WorkloadIdentity' }, ctx);
  const e = await rejection(c.getSecret(ref('db')));
  assert.instance(e, ProviderError);
  assert.is((e as ProviderError).code, 'ChallengeResourceMismatch');
  assert.match(e.message, 'no token was requested');
  // one unauthenticated probe reached the host; no token was asked for or sent
  assert.equal(server.requests.map((r) => r.auth), ['none']);
  assert.is(server.tokens.length, 0);
  assert.is(server.identityRequests.length, 0);
});

s('a challenge for a broader resource is refused by the scope guard', async ({ server }) => {
  const ctx = providerContext(server, { env: SIDECAR_ENV, policy: { singleTenant: true } });
  const c = await client({ vaultUrl: 'https://evil.vault.azure.net', authType: 'WorkloadIdentity' }, ctx);
  const e = await rejection(c.getSecret(ref('db')));
  assert.is((e as ProviderError).code, 'ScopeRefused');
  assert.match(e.message, 'https://azure.net/.default');
  assert.is(server.tokens.length, 0);
  assert.is(server.identityRequests.length, 0);
});

s('vault hosts of another cloud are refused', async ({ server }) => {
  const ctx = providerContext(server, { credentials: CREDENTIALS });
  const e = await rejection(client({ ...SP, vaultUrl: 'https://kv-gov.vault.usgovcloudapi.net' }, ctx));
  assert.is((e as ProviderError).code, 'VaultHostRefused');
});

s('a non-default cloud is refused in repo stores and works from admin stores', async ({ server }) => {
  const ctx = providerContext(server, { credentials: CREDENTIALS });
  const store = { ...SP, vaultUrl: 'https://kv-gov.vault.usgovcloudapi.net', environmentType: 'USGovernmentCloud' };
  const e = await rejection(client(store, ctx));
  assert.match(e.message, 'environmentType USGovernmentCloud is only allowed in admin stores');
  const admin = await client(store, ctx, { source: 'admin', kind: 'ClusterSecretStore' });
  assert.is(utf8(await admin.getSecret(ref('db'))), 'gov');
  assert.equal(server.tokens.map((t) => t.scope), ['https://vault.usgovcloudapi.net/.default']);
  assert.ok(server.identityRequests.every((r) => r.host === 'login.microsoftonline.us'));
});

s("a project's vaults and tenants lists bind repo stores", async ({ server }) => {
  const policy = { projects: { payments: { vaults: ['https://kv-ok.vault.azure.net'], tenants: ['00000000-0000-0000-0000-000000000000'] } } };
  const ctx = providerContext(server, { credentials: CREDENTIALS, policy, project: 'payments' });
  const e = await rejection(client({ ...SP, vaultUrl: 'https://kv-other.vault.azure.net' }, ctx));
  assert.match(e.message, 'vault https://kv-other.vault.azure.net is not in the vaults allowed for project payments');
  const e2 = await rejection(client({ ...SP, vaultUrl: 'https://kv-ok.vault.azure.net' }, ctx));
  assert.match(e2.message, `tenant ${TEST_TENANT} is not in the tenants allowed for project payments`);
  const ok = providerContext(server, { credentials: CREDENTIALS, project: 'payments', policy: { projects: { payments: { vaults: ['https://kv-*.vault.azure.net'], tenants: [TEST_TENANT] } } } });
  assert.is(utf8(await (await client({ ...SP, vaultUrl: 'https://kv-ok.vault.azure.net/' }, ok)).getSecret(ref('db'))), 'ok');
  assert.is(server.requests.filter((r) => r.auth === 'valid').length, 1);
});

s('a SecretStore may not read credentials of another namespace', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'other/sp/id': 'app-trust', 'other/sp/secret': 'pw' } });
  const store = { ...SP, vaultUrl: 'https://kv-ok.vault.azure.net', authSecretRef: { clientId: { name: 'sp', key: 'id', namespace: 'other' }, clientSecret: { name: 'sp', key: 'secret', namespace: 'other' } } };
  const e = await rejection(client(store, ctx));
  assert.match(e.message, 'namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore (apps)');
});

s('NODE_EXTRA_CA_CERTS: explicit trust (roots + file) only when the process did not start with that file', ({ server }) => {
  const pem = server.pki.clientCertificate;
  // Started with it: Node's default store already holds it; an explicit ca list would rebuild a
  // secure context of every root per connection (bench scenario 2, Azure).
  assert.is(explicitTrust('/etc/ca.pem', pem, '/etc/ca.pem'), undefined);
  for (const started of [undefined, '/etc/other.pem']) {
    const t = explicitTrust('/etc/ca.pem', pem, started);
    assert.ok(t && t.ca.length > 100 && t.ca.at(-1) === pem, 'roots plus the file');
  }
});

s('NODE_EXTRA_CA_CERTS that cannot be read is an error before any request', async ({ server }) => {
  const ctx = providerContext(server, { env: { ...SIDECAR_ENV, NODE_EXTRA_CA_CERTS: join(tmpdir(), 'no-such-ca.pem') } });
  const e = await rejection(client({ vaultUrl: 'https://kv-trust.vault.azure.net', authType: 'WorkloadIdentity' }, ctx, { kind: 'ClusterSecretStore', source: 'admin' }));
  assert.match(e.message, 'cannot be read: ENOENT');
  assert.is(server.requests.length, 0);
});

s.run();

/**
 * Every auth type ESO supports, against the test server's Entra token endpoint and IMDS: the
 * recorded token requests prove which flow ran, for which client, tenant and scope.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../src/providers/types.js';
import { client, providerContext, ref, rejection, utf8 } from '../support/azure-context.js';
import { type AzureTestServer, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const VAULT = 'kv-auth.vault.azure.net';
const SA_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sidecar-service-account-token.sig';
const tokenFile = join(mkdtempSync(join(tmpdir(), 'azure-wi-')), 'token');
writeFileSync(tokenFile, `${SA_TOKEN}\n`);
const SIDECAR_ENV = { AZURE_CLIENT_ID: 'sidecar-app', AZURE_TENANT_ID: TEST_TENANT, AZURE_FEDERATED_TOKEN_FILE: tokenFile };

const s = suite<{ server: AzureTestServer }>('azurekv auth');

s.before(async (ctx) => {
  ctx.server = await startAzureServer();
  ctx.server.route(['*.vault.azure.net', '*.vault.test', 'login.microsoftonline.com', 'login.test']);
});
s.after(async (ctx) => {
  await ctx.server.close();
});
s.before.each((ctx) => {
  ctx.server.reset();
  ctx.server.authorityHost = 'https://login.microsoftonline.com';
  ctx.server.seed({
    vaults: { [VAULT]: { secrets: { db: { value: 'from-vault' } } }, 'kv-emu.vault.test': { secrets: { db: { value: 'from-emulator' } } } },
    tenants: {
      [TEST_TENANT]: {
        clientSecrets: { 'app-secret': 'the-client-secret' },
        clientCertificates: { 'app-cert': ctx.server.pki.clientCertificate },
        federated: { 'sidecar-app': SA_TOKEN, 'payments-app': SA_TOKEN },
      },
    },
    managedIdentities: ['system', 'user-assigned-1'],
  });
});

const sp = (secretKey: 'clientSecret' | 'clientCertificate') => ({
  vaultUrl: `https://${VAULT}`,
  tenantId: TEST_TENANT,
  authType: 'ServicePrincipal',
  authSecretRef: { clientId: { name: 'sp', key: 'id' }, [secretKey]: { name: 'sp', key: 'credential' } },
});

s('ServicePrincipal with clientSecret: client_credentials with the secret', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'app-secret', 'apps/sp/credential': 'the-client-secret' } });
  const c = await client(sp('clientSecret'), ctx);
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-vault');
  assert.equal(
    server.tokens.map((t) => [t.flow, t.clientId, t.tenant, t.scope]),
    [['client_secret', 'app-secret', TEST_TENANT, 'https://vault.azure.net/.default']],
  );
  // A well-known authority: MSAL uses its built-in metadata, no instance discovery call.
  assert.ok(server.identityRequests.some((r) => r.host === 'login.microsoftonline.com' && r.path === `/${TEST_TENANT}/oauth2/v2.0/token`));
  assert.not.ok(server.identityRequests.some((r) => r.path.includes('discovery/instance')));
});

s('ServicePrincipal with a PEM clientCertificate: signed client assertion', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'app-cert', 'apps/sp/credential': server.pki.clientCertificatePem } });
  const c = await client(sp('clientCertificate'), ctx);
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-vault');
  assert.equal(server.tokens.map((t) => [t.flow, t.clientId]), [['client_certificate', 'app-cert']]);
});

s('ServicePrincipal clientCertificate that is not PEM cert + key is refused clearly', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'app-cert', 'apps/sp/credential': server.pki.clientCertificate } });
  const e = await rejection(client(sp('clientCertificate'), ctx));
  assert.instance(e, ProviderError);
  assert.match(e.message, 'must be PEM holding the certificate and its unencrypted private key');
});

s('ServicePrincipal with a wrong secret: AADSTS7000215 in plain words, no secret in the message', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'app-secret', 'apps/sp/credential': 'wrong-secret-canary' } });
  const c = await client(sp('clientSecret'), ctx);
  const e = await rejection(c.getSecret(ref('db')));
  assert.instance(e, ProviderError);
  assert.match(e.message, 'AADSTS7000215 invalid client secret');
  assert.match(e.message, VAULT);
  assert.not.match(e.message, 'wrong-secret-canary');
  assert.equal(server.tokenFailures, [{ flow: 'client_secret', code: 'AADSTS7000215' }]);
  assert.is(server.authorizedRequests().length, 0);
});

s('ServicePrincipal of an unknown application: AADSTS700016', async ({ server }) => {
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'no-such-app', 'apps/sp/credential': 'x' } });
  const e = await rejection((await client(sp('clientSecret'), ctx)).getSecret(ref('db')));
  assert.match(e.message, 'AADSTS700016 application (client id) not found in the tenant');
});

s('ManagedIdentity: IMDS token, system-assigned and identityId as client id', async ({ server }) => {
  const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = server.imdsHost;
  try {
    const ctx = providerContext(server);
    const system = await client({ vaultUrl: `https://${VAULT}`, authType: 'ManagedIdentity' }, ctx, { source: 'admin', kind: 'ClusterSecretStore' });
    assert.is(utf8(await system.getSecret(ref('db'))), 'from-vault');
    const user = await client({ vaultUrl: `https://${VAULT}`, authType: 'ManagedIdentity', identityId: 'user-assigned-1' }, ctx, {
      source: 'admin',
      kind: 'ClusterSecretStore',
    });
    assert.is(utf8(await user.getSecret(ref('db'))), 'from-vault');
    assert.equal(
      server.tokens.map((t) => [t.flow, t.clientId, t.scope]),
      [
        ['managed_identity', 'system', 'https://vault.azure.net/.default'],
        ['managed_identity', 'user-assigned-1', 'https://vault.azure.net/.default'],
      ],
    );
  } finally {
    if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
  }
});

s('WorkloadIdentity without serviceAccountRef: the sidecar federated token for AZURE_CLIENT_ID', async ({ server }) => {
  const ctx = providerContext(server, { env: SIDECAR_ENV });
  const c = await client({ vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity' }, ctx, { source: 'admin', kind: 'ClusterSecretStore' });
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-vault');
  assert.equal(server.tokens.map((t) => [t.flow, t.clientId, t.tenant]), [['federated', 'sidecar-app', TEST_TENANT]]);
});

s('WorkloadIdentity without the webhook env: ESO error, no request', async ({ server }) => {
  const ctx = providerContext(server, { env: { AZURE_CLIENT_ID: 'sidecar-app' } });
  const e = await rejection(client({ vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity' }, ctx, { source: 'admin' }));
  assert.is(e.message, 'missing environment variables. AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE must be set');
  assert.is(server.requests.length + server.tokens.length, 0);
});

s('WorkloadIdentity with serviceAccountRef: the admin map names the client id', async ({ server }) => {
  const ctx = providerContext(server, {
    env: SIDECAR_ENV,
    policy: { serviceAccounts: [{ namespace: 'payments', name: 'payments-eso', azureClientId: 'payments-app' }] },
  });
  const store = { vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity', serviceAccountRef: { name: 'payments-eso' } };
  const c = await client(store, ctx, { namespace: 'payments' });
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-vault');
  assert.equal(server.tokens.map((t) => [t.flow, t.clientId]), [['federated', 'payments-app']]);
});

s('WorkloadIdentity with an unmapped serviceAccountRef is refused (multi-tenant)', async ({ server }) => {
  const ctx = providerContext(server, { env: SIDECAR_ENV });
  const store = { vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity', serviceAccountRef: { name: 'payments-eso' } };
  const e = await rejection(client(store, ctx, { namespace: 'payments' }));
  assert.instance(e, ProviderError);
  assert.match(e.message, 'serviceAccountRef payments/payments-eso is not mapped to an Azure client id');
  assert.is(server.tokens.length, 0);
});

s('WorkloadIdentity with an unmapped serviceAccountRef under singleTenant: the sidecar identity', async ({ server }) => {
  const ctx = providerContext(server, { env: SIDECAR_ENV, policy: { singleTenant: true } });
  const store = { vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity', serviceAccountRef: { name: 'anything' } };
  const c = await client(store, ctx, { namespace: 'payments' });
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-vault');
  assert.equal(server.tokens.map((t) => [t.flow, t.clientId]), [['federated', 'sidecar-app']]);
});

s('WorkloadIdentity with a token the app does not trust: AADSTS700213', async ({ server }) => {
  const other = join(mkdtempSync(join(tmpdir(), 'azure-wi-')), 'token');
  writeFileSync(other, 'some-other-token');
  const ctx = providerContext(server, { env: { ...SIDECAR_ENV, AZURE_FEDERATED_TOKEN_FILE: other } });
  const c = await client({ vaultUrl: `https://${VAULT}`, authType: 'WorkloadIdentity' }, ctx, { source: 'admin' });
  const e = await rejection(c.getSecret(ref('db')));
  assert.match(e.message, 'AADSTS700213');
  assert.match(e.message, 'subject');
  assert.not.match(e.message, 'some-other-token');
});

s('emulator setup: admin-allowed vault host and a non-public authority without instance discovery', async ({ server }) => {
  server.authorityHost = 'https://login.test';
  const ctx = providerContext(server, {
    env: {
      ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS: 'other.example, *.vault.test',
      AZURE_AUTHORITY_HOST: 'https://login.test',
    },
    credentials: { 'apps/sp/id': 'app-secret', 'apps/sp/credential': 'the-client-secret' },
  });
  const c = await client({ ...sp('clientSecret'), vaultUrl: 'https://kv-emu.vault.test' }, ctx);
  assert.is(utf8(await c.getSecret(ref('db'))), 'from-emulator');
  assert.equal(server.tokens.map((t) => [t.flow, t.scope]), [['client_secret', 'https://vault.test/.default']]);
  // MSAL fetched the tenant's OIDC document from login.test, and never asked for instance discovery.
  assert.ok(server.identityRequests.some((r) => r.host === 'login.test' && r.path.endsWith('/v2.0/.well-known/openid-configuration')));
  assert.not.ok(server.identityRequests.some((r) => r.path.includes('discovery/instance')));
});

s('a vault of another tenant: the token is not requested across tenants', async ({ server }) => {
  server.seed({ vaults: { 'kv-foreign-tenant.vault.azure.net': { tenant: '99999999-8888-7777-6666-555555555555', secrets: { db: { value: 'x' } } } } });
  const ctx = providerContext(server, { credentials: { 'apps/sp/id': 'app-secret', 'apps/sp/credential': 'the-client-secret' } });
  const c = await client({ ...sp('clientSecret'), vaultUrl: 'https://kv-foreign-tenant.vault.azure.net' }, ctx);
  const e = await rejection(c.getSecret(ref('db')));
  assert.instance(e, ProviderError);
  assert.is((e as ProviderError).code, 'TenantMismatch');
  assert.match(e.message, 'the vault belongs to tenant 99999999-8888-7777-6666-555555555555');
  assert.is(server.tokens.length, 0);
});

s('ClusterSecretStore referent auth: credentials from the ref namespace, else the ExternalSecret namespace', async ({ server }) => {
  const ctx = providerContext(server, {
    credentials: { 'team-a/sp/id': 'app-secret', 'team-a/sp/credential': 'the-client-secret', 'shared/sp/id': 'app-secret', 'shared/sp/credential': 'the-client-secret' },
  });
  const referent = await client(sp('clientSecret'), ctx, { kind: 'ClusterSecretStore', source: 'admin', namespace: 'team-a' });
  assert.is(utf8(await referent.getSecret(ref('db'))), 'from-vault');
  const pinned = {
    ...sp('clientSecret'),
    authSecretRef: { clientId: { name: 'sp', key: 'id', namespace: 'shared' }, clientSecret: { name: 'sp', key: 'credential', namespace: 'shared' } },
  };
  const fixed = await client(pinned, ctx, { kind: 'ClusterSecretStore', source: 'admin', namespace: 'team-b' });
  assert.is(utf8(await fixed.getSecret(ref('db'))), 'from-vault');
  // team-b has no credentials of its own: the referent store fails there, naming the file it looked for
  const missing = await rejection(client(sp('clientSecret'), ctx, { kind: 'ClusterSecretStore', source: 'admin', namespace: 'team-b' }));
  assert.match(missing.message, 'credential team-b/sp/id');
});

s.run();

/**
 * The test server against the SDKs directly, for the parts the provider does not use: secret
 * versions with paging, an older api-version (7.x), and MSAL's instance discovery — which is
 * what MSAL calls on login.microsoftonline.com for an unknown authority unless it is turned off.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AzureTestServer, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const s = suite<{ server: AzureTestServer; tlsOptions: { ca: string[] } }>('azure test server');

s.before(async (ctx) => {
  ctx.server = await startAzureServer({ pageSize: 2 });
  ctx.server.route(['*.vault.test', 'login.test', 'login.microsoftonline.com']);
  ctx.tlsOptions = { ca: [...rootCertificates, readFileSync(ctx.server.pki.caFile, 'utf8')] };
});
s.after(async (ctx) => {
  await ctx.server.close();
});

s('secret versions with nextLink paging, api-version 7.4, and instance discovery for an unknown authority', async ({ server, tlsOptions }) => {
  server.authorityHost = 'https://login.test';
  server.seed({
    tenants: { [TEST_TENANT]: { clientSecrets: { app: 'pw' } } },
    vaults: {
      'kv.vault.test': {
        secrets: { rotated: { value: 'v3', version: 'c', versions: [{ version: 'a', value: 'v1' }, { version: 'b', value: 'v2' }] } },
      },
    },
  });
  const credential = new ClientSecretCredential(TEST_TENANT, 'app', 'pw', { authorityHost: 'https://login.test', tlsOptions });
  const client = new SecretClient('https://kv.vault.test', credential, { serviceVersion: '7.4', tlsOptions });
  const versions: string[] = [];
  for await (const p of client.listPropertiesOfSecretVersions('rotated')) versions.push(p.version ?? '');
  assert.equal(versions, ['a', 'b', 'c']);
  assert.is((await client.getSecret('rotated', { version: 'b' })).value, 'v2');
  const calls = server.authorizedRequests();
  assert.ok(calls.every((r) => r.query['api-version'] === '7.4'));
  assert.ok(calls.some((r) => r.query.$skiptoken === '2'), 'second page via nextLink');
  // MSAL asked the public cloud about login.test — the call the provider switches off.
  assert.ok(server.identityRequests.some((r) => r.host === 'login.microsoftonline.com' && r.path === '/common/discovery/instance'));
  assert.equal(server.tokens.map((t) => t.flow), ['client_secret']);
});

s('a plugin subprocess reaches the server through the azure-loopback preload', async ({ server }) => {
  server.reset();
  server.seed({ vaults: { 'kv-sub.vault.azure.net': { secrets: { x: { value: 'y' } } } } });
  const script = "require('node:https').get('https://kv-sub.vault.azure.net/secrets/x?api-version=7.4', (r) => { console.log(r.statusCode, r.headers['www-authenticate']); r.resume(); })";
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', new URL('../support/azure-loopback.mjs', import.meta.url).pathname, '-e', script], {
    env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: server.pki.caFile, ESO_TEST_TLS_ROUTES: `*.vault.azure.net,login.microsoftonline.com=${server.port}` },
  });
  assert.match(stdout, /^401 Bearer authorization="https:\/\/login\.test\/11111111-2222-3333-4444-555555555555", resource="https:\/\/vault\.azure\.net"/);
  assert.equal(server.requests.map((r) => [r.host, r.auth]), [['kv-sub.vault.azure.net', 'none']]);
});

s.run();

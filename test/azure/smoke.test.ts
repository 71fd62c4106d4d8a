import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startAzureServer, TEST_TENANT } from '../support/azure-server.js';
import { client, providerContext, ref, utf8 } from '../support/azure-context.js';

test('service principal reads a secret', async () => {
  const server = await startAzureServer();
  server.route(['*.vault.azure.net', 'login.microsoftonline.com']);
  try {
    server.seed({
      vaults: { 'kv1.vault.azure.net': { secrets: { db: { value: 'hunter2' } } } },
      tenants: { [TEST_TENANT]: { clientSecrets: { 'app-1': 's3cret' } } },
    });
    const ctx = providerContext(server, { credentials: { 'apps/sp/clientid': 'app-1', 'apps/sp/clientsecret': 's3cret' } });
    const c = await client(
      {
        vaultUrl: 'https://kv1.vault.azure.net',
        tenantId: TEST_TENANT,
        authSecretRef: { clientId: { name: 'sp', key: 'clientid' }, clientSecret: { name: 'sp', key: 'clientsecret' } },
      },
      ctx,
    );
    assert.is(utf8(await c.getSecret(ref('db'))), 'hunter2');
  } finally {
    await server.close();
  }
});

test.run();

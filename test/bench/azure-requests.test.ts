// Scenario 2 of the bench (issue 9), Azure, on a small instance, untimed: the request counts of a
// whole `generate` through the real CLI over HTTPS, so deduplication cannot silently regress.
// Key Vault has no batch read: the goal is one GET per distinct object and one token per identity.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AZURE_VAULT_HOST, azureSidecarEnv, writeAzureApp } from '../../bench/azure-fixture.js';
import { type AzureTestServer, startAzureServer } from '../support/azure-server.js';
import { ROOT, runCliAsync } from '../support/plugin.js';

let server: AzureTestServer | undefined;
let dir: string | undefined;
test.after.each(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('20 ExternalSecrets (data + property, dataFrom.extract) over 8 Key Vault secrets: 8 secret GETs, 1 token request, 1 challenge probe', async () => {
  dir = mkdtempSync(join(tmpdir(), 'azure-requests-'));
  const app = writeAzureApp(dir, { externalSecrets: 20, secrets: 8 });
  // A little latency so that the reads overlap, as they do against a real vault.
  server = await startAzureServer({ latencyMs: 20 });
  server.seed(app.seed);
  const r = await runCliAsync(['generate'], {
    cwd: app.app,
    env: {
      ...azureSidecarEnv(app),
      NODE_EXTRA_CA_CERTS: server.pki.caFile,
      NODE_OPTIONS: `--import=${join(ROOT, 'test/support/azure-loopback.mjs')}`,
      ESO_TEST_TLS_ROUTES: `${AZURE_VAULT_HOST},login.microsoftonline.com=${server.port}`,
    },
  });
  assert.is(r.status, 0, r.stderr);
  assert.is((r.stdout.match(/^kind: Secret$/gm) ?? []).length, 20);
  const gets: Record<string, number> = {};
  for (const q of server.authorizedRequests()) gets[`${q.method} ${q.path}`] = (gets[`${q.method} ${q.path}`] ?? 0) + 1;
  // Each of the 8 secrets exactly once, whether read by `data` with a property or by extract.
  assert.equal(gets, Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`GET /secrets/bench-app-000${i}/`, 1])));
  assert.equal(
    server.requests.filter((q) => q.auth !== 'valid').map((q) => q.status),
    [401],
    'one unauthenticated challenge probe (the SDK learns tenant and resource from it)',
  );
  assert.is(server.tokens.length, 1);
  assert.equal(server.tokens.map((t) => t.flow), ['federated']);
});

test.run();

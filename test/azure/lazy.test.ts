/**
 * Cold start: the Azure SDKs (@azure/identity alone ≈200 ms) must load only when a render uses
 * Azure. Bundles the provider registry the way scripts/build.mjs bundles the CLI (ESM, split
 * chunks) and checks that no @azure module is in the entry chunk, only in lazily imported chunks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { credentialsDir } from '../support/azure-context.js';
import { startAzureServer, TEST_TENANT } from '../support/azure-server.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('registry entry chunk holds no Azure SDK code; the SDKs sit in dynamic-import chunks', async () => {
  const result = await build({
    entryPoints: { registry: 'src/providers/registry.ts' },
    outdir: '/tmp/azure-lazy-check',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === 'src/providers/registry.ts');
  assert.ok(entry, 'entry output');
  const azureIn = (o: (typeof outputs)[number][1]) => Object.keys(o.inputs).filter((i) => i.includes('node_modules/@azure/'));
  assert.equal(azureIn(entry![1]), [], 'no @azure module in the entry chunk');
  // The entry imports no chunk statically that contains Azure code.
  for (const imp of entry![1].imports.filter((i) => i.kind === 'import-statement')) {
    const chunk = result.metafile.outputs[imp.path];
    assert.equal(chunk ? azureIn(chunk) : [], [], `static import ${imp.path} holds Azure code`);
  }
  assert.ok(outputs.some(([, o]) => azureIn(o).some((i) => i.includes('@azure/identity'))), 'identity is bundled in some chunk');
});

test('the bundled provider (ESM, split chunks, as scripts/build.mjs) reads a secret in a subprocess', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'azure-bundle-'));
  await build({
    entryPoints: { entry: 'test/azure/bundle-entry.fixture.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    outExtension: { '.js': '.mjs' },
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    logLevel: 'silent',
  });
  const server = await startAzureServer();
  try {
    server.seed({
      tenants: { [TEST_TENANT]: { clientSecrets: { app: 'pw' } } },
      vaults: { 'kv-bundle.vault.azure.net': { secrets: { db: { value: 'from-the-bundle' } } } },
    });
    const store = {
      vaultUrl: 'https://kv-bundle.vault.azure.net',
      tenantId: TEST_TENANT,
      authSecretRef: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } },
    };
    const credentials = credentialsDir({ 'apps/sp/id': 'app', 'apps/sp/secret': 'pw' });
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', new URL('../support/azure-loopback.mjs', import.meta.url).pathname, join(outdir, 'entry.mjs')],
      {
        env: {
          PATH: process.env.PATH,
          NODE_EXTRA_CA_CERTS: server.pki.caFile,
          ESO_TEST_TLS_ROUTES: `*.vault.azure.net,login.microsoftonline.com=${server.port}`,
          AZURE_BUNDLE_TEST: JSON.stringify({ store, key: 'db', credentials }),
        },
      },
    );
    assert.is(stdout, 'from-the-bundle');
    assert.is(stderr, '');
    assert.equal(server.tokens.map((t) => t.flow), ['client_secret']);
  } finally {
    await server.close();
  }
});

test.run();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { type AzureTestServer, type Seed, startAzureServer } from '../support/azure-server.js';
import { renderWithCmp } from '../support/cmp-emulator.js';
import { esmOnlyDist, FIXTURES, PLUGIN_YAML, ROOT, sidecarEnv } from '../support/plugin.js';

const Azure = suite('Azure fixtures through the CMP emulator, against the Azure test server (HTTPS)');
const NAME = 'argocd-eso-plugin-v0.1.0';
const LOOPBACK = join(ROOT, 'test/support/azure-loopback.mjs');

let server: AzureTestServer | undefined;
Azure.after.each(async () => {
  await server?.close();
  server = undefined;
});

/** The fixture's sidecar env (paths relative to the fixture), plus the test CA and TLS routing to loopback. */
async function renderFixture(name: string, app: { destNamespace: string; project?: string }) {
  const dir = join(FIXTURES, name);
  const seed = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as Seed;
  server = await startAzureServer();
  server.seed(seed);
  const env = JSON.parse(readFileSync(join(dir, 'sidecar-env.json'), 'utf8')) as Record<string, string>;
  for (const k of ['ESO_PLUGIN_CONFIG_DIR', 'ESO_PLUGIN_CREDENTIALS_DIR', 'AZURE_FEDERATED_TOKEN_FILE']) if (env[k]) env[k] = join(dir, env[k]!);
  delete env.ARGOCD_APP_NAMESPACE; // Argo sets it from the Application
  const hosts = [...Object.keys(seed.vaults ?? {}), 'login.microsoftonline.com'].join(',');
  const result = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: FIXTURES,
    appPath: `${name}/app`,
    app: { name: 'web', plugin: { name: NAME }, ...app },
    sidecarEnv: sidecarEnv({
      ...env,
      NODE_EXTRA_CA_CERTS: server.pki.caFile,
      NODE_OPTIONS: `--import=${LOOPBACK}`,
      // The loopback hook is a --import preload, which a start from the snapshot does not run.
      ESO_PLUGIN_DIST: esmOnlyDist(),
      ESO_TEST_TLS_ROUTES: `${hosts}=${server.port}`,
    }),
  });
  const expected = parseAllDocuments(readFileSync(join(dir, 'expected.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);
  return { result, expected, server };
}

const dataByName = (docs: Array<Record<string, any>>) =>
  Object.fromEntries(docs.filter((d) => d.kind === 'Secret').map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, { type: d.type ?? 'Opaque', data: d.data }]));

Azure('service principal SecretStore: secret, key and cert objects render exactly', async () => {
  const { result, expected, server: s } = await renderFixture('azure-sp', { destNamespace: 'apps' });
  assert.equal(dataByName(result.manifests), dataByName(expected));
  assert.is(result.stderr, '');
  assert.equal([...new Set(s.tokens.map((t) => t.flow))], ['client_secret']);
});

Azure('admin ClusterSecretStore with workload identity renders exactly', async () => {
  const { result, expected, server: s } = await renderFixture('azure-wi', { destNamespace: 'payments', project: 'default' });
  assert.equal(dataByName(result.manifests), dataByName(expected));
  assert.equal([...new Set(s.tokens.map((t) => t.flow))], ['federated']);
});

Azure.run();

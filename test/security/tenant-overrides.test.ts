/**
 * Tenant input (the repo, and the Application's ARGOCD_ENV_* / PARAM_*) can never reach an admin
 * knob. Argo prefixes every Application-controlled variable, so a tenant cannot set ESO_PLUGIN_*,
 * AWS_* or AZURE_* directly; these tests prove the prefixed forms are ignored too, and that repo
 * files cannot act as admin config.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CANARY, externalSecret, fakeStore, makeApp } from '../support/app.js';
import { assertNoCanary } from '../support/canary.js';
import { renderWithCmp } from '../support/cmp-emulator.js';
import { PLUGIN_YAML, sidecarEnv } from '../support/plugin.js';

const Tenant = suite('tenant overrides are ignored or refused');
const NAME = 'argocd-eso-plugin-v0.1.0';

const ADMIN_KNOBS = [
  'ESO_PLUGIN_CONFIG_DIR',
  'ESO_PLUGIN_CREDENTIALS_DIR',
  'ESO_PLUGIN_DEADLINE',
  'ESO_PLUGIN_DEBUG',
  'ESO_PLUGIN_ALLOW_NETWORK',
  'ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS',
  'ESO_PLUGIN_HELM_BINARY',
  'ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS',
  'ESO_PLUGIN_HMAC_KEY_FILE',
  'ESO_PLUGIN_KUBE_API',
  'ESO_PLUGIN_KUBE_TOKEN_FILE',
  'ESO_PLUGIN_KUBE_CA_FILE',
  'ESO_PLUGIN_DIST',
  'KUBERNETES_SERVICE_HOST',
  'kubernetesApi',
  'AWS_ENDPOINT_URL',
  'AWS_ROLE_ARN',
  'AZURE_CLIENT_ID',
  'AZURE_AUTHORITY_HOST',
  'NODE_OPTIONS',
  'singleTenant',
  'allowNonDeterministic',
  'namespaces',
];

async function render(files: Record<string, string>, plugin: { env?: Array<{ name: string; value: string }>; parameters?: Array<{ name: string; string: string }> }) {
  const { repo } = makeApp(files);
  return renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: repo,
    appPath: 'apps/app',
    app: { name: 'app', destNamespace: 'team', plugin: { name: NAME, ...plugin } },
    sidecarEnv: sidecarEnv(),
  }).catch((e: Error & { stderr?: string }) => ({ manifests: [], stdout: '', stderr: e.stderr ?? e.message, empty: true, failed: true }));
}

const STORE = fakeStore({ k: CANARY });
const ES = (spec: string, meta = '') => externalSecret(`  secretStoreRef: {name: fake}\n${spec}`, 'es', meta);
const DATA = '  data:\n    - secretKey: v\n      remoteRef: {key: k}\n';

Tenant('every admin knob set through plugin env or parameters is ignored, with a warning', async () => {
  const r = await render(
    { 's.yaml': STORE, 'es.yaml': ES(DATA) },
    {
      env: ADMIN_KNOBS.map((name) => ({ name, value: name === 'ESO_PLUGIN_DEADLINE' ? '600' : '/tmp/evil' })),
      parameters: ADMIN_KNOBS.map((name) => ({ name, string: 'true' })),
    },
  );
  assert.ok(!('failed' in r), r.stderr);
  for (const knob of ADMIN_KNOBS) {
    assert.ok(r.stderr.includes(`ignoring ARGOCD_ENV_${knob}:`), `ARGOCD_ENV_${knob} not reported`);
    assert.ok(r.stderr.includes(`ignoring PARAM_${knob.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}:`), `PARAM_ ${knob} not reported`);
  }
  assert.not.match(r.stderr, /debug:/);
  assertNoCanary(r.stderr, CANARY, 'stderr');
});

Tenant('namespaces stay restricted whatever the tenant sets', async () => {
  const r = await render({ 's.yaml': STORE.replace('name: fake', 'name: fake\n  namespace: other'), 'es.yaml': ES(DATA, '\n  namespace: other') }, {
    parameters: [{ name: 'namespaces', string: 'any' }],
    env: [{ name: 'singleTenant', value: 'true' }],
  });
  assert.ok('failed' in r);
  assert.match(r.stderr, /namespace "other" is not allowed \(policy rule namespaces\)/);
});

Tenant('non-deterministic templates stay refused whatever the tenant sets', async () => {
  const r = await render({ 's.yaml': STORE, 'es.yaml': ES(`  target:\n    template:\n      data: {id: "{{ uuidv4 }}"}\n${DATA}`) }, {
    parameters: [{ name: 'allowNonDeterministic', string: 'true' }],
    env: [{ name: 'ESO_PLUGIN_CONFIG_DIR', value: '/nonexistent' }],
  });
  assert.ok('failed' in r);
  assert.match(r.stderr, /uuidv4/);
});

Tenant('a policy.yaml or admin store committed to the repo is not admin config', async () => {
  const css = fakeStore({ k: 'x' }, 'admin-like').replace('kind: SecretStore', 'kind: ClusterSecretStore');
  const r = await render(
    {
      'policy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: policy}\ndata:\n  policy.yaml: "singleTenant: true"\n',
      'stores/css.yaml': css,
      'css.yaml': css,
      'es.yaml': externalSecret(`  secretStoreRef: {name: admin-like, kind: ClusterSecretStore}\n${DATA}`),
    },
    {},
  );
  assert.ok('failed' in r);
  assert.match(r.stderr, /may not use ClusterSecretStore "admin-like" \(policy rule repoStores\.clusterSecretStore\)/);
});

Tenant('the deadline cannot be raised above the admin cap from the app', async () => {
  const r = await render({ 's.yaml': STORE, 'es.yaml': ES(DATA) }, { env: [{ name: 'ESO_PLUGIN_DEADLINE', value: '3600' }] });
  assert.ok(!('failed' in r));
  assert.ok(r.stderr.includes('ignoring ARGOCD_ENV_ESO_PLUGIN_DEADLINE'));
});

Tenant.run();

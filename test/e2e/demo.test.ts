import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { renderWithCmp } from '../support/cmp-emulator.js';
import { FIXTURES, PLUGIN_YAML, sidecarEnv } from '../support/plugin.js';

const Demo = suite('demo app through the CMP emulator');
const b64 = (s: string) => Buffer.from(s).toString('base64');

const render = () =>
  renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: FIXTURES,
    appPath: 'demo',
    app: { name: 'demo', destNamespace: 'demo', plugin: { name: 'argocd-eso-plugin-v0.1.0' } },
    sidecarEnv: sidecarEnv(),
  });

const secrets = (manifests: Array<Record<string, unknown>>) =>
  new Map(manifests.filter((m) => m.kind === 'Secret').map((m) => [(m.metadata as { name: string }).name, m]));

Demo('renders the exact Secrets for every policy in the demo', async () => {
  const { manifests, stderr } = await render();
  const s = secrets(manifests);
  assert.equal([...s.keys()].sort(), ['optional-settings', 'registry', 'shared-tokens', 'web-db']);

  assert.equal(s.get('web-db'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'web-db',
      namespace: 'demo',
      labels: {
        'reconcile.external-secrets.io/created-by': 'ab18bd86291ee420d99838070d0f01dc129d9719aaec8b37d2c766b5',
        'reconcile.external-secrets.io/managed': 'true',
        team: 'web',
      },
    },
    type: 'Opaque',
    data: { DB_PASSWORD: b64('demo-db-password'), DB_PORT: b64('5432'), DB_USER: b64('web'), SESSION_KEY: b64('demo-session-key') },
  });

  // Orphan: outlives the ExternalSecret without leaving the app OutOfSync.
  assert.equal(s.get('registry'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'registry',
      namespace: 'demo',
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
      annotations: {
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      },
    },
    immutable: true,
    type: 'Opaque',
    data: { token: b64('demo-registry-token'), user: b64('robot') },
  });

  // Merge into a Secret outside the render: a partial Secret, no type, server-side applied.
  assert.equal(s.get('shared-tokens'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'shared-tokens',
      namespace: 'demo',
      // ESO's Merge also writes the managed label (and the ExternalSecret's labels/annotations: none here).
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
      annotations: {
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      },
    },
    data: { WEB_API_TOKEN: b64('demo-api-token-rotated') },
  });

  // deletionPolicy Delete: the missing key is skipped, the rest kept; template type and labels applied.
  assert.equal(s.get('optional-settings'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'optional-settings',
      namespace: 'demo',
      labels: {
        app: 'web',
        'reconcile.external-secrets.io/created-by': 'ebb276112fc9457895996835cd054dffefa090fddcce3ca3c1a128bc',
        'reconcile.external-secrets.io/managed': 'true',
      },
    },
    type: 'kubernetes.io/basic-auth',
    data: { password: b64('demo-db-password'), username: b64('web') },
  });
  assert.match(stderr, /externalsecrets\.yaml#4 spec\.data\[2\]: remote value missing, skipped \(deletionPolicy Delete\)/);
});

Demo('passes every other document through unchanged and drops ESO inputs', async () => {
  const { manifests } = await render();
  const expected: unknown[] = [];
  for (const file of ['configmap.yaml', 'deployment.yaml']) {
    const docs = parseAllDocuments(readFileSync(join(FIXTURES, 'demo', file), 'utf8'), { version: '1.1' });
    for (const d of Array.isArray(docs) ? docs : []) expected.push(d.toJS());
  }
  const others = manifests.filter((m) => m.kind !== 'Secret');
  assert.equal(others, expected);
  assert.not.ok(manifests.some((m) => String(m.apiVersion).startsWith('external-secrets.io')));
});

Demo('output is byte-identical across runs', async () => {
  const a = await render();
  const b = await render();
  assert.is(a.stdout, b.stdout);
  assert.ok(a.stdout.startsWith('---\n'));
});

Demo.run();

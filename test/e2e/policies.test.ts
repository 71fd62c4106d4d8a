import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { externalSecret, fakeStore, makeApp } from '../support/app.js';
import { runCli } from '../support/plugin.js';

const Policies = suite('ESO policies mapped onto Argo CD');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function generate(files: Record<string, string>) {
  const { app } = makeApp(files);
  const r = runCli(['generate'], { cwd: app, env: { ARGOCD_APP_NAMESPACE: 'team' } });
  const docs = r.status === 0 ? (parseAllDocuments(r.stdout).map((d) => d.toJS()) as Array<Record<string, any>>) : [];
  return { ...r, docs, secret: (name: string): any => docs.find((d) => d.kind === "Secret" && d.metadata.name === name) };
}

const STORE = fakeStore({ a: 'alpha', b: 'bravo', big: 'x'.repeat(210 * 1024), huge: 'y'.repeat(600 * 1024) });
const item = (secretKey: string, key: string) => `    - secretKey: ${secretKey}\n      remoteRef: {key: ${key}}\n`;

Policies('Merge into a Secret in the same render: keys merged, existing kept, stringData not shadowing', () => {
  const existing = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\n  labels: {keep: me}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: Y2VydA==\n  A: b2xk\nstringData:\n  A: shadow\n  other: kept\n';
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  target: {name: app-secret, creationPolicy: Merge}\n  data:\n${item('A', 'a')}${item('B', 'b')}`);
  const r = generate({ 's.yaml': STORE, 'secret.yaml': existing, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.docs.filter((d) => d.kind === 'Secret').length, 1);
  assert.equal(r.secret('app-secret'), {
    apiVersion: 'v1',
    kind: 'Secret',
    // ESO's Merge writes the managed label too (and the ExternalSecret's labels/annotations: none here).
    metadata: { name: 'app-secret', labels: { keep: 'me', 'reconcile.external-secrets.io/managed': 'true' } },
    type: 'kubernetes.io/tls',
    data: { A: b64('alpha'), B: b64('bravo'), 'tls.crt': 'Y2VydA==' },
    stringData: { other: 'kept' },
  });
});

Policies('Merge writes what ESO’s mutationFunc writes: labels/annotations (ES or template), finalizers, template type, immutable; no created-by', () => {
  const existing =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\n  labels: {keep: me, team: old, reconcile.external-secrets.io/created-by: other}\n  finalizers: [a]\ndata:\n  X: eA==\n';
  const templated = externalSecret(
    `  secretStoreRef: {name: fake}\n  target:\n    name: app-secret\n    creationPolicy: Merge\n    immutable: true\n    template:\n      type: kubernetes.io/basic-auth\n      mergePolicy: Merge\n      metadata:\n        labels: {team: web}\n        annotations: {note: from-template}\n        finalizers: [a, b]\n  data:\n${item('A', 'a')}`,
    'es',
    '\n  labels: {ignored: because-template}',
  );
  const r = generate({ 's.yaml': STORE, 'secret.yaml': existing, 'es.yaml': templated });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.secret('app-secret'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'app-secret',
      labels: { keep: 'me', 'reconcile.external-secrets.io/managed': 'true', team: 'web' },
      annotations: { note: 'from-template' },
      finalizers: ['a', 'b'],
    },
    data: { A: b64('alpha'), X: 'eA==' },
    immutable: true,
    type: 'kubernetes.io/basic-auth',
  });

  // Outside the render: the partial Secret carries the same metadata, without type when no template sets one.
  const plain = externalSecret(`  secretStoreRef: {name: fake}\n  target: {name: elsewhere, creationPolicy: Merge}\n  data:\n${item('A', 'a')}`, 'es', '\n  labels: {team: web}\n  annotations: {note: from-es}');
  const p = generate({ 's.yaml': STORE, 'es.yaml': plain });
  assert.is(p.status, 0, p.stderr);
  assert.equal(p.secret('elsewhere'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'elsewhere',
      namespace: 'team',
      labels: { 'reconcile.external-secrets.io/managed': 'true', team: 'web' },
      annotations: {
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
        note: 'from-es',
      },
    },
    data: { A: b64('alpha') },
  });
});

Policies('deletionPolicy Merge: everything missing still emits the Secret, empty', () => {
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  target: {deletionPolicy: Merge}\n  data:\n${item('A', 'missing')}`);
  const r = generate({ 's.yaml': STORE, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.secret('es').data, {});
});

Policies('deletionPolicy Delete: everything missing leaves the Secret out (Argo prunes it)', () => {
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  target: {deletionPolicy: Delete}\n  data:\n${item('A', 'missing')}`);
  const r = generate({ 's.yaml': STORE, 'es.yaml': es, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.secret('es'), undefined);
  assert.is(r.docs.length, 1);
});

Policies('ExternalSecret annotations are copied, Argo ones dropped, sync-options merged with ours winning', () => {
  const meta = `\n  labels: {team: web}\n  annotations:\n    note: hello\n    argocd.argoproj.io/tracking-id: "app:external-secrets.io/ExternalSecret:team/es"\n    argocd.argoproj.io/hook: PreSync\n    kubectl.kubernetes.io/last-applied-configuration: "{}"\n    argocd.argoproj.io/sync-options: "Prune=true,Validate=false"`;
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  target: {creationPolicy: Orphan}\n  data:\n${item('A', 'a')}`, 'es', meta);
  const r = generate({ 's.yaml': STORE, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.secret('es').metadata.annotations, {
    'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
    'argocd.argoproj.io/sync-options': 'Prune=false,Validate=false,Delete=false',
    note: 'hello',
  });
  assert.match(r.stderr, /annotation argocd\.argoproj\.io\/tracking-id is not copied to the generated Secret/);
  assert.match(r.stderr, /annotation argocd\.argoproj\.io\/hook is not copied/);
});

Policies('Secrets over ~200 KiB are applied server-side; over 1 MiB the render fails', () => {
  const big = generate({ 's.yaml': STORE, 'es.yaml': externalSecret(`  secretStoreRef: {name: fake}\n  data:\n${item('big', 'big')}`) });
  assert.is(big.status, 0, big.stderr);
  assert.is(big.secret('es').metadata.annotations['argocd.argoproj.io/sync-options'], 'ServerSideApply=true');
  const huge = generate({ 's.yaml': STORE, 'es.yaml': externalSecret(`  secretStoreRef: {name: fake}\n  data:\n${item('h1', 'huge')}${item('h2', 'huge')}`) });
  assert.is(huge.status, 1);
  assert.is(huge.stdout, '');
  assert.match(huge.stderr, /the Secret would hold \d+ bytes, over Kubernetes' 1 MiB limit/);
});

Policies('creationPolicy None: no Secret, no reads', () => {
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  target: {creationPolicy: None}\n  data:\n${item('A', 'missing')}`);
  const r = generate({ 's.yaml': STORE, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.docs.length, 0);
});

Policies('kind: List documents are flattened and their ExternalSecrets rendered', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: in-list}\n  - ${externalSecret(`  secretStoreRef: {name: fake}\n  data:\n${item('A', 'a')}`, 'listed').replaceAll('\n', '\n    ')}\n`;
  const r = generate({ 's.yaml': STORE, 'list.yaml': list });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.docs.some((d) => d.kind === 'ConfigMap' && d.metadata.name === 'in-list'));
  assert.is(r.secret('listed').data.A, b64('alpha'));
});

Policies('a List item with a !!binary value passes through (yaml would crash on a zero line width)', () => {
  const r = generate({ 'l.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n    binaryData:\n      x: !!binary aGVsbG8=\n' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(Buffer.from(r.docs[0]!.binaryData.x).toString(), 'hello');
});

Policies('JSON files: a single object, rendered like YAML', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json' }, data: { on: 'yes' } });
  const r = generate({ 'cm.json': json });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.docs, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json' }, data: { on: 'yes' } }]);
});

Policies('v1beta1 ExternalSecrets render the same; v1-only fields are refused there', () => {
  const es = externalSecret(`  secretStoreRef: {name: fake}\n  data:\n${item('A', 'a')}`).replace('external-secrets.io/v1', 'external-secrets.io/v1beta1');
  assert.is(generate({ 's.yaml': STORE, 'es.yaml': es }).secret('es').data.A, b64('alpha'));
  const v1only = es.replace('remoteRef: {key: a}', 'remoteRef: {key: a, nullBytePolicy: Fail}');
  assert.match(generate({ 's.yaml': STORE, 'es.yaml': v1only }).stderr, /spec\.data\[0\]\.remoteRef\.nullBytePolicy \(line 1\): unknown field/);
});

Policies.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { externalSecret, fakeStore, makeApp } from '../support/app.js';
import { runCli, tempDir } from '../support/plugin.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const Kinds = suite('other ESO kinds: ClusterExternalSecret, Fake generator, v1alpha1');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function generate(files: Record<string, string>, env: Record<string, string> = {}) {
  const { app } = makeApp(files);
  const r = runCli(['generate'], { cwd: app, env: { ARGOCD_APP_NAMESPACE: 'team', ...env } });
  const docs = r.status === 0 ? (parseAllDocuments(r.stdout).map((d) => d.toJS()) as Array<Record<string, any>>) : [];
  return { ...r, docs };
}

function singleTenant(): string {
  const dir = tempDir('eso-admin-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'policy.yaml'), 'singleTenant: true\n');
  return dir;
}

const CSS = fakeStore({ token: 'shared-token' }, 'shared').replace('kind: SecretStore', 'kind: ClusterSecretStore');

Kinds('a ClusterExternalSecret renders one Secret per listed namespace', () => {
  const ces = `apiVersion: external-secrets.io/v1
kind: ClusterExternalSecret
metadata: {name: tokens}
spec:
  externalSecretName: app-token
  externalSecretMetadata:
    labels: {owner: platform}
  namespaces: [b-team, a-team]
  externalSecretSpec:
    secretStoreRef: {name: shared, kind: ClusterSecretStore}
    data:
      - secretKey: token
        remoteRef: {key: token}
`;
  const r = generate({ 'css.yaml': CSS, 'ces.yaml': ces }, { ESO_PLUGIN_CONFIG_DIR: singleTenant() });
  assert.is(r.status, 0, r.stderr);
  assert.equal(
    r.docs.map((d) => [d.metadata.namespace, d.metadata.name, d.metadata.labels.owner, d.data.token]),
    [
      ['a-team', 'app-token', 'platform', b64('shared-token')],
      ['b-team', 'app-token', 'platform', b64('shared-token')],
    ],
  );
});

Kinds('a ClusterExternalSecret goes through the namespace policy; selectors are refused', () => {
  const ces = (extra: string) => `apiVersion: external-secrets.io/v1
kind: ClusterExternalSecret
metadata: {name: tokens}
spec:
${extra}
  externalSecretSpec:
    secretStoreRef: {name: shared, kind: ClusterSecretStore}
    data:
      - secretKey: token
        remoteRef: {key: tokn}
`;
  const denied = generate({ 'css.yaml': CSS, 'ces.yaml': ces('  namespaces: [other]') });
  assert.match(denied.stderr, /namespace "other" is not allowed \(policy rule namespaces\)/);
  const selector = generate({ 'css.yaml': CSS, 'ces.yaml': ces('  namespaceSelector: {matchLabels: {a: b}}') });
  assert.match(selector.stderr, /ces\.yaml#1 spec\.namespaceSelector \(line 1\): namespace selectors need the live cluster's namespace labels/);
  const fieldPath = generate({ 'css.yaml': CSS, 'ces.yaml': ces('  namespaces: [team]').replace('secretKey: token', 'secretKey: "bad/key"') }, { ESO_PLUGIN_CONFIG_DIR: singleTenant() });
  assert.match(fieldPath.stderr, /spec\.externalSecretSpec\.data\[0\]\.secretKey/);
});

Kinds('the Fake generator feeds dataFrom (rewrite-free), other generators are refused', () => {
  const gen = 'apiVersion: generators.external-secrets.io/v1alpha1\nkind: Fake\nmetadata: {name: static}\nspec:\n  data: {username: admin, password: generated-once}\n';
  const es = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: es}
spec:
  dataFrom:
    - sourceRef:
        generatorRef: {apiVersion: generators.external-secrets.io/v1alpha1, kind: Fake, name: static}
`;
  const r = generate({ 'gen.yaml': gen, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.docs[0]!.data, { password: b64('generated-once'), username: b64('admin') });
  const password = generate({ 'gen.yaml': gen.replace('kind: Fake', 'kind: Password'), 'es.yaml': es });
  assert.match(password.stderr, /Password generators are not supported: generated values are not reproducible by a renderer/);
});

Kinds('legacy v1alpha1: dataFrom refs read as extract; the v1 template engine is refused', () => {
  const store = fakeStore({ cfg: '{"a":"1","b":"2"}' });
  const es = 'apiVersion: external-secrets.io/v1alpha1\nkind: ExternalSecret\nmetadata: {name: es}\nspec:\n  secretStoreRef: {name: fake}\n  dataFrom:\n    - key: cfg\n';
  const r = generate({ 's.yaml': store, 'es.yaml': es });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.docs[0]!.data, { a: b64('1'), b: b64('2') });
  const templated = generate({ 's.yaml': store, 'es.yaml': es.replace('spec:\n', 'spec:\n  target:\n    template:\n      data: {x: "{{ .a | toString }}"}\n') });
  assert.match(templated.stderr, /spec\.target\.template\.engineVersion \(line 1\): unsupported template engine version: v1/);
});

Kinds('engineVersion "" is refused as the API server would (the CRD defaults only an absent field)', () => {
  const store = fakeStore({ k: 'v' });
  const es = externalSecret('  secretStoreRef: {name: fake}\n  target:\n    template:\n      engineVersion: ""\n      data: {x: "{{ .k }}"}\n  data:\n    - {secretKey: k, remoteRef: {key: k}}\n');
  const r = generate({ 's.yaml': store, 'es.yaml': es });
  assert.is(r.status, 1);
  assert.match(r.stderr, /spec\.target\.template\.engineVersion \(line \d+\): Unsupported value: "": supported values: "v2"/);
  const absent = generate({ 's.yaml': store, 'es.yaml': es.replace('      engineVersion: ""\n', '') });
  assert.is(absent.status, 0, absent.stderr);
});

Kinds.run();

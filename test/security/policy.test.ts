import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CANARY, externalSecret, fakeStore, makeApp } from '../support/app.js';
import { assertNoCanary } from '../support/canary.js';
import { runCli, tempDir } from '../support/plugin.js';

const Policy = suite('admin policy and admin stores');

function adminDir(policy: string | undefined, stores: Record<string, string> = {}): string {
  const dir = tempDir('eso-admin-');
  if (policy !== undefined) writeFileSync(join(dir, 'policy.yaml'), policy);
  mkdirSync(join(dir, 'stores'));
  for (const [name, text] of Object.entries(stores)) writeFileSync(join(dir, 'stores', name), text);
  return dir;
}

const ADMIN_CSS = fakeStore({ shared: CANARY }, 'shared').replace('kind: SecretStore', 'kind: ClusterSecretStore');
const usesShared = externalSecret('  secretStoreRef: {name: shared, kind: ClusterSecretStore}\n  data:\n    - secretKey: v\n      remoteRef: {key: shared}\n');

function run(files: Record<string, string>, env: Record<string, string>) {
  const { app } = makeApp(files);
  const r = runCli(['generate'], { cwd: app, env: { ARGOCD_APP_NAMESPACE: 'team', ARGOCD_APP_PROJECT_NAME: 'payments', ...env } });
  if (r.status !== 0) {
    assert.is(r.stdout, '', 'a failing render prints nothing');
    assertNoCanary(r.stderr, CANARY, 'stderr');
  }
  return r;
}

Policy('an admin store is refused unless the project is granted it', () => {
  const r = run({ 'es.yaml': usesShared }, { ESO_PLUGIN_CONFIG_DIR: adminDir(undefined, { 'shared.yaml': ADMIN_CSS }) });
  assert.is(r.status, 1);
  assert.ok(r.stderr.includes('may not use ClusterSecretStore "shared" (policy rule projects.stores)'), r.stderr);
  assert.ok(r.stderr.includes('the admin can list it under projects.payments.stores in policy.yaml'));
});

Policy('a granted admin store is used', () => {
  const dir = adminDir('projects:\n  payments:\n    stores: [shared]\n', { 'shared.yaml': ADMIN_CSS });
  const r = run({ 'es.yaml': usesShared }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(Buffer.from(CANARY).toString('base64')));
});

Policy('admin stores may also be top-level files next to policy.yaml (ConfigMap layout)', () => {
  const dir = tempDir('eso-admin-');
  writeFileSync(join(dir, 'policy.yaml'), 'projects:\n  payments:\n    stores: [shared]\n');
  writeFileSync(join(dir, 'shared.yaml'), ADMIN_CSS);
  assert.is(run({ 'es.yaml': usesShared }, { ESO_PLUGIN_CONFIG_DIR: dir }).status, 0);
});

Policy('a repo store never shadows an admin store of the same name', () => {
  const dir = adminDir('singleTenant: true\n', { 'shared.yaml': ADMIN_CSS });
  const repoStore = fakeStore({ shared: 'from-the-repo' }, 'shared').replace('kind: SecretStore', 'kind: ClusterSecretStore');
  const r = run({ 'es.yaml': usesShared, 'store.yaml': repoStore }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(Buffer.from(CANARY).toString('base64')));
  assert.ok(r.stderr.includes('ClusterSecretStore "shared" is ignored: an admin store has the same name and always wins'));
});

Policy('singleTenant allows repo ClusterSecretStores and other namespaces', () => {
  const css = fakeStore({ k: 'v' }, 'css').replace('kind: SecretStore', 'kind: ClusterSecretStore');
  const es = externalSecret('  secretStoreRef: {name: css, kind: ClusterSecretStore}\n  data:\n    - secretKey: v\n      remoteRef: {key: k}\n', 'es', '\n  namespace: elsewhere');
  assert.is(run({ 'css.yaml': css, 'es.yaml': es }, {}).status, 1);
  assert.is(run({ 'css.yaml': css, 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: adminDir('singleTenant: true\n') }).status, 0);
});

Policy('project namespaces allow listed namespaces by glob', () => {
  const es = (ns: string) => externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: v\n      remoteRef: {key: k}\n', 'es', `\n  namespace: ${ns}`);
  const store = (ns: string) => fakeStore({ k: 'v' }).replace('name: fake', `name: fake\n  namespace: ${ns}`);
  const dir = adminDir('projects:\n  payments:\n    namespaces: ["payments-*"]\n');
  assert.is(run({ 's.yaml': store('payments-eu'), 'es.yaml': es('payments-eu') }, { ESO_PLUGIN_CONFIG_DIR: dir }).status, 0);
  const denied = run({ 's.yaml': store('billing'), 'es.yaml': es('billing') }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.ok(denied.stderr.includes('namespace "billing" is not allowed (policy rule namespaces)'));
});

Policy('project keys restrict the remote keys an app may read', () => {
  const dir = adminDir('projects:\n  payments:\n    keys: ["payments/*"]\n');
  const es = externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: v\n      remoteRef: {key: billing/db}\n');
  const r = run({ 's.yaml': fakeStore({ 'billing/db': CANARY }), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.is(r.status, 1);
  assert.ok(r.stderr.includes('remote key "billing/db" is not allowed for project "payments" (policy rule projects.keys)'), r.stderr);
});

Policy('project keys also filter find results', () => {
  const dir = adminDir('projects:\n  payments:\n    keys: ["payments*"]\n');
  const es = externalSecret('  secretStoreRef: {name: fake}\n  dataFrom:\n    - find: {name: {regexp: "."}}\n');
  const r = run({ 's.yaml': fakeStore({ payments_db: 'ok', billing_db: CANARY }), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('payments_db'));
  assert.not.ok(r.stdout.includes('billing_db'));
  assert.match(r.stderr, /1 match\(es\) outside the project's allowed keys were left out \(policy rule projects\.keys\)/);
});

Policy('ClusterSecretStore conditions: namespaces and unanchored regexes; selectors refused', () => {
  const dir = adminDir('singleTenant: true\n');
  const css = (conditions: string) => fakeStore({ k: 'v' }, 'css').replace('kind: SecretStore', 'kind: ClusterSecretStore').replace('spec:\n', `spec:\n  conditions:\n${conditions}`);
  const es = externalSecret('  secretStoreRef: {name: css, kind: ClusterSecretStore}\n  data:\n    - secretKey: v\n      remoteRef: {key: k}\n');
  assert.is(run({ 'c.yaml': css('    - namespaces: [team]\n'), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir }).status, 0);
  assert.is(run({ 'c.yaml': css('    - namespaceRegexes: ["ea"]\n'), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir }).status, 0);
  const denied = run({ 'c.yaml': css('    - namespaces: [other]\n'), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.ok(denied.stderr.includes('using cluster store "css" is not allowed from namespace "team": denied by spec.condition'));
  const selector = run({ 'c.yaml': css('    - namespaceSelector: {matchLabels: {a: b}}\n'), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.ok(selector.stderr.includes("uses spec.conditions[].namespaceSelector, which needs the live cluster's namespace labels"));
});

Policy('an invalid policy fails every render, naming the field', () => {
  const dir = adminDir('singleTennant: true\nrepoStores: {secretStore: allow}\nlimits: {deadlineSeconds: -1}\n');
  const r = run({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.is(r.status, 1);
  assert.match(r.stderr, /policy\.yaml#1 singleTennant: unknown field/);
  assert.match(r.stderr, /policy\.yaml#1 repoStores\.secretStore: must be one of deny, explicitCredentials, ambient/);
  assert.match(r.stderr, /policy\.yaml#1 limits\.deadlineSeconds: must be a positive number/);
});

Policy('repoStores.secretStore: deny refuses even fake stores', () => {
  const dir = adminDir('repoStores: {secretStore: deny}\n');
  const es = externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: v\n      remoteRef: {key: k}\n');
  const r = run({ 's.yaml': fakeStore({ k: 'v' }), 'es.yaml': es }, { ESO_PLUGIN_CONFIG_DIR: dir });
  assert.ok(r.stderr.includes('may not use SecretStore "fake" (policy rule repoStores.secretStore)'), r.stderr);
});

Policy.run();

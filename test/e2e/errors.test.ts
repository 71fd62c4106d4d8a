import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoCanary } from '../support/canary.js';
import { CANARY, externalSecret, fakeStore, makeApp } from '../support/app.js';
import { runCli } from '../support/plugin.js';

const Errors = suite('bad input fails closed with a clear error');
const env = { ARGOCD_APP_NAMESPACE: 'team', ARGOCD_APP_NAME: 'app', ARGOCD_APP_SOURCE_PATH: 'apps/app' };

const STORE = fakeStore({ db: JSON.stringify({ password: CANARY, user: 'admin' }), plain: CANARY, blob: `${CANARY}-not-base64!` });
const ref = (key: string, extra = '') => `  secretStoreRef:\n    name: fake\n  data:\n    - secretKey: value\n      remoteRef:\n        key: ${key}${extra}\n`;

function generate(files: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const { app } = makeApp(files);
  const r = runCli(['generate'], { cwd: app, env: { ...env, ...extraEnv } });
  // Fail closed: a failing render prints nothing on stdout, and never the canary on stderr.
  assertNoCanary(r.stderr, CANARY, 'stderr');
  return r;
}

function fails(files: Record<string, string>, expected: string | RegExp, extraEnv: Record<string, string> = {}) {
  const r = generate(files, extraEnv);
  assert.is(r.status, 1, `exit status; stderr: ${r.stderr}`);
  assert.is(r.stdout, '');
  if (typeof expected === 'string') assert.ok(r.stderr.includes(expected), `stderr was:\n${r.stderr}\nexpected to include:\n${expected}`);
  else assert.match(r.stderr, expected);
  assert.not.match(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack traces');
}

const cases: Array<[string, Record<string, string>, string | RegExp]> = [
  ['malformed YAML', { 'es.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n' }, /error: apps\/app\/es\.yaml#1 \(line \d+\): invalid YAML: /],
  ['a document that is not an object', { 'x.yaml': '- just\n- a list\n' }, 'error: apps/app/x.yaml#1 (line 1): document is not a mapping (a Kubernetes object)'],
  ['a document without kind', { 'x.yaml': 'apiVersion: v1\nmetadata: {name: x}\n' }, "error: apps/app/x.yaml#1 kind (line 1): Object 'Kind' is missing"],
  ['duplicate keys', { 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n' }, /error: apps\/app\/x\.yaml#1 \(line 3\): invalid YAML: Map keys must be unique/],
  ['a YAML alias bomb', { 'x.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n` }, /error: apps\/app\/x\.yaml#1 \(line 1\): invalid YAML: Excessive alias count/],
  ['deep nesting', { 'x.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(100)}${']'.repeat(100)}\n` }, 'error: apps/app/x.yaml#1 (line 1): document is nested deeper than 64 levels'],
  ['non-UTF-8 bytes', { 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "\xff\xfe"}\n' }, 'placeholder'],
  ['an unknown ExternalSecret field', { 's.yaml': STORE, 'es.yaml': externalSecret(`${ref('plain')}  refreshIntervall: 1h\n`) }, 'error: apps/app/es.yaml#1 spec.refreshIntervall (line 1): unknown field\n  hint: known fields here: secretStoreRef, target, refreshInterval, refreshPolicy, data, dataFrom, syncWindows'],
  ['an invalid secretKey', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: "a/b"\n      remoteRef: {key: plain}\n') }, 'error: apps/app/es.yaml#1 spec.data[0].secretKey (line 1): must match ^[-._a-zA-Z0-9]+$ and be at most 253 characters'],
  ['a wrong type', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  target: {immutable: "yes"}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n') }, 'error: apps/app/es.yaml#1 spec.target.immutable (line 1): must be true or false'],
  ['neither data nor dataFrom', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n') }, 'error: apps/app/es.yaml#1 spec (line 1): either data or dataFrom should be specified'],
  ['Delete with a non-Owner creationPolicy', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  target: {creationPolicy: Merge, deletionPolicy: Delete}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n') }, "spec.target.deletionPolicy (line 1): deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner"],
  ['duplicate secretKey under Retain', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n    - secretKey: a\n      remoteRef: {key: plain}\n') }, 'error: apps/app/es.yaml#1 spec.data[1].secretKey (line 1): duplicate secretKey found: a'],
  ['a missing store', { 'es.yaml': externalSecret(ref('plain')) }, 'error: apps/app/es.yaml#1 spec.secretStoreRef (line 1): could not get SecretStore "fake" in namespace "team"'],
  ['a repo ClusterSecretStore under the default policy', { 's.yaml': STORE.replace('kind: SecretStore', 'kind: ClusterSecretStore'), 'es.yaml': externalSecret('  secretStoreRef: {name: fake, kind: ClusterSecretStore}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n') }, 'may not use ClusterSecretStore "fake" (policy rule repoStores.clusterSecretStore)'],
  ['a namespace other than the destination', { 's.yaml': STORE, 'es.yaml': externalSecret(ref('plain'), 'es', '\n  namespace: other') }, 'error: apps/app/es.yaml#1 metadata.namespace (line 1): namespace "other" is not allowed (policy rule namespaces)'],
  ['an unsupported provider', { 's.yaml': 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake}\nspec:\n  provider:\n    vault: {server: "https://vault"}\n', 'es.yaml': externalSecret(ref('plain')) }, /error: apps\/app\/s\.yaml#1 spec\.provider\.vault \(line 1\): provider "vault" is not supported\n {2}hint: supported providers: .*fake/],
  ['a missing remote value under Retain', { 's.yaml': STORE, 'es.yaml': externalSecret(ref('nope')) }, 'error: apps/app/es.yaml#1 spec.data[0].remoteRef (line 1): key "nope" from SecretStore "fake": Secret does not exist'],
  ['a value that is not base64', { 's.yaml': STORE, 'es.yaml': externalSecret(ref('blob', '\n        decodingStrategy: Base64')) }, 'spec.data[0].remoteRef (line 1): error applying decoding strategy Base64 to data: illegal base64 data at input byte 6'],
  ['extract of a non-JSON value', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  dataFrom:\n    - extract: {key: plain}\n') }, 'error: apps/app/es.yaml#1 spec.dataFrom[0] (line 1): SecretStore "fake": extract "plain": unable to unmarshal secret: invalid character'],
  ['a legacy kubernetes-external-secrets manifest', { 'es.yaml': 'apiVersion: kubernetes-client.io/v1\nkind: ExternalSecret\nmetadata: {name: x}\nspec: {}\n' }, 'kubernetes-external-secrets (kubernetes-client.io) manifests are not supported yet'],
  ['a Kustomize app with a remote base', { 'kustomization.yaml': 'resources:\n  - https://github.com/example/base?ref=v1\n' }, /error: apps\/app\/kustomization\.yaml: resources entry "https:\/\/github\.com\/example\/base\?ref=v1" is not a file or directory in the repository, so kustomize would fetch it over the network/],
  ['two ExternalSecrets targeting the same Secret', { 's.yaml': STORE, 'a.yaml': externalSecret(ref('plain'), 'one').replace('spec:\n', 'spec:\n  target: {name: same}\n'), 'b.yaml': externalSecret(ref('plain'), 'two').replace('spec:\n', 'spec:\n  target: {name: same}\n') }, 'error: apps/app/b.yaml#1 spec.target.name (line 1): Secret team/same is also generated by the ExternalSecret at apps/app/a.yaml#1'],
  ['a generated Secret colliding with one in the app', { 's.yaml': STORE, 'es.yaml': externalSecret(ref('plain')), 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: es}\n' }, 'error: apps/app/es.yaml#1 spec.target.name (line 1): Secret team/es is generated here and also defined at apps/app/secret.yaml#1'],
  ['refreshPolicy CreatedOnce', { 's.yaml': STORE, 'es.yaml': externalSecret(`${ref('plain')}  refreshPolicy: CreatedOnce\n`) }, 'spec.refreshPolicy (line 1): refreshPolicy: CreatedOnce cannot be honoured: every render reads the provider afresh'],
  ['find matching nothing under Retain', { 's.yaml': STORE, 'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  dataFrom:\n    - find: {name: {regexp: "^nothing"}}\n') }, 'error: apps/app/es.yaml#1 spec (line 1): no data was fetched, so the live Secret would be retained, which a render cannot do'],
];

for (const [name, files, expected] of cases) {
  if (name === 'non-UTF-8 bytes') continue;
  Errors(`${name}`, () => fails(files, expected));
}

Errors('non-UTF-8 bytes', () => {
  const { app } = makeApp({});
  writeFileSync(join(app, 'x.yaml'), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
  const r = runCli(['generate'], { cwd: app, env });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.includes('error: apps/app/x.yaml: is not valid UTF-8'), r.stderr);
});

Errors('a symlink out of the repo', () => {
  const { app } = makeApp({});
  symlinkSync('/etc/hostname', join(app, 'leak.yaml'));
  const r = runCli(['generate'], { cwd: app, env });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.includes('error: apps/app/leak.yaml: symlink points outside the repository'), r.stderr);
});

Errors('a huge file', () => {
  const { app } = makeApp({ 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: "${'x'.repeat(9 * 1024 * 1024)}"}\n` });
  const r = runCli(['generate'], { cwd: app, env });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /error: apps\/app\/big\.yaml: file is \d+ bytes, over the 8388608-byte limit/);
});

Errors('every problem is reported at once, and the count closes the report', () => {
  const r = generate({
    's.yaml': STORE,
    'a.yaml': externalSecret('  secretStoreRef: {name: fake}\n'),
    'b.yaml': externalSecret('  secretStoreRef: {name: missing}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n'),
  });
  assert.is(r.status, 1);
  assert.ok(r.stderr.includes('either data or dataFrom should be specified'));
  assert.ok(r.stderr.includes('could not get SecretStore "missing"'));
  assert.ok(r.stderr.includes('2 problems; nothing was printed'));
});

Errors('usage errors exit 2', () => {
  const r = runCli(['generat']);
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.includes('error: unknown command generat'));
});

Errors('a provider error after values were fetched never shows them', () => {
  // The canary is fetched (registered with the redactor), then a later item fails.
  const r = generate({
    's.yaml': STORE,
    'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: a\n      remoteRef: {key: plain}\n    - secretKey: b\n      remoteRef: {key: db, property: password, decodingStrategy: Base64}\n'),
  });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
});

Errors.run();

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { adminSettings } from '../../src/cli/inputs.js';
import { credentialsFor } from '../../src/cli/run.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { DEFAULT_POLICY, type KubernetesApiPolicy, type Policy } from '../../src/policy/types.js';
import { kubeApiCredentials, MAX_RESPONSE_BYTES } from '../../src/providers/kube-credentials.js';
import type { CredentialSource } from '../../src/providers/types.js';
import { CANARY, externalSecret, makeApp } from '../support/app.js';
import { type AwsServer, startAwsServer } from '../support/aws-server.js';
import { assertNoCanary } from '../support/canary.js';
import { type KubeServer, startKubeServer } from '../support/kube-server.js';
import { runCliAsync, tempDir } from '../support/plugin.js';

const Kube = suite('Kubernetes API credential source (opt-in)');

const ALLOW_TEAM: KubernetesApiPolicy = { enabled: true, namespaces: ['team', 'team-*'], projects: { payments: ['payments'] } };
let kube: KubeServer | undefined;
Kube.after.each(async () => {
  await kube?.close();
  kube = undefined;
});

function source(server: KubeServer, policy: KubernetesApiPolicy = ALLOW_TEAM, extra: Partial<Parameters<typeof kubeApiCredentials>[0]> = {}): CredentialSource {
  return kubeApiCredentials({ endpoint: server.endpoint(), policy, project: 'default', signal: new AbortController().signal, deadline: Date.now() + 20_000, debug: () => {}, ...extra });
}

const text = (v: Uint8Array) => new TextDecoder().decode(v);

async function failure(p: Promise<unknown>): Promise<Error & { hint?: string; code?: string }> {
  return p.then(
    () => assert.unreachable('expected a failure') as never,
    (e: Error & { hint?: string; code?: string }) => e,
  );
}

/** Message and hint of an error, for the leak scan. */
const shown = (e: Error & { hint?: string }) => `${e.message}\n${e.hint ?? ''}`;

Kube('reads and decodes a key of a Secret, with the bearer token from the token file', async () => {
  kube = await startKubeServer('token-a');
  kube.put('team', 'aws', { id: 'AKIDEXAMPLE', secret: CANARY });
  assert.is(text(await source(kube).read('team', 'aws', 'secret')), CANARY);
  assert.equal(kube.requests, [{ method: 'GET', path: '/api/v1/namespaces/team/secrets/aws', token: 'token-a' }]);
});

Kube('one GET per (namespace, Secret) per render, however many keys and reads', async () => {
  kube = await startKubeServer();
  kube.put('team', 'aws', { id: 'AKIDEXAMPLE', secret: CANARY }).put('team', 'other', { k: 'value' });
  const s = source(kube);
  const values = await Promise.all([s.read('team', 'aws', 'id'), s.read('team', 'aws', 'secret'), s.read('team', 'aws', 'id'), s.read('team', 'other', 'k')]);
  assert.equal(values.map(text), ['AKIDEXAMPLE', CANARY, 'AKIDEXAMPLE', 'value']);
  assert.is(kube.gets('team', 'aws'), 1);
  assert.is(kube.gets('team', 'other'), 1);
  // A new render asks again (values rotate; nothing is cached across renders).
  await source(kube).read('team', 'aws', 'id');
  assert.is(kube.gets('team', 'aws'), 2);
});

Kube('404: names namespace/Secret/key and the status', async () => {
  kube = await startKubeServer();
  const e = await failure(source(kube).read('team', 'missing', 'id'));
  assert.match(e.message, /^credential team\/missing\/id: Kubernetes API: Secret team\/missing not found \(HTTP 404\)$/);
  assert.is(e.code, 'NotFound');
});

Kube('403: names the Secret and says which RBAC grant is missing', async () => {
  kube = await startKubeServer();
  kube.put('team', 'aws', { id: CANARY }).inject('team', 'aws', { status: 403 });
  const e = await failure(source(kube).read('team', 'aws', 'id'));
  assert.match(e.message, /^credential team\/aws\/id: Kubernetes API: reading Secret team\/aws is forbidden \(HTTP 403\)$/);
  assert.match(e.hint ?? '', /"get" on secrets, resourceNames \[aws\], in namespace "team"/);
  assertNoCanary(shown(e), CANARY, '403 error');
});

Kube('401: a rejected token points at audience and expiry', async () => {
  kube = await startKubeServer('good');
  kube.put('team', 'aws', { id: 'x' });
  writeFileSync(kube.tokenFile, 'stale');
  const e = await failure(source(kube).read('team', 'aws', 'id'));
  assert.match(e.message, /the token was rejected reading Secret team\/aws \(HTTP 401\)/);
  assert.match(e.hint ?? '', /audience and expiry/);
});

Kube('a missing key names the key, the Secret and HTTP 200 — not the keys that exist, nor values', async () => {
  kube = await startKubeServer();
  kube.put('team', 'aws', { id: CANARY });
  const e = await failure(source(kube).read('team', 'aws', 'secret'));
  assert.match(e.message, /^credential team\/aws\/secret: Secret team\/aws has no key "secret" \(Kubernetes API, HTTP 200\)$/);
  assertNoCanary(shown(e), CANARY, 'missing key error');
});

Kube('the token file is re-read: a rotated token is used by the next render', async () => {
  kube = await startKubeServer('token-1');
  kube.put('team', 'aws', { id: 'AKIDEXAMPLE' });
  await source(kube).read('team', 'aws', 'id');
  kube.rotate('token-2'); // kubelet rewrites the projected token; the old one no longer works
  assert.is(text(await source(kube).read('team', 'aws', 'id')), 'AKIDEXAMPLE');
  assert.equal(
    kube.requests.map((r) => r.token),
    ['token-1', 'token-2'],
  );
});

Kube('a namespace the policy does not allow is refused before any request', async () => {
  kube = await startKubeServer();
  kube.put('argocd', 'admin', { id: CANARY });
  for (const [policy, project, rule] of [
    [ALLOW_TEAM, 'default', /not allowed for project "default" \(policy rule kubernetesApi\.namespaces\)/],
    [{ ...ALLOW_TEAM, namespaces: [] }, 'other', /not allowed for project "other"/],
    [{ ...ALLOW_TEAM, enabled: false }, 'default', /Kubernetes API reads are disabled \(policy rule kubernetesApi\.enabled\)/],
  ] as const) {
    const e = await failure(source(kube, policy, { project }).read('argocd', 'admin', 'id'));
    assert.match(e.message, rule);
    assert.is(e.code, 'PolicyDenied');
  }
  assert.is(kube.requests.length, 0, 'no request reached the API server');
});

Kube('kubernetesApi.projects widens the namespaces for that project only', async () => {
  kube = await startKubeServer();
  kube.put('payments', 'aws', { id: 'AKIDPAY' });
  assert.is(text(await source(kube, ALLOW_TEAM, { project: 'payments' }).read('payments', 'aws', 'id')), 'AKIDPAY');
  await failure(source(kube, ALLOW_TEAM, { project: 'web' }).read('payments', 'aws', 'id'));
  assert.is(kube.requests.length, 1);
});

Kube('oversized responses are refused, declared or streamed', async () => {
  kube = await startKubeServer();
  const big = JSON.stringify({ kind: 'Secret', data: { id: Buffer.from(CANARY.repeat(80_000)).toString('base64') } });
  assert.ok(big.length > MAX_RESPONSE_BYTES);
  kube.inject('team', 'declared', { body: big }).inject('team', 'streamed', { body: big, chunked: true });
  for (const name of ['declared', 'streamed']) {
    const e = await failure(source(kube).read('team', name, 'id'));
    assert.match(e.message, new RegExp(`credential team/${name}/id: Kubernetes API: GET Secret team/${name}: response larger than ${MAX_RESPONSE_BYTES} bytes`));
    assertNoCanary(shown(e), CANARY, 'size error');
  }
});

Kube('malformed responses are refused without echoing them', async () => {
  kube = await startKubeServer();
  kube.inject('team', 'a', { body: `not json ${CANARY}` }).inject('team', 'b', { body: JSON.stringify({ kind: 'Secret', data: { id: CANARY } }) });
  const a = await failure(source(kube).read('team', 'a', 'id'));
  assert.match(a.message, /the response is not JSON/);
  const b = await failure(source(kube).read('team', 'b', 'id'));
  assert.match(b.message, /data key "id" is not base64/);
  for (const e of [a, b]) assertNoCanary(shown(e), CANARY, 'malformed error');
});

Kube('throttling and 5xx are retried within the deadline; one memoised result', async () => {
  kube = await startKubeServer();
  kube.put('team', 'aws', { id: 'AKIDEXAMPLE' }).inject('team', 'aws', { status: 503 }, { status: 429 });
  assert.is(text(await source(kube).read('team', 'aws', 'id')), 'AKIDEXAMPLE');
  assert.is(kube.gets('team', 'aws'), 3);
  kube.inject('team', 'aws', { status: 500 }, { status: 500 }, { status: 500 });
  const e = await failure(source(kube).read('team', 'aws', 'id'));
  assert.match(e.message, /GET Secret team\/aws failed \(HTTP 500\)/);
});

Kube('the request timeout stays inside the render deadline', async () => {
  kube = await startKubeServer();
  const hang = await import('node:net').then(({ createServer }) => createServer(() => {}));
  await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
  const port = (hang.address() as { port: number }).port;
  const started = Date.now();
  const e = await failure(source(kube, ALLOW_TEAM, { endpoint: { ...kube.endpoint(), port }, deadline: Date.now() + 400 }).read('team', 'aws', 'id'));
  hang.close();
  // Bounded, not timed: the server never answers; generous for slow CI.
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.match(e.message, /credential team\/aws\/id: Kubernetes API: GET Secret team\/aws: (timed out after \d+ ms|the render deadline has passed)/);
});

Kube('only the configured CA is trusted', async () => {
  kube = await startKubeServer();
  kube.put('team', 'aws', { id: 'x' });
  const otherCa = join(tempDir(), 'ca.crt');
  writeFileSync(otherCa, kube.pki.clientCertificate); // a valid certificate that did not sign the server's
  const e = await failure(source(kube, ALLOW_TEAM, { endpoint: { ...kube.endpoint(), caFile: otherCa } }).read('team', 'aws', 'id'));
  assert.match(e.message, /TLS verification failed/);
  assert.is(kube.requests.length, 0, 'the token never reached an unverified server');
});

Kube('a missing token file says what to mount', async () => {
  kube = await startKubeServer();
  const e = await failure(source(kube, ALLOW_TEAM, { endpoint: { ...kube.endpoint(), tokenFile: '/nonexistent/token' } }).read('team', 'aws', 'id'));
  assert.match(e.message, /cannot read the token file \/nonexistent\/token \(ENOENT\)/);
  assert.match(e.hint ?? '', /ESO_PLUGIN_KUBE_TOKEN_FILE/);
});

Kube('outside a cluster (no KUBERNETES_SERVICE_HOST) the error says so', async () => {
  kube = await startKubeServer();
  const e = await failure(source(kube, ALLOW_TEAM, { endpoint: { ...kube.endpoint(), host: undefined } }).read('team', 'aws', 'id'));
  assert.match(e.message, /^credential team\/aws\/id: Kubernetes API: KUBERNETES_SERVICE_HOST is not set/);
});

Kube('path tricks in names are refused before any request', async () => {
  kube = await startKubeServer();
  for (const [ns, name, key] of [['team', '../../api', 'k'], ['team', 'a%2Fb', 'k'], ['Team', 's', 'k'], ['team', 's', '../x/']]) {
    const e = await failure(source(kube, { ...ALLOW_TEAM, namespaces: ['*'] }).read(ns!, name!, key!));
    assert.match(e.message, /invalid namespace, secret name or key/);
  }
  assert.is(kube.requests.length, 0);
});

// ---------------------------------------------------------------------------------------------
// Composition (run.ts credentialsFor) and trust

const Compose = suite('credential sources of a render: directory, then the Kubernetes API');

let kube2: KubeServer | undefined;
Compose.after.each(async () => {
  await kube2?.close();
  kube2 = undefined;
});

const policyWith = (kubernetesApi: KubernetesApiPolicy): Policy => ({ ...DEFAULT_POLICY, kubernetesApi });
const render = (registered: Uint8Array[] = []) => ({ signal: new AbortController().signal, deadline: Date.now() + 20_000, debug: () => {}, register: (v: Uint8Array) => registered.push(v) });

Compose('the credentials directory is tried first; the API only for what it does not hold', async () => {
  kube2 = await startKubeServer();
  kube2.put('team', 'aws', { id: 'FROM-API', secret: 'api-secret' });
  const dir = tempDir();
  mkdirSync(join(dir, 'team', 'aws'), { recursive: true });
  writeFileSync(join(dir, 'team', 'aws', 'id'), 'FROM-DIR');
  const settings = adminSettings({ ...kube2.env(), ESO_PLUGIN_CREDENTIALS_DIR: dir });
  const registered: Uint8Array[] = [];
  const c = credentialsFor(settings, policyWith(ALLOW_TEAM), 'default', render(registered));
  assert.is(text(await c.read('team', 'aws', 'id')), 'FROM-DIR');
  assert.is(kube2.requests.length, 0);
  assert.is(text(await c.read('team', 'aws', 'secret')), 'api-secret');
  assert.is(kube2.requests.length, 1);
  assert.equal(registered.map(text), ['FROM-DIR', 'api-secret'], 'every credential read is registered with the redactor');
});

Compose('a refusal by the directory (a link out of the root) is final: the API is not asked', async () => {
  kube2 = await startKubeServer();
  kube2.put('team', 'evil', { key: 'x' });
  const dir = tempDir();
  mkdirSync(join(dir, 'team', 'evil'), { recursive: true });
  symlinkSync('/etc/hostname', join(dir, 'team', 'evil', 'key'));
  const c = credentialsFor(adminSettings({ ...kube2.env(), ESO_PLUGIN_CREDENTIALS_DIR: dir }), policyWith(ALLOW_TEAM), 'default', render());
  const e = await failure(c.read('team', 'evil', 'key'));
  assert.match(e.message, /resolves outside the credentials directory/);
  assert.is(kube2.requests.length, 0);
});

Compose('when both miss, the error is the API one and the hint mentions the directory', async () => {
  kube2 = await startKubeServer();
  const c = credentialsFor(adminSettings(kube2.env()), policyWith(ALLOW_TEAM), 'default', render());
  const e = await failure(c.read('team', 'nope', 'id'));
  assert.match(e.message, /Secret team\/nope not found \(HTTP 404\)/);
  assert.match(e.hint ?? '', /also no credentials directory is configured/);
});

Compose('both switches are needed: sidecar env and policy', async () => {
  kube2 = await startKubeServer();
  kube2.put('team', 'aws', { id: 'x' });
  const envOnly = credentialsFor(adminSettings(kube2.env()), DEFAULT_POLICY, 'default', render());
  assert.match((await failure(envOnly.read('team', 'aws', 'id'))).message, /no credentials directory is configured/);
  const policyOnly = credentialsFor(adminSettings({}), policyWith(ALLOW_TEAM), 'default', render());
  assert.match((await failure(policyOnly.read('team', 'aws', 'id'))).message, /no credentials directory is configured/);
  assert.is(kube2.requests.length, 0);
});

Compose('tenant env (ARGOCD_ENV_*, PARAM_*) cannot turn the API on nor point it elsewhere', async () => {
  kube2 = await startKubeServer();
  kube2.put('team', 'aws', { id: 'x' });
  const tenant: Record<string, string> = {};
  for (const [k, v] of Object.entries(kube2.env())) {
    tenant[`ARGOCD_ENV_${k}`] = v;
    tenant[`PARAM_${k}`] = v;
  }
  assert.is(adminSettings(tenant).kubeApi, undefined);
  const c = credentialsFor(adminSettings(tenant), policyWith(ALLOW_TEAM), 'default', render());
  await failure(c.read('team', 'aws', 'id'));
  // With the admin's switch on, tenant variables still cannot redirect the token or the server.
  const admin = adminSettings({ ESO_PLUGIN_KUBE_API: 'true', ARGOCD_ENV_KUBERNETES_SERVICE_HOST: '127.0.0.1', PARAM_ESO_PLUGIN_KUBE_TOKEN_FILE: '/tmp/x' });
  assert.equal(admin.kubeApi, { host: undefined, port: 443, tokenFile: '/var/run/secrets/argocd-eso-plugin/kube-api/token', caFile: '/var/run/secrets/argocd-eso-plugin/kube-api/ca.crt' });
  assert.is(kube2.requests.length, 0);
});

// ---------------------------------------------------------------------------------------------
// policy.yaml kubernetesApi

const PolicyBlock = suite('policy.yaml kubernetesApi');
const errors = (raw: unknown) => parsePolicy(raw).errors.map((e) => `${e.field}: ${e.message}`);

PolicyBlock('absent: off, no namespace', () => {
  assert.equal(parsePolicy({}).policy?.kubernetesApi, { enabled: false, namespaces: [], projects: {} });
  assert.equal(parsePolicy(null).policy?.kubernetesApi, { enabled: false, namespaces: [], projects: {} });
});

PolicyBlock('a full block', () => {
  const p = parsePolicy({ kubernetesApi: { enabled: true, namespaces: ['team-*'], projects: { payments: ['payments', 'payments-*'] } } }).policy;
  assert.equal(p?.kubernetesApi, { enabled: true, namespaces: ['team-*'], projects: { payments: ['payments', 'payments-*'] } });
});

PolicyBlock('clear errors: unknown fields, wrong types, bad globs, enabled with nothing readable', () => {
  assert.equal(errors({ kubernetesApi: { enabled: true, namespace: ['a'] } }), [
    'kubernetesApi.namespace: unknown field',
    'kubernetesApi: is enabled but allows no namespace',
  ]);
  assert.equal(errors({ kubernetesApi: { enabled: 'yes', namespaces: 'team' } }), ['kubernetesApi.enabled: must be true or false', 'kubernetesApi.namespaces: must be a list']);
  assert.equal(errors({ kubernetesApi: { enabled: true, namespaces: ['team/a', 'Team', 7], projects: { p: ['ok', '*.x'] } } }), [
    'kubernetesApi.namespaces[2]: must be a string',
    'kubernetesApi.namespaces[0]: "team/a" is not a namespace name or glob',
    'kubernetesApi.namespaces[1]: "Team" is not a namespace name or glob',
    'kubernetesApi.projects.p[1]: "*.x" is not a namespace name or glob',
  ]);
  assert.equal(errors({ kubernetesApi: [] }), ['kubernetesApi: must be an object']);
});

// ---------------------------------------------------------------------------------------------
// End to end: the CLI renders an AWS store whose secretRef is served by the Kubernetes API

const E2e = suite('CLI: an AWS store\'s secretRef read through the Kubernetes API');
let aws: AwsServer | undefined;
let kube3: KubeServer | undefined;
E2e.after.each(async () => {
  await aws?.close();
  await kube3?.close();
  aws = undefined;
  kube3 = undefined;
});

const awsStore = `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: aws}
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      auth:
        secretRef:
          accessKeyIDSecretRef: {name: aws-keys, key: id}
          secretAccessKeySecretRef: {name: aws-keys, key: secret}
`;
const es = externalSecret('  secretStoreRef: {name: aws}\n  data:\n    - secretKey: v\n      remoteRef: {key: app/db, property: password}\n');

async function e2eSetup(kubernetesApi: string): Promise<{ app: string; env: Record<string, string> }> {
  aws = await startAwsServer({ secrets: [{ name: 'app/db', string: JSON.stringify({ password: CANARY }) }] });
  kube3 = await startKubeServer();
  kube3.put('team', 'aws-keys', { id: 'AKIDFROMKUBEAPI', secret: 'secret-key-from-kube-api' });
  const config = tempDir();
  writeFileSync(join(config, 'policy.yaml'), `kubernetesApi: ${kubernetesApi}\n`);
  const { app } = makeApp({ 'store.yaml': awsStore, 'es.yaml': es });
  return { app, env: { ARGOCD_APP_NAMESPACE: 'team', AWS_ENDPOINT_URL: aws.url, ESO_PLUGIN_CONFIG_DIR: config } };
}

E2e('renders with access keys from the API: one GET for the Secret, requests signed with its key', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [team]}');
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env() } });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`v: ${Buffer.from(CANARY).toString('base64')}`));
  assert.is(kube3!.gets('team', 'aws-keys'), 1);
  assert.ok(kube3!.requests.every((q) => q.token === 'kube-test-token-1'));
  const signed = aws!.requests.filter((q) => q.service !== 'sts');
  assert.ok(signed.length > 0 && signed.every((q) => q.accessKeyId === 'AKIDFROMKUBEAPI'));
});

E2e('two stores naming the same Secret: still one GET in the render', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [team]}');
  writeFileSync(join(app, 'store2.yaml'), awsStore.replace('name: aws}', 'name: aws2}').replace('region: eu-west-1', 'region: eu-central-1'));
  writeFileSync(join(app, 'es2.yaml'), es.replace('name: es', 'name: es2').replace('{name: aws}', '{name: aws2}'));
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env() } });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.split('kind: Secret').length - 1, 2);
  assert.is(kube3!.gets('team', 'aws-keys'), 1);
});

E2e('a namespace outside the policy: refused by rule, empty stdout, no request, no value', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [other]}');
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env() } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /credential team\/aws-keys\/id: Kubernetes API reads of namespace "team" are not allowed for project "default" \(policy rule kubernetesApi\.namespaces\)/);
  assert.is(kube3!.requests.length, 0);
  assert.is(aws!.requests.length, 0);
  for (const v of [CANARY, 'secret-key-from-kube-api']) assertNoCanary(r.stderr, v, 'stderr');
});

E2e('tenant env cannot turn the API on: ARGOCD_ENV_* / PARAM_* copies of the switches are ignored', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: ["*"]}');
  const tenant: Record<string, string> = {};
  for (const [k, v] of Object.entries(kube3!.env())) {
    tenant[`ARGOCD_ENV_${k}`] = v;
    tenant[`PARAM_${k}`] = v;
  }
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...tenant } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /credential team\/aws-keys\/id: no credentials directory is configured/);
  assert.is(kube3!.requests.length, 0);
});

E2e('a 403 from the API fails the render naming the Secret and the missing grant, no value', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [team]}');
  kube3!.inject('team', 'aws-keys', { status: 403 });
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env() } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /reading Secret team\/aws-keys is forbidden \(HTTP 403\)/);
  assert.is(kube3!.gets('team', 'aws-keys'), 1, 'a 403 is not retried');
  for (const v of [CANARY, 'secret-key-from-kube-api', 'AKIDFROMKUBEAPI']) assertNoCanary(r.stderr, v, 'stderr');
});

E2e('--debug shows each API request (Secret, status, time) and never a value', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [team]}');
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env(), ESO_PLUGIN_DEBUG: 'true' } });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /kubernetes api: GET secret team\/aws-keys: HTTP 200 in \d+ ms \(attempt 1\)/);
  for (const v of [CANARY, 'secret-key-from-kube-api', 'AKIDFROMKUBEAPI', 'kube-test-token-1']) assertNoCanary(r.stderr, v, 'debug stderr');
});

E2e('only ESO_PLUGIN_KUBE_CA_FILE is trusted: NODE_EXTRA_CA_CERTS does not vouch for the API server', async () => {
  const { app, env } = await e2eSetup('{enabled: true, namespaces: [team]}');
  const other = join(tempDir(), 'other-ca.pem');
  writeFileSync(other, kube3!.pki.clientCertificate);
  const r = await runCliAsync(['generate'], { cwd: app, env: { ...env, ...kube3!.env(), ESO_PLUGIN_KUBE_CA_FILE: other, NODE_EXTRA_CA_CERTS: kube3!.caFile } });
  assert.is(r.status, 1);
  assert.match(r.stderr, /TLS verification failed/);
  assert.is(kube3!.requests.length, 0, 'the token was never sent');
});

Kube.run();
Compose.run();
PolicyBlock.run();
E2e.run();

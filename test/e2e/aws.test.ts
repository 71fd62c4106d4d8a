import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { CANARY, externalSecret, makeApp } from '../support/app.js';
import { type AwsServer, seedFromJson, startAwsServer } from '../support/aws-server.js';
import { assertNoCanary } from '../support/canary.js';
import { CmpError, renderWithCmp } from '../support/cmp-emulator.js';
import { FIXTURES, PLUGIN_YAML, runCliAsync, sidecarEnv } from '../support/plugin.js';

const Aws = suite('AWS fixtures through the CMP emulator, against the AWS test server');
const NAME = 'argocd-eso-plugin-v0.1.0';
const expected = (dir: string) => parseAllDocuments(readFileSync(join(FIXTURES, dir, 'expected.yaml'), 'utf8')).map((d) => d.toJS());
const seed = (dir: string) => seedFromJson(JSON.parse(readFileSync(join(FIXTURES, dir, 'seed.json'), 'utf8')));

let aws: AwsServer;
Aws.after.each(async () => aws?.close());

function webIdentity(): Record<string, string> {
  const t = mkdtempSync(join(tmpdir(), 'irsa-'));
  writeFileSync(join(t, 'token'), 'eyJhbGciOi.test.token');
  return { AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/argocd-repo-server', AWS_WEB_IDENTITY_TOKEN_FILE: join(t, 'token'), AWS_REGION: 'eu-west-1' };
}

Aws('IRSA admin stores: exact Secrets, batched reads, the role chain in STS', async () => {
  aws = await startAwsServer(seed('aws-irsa'));
  const r = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: FIXTURES,
    appPath: 'aws-irsa/app',
    app: { name: 'payments-web', destNamespace: 'payments', project: 'payments', plugin: { name: NAME } },
    sidecarEnv: sidecarEnv({ ESO_PLUGIN_CONFIG_DIR: join(FIXTURES, 'aws-irsa/admin'), AWS_ENDPOINT_URL: aws.url, ...webIdentity() }),
  });
  assert.equal(r.manifests, expected('aws-irsa'));
  assert.is(r.stderr, '');
  assert.is(aws.calls('AssumeRoleWithWebIdentity').length, 1, 'one web identity exchange for the render');
  for (const call of aws.calls('AssumeRole')) assert.match(String(call.params.RoleSessionName), /^argocd-payments-payments-web/);
  assert.is(aws.calls('BatchGetSecretValue').length, 1);
});

Aws('access-key stores from the credentials directory', async () => {
  aws = await startAwsServer(seed('aws-keys'));
  const r = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: FIXTURES,
    appPath: 'aws-keys/app',
    app: { name: 'web', destNamespace: 'team-a', plugin: { name: NAME } },
    sidecarEnv: sidecarEnv({ ESO_PLUGIN_CREDENTIALS_DIR: join(FIXTURES, 'aws-keys/credentials'), AWS_ENDPOINT_URL: aws.url }),
  });
  assert.equal(r.manifests, expected('aws-keys'));
  assert.ok(aws.requests.filter((q) => q.service !== 'sts').every((q) => q.accessKeyId === 'AKIDTEAMAEXAMPLE'));
});

const store = (auth: string) => `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: aws}
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
${auth}`;
const es = externalSecret('  secretStoreRef: {name: aws}\n  data:\n    - secretKey: v\n      remoteRef: {key: app/db, property: password}\n');

/** An app with a repo SecretStore using access keys from a credentials directory (team/k). */
function keysApp(): { repo: string; app: string; creds: string } {
  const creds = mkdtempSync(join(tmpdir(), 'creds-'));
  const files = makeApp({
    'store.yaml': store('      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: k, key: id}\n          secretAccessKeySecretRef: {name: k, key: secret}\n'),
    'es.yaml': es,
  });
  mkdirSync(join(creds, 'team', 'k'), { recursive: true });
  writeFileSync(join(creds, 'team', 'k', 'id'), 'AKIDEXAMPLE');
  writeFileSync(join(creds, 'team', 'k', 'secret'), 'secret-key-example');
  return { ...files, creds };
}

Aws('a repo store without auth (the sidecar identity) is refused by the default policy, before any call', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'app/db', versions: [{ versionId: 'v1', stages: ['AWSCURRENT'], secretString: JSON.stringify({ password: CANARY }) }] }] } as never);
  const { app } = makeApp({ 'store.yaml': store(''), 'es.yaml': es });
  const r = await runCliAsync(['generate'], { cwd: app, env: { ARGOCD_APP_NAMESPACE: 'team', AWS_ENDPOINT_URL: aws.url, ...webIdentity() } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /may not use SecretStore "aws" \(policy rule repoStores\.secretStore \(ambient identity\)\)/);
  assert.is(aws.requests.length, 0);
});

Aws('provider faults fail closed: empty stdout, the AWS error code named once, no value', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'app/db', versions: [{ versionId: 'v1', stages: ['AWSCURRENT'], secretString: JSON.stringify({ password: CANARY }) }] }] } as never);
  aws.inject({ action: 'GetSecretValue', error: { status: 400, type: 'AccessDeniedException', message: 'User is not authorized to perform secretsmanager:GetSecretValue' } });
  const { app, creds } = keysApp();
  const r = await runCliAsync(['generate'], { cwd: app, env: { ARGOCD_APP_NAMESPACE: 'team', AWS_ENDPOINT_URL: aws.url, ESO_PLUGIN_CREDENTIALS_DIR: creds } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /AccessDeniedException/, r.stderr);
  assert.is(r.stderr.split('app/db').length - 1, 1, `the key is named once:\n${r.stderr}`);
  assertNoCanary(r.stderr, CANARY, 'stderr');
  assertNoCanary(r.stderr, 'secret-key-example', 'stderr');
});

Aws('Argo’s timeout while AWS is slow: SIGTERM reaches the snapshot-started CLI, which fails closed with a clear message', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'app/db', string: JSON.stringify({ password: CANARY }) }] });
  aws.inject({ latencyMs: 20_000 });
  const { repo, creds } = keysApp();
  const err = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: repo,
    appPath: 'apps/app',
    app: { name: 'web', destNamespace: 'team', plugin: { name: NAME } },
    timeoutMs: 4000,
    sidecarEnv: sidecarEnv({ ESO_PLUGIN_CREDENTIALS_DIR: creds, AWS_ENDPOINT_URL: aws.url, ESO_PLUGIN_DEBUG: 'true' }),
  }).then(
    (): CmpError => assert.unreachable('the render must time out') as never,
    (e: unknown) => e as CmpError,
  );
  assert.instance(err, CmpError);
  assert.is(err.stage, 'timeout');
  assert.match(err.stderr, /started from the V8 startup snapshot/);
  assert.match(err.stderr, /error: terminated by SIGTERM before the render finished; nothing was printed/);
  assertNoCanary(err.stderr, CANARY, 'stderr');
});

Aws.run();

// Faults on the wire: every one fails closed with a ProviderError that names store, key and code
// and never carries a value; throttling and 5xx are retried within the deadline.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../src/providers/types.js';
import { type AwsServer, type Fault, startAwsServer } from '../support/aws-server.js';
import { CANARY, type Harness, harness, newClient, PS, ref, rejection, SM, text } from './helpers.js';

let aws: AwsServer;
let h: Harness;
test.after.each(async () => {
  await h?.cleanup();
  await aws?.close();
});

const seed = {
  secrets: [{ name: 'db', string: JSON.stringify({ password: CANARY }) }, { name: 'api', string: CANARY }],
  parameters: [{ name: '/db', type: 'SecureString' as const, value: CANARY }, { name: '/api', value: CANARY }],
};

function assertSafe(e: Error, code: string) {
  assert.instance(e, ProviderError);
  const all = `${e.message}\n${(e as ProviderError).hint ?? ''}`;
  assert.not.ok(all.includes(CANARY), `value leaked: ${all}`);
  assert.not.ok(/err-req-1|req-1\b/.test(all), `request id leaked: ${all}`);
  assert.is((e as ProviderError).code, code, e.message);
}

// Throttling is retried until the deadline: keep that short so a test does not wait 20 s.
const deadlineFor = (code: string) => (code === 'ThrottlingException' ? 1500 : undefined);

const FAULTS: Array<[string, Omit<Fault, 'action'>, string]> = [
  ['throttling (persistent)', { error: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } }, 'ThrottlingException'],
  ['5xx (persistent)', { error: { status: 500, type: 'InternalServiceError', message: 'internal' } }, 'InternalServiceError'],
  ['503 with an HTML body', { raw: { status: 503, body: `<html>${CANARY}</html>` } }, 'HTTP503'],
  ['malformed 200 body holding a value', { raw: { status: 200, body: `{"SecretString":"${CANARY}` } }, 'MalformedResponse'],
  ['malformed 200 body for a batch', { raw: { status: 200, body: `{"SecretValues":[{"Name":"db","SecretString":"${CANARY}"` } }, 'MalformedResponse'],
  ['access denied', { error: { status: 400, type: 'AccessDeniedException', message: 'User is not authorized to perform secretsmanager:GetSecretValue' } }, 'AccessDeniedException'],
  ['KMS decryption failure', { error: { status: 400, type: 'DecryptionFailure', message: 'KMS denied' } }, 'DecryptionFailure'],
];

for (const [name, fault, code] of FAULTS) {
  test(`Secrets Manager GetSecretValue fault: ${name}`, async () => {
    aws = await startAwsServer(seed);
    h = await harness({ url: aws.url, deadlineMs: deadlineFor(code) });
    aws.inject({ action: 'GetSecretValue', ...fault });
    const c = await newClient(h, SM);
    const e = await rejection(c.getSecret(ref('db', { property: 'password' })));
    assertSafe(e, code);
    assert.ok(e.message.includes('ClusterSecretStore "aws"') && e.message.includes('"db"'), e.message);
  });
}

test('BatchGetSecretValue faults fail every id of the batch, naming each key', async () => {
  for (const [, fault, code] of FAULTS.filter(([, , c]) => c !== 'AccessDeniedException')) {
    aws = await startAwsServer(seed);
    h = await harness({ url: aws.url, deadlineMs: deadlineFor(code) });
    aws.inject({ action: 'BatchGetSecretValue', ...fault });
    const c = await newClient(h, SM);
    await c.prefetch!([ref('db'), ref('api')]);
    for (const key of ['db', 'api']) {
      const e = await rejection(c.getSecret(ref(key)));
      assertSafe(e, code);
      assert.ok(e.message.includes(`BatchGetSecretValue "${key}"`), e.message);
    }
    assert.is(aws.calls('GetSecretValue').length, 0);
    await h.cleanup();
    await aws.close();
  }
});

test('SSM GetParameters / GetParameter faults', async () => {
  for (const [, fault, code] of FAULTS.filter(([, , c]) => c !== 'AccessDeniedException')) {
    aws = await startAwsServer(seed);
    h = await harness({ url: aws.url, deadlineMs: deadlineFor(code) });
    aws.inject({ action: 'GetParameters', ...fault });
    aws.inject({ action: 'GetParameter', ...fault });
    const c = await newClient(h, PS);
    await c.prefetch!([ref('/db'), ref('/api')]);
    assertSafe(await rejection(c.getSecret(ref('/db'))), code);
    assertSafe(await rejection(c.getSecret(ref('/other'))), code);
    await h.cleanup();
    await aws.close();
  }
});

test('STS faults fail the identity chain without leaking', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url });
  aws.inject({ action: 'AssumeRole', raw: { status: 200, body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>${CANARY}` } });
  const c = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/r' });
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e, 'MalformedResponse');
  assert.ok(e.message.includes('sts:AssumeRole (role)'), e.message);
});

test('throttling is retried with backoff and recovers (Secrets Manager, SSM, STS)', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url });
  aws.inject({ action: 'GetSecretValue', times: 2, error: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } });
  aws.inject({ action: 'GetParameter', times: 1, error: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } });
  aws.inject({ action: 'AssumeRole', times: 2, error: { status: 400, type: 'Throttling', message: 'Rate exceeded' } });
  const c = await newClient(h, SM);
  assert.is(text(await c.getSecret(ref('db', { property: 'password' }))), CANARY);
  assert.is(aws.calls('GetSecretValue').length, 3);
  const p = await newClient(h, PS);
  assert.is(text(await p.getSecret(ref('/api'))), CANARY);
  assert.is(aws.calls('GetParameter').length, 2);
  const r = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/r' });
  assert.is(text(await r.getSecret(ref('api'))), CANARY);
  assert.is(aws.calls('AssumeRole').length, 3);
});

test('5xx and dropped connections are retried and recover', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url });
  aws.inject({ action: 'BatchGetSecretValue', times: 1, error: { status: 503, type: 'ServiceUnavailable', message: 'busy' } });
  aws.inject({ action: 'BatchGetSecretValue', times: 1, hangUp: true });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('db'), ref('api')]);
  assert.is(text(await c.getSecret(ref('api'))), CANARY);
  assert.is(aws.calls('BatchGetSecretValue').length, 3);
});

test('non-retryable errors are not retried', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url });
  aws.inject({ action: 'GetSecretValue', error: { status: 400, type: 'AccessDeniedException', message: 'no' } });
  const c = await newClient(h, SM);
  await rejection(c.getSecret(ref('db')));
  assert.is(aws.calls('GetSecretValue').length, 1);
});

test('latency past the render deadline fails as DeadlineExceeded, promptly', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url, deadlineMs: 300 });
  aws.inject({ action: 'GetSecretValue', latencyMs: 3000, error: { status: 500, type: 'InternalServiceError' } });
  const c = await newClient(h, SM);
  const t0 = Date.now();
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e, 'DeadlineExceeded');
  // Bounded, not timed: the server would answer only after 3000 ms.
  assert.ok(Date.now() - t0 < 2800, `took ${Date.now() - t0} ms`);
});

test('persistent throttling gives up within the deadline', async () => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url, deadlineMs: 400 });
  aws.inject({ action: 'GetSecretValue', latencyMs: 60, error: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } });
  const c = await newClient(h, SM);
  const t0 = Date.now();
  const e = await rejection(c.getSecret(ref('db')));
  assertSafe(e, 'ThrottlingException');
  assert.ok(e.message.includes('when the render deadline came'), e.message);
  assert.ok((e as ProviderError).hint?.includes('throttled every attempt'), (e as ProviderError).hint);
  // Bounded, not timed: the server throttles forever; generous for slow CI.
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
});

test('no NodeVersionSupportWarning on stderr when a client is built (Node 20)', () => {
  const script = `
    const { quietly } = await import('./src/providers/aws/sdk.ts');
    const sm = await import('@aws-sdk/client-secrets-manager');
    quietly(() => new sm.SecretsManagerClient({ region: 'eu-west-1' }));
    await new Promise((r) => setTimeout(r, 50));`;
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
  assert.is(out.status, 0, out.stderr);
  assert.not.ok(out.stderr.includes('NodeVersionSupportWarning'), out.stderr);
  assert.is(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, undefined);
});

test.run();

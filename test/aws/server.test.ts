// The test server enforces what AWS enforces, so the batching tests prove something: the SDKs talk
// to it unmodified and get AWS-shaped errors back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSecretsManager, loadSsm, quietly } from '../../src/providers/aws/sdk.js';
import { type AwsServer, startAwsServer } from '../support/aws-server.js';
import { rejection } from './helpers.js';

let aws: AwsServer;
test.after.each(async () => {
  await aws?.close();
});

const config = () => ({ region: 'eu-west-1', endpoint: aws.url, maxAttempts: 1, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 's' } });

test('BatchGetSecretValue refuses more than 20 ids; GetParameters more than 10 names (ValidationException, HTTP 400)', async () => {
  aws = await startAwsServer({ secrets: Array.from({ length: 21 }, (_, i) => ({ name: `s${i}`, string: 'x' })) });
  const sm = await loadSecretsManager();
  const c = quietly(() => new sm.SecretsManagerClient(config()));
  const e = (await rejection(c.send(new sm.BatchGetSecretValueCommand({ SecretIdList: Array.from({ length: 21 }, (_, i) => `s${i}`) })))) as Error & { $metadata: { httpStatusCode: number } };
  assert.is(e.name, 'ValidationException');
  assert.is(e.$metadata.httpStatusCode, 400);
  const ok = await c.send(new sm.BatchGetSecretValueCommand({ SecretIdList: Array.from({ length: 20 }, (_, i) => `s${i}`) }));
  assert.is(ok.SecretValues?.length, 20);
  const ssm = await loadSsm();
  const p = quietly(() => new ssm.SSMClient(config()));
  assert.is((await rejection(p.send(new ssm.GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })))).name, 'ValidationException');
  c.destroy();
  p.destroy();
});

test('AWS error shapes reach the SDK as typed exceptions; SecretBinary round-trips as bytes; requests are recorded', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'bin', binary: Uint8Array.from([0, 255, 1]) }] });
  const sm = await loadSecretsManager();
  const c = quietly(() => new sm.SecretsManagerClient(config()));
  const e = await rejection(c.send(new sm.GetSecretValueCommand({ SecretId: 'nope' })));
  assert.instance(e, sm.ResourceNotFoundException);
  const out = await c.send(new sm.GetSecretValueCommand({ SecretId: 'bin' }));
  assert.equal([...(out.SecretBinary ?? [])], [0, 255, 1]);
  assert.equal(
    aws.requests.map((r) => [r.service, r.action, r.accessKeyId]),
    [
      ['secretsmanager', 'GetSecretValue', 'AKIDTEST'],
      ['secretsmanager', 'GetSecretValue', 'AKIDTEST'],
    ],
  );
  const ssm = await loadSsm();
  const p = quietly(() => new ssm.SSMClient(config()));
  assert.instance(await rejection(p.send(new ssm.GetParameterCommand({ Name: '/nope' }))), ssm.ParameterNotFound);
  c.destroy();
  p.destroy();
});

test.run();

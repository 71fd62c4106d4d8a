// Scenario 2 of the bench (issue 9) on a small instance, untimed: the request counts of a whole
// `generate` through the real CLI, so batching cannot silently regress.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeApp } from '../../bench/aws-fixture.js';
import { type AwsServer, startAwsServer } from '../support/aws-server.js';
import { runCliAsync } from '../support/plugin.js';

let aws: AwsServer | undefined;
let dir: string | undefined;
test.after.each(async () => {
  await aws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('45 ExternalSecrets over 25 secrets and 30 over 25 parameters: 2 BatchGetSecretValue, 3 GetParameters, nothing else', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-requests-'));
  const app = writeApp(dir, { externalSecrets: 45, secrets: 25, ssmExternalSecrets: 30, parameters: 25 });
  aws = await startAwsServer(app.seed);
  const r = await runCliAsync(['generate'], {
    cwd: app.app,
    env: {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDSIDECAR',
      AWS_SECRET_ACCESS_KEY: 'sidecar-secret',
      ESO_PLUGIN_CONFIG_DIR: app.admin,
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'payments',
      ARGOCD_APP_PROJECT_NAME: 'payments',
    },
  });
  assert.is(r.status, 0, r.stderr);
  assert.is((r.stdout.match(/^kind: Secret$/gm) ?? []).length, 75);
  const counts: Record<string, number> = {};
  for (const q of aws.requests) counts[q.action] = (counts[q.action] ?? 0) + 1;
  // ⌈25/20⌉ and ⌈25/10⌉: one request per batch of distinct values, however many references.
  assert.equal(counts, { BatchGetSecretValue: 2, GetParameters: 3 });
  assert.ok(aws.calls('BatchGetSecretValue').every((q) => (q.params.SecretIdList as string[]).length <= 20));
});

test.run();

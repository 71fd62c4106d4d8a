// Identity chains proven by the recorded STS calls: which key signed each request, which role and
// session name each AssumeRole asked for.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../src/providers/types.js';
import { type AwsServer, startAwsServer } from '../support/aws-server.js';
import { CANARY, type Harness, harness, newClient, PS, ref, rejection, SM, text } from './helpers.js';

let aws: AwsServer;
let h: Harness;
let tokenDir: string | undefined;
test.after.each(async () => {
  await h?.cleanup();
  await aws?.close();
  if (tokenDir) await rm(tokenDir, { recursive: true, force: true });
  tokenDir = undefined;
});

const KEYS = { secretRef: { accessKeyIDSecretRef: { name: 'aws-keys', key: 'id' }, secretAccessKeySecretRef: { name: 'aws-keys', key: 'secret' }, sessionTokenSecretRef: { name: 'aws-keys', key: 'token' } } };
const SIDECAR_ROLE = 'arn:aws:iam::111122223333:role/argocd-repo-server';
const MAPPED_ROLE = 'arn:aws:iam::111122223333:role/payments-secrets';

async function irsa(policy: Parameters<typeof harness>[0]['policy'] = {}) {
  tokenDir = await mkdtemp(join(tmpdir(), 'irsa-'));
  await writeFile(join(tokenDir, 'token'), 'eyJ.sidecar-token.sig\n');
  h = await harness({ url: aws.url, env: { AWS_ENDPOINT_URL: aws.url, AWS_ROLE_ARN: SIDECAR_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: join(tokenDir, 'token') }, policy });
}

test('auth.secretRef: access keys (and session token) from the credentials directory sign the requests', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  h = await harness({ url: aws.url });
  await h.writeCredential('payments', 'aws-keys', 'id', 'AKIDFROMFILE');
  await h.writeCredential('payments', 'aws-keys', 'secret', 'file-secret');
  await h.writeCredential('payments', 'aws-keys', 'token', 'file-token');
  const c = await newClient(h, { ...SM, auth: KEYS }, { kind: 'SecretStore', source: 'repo' });
  assert.is(text(await c.getSecret(ref('a'))), '1');
  assert.equal(aws.requests.map((r) => [r.accessKeyId, r.sessionToken]), [['AKIDFROMFILE', 'file-token']]);
});

test('secretRef → additionalRoles → role: AssumeRole chain in ESO order, session name, SourceIdentity, externalID, tags', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  h = await harness({ url: aws.url, project: 'payments', app: 'argocd_web' });
  await h.writeCredential('payments', 'aws-keys', 'id', 'AKIDFROMFILE');
  await h.writeCredential('payments', 'aws-keys', 'secret', 's');
  const store = {
    ...SM,
    auth: { secretRef: { accessKeyIDSecretRef: KEYS.secretRef.accessKeyIDSecretRef, secretAccessKeySecretRef: KEYS.secretRef.secretAccessKeySecretRef } },
    additionalRoles: ['arn:aws:iam::111122223333:role/hop1', 'arn:aws:iam::111122223333:role/hop2'],
    role: 'arn:aws:iam::444455556666:role/final',
    externalID: 'ext-42',
    sessionTags: [{ key: 'team', value: 'payments' }],
    transitiveTagKeys: ['team'],
  };
  const c = await newClient(h, store, { kind: 'SecretStore', source: 'repo' });
  assert.is(text(await c.getSecret(ref('a'))), '1');
  const sts = aws.requests.filter((r) => r.service === 'sts');
  assert.equal(
    sts.map((r) => [r.action, r.accessKeyId, r.params.RoleArn, r.params.RoleSessionName, r.params.SourceIdentity]),
    [
      ['AssumeRole', 'AKIDFROMFILE', 'arn:aws:iam::111122223333:role/hop1', 'argocd-payments-argocd_web', 'argocd-payments-argocd_web'],
      ['AssumeRole', 'ASIAhop1', 'arn:aws:iam::111122223333:role/hop2', 'argocd-payments-argocd_web', 'argocd-payments-argocd_web'],
      ['AssumeRole', 'ASIAhop2', 'arn:aws:iam::444455556666:role/final', 'argocd-payments-argocd_web', 'argocd-payments-argocd_web'],
    ],
  );
  assert.is(sts[0]!.params.ExternalId, undefined);
  assert.is(sts[2]!.params.ExternalId, 'ext-42');
  assert.is(sts[2]!.params['Tags.member.1.Key'], 'team');
  assert.is(sts[2]!.params['Tags.member.1.Value'], 'payments');
  assert.is(sts[2]!.params['TransitiveTagKeys.member.1'], 'team');
  assert.equal(sts.map((r) => r.sessionToken), [undefined, 'token-hop1-1', 'token-hop2-2']);
  assert.equal([aws.requests.at(-1)!.accessKeyId, aws.requests.at(-1)!.sessionToken], ['ASIAfinal', 'token-final-3']);
});

test('serviceAccountRef (IRSA sidecar): web identity → mapped role; credentials shared by SM and SSM stores in one render', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }], parameters: [{ name: '/p', value: '2' }] });
  await irsa({ serviceAccounts: [{ namespace: 'payments', name: 'payments-eso', awsRoleArn: MAPPED_ROLE }] });
  const jwt = { jwt: { serviceAccountRef: { name: 'payments-eso' } } };
  const sm = await newClient(h, { ...SM, auth: jwt }, { kind: 'ClusterSecretStore', useNamespace: 'payments' });
  const ps = await newClient(h, { ...PS, auth: jwt }, { kind: 'ClusterSecretStore', useNamespace: 'payments' });
  assert.is(text(await sm.getSecret(ref('a'))), '1');
  assert.is(text(await ps.getSecret(ref('/p'))), '2');
  const sts = aws.requests.filter((r) => r.service === 'sts');
  assert.equal(
    sts.map((r) => [r.action, r.accessKeyId, r.params.RoleArn]),
    [
      ['AssumeRoleWithWebIdentity', undefined, SIDECAR_ROLE],
      ['AssumeRole', 'ASIAargocdreposerver', MAPPED_ROLE],
    ],
  );
  assert.is(sts[0]!.params.WebIdentityToken, 'eyJ.sidecar-token.sig');
  assert.is(sts[1]!.params.RoleSessionName, 'argocd-payments-web');
  assert.equal(aws.requests.filter((r) => r.service !== 'sts').map((r) => r.accessKeyId), ['ASIApaymentssecrets', 'ASIApaymentssecrets']);
  assert.ok(h.debug.some((l) => l.includes('serviceAccountRef arn:aws:iam::111122223333:role/payments-secrets')));
});

test('two roles from one sidecar identity share its web identity call (cache per chain prefix)', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  await irsa();
  const one = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/r1' }, { name: 'one' });
  const two = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/r2' }, { name: 'two' });
  const three = await newClient(h, { ...PS, role: 'arn:aws:iam::111122223333:role/r1' }, { name: 'three' });
  await Promise.all([one.getSecret(ref('a')), two.getSecret(ref('a')), three.getSecret(ref('a')).catch(() => undefined)]);
  assert.equal(
    aws.requests.filter((r) => r.service === 'sts').map((r) => [r.action, r.params.RoleArn]),
    [
      ['AssumeRoleWithWebIdentity', SIDECAR_ROLE],
      ['AssumeRole', 'arn:aws:iam::111122223333:role/r1'],
      ['AssumeRole', 'arn:aws:iam::111122223333:role/r2'],
    ],
  );
});

test('serviceAccountRef unmapped: refused before any request (unless singleTenant: sidecar identity)', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  await irsa();
  const jwt = { jwt: { serviceAccountRef: { name: 'payments-eso' } } };
  const e = await rejection(newClient(h, { ...SM, auth: jwt }));
  assert.instance(e, ProviderError);
  assert.ok(e.message.includes('payments/payments-eso is not mapped to an AWS role'), e.message);
  assert.is(aws.requests.length, 0);
  await h.cleanup();
  await irsa({ singleTenant: true });
  const c = await newClient(h, { ...SM, auth: jwt });
  assert.is(text(await c.getSecret(ref('a'))), '1');
  assert.equal(aws.requests.map((r) => [r.action, r.accessKeyId]), [['AssumeRoleWithWebIdentity', undefined], ['GetSecretValue', 'ASIAargocdreposerver']]);
});

test('no auth block in an admin store: the sidecar identity, then role', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  await irsa();
  const c = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/reader' });
  assert.is(text(await c.getSecret(ref('a'))), '1');
  assert.equal(aws.requests.map((r) => [r.action, r.accessKeyId]), [
    ['AssumeRoleWithWebIdentity', undefined],
    ['AssumeRole', 'ASIAargocdreposerver'],
    ['GetSecretValue', 'ASIAreader'],
  ]);
});

test('per-service endpoint variables: STS, Secrets Manager and SSM each honour their own', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }], parameters: [{ name: '/p', value: '2' }] });
  h = await harness({
    url: aws.url,
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_STS: aws.url, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_ENDPOINT_URL_SSM: aws.url, AWS_ACCESS_KEY_ID: 'AKIDSIDECAR', AWS_SECRET_ACCESS_KEY: 's' },
  });
  const sm = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/r' });
  const ps = await newClient(h, PS);
  assert.is(text(await sm.getSecret(ref('a'))), '1');
  assert.is(text(await ps.getSecret(ref('/p'))), '2');
  assert.equal(aws.requests.map((r) => [r.action, r.accessKeyId]), [['AssumeRole', 'AKIDSIDECAR'], ['GetSecretValue', 'ASIAr'], ['GetParameter', 'AKIDSIDECAR']]);
});

test('a repo store without auth is refused under the default policy', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  h = await harness({ url: aws.url });
  const e = await rejection(newClient(h, SM, { kind: 'SecretStore', source: 'repo' }));
  assert.ok(e.message.includes("may not use the sidecar's AWS identity"), e.message);
  assert.is(aws.requests.length, 0);
});

test('STS AccessDenied fails naming the role and code; missing credential files fail clearly', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: CANARY }], deniedRoles: ['arn:aws:iam::111122223333:role/nope'] });
  await irsa();
  const c = await newClient(h, { ...SM, role: 'arn:aws:iam::111122223333:role/nope' });
  const e = await rejection(c.getSecret(ref('a')));
  assert.instance(e, ProviderError);
  assert.ok(e.message.includes('sts:AssumeRole (role) "arn:aws:iam::111122223333:role/nope" failed: AccessDenied'), e.message);
  const k = await newClient(h, { ...SM, auth: KEYS }, { kind: 'SecretStore', source: 'repo' });
  const e2 = await rejection(k.getSecret(ref('a')));
  assert.ok(e2.message.includes('not found in the credentials directory'), e2.message);
  assert.not.ok(aws.requests.some((r) => r.action === 'GetSecretValue'));
});

test('web identity token file unreadable: a clear error without the path contents', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  h = await harness({ url: aws.url, env: { AWS_ENDPOINT_URL: aws.url, AWS_ROLE_ARN: SIDECAR_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/token' } });
  const c = await newClient(h, SM);
  const e = await rejection(c.getSecret(ref('a')));
  assert.ok(e.message.includes("cannot read the sidecar's web identity token file"), e.message);
});

test.run();

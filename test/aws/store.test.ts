// spec.provider.aws parsing, identity classification and the pure identity plan (policy checks).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_POLICY, type Policy } from '../../src/policy/types.js';
import { globMatch, planIdentity, sessionName } from '../../src/providers/aws/auth.js';
import { tagsJson } from '../../src/providers/aws/common.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { interop } from '../../src/providers/aws/sdk.js';
import { ProviderError } from '../../src/providers/types.js';
import { parse, store } from './helpers.js';

const errors = (raw: unknown) => {
  const r = awsProvider.parseStore(raw);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};

test('parseStore: minimal SecretsManager store defaults to the SDK chain and no prefix', () => {
  const spec = parse({ service: 'SecretsManager', region: 'eu-west-1' });
  assert.equal(spec.auth, { kind: 'default' });
  assert.is(spec.prefix, '');
  assert.equal(spec.additionalRoles, []);
  assert.is(spec.sessionTagsPolicy, 'None');
});

test('parseStore: every documented field is accepted', () => {
  const spec = parse({
    service: 'ParameterStore',
    region: 'us-gov-west-1',
    role: 'arn:aws:iam::111122223333:role/final',
    additionalRoles: ['arn:aws:iam::111122223333:role/hop'],
    externalID: 'ext-1',
    sessionTags: [{ key: 'team', value: 'payments' }],
    transitiveTagKeys: ['team'],
    prefix: '/prod/',
    secretsManager: { forceDeleteWithoutRecovery: false, recoveryWindowInDays: 7 },
    auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret' }, sessionTokenSecretRef: { name: 'aws', key: 'token' } } },
  });
  assert.is(spec.service, 'ParameterStore');
  assert.is(spec.auth.kind, 'secretRef');
  assert.equal(spec.sessionTags, [{ key: 'team', value: 'payments' }]);
  assert.is(spec.prefix, '/prod/');
});

test('parseStore: region must look like an AWS region (it decides where requests go)', () => {
  for (const bad of ['EU-WEST-1', 'eu-west', 'evil.example.com', 'eu-west-1.attacker', 'us-east-1/x']) {
    assert.ok(errors({ service: 'SecretsManager', region: bad }).some((e) => e.startsWith('region: invalid region')), bad);
  }
  for (const good of ['eu-west-1', 'us-gov-west-1', 'ap-southeast-3', 'cn-north-1']) assert.equal(errors({ service: 'SecretsManager', region: good }), [], good);
  assert.ok(errors({ service: 'SecretsManager' }).includes('region: is required'));
});

test('parseStore: service is required; CertificateManager is refused clearly; unknown services use ESO text', () => {
  assert.ok(errors({ region: 'eu-west-1' }).includes('service: is required'));
  assert.ok(errors({ service: 'CertificateManager', region: 'eu-west-1' })[0]!.includes('CertificateManager is not supported'));
  assert.ok(errors({ service: 'KMS', region: 'eu-west-1' }).includes('service: unknown AWS Provider Service: KMS'));
});

test('parseStore: unknown fields and malformed auth are path-precise errors', () => {
  assert.ok(errors({ ...{ service: 'SecretsManager', region: 'eu-west-1' }, endpoint: 'http://x' }).includes('endpoint: unknown field'));
  assert.ok(errors({ service: 'SecretsManager', region: 'eu-west-1', auth: { secretRef: { accessKeyIDSecretRef: { name: 'a' } } } }).includes('auth.secretRef.accessKeyIDSecretRef.key: is required'));
  assert.ok(errors({ service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: {} } }).includes('auth.jwt.serviceAccountRef: is required'));
  assert.ok(errors({ service: 'SecretsManager', region: 'eu-west-1', secretsManager: { recoveryWindowInDays: 3 } })[0]!.includes('between 7 and 30'));
});

test('identity: secretRef, serviceAccount, ambient', () => {
  const keys = parse({ ...{ service: 'SecretsManager', region: 'eu-west-1' }, auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret' } } } });
  const id = awsProvider.identity(keys);
  assert.is(id.kind, 'secretRef');
  if (id.kind === 'secretRef') assert.equal(id.refs.map((r) => r.field), ['auth.secretRef.accessKeyIDSecretRef', 'auth.secretRef.secretAccessKeySecretRef']);
  const jwt = parse({ service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'eso', namespace: 'payments' } } } });
  const sa = awsProvider.identity(jwt);
  assert.is(sa.kind, 'serviceAccount');
  assert.is(awsProvider.identity(parse({ service: 'SecretsManager', region: 'eu-west-1' })).kind, 'ambient');
});

test('sessionName: argocd-<project>-<app>, sanitised to [\\w+=,.@-] and cut to 64', () => {
  assert.is(sessionName('payments', 'argocd_web'), 'argocd-payments-argocd_web');
  assert.is(sessionName('p/q', 'a b:c'), 'argocd-p-q-a-b-c');
  assert.is(sessionName('p', 'x'.repeat(100)).length, 64);
});

test('globMatch: * only, anchored', () => {
  assert.ok(globMatch('arn:aws:iam::1:role/payments-*', 'arn:aws:iam::1:role/payments-ro'));
  assert.not.ok(globMatch('arn:aws:iam::1:role/payments-*', 'arn:aws:iam::1:role/other'));
  assert.not.ok(globMatch('arn:aws:iam::1:role/a.b', 'arn:aws:iam::1:role/aXb'));
});

const app = { name: 'web', project: 'payments', destinationNamespace: 'payments' };
const plan = (provider: Record<string, unknown>, policy: Partial<Policy> = {}, opts: Parameters<typeof store>[1] = {}) => {
  const s = store(provider, opts);
  return planIdentity({ store: s, spec: parse(provider), namespace: s.metadata.namespace ?? 'payments' }, { policy: { ...DEFAULT_POLICY, ...policy }, app }, 'store');
};
const refused = (fn: () => unknown, text: string) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ProviderError);
    assert.ok((e as Error).message.includes(text), (e as Error).message);
    return;
  }
  assert.unreachable('expected a refusal');
};
const SMS = { service: 'SecretsManager', region: 'eu-west-1' };
const SA = { ...SMS, auth: { jwt: { serviceAccountRef: { name: 'payments-eso' } } } };

test('plan: a repo store without auth is refused under the default policy (design §4)', () => {
  refused(() => plan(SMS, {}, { kind: 'SecretStore', source: 'repo' }), "may not use the sidecar's AWS identity");
  assert.is(plan(SMS, { singleTenant: true }, { kind: 'SecretStore', source: 'repo' }).base.kind, 'sidecar');
  assert.is(plan(SMS, {}, { source: 'admin' }).base.kind, 'sidecar');
});

test('plan: serviceAccountRef resolves through the admin map; unmapped is refused unless singleTenant', () => {
  const mapped = { serviceAccounts: [{ namespace: 'payments', name: 'payments-eso', awsRoleArn: 'arn:aws:iam::111122223333:role/payments-secrets' }] };
  const p = plan(SA, mapped);
  assert.equal(p.steps.map((s) => [s.via, s.roleArn]), [['serviceAccountRef', 'arn:aws:iam::111122223333:role/payments-secrets']]);
  refused(() => plan(SA), 'auth.jwt.serviceAccountRef payments/payments-eso is not mapped to an AWS role');
  // mapped for another namespace only
  refused(() => plan(SA, { serviceAccounts: [{ namespace: 'other', name: 'payments-eso', awsRoleArn: 'arn:aws:iam::1:role/x' }] }), 'not mapped');
  assert.equal(plan(SA, { singleTenant: true }).steps, []);
  // A repo SecretStore may use a mapped service account (the map is the admin's grant).
  assert.is(plan(SA, mapped, { kind: 'SecretStore', source: 'repo' }).steps.length, 1);
});

test('plan: additionalRoles are assumed before role; externalID and tags only on role (ESO createConfiguration)', () => {
  const p = plan({ ...SMS, additionalRoles: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'], role: 'arn:aws:iam::1:role/c', externalID: 'x', sessionTags: [{ key: 'k', value: 'v' }], transitiveTagKeys: ['k'] });
  assert.equal(p.steps.map((s) => s.roleArn), ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b', 'arn:aws:iam::1:role/c']);
  assert.equal(p.steps.map((s) => s.externalId), [undefined, undefined, 'x']);
  assert.equal(p.steps[2]!.tags, [{ key: 'k', value: 'v' }]);
  assert.equal(p.steps[2]!.transitiveTagKeys, ['k']);
  assert.is(p.sessionName, 'argocd-payments-web');
});

test('plan: sessionTagsPolicy Simple adds esoNamespace, esoStoreName, esoStoreKind', () => {
  const p = plan({ ...SMS, role: 'arn:aws:iam::1:role/c', sessionTagsPolicy: 'Simple' });
  assert.equal(p.steps[0]!.tags, [
    { key: 'esoNamespace', value: 'payments' },
    { key: 'esoStoreKind', value: 'ClusterSecretStore' },
    { key: 'esoStoreName', value: 'aws' },
  ]);
});

test('plan: project roles restrict which roles may be assumed', () => {
  const policy = { projects: { payments: { roles: ['arn:aws:iam::1:role/payments-*'] } } };
  assert.is(plan({ ...SMS, role: 'arn:aws:iam::1:role/payments-ro' }, policy).steps.length, 1);
  refused(() => plan({ ...SMS, role: 'arn:aws:iam::1:role/admin' }, policy), 'may not assume role arn:aws:iam::1:role/admin (role)');
  refused(() => plan({ ...SMS, additionalRoles: ['arn:aws:iam::1:role/admin'] }, policy), '(additionalRoles)');
});

test('plan: a repo store may not add externalID/session tags to the sidecar identity', () => {
  const policy = { repoStores: { secretStore: 'ambient' as const, clusterSecretStore: 'deny' as const } };
  refused(() => plan({ ...SMS, role: 'arn:aws:iam::1:role/x', externalID: 'e' }, policy, { kind: 'SecretStore', source: 'repo' }), 'externalID and session tags');
  const keys = { ...SMS, role: 'arn:aws:iam::1:role/x', externalID: 'e', auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret' } } } };
  assert.is(plan(keys, {}, { kind: 'SecretStore', source: 'repo' }).steps[0]!.externalId, 'e');
});

test('plan: a SecretStore may not read credentials from another namespace; a ClusterSecretStore may', () => {
  const other = { ...SMS, auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id', namespace: 'kube-system' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret', namespace: 'kube-system' } } } };
  refused(() => plan(other, {}, { kind: 'SecretStore', source: 'repo' }), 'may only reference its own namespace');
  const p = plan(other, {}, { kind: 'ClusterSecretStore' });
  assert.is(p.base.kind === 'secretRef' && p.base.namespace, 'kube-system');
});

test('tagsJson: Go json.Marshal of map[string]string — sorted keys, HTML escaped', () => {
  assert.is(tagsJson([['b', '2'], ['a', '<&>'], ['é', 'x'], ['Z', '']]), '{"Z":"","a":"\\u003c\\u0026\\u003e","b":"2","é":"x"}');
  assert.is(tagsJson([]), '{}');
});

test('interop: SDK modules work both as named exports (tsx) and as { default } (esbuild ESM bundle)', () => {
  class C {}
  const named = { C };
  assert.is(interop(named, 'C'), named);
  assert.is(interop({ default: named } as unknown as typeof named, 'C'), named);
  assert.throws(() => interop({} as typeof named, 'C'), /does not export C/);
});

test.run();

// Secrets Manager through the real SDK against the loopback server: ESO's read semantics and the
// request counts that make renders fast.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NoSecretError, ProviderError } from '../../src/providers/types.js';
import { type AwsServer, type Seed, startAwsServer } from '../support/aws-server.js';
import { CANARY, find, type Harness, harness, mapText, newClient, ref, rejection, SM, text } from './helpers.js';

let aws: AwsServer;
let h: Harness;
const start = async (seed: Seed, policy?: Parameters<typeof harness>[0]['policy']) => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url, policy });
};
test.after.each(async () => {
  await h?.cleanup();
  await aws?.close();
});

const DB = JSON.stringify({ username: 'app', password: CANARY, 'a.b': 'literal', a: { b: 'nested' }, n: 1.5, i: 7, t: true, o: { k: 1 }, z: null });

test('no property returns the whole SecretString; property uses ESO rules (literal dotted key first)', async () => {
  await start({ secrets: [{ name: 'prod/db', string: DB }] });
  const c = await newClient(h, SM);
  assert.is(text(await c.getSecret(ref('prod/db'))), DB);
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'username' }))), 'app');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'a.b' }))), 'literal');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'n' }))), '1.5');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'i' }))), '7');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 't' }))), 'true');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'o' }))), '{"k":1}');
  assert.is(text(await c.getSecret(ref('prod/db', { property: 'z' }))), '');
  const e = await rejection(c.getSecret(ref('prod/db', { property: 'nope' })));
  assert.instance(e, ProviderError);
  assert.is(e.message, 'key nope does not exist in secret prod/db');
  // One GetSecretValue for all of the above (ESO's per-reconcile cache key name#version#SECRET).
  assert.is(aws.calls('GetSecretValue').length, 1);
});

test('nested path is used when no literal dotted key exists', async () => {
  await start({ secrets: [{ name: 's', string: '{"a":{"b":"nested"}}' }] });
  const c = await newClient(h, SM);
  assert.is(text(await c.getSecret(ref('s', { property: 'a.b' }))), 'nested');
});

test('missing secret is NoSecretError; a secret marked for deletion too', async () => {
  await start({ secrets: [{ name: 'gone', string: CANARY, deleted: true }] });
  const c = await newClient(h, SM);
  assert.instance(await rejection(c.getSecret(ref('nope'))), NoSecretError);
  assert.instance(await rejection(c.getSecret(ref('gone'))), NoSecretError);
});

test('prefix is prepended without a separator', async () => {
  await start({ secrets: [{ name: 'team-a/db', string: 'v' }] });
  const c = await newClient(h, { ...SM, prefix: 'team-a/' });
  assert.is(text(await c.getSecret(ref('db'))), 'v');
  assert.equal(aws.calls('GetSecretValue')[0]!.params, { SecretId: 'team-a/db', VersionStage: 'AWSCURRENT' });
});

test('version: stage names and uuid/<VersionId>', async () => {
  await start({
    secrets: [
      {
        name: 'rot',
        versions: [
          { id: 'aaaa-1', stages: ['AWSPREVIOUS'], string: 'old' },
          { id: 'bbbb-2', stages: ['AWSCURRENT', 'blue'], string: 'new' },
        ],
      },
    ],
  });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('rot'), ref('rot', { version: 'AWSPREVIOUS' }), ref('rot', { version: 'uuid/aaaa-1' }), ref('rot', { version: 'blue' })]);
  assert.is(text(await c.getSecret(ref('rot'))), 'new');
  assert.is(text(await c.getSecret(ref('rot', { version: 'AWSPREVIOUS' }))), 'old');
  assert.is(text(await c.getSecret(ref('rot', { version: 'uuid/aaaa-1' }))), 'old');
  assert.is(text(await c.getSecret(ref('rot', { version: 'blue' }))), 'new');
  assert.instance(await rejection(c.getSecret(ref('rot', { version: 'uuid/zzz' }))), NoSecretError);
  const params = aws.calls('GetSecretValue').map((r) => JSON.stringify(r.params));
  for (const p of [
    { SecretId: 'rot', VersionStage: 'AWSCURRENT' },
    { SecretId: 'rot', VersionStage: 'AWSPREVIOUS' },
    { SecretId: 'rot', VersionId: 'aaaa-1' },
    { SecretId: 'rot', VersionStage: 'blue' },
    { SecretId: 'rot', VersionId: 'zzz' },
  ]) {
    assert.ok(params.includes(JSON.stringify(p)), JSON.stringify(p));
  }
  assert.is(aws.requests.length, 5);
});

test('binary secrets: bytes verbatim without property; property reads SecretBinary as JSON', async () => {
  const bin = Uint8Array.from([0, 1, 2, 255, 254, 0x80]);
  await start({ secrets: [{ name: 'bin', binary: bin }, { name: 'binjson', binary: Buffer.from('{"k":"v"}') }, { name: 'both', string: 'str', binary: Buffer.from('{"k":"bin"}') }] });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('bin'), ref('binjson'), ref('both')]);
  assert.equal([...(await c.getSecret(ref('bin')))], [...bin]);
  assert.is(text(await c.getSecret(ref('binjson', { property: 'k' }))), 'v');
  // ESO: SecretString wins without property, SecretBinary is the gjson payload with one.
  assert.is(text(await c.getSecret(ref('both'))), 'str');
  assert.is(text(await c.getSecret(ref('both', { property: 'k' }))), 'bin');
});

test('metadataPolicy Fetch: tags as Go JSON, property selects one tag', async () => {
  await start({ secrets: [{ name: 'tagged', string: CANARY, tags: { team: 'payments', env: '<prod>' } }] });
  const c = await newClient(h, SM);
  assert.is(text(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch' }))), '{"env":"\\u003cprod\\u003e","team":"payments"}');
  assert.is(text(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch', property: 'team' }))), 'payments');
  assert.is(aws.calls('DescribeSecret').length, 1);
  assert.is(aws.calls('GetSecretValue').length, 0);
  // ESO does not map a missing secret to NoSecretErr on the tags path: it fails.
  const e = await rejection(c.getSecret(ref('nope', { metadataPolicy: 'Fetch' })));
  assert.instance(e, ProviderError);
  assert.ok(e.message.includes('DescribeSecret "nope" failed: ResourceNotFoundException'), e.message);
});

test('dataFrom.extract: JSON object flattened one level as ESO; non-objects fail with ESO text', async () => {
  await start({ secrets: [{ name: 'db', string: '{"a":"x","n":1.50,"b":true,"o":{"k": 1},"z":null}' }, { name: 'arr', string: '[1,2]' }, { name: 'txt', string: CANARY }] });
  const c = await newClient(h, SM);
  assert.equal(mapText(await c.getSecretMap(ref('db'))), { a: 'x', n: '1.50', b: 'true', o: '{"k": 1}', z: '' });
  const e1 = await rejection(c.getSecretMap(ref('arr')));
  assert.is(e1.message, 'unable to unmarshal secret arr: json: cannot unmarshal array into Go value of type map[string]json.RawMessage');
  const e2 = await rejection(c.getSecretMap(ref('txt')));
  assert.ok(e2.message.startsWith('unable to unmarshal secret txt: '), e2.message);
  assert.not.ok(e2.message.includes(CANARY));
  assert.equal(mapText(await c.getSecretMap(ref('db', { property: 'o' }))), { k: '1' });
});

test('N refs sharing M secrets: ⌈M/20⌉ BatchGetSecretValue calls, no GetSecretValue, one request per value', async () => {
  const M = 45;
  const secrets = Array.from({ length: M }, (_, i) => ({ name: `app/s${i}`, string: JSON.stringify({ user: `u${i}`, pass: `p${i}` }) }));
  await start({ secrets });
  const c = await newClient(h, SM);
  // 3 ExternalSecrets each reading every secret twice (two properties) + one extract.
  const refs = [];
  for (let es = 0; es < 3; es++) for (let i = 0; i < M; i++) refs.push(ref(`app/s${i}`, { property: 'user' }), ref(`app/s${i}`, { property: 'pass' }));
  await c.prefetch!(refs);
  for (const r of refs) await c.getSecret(r);
  for (let i = 0; i < M; i++) assert.equal(mapText(await c.getSecretMap(ref(`app/s${i}`))), { user: `u${i}`, pass: `p${i}` });
  const batches = aws.calls('BatchGetSecretValue');
  assert.is(batches.length, Math.ceil(M / 20));
  assert.equal(batches.map((b) => (b.params.SecretIdList as string[]).length), [20, 20, 5]);
  assert.is(aws.calls('GetSecretValue').length, 0);
  assert.is(aws.requests.length, 3);
});

test('batch: per-id Errors — missing ⇒ NoSecretError for that id, denied ⇒ ProviderError naming it; others served', async () => {
  await start({ secrets: [{ name: 'ok', string: 'fine' }, { name: 'locked', string: CANARY, denied: true }] });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('ok'), ref('locked'), ref('missing')]);
  assert.is(text(await c.getSecret(ref('ok'))), 'fine');
  assert.instance(await rejection(c.getSecret(ref('missing'))), NoSecretError);
  const e = await rejection(c.getSecret(ref('locked')));
  assert.instance(e, ProviderError);
  assert.ok(e.message.includes('"locked"') && e.message.includes('AccessDeniedException'), e.message);
  assert.not.ok(e.message.includes(CANARY));
  assert.is(aws.requests.length, 1);
});

test('batch denied (no secretsmanager:BatchGetSecretValue) ⇒ falls back to GetSecretValue per secret', async () => {
  await start({ secrets: [{ name: 'a', string: '1' }, { name: 'b', string: '2' }, { name: 'c', string: '3' }] });
  aws.inject({ action: 'BatchGetSecretValue', error: { status: 400, type: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:BatchGetSecretValue' } });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('a'), ref('b'), ref('c')]);
  assert.equal([text(await c.getSecret(ref('a'))), text(await c.getSecret(ref('b'))), text(await c.getSecret(ref('c')))], ['1', '2', '3']);
  assert.is(aws.calls('BatchGetSecretValue').length, 1);
  assert.is(aws.calls('GetSecretValue').length, 3);
  assert.ok(h.debug.some((l) => l.includes('falling back to GetSecretValue')));
});

test('batch: ids by full or partial ARN are matched to the reply (one request)', async () => {
  await start({
    secrets: [
      { name: 'x', string: 'ex', arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-AbCdEf' },
      { name: 'y', string: 'why' },
      { name: 'z', string: 'zed', arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:z-QwErTy' },
    ],
  });
  const c = await newClient(h, SM);
  const full = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-AbCdEf';
  const partial = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:z';
  await c.prefetch!([ref(full), ref('y'), ref(partial)]);
  assert.is(text(await c.getSecret(ref(full))), 'ex');
  assert.is(text(await c.getSecret(ref('y'))), 'why');
  assert.is(text(await c.getSecret(ref(partial))), 'zed');
  assert.is(aws.requests.length, 1);
});

test('batch: an id the reply neither returns nor reports is read on its own', async () => {
  await start({ secrets: [{ name: 'a', string: '1' }, { name: 'b', string: '2' }] });
  aws.inject({ action: 'BatchGetSecretValue', times: 1, raw: { status: 200, body: '{"SecretValues":[],"Errors":[]}' } });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('a'), ref('b')]);
  assert.equal([text(await c.getSecret(ref('a'))), text(await c.getSecret(ref('b')))], ['1', '2']);
  assert.equal(aws.requests.map((r) => r.action), ['BatchGetSecretValue', 'GetSecretValue', 'GetSecretValue']);
});

test('a single plain read uses GetSecretValue (needs no batch permission)', async () => {
  await start({ secrets: [{ name: 'solo', string: 's' }] });
  const c = await newClient(h, SM);
  await c.prefetch!([ref('solo'), ref('solo', { property: 'x' })]);
  assert.is(text(await c.getSecret(ref('solo'))), 's');
  assert.equal(aws.requests.map((r) => r.action), ['GetSecretValue']);
});

test('find by name: ListSecrets all pages, unanchored regexp, values batched', async () => {
  await start({
    secrets: [
      { name: 'prod/db-password', string: 'p1' },
      { name: 'mydb', binary: Buffer.from('b2') },
      { name: 'prod/api', string: 'x' },
      { name: 'dbx', string: 'p3' },
      { name: 'old/db', string: 'gone', deleted: true },
    ],
    pageSize: { listSecrets: 2 },
  });
  const c = await newClient(h, SM);
  const m = await c.getAllSecrets(find({ name: { regexp: 'db' } }));
  assert.equal(mapText(m), { dbx: 'p3', mydb: 'b2', 'prod/db-password': 'p1' });
  assert.equal([...m.keys()], ['dbx', 'mydb', 'prod/db-password']);
  assert.is(aws.calls('ListSecrets').length, 2);
  assert.is(aws.calls('BatchGetSecretValue').length, 1);
});

test('find by name + tags without path: ListSecrets with tag-key/tag-value filters', async () => {
  await start({ secrets: [{ name: 'a1', string: '1', tags: { team: 'pay' } }, { name: 'a2', string: '2', tags: { team: 'web' } }, { name: 'b1', string: '3', tags: { team: 'pay' } }] });
  const c = await newClient(h, SM);
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: '^a' }, tags: { team: 'pay' } }))), { a1: '1' });
  assert.equal(aws.calls('ListSecrets')[0]!.params.Filters, [{ Key: 'tag-key', Values: ['team'] }, { Key: 'tag-value', Values: ['pay'] }]);
});

test('find by tags (± path) and by name + path: BatchGetSecretValue with filters, all pages', async () => {
  await start({
    secrets: [
      { name: 'prod/a', string: '1', tags: { team: 'pay' } },
      { name: 'prod/b', string: '2', tags: { team: 'pay' } },
      { name: 'prod/c', string: '3', tags: { team: 'pay' } },
      { name: 'dev/a', string: '4', tags: { team: 'pay' } },
    ],
    pageSize: { batchFilters: 2 },
  });
  const c = await newClient(h, SM);
  assert.equal(mapText(await c.getAllSecrets(find({ tags: { team: 'pay' } }))), { 'dev/a': '4', 'prod/a': '1', 'prod/b': '2', 'prod/c': '3' });
  assert.is(aws.calls('BatchGetSecretValue').length, 2);
  assert.equal(mapText(await c.getAllSecrets(find({ tags: { team: 'pay' }, path: 'prod/' }))), { 'prod/a': '1', 'prod/b': '2', 'prod/c': '3' });
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: '[ab]$' }, path: 'prod/' }))), { 'prod/a': '1', 'prod/b': '2' });
  assert.equal(aws.calls('BatchGetSecretValue').at(-1)!.params.Filters, [{ Key: 'name', Values: ['prod/'] }]);
  assert.is(aws.calls('ListSecrets').length, 0);
});

test('find: path alone is "unexpected find operator"; bad regexp fails; no match is an empty map', async () => {
  await start({ secrets: [{ name: 'a', string: '1' }] });
  const c = await newClient(h, SM);
  assert.is((await rejection(c.getAllSecrets(find({ path: 'prod/' })))).message, 'ClusterSecretStore "aws": unexpected find operator');
  assert.ok((await rejection(c.getAllSecrets(find({ name: { regexp: '(' } })))).message.startsWith('ClusterSecretStore "aws": could not compile find.name.regexp [(]'));
  assert.is((await c.getAllSecrets(find({ name: { regexp: 'zzz' } }))).size, 0);
});

test('find with a store prefix: ESO re-reads listed names with the prefix in front (quirk)', async () => {
  await start({ secrets: [{ name: 'team/db', string: 'v' }, { name: 'team/team/db', string: 'double' }] });
  const c = await newClient(h, { ...SM, prefix: 'team/' });
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: '^team/db$' } }))), { 'team/db': 'double' });
});

test('find limits: findMaxResults and findMaxBytes fail the read', async () => {
  await start({ secrets: Array.from({ length: 5 }, (_, i) => ({ name: `s${i}`, string: 'x'.repeat(100), tags: { t: 'v' } })) }, {
    limits: { findMaxResults: 3, findMaxBytes: 1_000_000, deadlineSeconds: 45 },
  });
  const c = await newClient(h, SM);
  assert.ok((await rejection(c.getAllSecrets(find({ name: { regexp: 's' } })))).message.includes('more than 3 secrets'));
  assert.ok((await rejection(c.getAllSecrets(find({ tags: { t: 'v' } })))).message.includes('more than 3 secrets'));
  await h.cleanup();
  h = await harness({ url: aws.url, policy: { limits: { findMaxResults: 100, findMaxBytes: 250, deadlineSeconds: 45 } } });
  const c2 = await newClient(h, SM);
  assert.ok((await rejection(c2.getAllSecrets(find({ name: { regexp: 's' } })))).message.includes('more than 250 bytes'));
});

test('requests carry the store credentials and go to AWS_ENDPOINT_URL_SECRETS_MANAGER when set', async () => {
  await start({ secrets: [{ name: 'a', string: '1' }] });
  await h.cleanup();
  h = await harness({ url: aws.url, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' } });
  const c = await newClient(h, SM);
  assert.is(text(await c.getSecret(ref('a'))), '1');
  assert.is(aws.requests[0]!.accessKeyId, 'AKIDENV');
});

test.run();

// Parameter Store through the real SDK against the loopback server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NoSecretError, ProviderError } from '../../src/providers/types.js';
import { type AwsServer, type Seed, startAwsServer } from '../support/aws-server.js';
import { CANARY, find, type Harness, harness, mapText, newClient, PS, ref, rejection, text } from './helpers.js';

let aws: AwsServer;
let h: Harness;
const start = async (seed: Seed) => {
  aws = await startAwsServer(seed);
  h = await harness({ url: aws.url });
};
test.after.each(async () => {
  await h?.cleanup();
  await aws?.close();
});

test('String, StringList (raw comma string) and SecureString (always decrypted)', async () => {
  await start({
    parameters: [
      { name: '/app/url', value: 'https://x' },
      { name: '/app/hosts', type: 'StringList', value: 'a,b,c' },
      { name: '/app/pass', type: 'SecureString', value: CANARY },
    ],
  });
  const c = await newClient(h, PS);
  await c.prefetch!([ref('/app/url'), ref('/app/hosts'), ref('/app/pass')]);
  assert.is(text(await c.getSecret(ref('/app/url'))), 'https://x');
  assert.is(text(await c.getSecret(ref('/app/hosts'))), 'a,b,c');
  assert.is(text(await c.getSecret(ref('/app/pass'))), CANARY);
  assert.equal(aws.calls('GetParameters').map((r) => r.params.WithDecryption), [true]);
});

test('GetParameters reports misses in InvalidParameters: NoSecretError for that name only', async () => {
  await start({ parameters: [{ name: '/a', value: '1' }] });
  const c = await newClient(h, PS);
  await c.prefetch!([ref('/a'), ref('/missing')]);
  assert.is(text(await c.getSecret(ref('/a'))), '1');
  assert.instance(await rejection(c.getSecret(ref('/missing'))), NoSecretError);
  assert.equal(aws.requests.map((r) => r.action), ['GetParameters']);
});

test('n names ⇒ ⌈n/10⌉ GetParameters calls, nothing else, however many refs share them', async () => {
  const n = 23;
  await start({ parameters: Array.from({ length: n }, (_, i) => ({ name: `/p/${i}`, value: JSON.stringify({ v: i }) })) });
  const c = await newClient(h, PS);
  const refs = [];
  for (let k = 0; k < 4; k++) for (let i = 0; i < n; i++) refs.push(ref(`/p/${i}`, { property: 'v' }));
  await c.prefetch!(refs);
  for (const r of refs) await c.getSecret(r);
  assert.equal(aws.calls('GetParameters').map((r) => (r.params.Names as string[]).length), [10, 10, 3]);
  assert.is(aws.requests.length, Math.ceil(n / 10));
});

test('version as name:3 and name:label; a missing version surfaces as ESO sees it from GetParameter', async () => {
  await start({ parameters: [{ name: '/v', versions: [{ value: 'one' }, { value: 'two', labels: ['stable'] }, { value: 'three' }] }] });
  const c = await newClient(h, PS);
  await c.prefetch!([ref('/v'), ref('/v', { version: '1' }), ref('/v', { version: 'stable' }), ref('/v', { version: '9' })]);
  assert.is(text(await c.getSecret(ref('/v'))), 'three');
  assert.is(text(await c.getSecret(ref('/v', { version: '1' }))), 'one');
  assert.is(text(await c.getSecret(ref('/v', { version: 'stable' }))), 'two');
  const e = await rejection(c.getSecret(ref('/v', { version: '9' })));
  assert.instance(e, ProviderError);
  assert.ok(e.message.includes('GetParameter "/v:9" failed: ParameterVersionNotFound'), e.message);
  assert.equal(aws.calls('GetParameters')[0]!.params.Names, ['/v', '/v:1', '/v:stable', '/v:9']);
});

test('single read: GetParameter; ParameterNotFound ⇒ NoSecretError; prefix applies', async () => {
  await start({ parameters: [{ name: '/prod/db', value: '{"user":"u","a.b":"lit"}' }] });
  const c = await newClient(h, { ...PS, prefix: '/prod' });
  assert.is(text(await c.getSecret(ref('/db', { property: 'user' }))), 'u');
  assert.is(text(await c.getSecret(ref('/db', { property: 'a.b' }))), 'lit');
  assert.is((await rejection(c.getSecret(ref('/db', { property: 'x' })))).message, 'key x does not exist in secret /db');
  assert.instance(await rejection(c.getSecret(ref('/nope'))), NoSecretError);
  assert.equal(aws.calls('GetParameter').map((r) => r.params), [
    { Name: '/prod/db', WithDecryption: true },
    { Name: '/prod/nope', WithDecryption: true },
  ]);
});

test('dataFrom.extract and metadataPolicy Fetch (ListTagsForResource)', async () => {
  await start({ parameters: [{ name: '/cfg', value: '{"a":"1","b":{"c": 2}}', tags: { owner: 'team&co', env: 'prod' } }] });
  const c = await newClient(h, PS);
  assert.equal(mapText(await c.getSecretMap(ref('/cfg'))), { a: '1', b: '{"c": 2}' });
  assert.is(text(await c.getSecret(ref('/cfg', { metadataPolicy: 'Fetch' }))), '{"env":"prod","owner":"team\\u0026co"}');
  assert.is(text(await c.getSecret(ref('/cfg', { metadataPolicy: 'Fetch', property: 'env' }))), 'prod');
  assert.equal(aws.calls('ListTagsForResource')[0]!.params, { ResourceType: 'Parameter', ResourceId: '/cfg' });
  assert.is(aws.calls('ListTagsForResource').length, 1);
});

const TREE = [
  { name: '/app/db/user', value: 'u' },
  { name: '/app/db/pass', type: 'SecureString' as const, value: 'p' },
  { name: '/app/api/key', value: 'k', tags: { team: 'pay' } },
  { name: '/other/db', value: 'o', tags: { team: 'pay' } },
  { name: 'flat', value: 'f', tags: { team: 'web' } },
];

test('find by name: GetParametersByPath (default "/", recursive, decrypted, all pages), unanchored regexp; tags ignored', async () => {
  await start({ parameters: TREE, pageSize: { ssm: 2 } });
  const c = await newClient(h, PS);
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: 'db' }, tags: { team: 'web' } }))), { '/app/db/pass': 'p', '/app/db/user': 'u', '/other/db': 'o' });
  const calls = aws.calls('GetParametersByPath');
  assert.is(calls.length, 3);
  assert.equal(calls[0]!.params, { Path: '/', Recursive: true, WithDecryption: true });
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: '.' }, path: '/app/db' }))), { '/app/db/pass': 'p', '/app/db/user': 'u' });
});

test('find by name: AccessDenied on GetParametersByPath falls back to DescribeParameters + reads', async () => {
  await start({ parameters: TREE, pageSize: { ssm: 2 } });
  aws.inject({ action: 'GetParametersByPath', error: { status: 400, type: 'AccessDeniedException', message: 'not authorized' } });
  const c = await newClient(h, PS);
  assert.equal(mapText(await c.getAllSecrets(find({ name: { regexp: 'db' }, path: '/app' }))), { '/app/db/pass': 'p', '/app/db/user': 'u' });
  assert.equal(aws.calls('DescribeParameters')[0]!.params.ParameterFilters, [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }]);
  assert.is(aws.calls('GetParameters').length, 1);
});

test('find by tags: DescribeParameters tag filters (+ Path), then the values', async () => {
  await start({ parameters: TREE, pageSize: { ssm: 2 } });
  const c = await newClient(h, PS);
  assert.equal(mapText(await c.getAllSecrets(find({ tags: { team: 'pay' } }))), { '/app/api/key': 'k', '/other/db': 'o' });
  assert.equal(aws.calls('DescribeParameters')[0]!.params.ParameterFilters, [{ Key: 'tag:team', Option: 'Equals', Values: ['pay'] }]);
  assert.equal(mapText(await c.getAllSecrets(find({ tags: { team: 'pay' }, path: '/app' }))), { '/app/api/key': 'k' });
  assert.is((await rejection(c.getAllSecrets(find({ path: '/app' })))).message, 'unexpected find operator');
  assert.is((await c.getAllSecrets(find({ name: { regexp: 'nomatch' } }))).size, 0);
});

test('GetParameters denied ⇒ GetParameter per name', async () => {
  await start({ parameters: [{ name: '/a', value: '1' }, { name: '/b', value: '2' }] });
  aws.inject({ action: 'GetParameters', error: { status: 400, type: 'AccessDeniedException', message: 'no' } });
  const c = await newClient(h, PS);
  await c.prefetch!([ref('/a'), ref('/b')]);
  assert.is(text(await c.getSecret(ref('/b'))), '2');
  assert.is(aws.calls('GetParameter').length, 2);
});

test.run();

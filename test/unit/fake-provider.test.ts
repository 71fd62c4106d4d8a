import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FindRef } from '../../src/model/types.js';
import { fakeProvider } from '../../src/providers/fake/index.js';
import { NoSecretError } from '../../src/providers/types.js';
import { find as findRef, ref } from '../support/refs.js';

const Fake = suite('fake provider (providers/v1/fake/fake.go)');
const text = (u: Uint8Array) => new TextDecoder().decode(u);
const find = (regexp: string, extra: Partial<FindRef> = {}): FindRef => findRef({ name: { regexp }, ...extra });

async function client(data: unknown[]) {
  const parsed = fakeProvider.parseStore({ data });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return fakeProvider.newClient({ store: { kind: 'SecretStore', metadata: { name: 'fake' } } as never, spec: parsed.spec, namespace: 'ns' }, {} as never);
}

Fake('versions match exactly; no version matches only an unversioned entry', async () => {
  const c = await client([
    { key: 'k', value: 'v1', version: '1' },
    { key: 'k', value: 'v2', version: '2' },
  ]);
  assert.is(text(await c.getSecret(ref('k', { version: '2' }))), 'v2');
  try {
    await c.getSecret(ref('k'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NoSecretError);
  }
});

Fake('a missing property is NoSecretErr (unlike AWS)', async () => {
  const c = await client([{ key: 'k', value: '{"a":"b"}' }]);
  assert.is(text(await c.getSecret(ref('k', { property: 'a' }))), 'b');
  try {
    await c.getSecret(ref('k', { property: 'nope' }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NoSecretError);
  }
});

Fake('find: unanchored regexp, latest version by string order, keys converted', async () => {
  const c = await client([
    { key: 'prod/db-password', value: 'old', version: 'a' },
    { key: 'prod/db-password', value: 'new', version: 'b' },
    { key: 'mydb', value: 'x' },
    { key: 'other', value: 'y' },
  ]);
  const m = await c.getAllSecrets(find('db'));
  assert.equal(Object.fromEntries([...m].map(([k, v]) => [k, text(v)])), { mydb: 'x', 'prod_db-password': 'new' });
});

Fake('find needs name; store validation has ESO\'s messages', async () => {
  const c = await client([{ key: 'k', value: 'v' }]);
  let message = '';
  await c.getAllSecrets({ ...find(''), name: undefined }).catch((e: Error) => {
    message = e.message;
  });
  assert.match(message, /unsupported find operator/);
  const bad = fakeProvider.parseStore({ data: [{ value: 'v' }, { key: 'k' }] });
  assert.ok(!bad.ok);
  if (!bad.ok) {
    assert.equal(bad.errors.map((e) => e.message), ['key must be set in data 0', 'at least one value must be set in data 1']);
  }
});

Fake('legacy valueMap is accepted as a JSON object value', async () => {
  const c = await client([{ key: 'm', valueMap: { user: 'u', pass: 'p' } }]);
  const m = await c.getSecretMap(ref('m'));
  assert.equal(Object.fromEntries([...m].map(([k, v]) => [k, text(v)])), { user: 'u', pass: 'p' });
});

Fake.run();

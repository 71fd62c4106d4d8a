// Sprig's random-output crypto functions (bcrypt, htpasswd bcrypt, genCA*, genSelfSignedCert*,
// genSignedCert*): their bytes change on every call, so they are checked by verifying the
// results (bcryptjs compare, node:crypto X509Certificate), not by comparing output.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compareSync } from 'bcryptjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCert } from '../../src/template/funcs/der.js';
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

// --- certificates ---------------------------------------------------------------------------

const fx = (f: string): string => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
/** Renders `{{ $x.Cert }}{{ $x.Key }}` pairs; returns the PEM blocks in order. */
const pems = async (tpl: string, data: Record<string, string> = {}): Promise<string[]> =>
  (await render(tpl, data)).match(/-----BEGIN ([A-Z ]+)-----\n[\s\S]*?-----END \1-----\n/g) ?? [];
const label = (pem: string): string => /-----BEGIN ([A-Z ]+)-----/.exec(pem)![1]!;
const der = (x: X509Certificate): Buffer => x.raw;
const has = (x: X509Certificate, hex: string): boolean => der(x).includes(Buffer.from(hex.replace(/ /g, ''), 'hex'));
// Extension encodings Go writes for Sprig's templates.
const kuCA = '300e0603551d0f0101ff0404030202a4';
const kuLeaf = '300e0603551d0f0101ff0404030205a0';
const bcCA = '300f0603551d130101ff040530030101ff';
const bcLeaf = '300c0603551d130101ff04023000';
const ekuServerClient = '301d0603551d250416301406082b0601050507030106082b06010505070302';
const skidOid = '0603551d0e';

/** [content start, content end] of the DER element at p. */
function tlvAt(b: Buffer, p: number): [number, number] {
  const l = b[p + 1]!;
  if (!(l & 0x80)) return [p + 2, p + 2 + l];
  let len = 0;
  for (let i = 0; i < (l & 0x7f); i++) len = len * 256 + b[p + 2 + i]!;
  return [p + 2 + (l & 0x7f), p + 2 + (l & 0x7f) + len];
}

/** What Go 1.25+ puts in SubjectKeyId: the leftmost 160 bits of SHA-256 of the subjectPublicKey bits. */
function goSkid(x: X509Certificate): Buffer {
  const spki = x.publicKey.export({ type: 'spki', format: 'der' });
  const [algStart] = tlvAt(spki, 0); // SEQUENCE { AlgorithmIdentifier, BIT STRING }
  const [, algEnd] = tlvAt(spki, algStart);
  const [bitsStart, bitsEnd] = tlvAt(spki, algEnd);
  return createHash('sha256').update(spki.subarray(bitsStart + 1, bitsEnd)).digest().subarray(0, 20);
}

function assertValidity(x: X509Certificate, days: number, before: number, after: number): void {
  const nb = Date.parse(x.validFrom) / 1000;
  const na = Date.parse(x.validTo) / 1000;
  assert.ok(nb >= Math.floor(before / 1000) && nb <= Math.ceil(after / 1000), 'notBefore is the render time');
  assert.ok(Math.abs(na - nb - days * 86400) <= 1, 'notAfter is notBefore + days');
}

test('genCA: self-signed RSA-2048 CA as Sprig makes it', async () => {
  const before = Date.now();
  const [cert, key] = await pems('{{ $ca := genCA "my-ca" 365 }}{{ $ca.Cert }}{{ $ca.Key }}');
  const after = Date.now();
  assert.is(label(cert!), 'CERTIFICATE');
  assert.is(label(key!), 'RSA PRIVATE KEY');
  const x = new X509Certificate(cert!);
  assert.is(x.subject, 'CN=my-ca');
  assert.is(x.issuer, 'CN=my-ca');
  assert.ok(x.ca);
  assert.ok(x.verify(x.publicKey));
  assert.ok(x.checkPrivateKey(createPrivateKey(key!)));
  assert.is(x.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.is(x.subjectAltName, undefined);
  assert.ok(x.serialNumber.length <= 32);
  assertValidity(x, 365, before, after);
  for (const ext of [kuCA, bcCA, ekuServerClient]) assert.ok(has(x, ext), ext);
  assert.equal(parseCert(der(x)).subjectKeyId, goSkid(x));
  assert.is(parseCert(der(x)).authorityKeyId, null);
});

test('genCA: a new key and serial every time', async () => {
  const [a, ak, b, bk] = await pems('{{ $a := genCA "ca" 1 }}{{ $b := genCA "ca" 1 }}{{ $a.Cert }}{{ $a.Key }}{{ $b.Cert }}{{ $b.Key }}');
  assert.is.not(a, b);
  assert.is.not(ak, bk);
  assert.is.not(new X509Certificate(a!).serialNumber, new X509Certificate(b!).serialNumber);
});

test('genSelfSignedCert: leaf usages, IP and DNS SANs, no SubjectKeyId', async () => {
  const before = Date.now();
  const [cert, key] = await pems('{{ $c := genSelfSignedCert "svc" (list "10.0.0.1" "2001:db8::1") (list "svc.example" .dns) 30 }}{{ $c.Cert }}{{ $c.Key }}', { dns: '*.svc.example' });
  const after = Date.now();
  const x = new X509Certificate(cert!);
  assert.is(label(key!), 'RSA PRIVATE KEY');
  assert.is(x.subject, 'CN=svc');
  assert.not.ok(x.ca);
  assert.ok(x.verify(x.publicKey));
  assert.is(x.subjectAltName, 'DNS:svc.example, DNS:*.svc.example, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1');
  assert.equal(x.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assertValidity(x, 30, before, after);
  for (const ext of [kuLeaf, bcLeaf, ekuServerClient]) assert.ok(has(x, ext), ext);
  assert.not.ok(has(x, skidOid));
});

test('genSelfSignedCert: nil lists, an empty CN (critical SAN), negative days', async () => {
  const [a, , b] = await pems('{{ $a := genSelfSignedCert "x" nil nil -1 }}{{ $b := genSelfSignedCert "" (list "192.0.2.1") nil 1 }}{{ $a.Cert }}{{ $a.Key }}{{ $b.Cert }}');
  const x = new X509Certificate(a!);
  assert.is(x.subjectAltName, undefined);
  assert.ok(Date.parse(x.validTo) < Date.parse(x.validFrom));
  const y = new X509Certificate(b!);
  assert.not.ok(y.subject, 'empty subject');
  assert.ok(has(y, '0603551d110101ff'), 'SAN marked critical');
});

test("genSelfSignedCert: days overflow time.Duration as in Go (24h × days wraps at int64 nanoseconds)", async () => {
  const [a] = await pems('{{ (genSelfSignedCert "x" nil nil 200000).Cert }}');
  const x = new X509Certificate(a!);
  const wrapped = BigInt.asIntN(64, 86_400_000_000_000n * 200000n) / 1_000_000_000n;
  assert.ok(Math.abs((Date.parse(x.validTo) - Date.parse(x.validFrom)) / 1000 - Number(wrapped)) <= 1);
});

test('genSignedCert: signed by the CA, AuthorityKeyId = CA SubjectKeyId, chain verifies', async () => {
  const [caPem, leafPem, leafKey] = await pems(
    '{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "leaf" (list "10.0.0.2") (list "leaf.example") 90 $ca }}{{ $ca.Cert }}{{ $c.Cert }}{{ $c.Key }}',
  );
  const ca = new X509Certificate(caPem!);
  const leaf = new X509Certificate(leafPem!);
  assert.is(label(leafKey!), 'RSA PRIVATE KEY');
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey));
  assert.not.ok(leaf.verify(leaf.publicKey));
  assert.ok(leaf.checkPrivateKey(createPrivateKey(leafKey!)));
  assert.is(leaf.issuer, 'CN=my-ca');
  assert.is(leaf.subject, 'CN=leaf');
  assert.not.ok(leaf.ca);
  assert.is(leaf.subjectAltName, 'DNS:leaf.example, IP Address:10.0.0.2');
  assert.equal(parseCert(der(leaf)).authorityKeyId, parseCert(der(ca)).subjectKeyId);
  assert.not.ok(has(leaf, skidOid));
});

test('genSignedCert: a leaf with the CA\'s own name gets no AuthorityKeyId (Go sets it only when issuer ≠ subject)', async () => {
  const [, leafPem] = await pems('{{ $ca := genCA "same" 1 }}{{ $c := genSignedCert "same" nil nil 1 $ca }}{{ $ca.Cert }}{{ $c.Cert }}');
  assert.is(parseCert(der(new X509Certificate(leafPem!))).authorityKeyId, null);
});

test('genSignedCert accepts buildCustomCert output and checks its key against the certificate', async () => {
  const data = { crt: Buffer.from(fx('rsa.crt')).toString('base64'), key: Buffer.from(fx('rsa.key')).toString('base64'), leafKey: Buffer.from(fx('leaf.key')).toString('base64') };
  const [leafPem] = await pems('{{ (genSignedCert "l" nil nil 1 (buildCustomCert .crt .key)).Cert }}', data);
  assert.ok(new X509Certificate(leafPem!).checkIssued(new X509Certificate(fx('rsa.crt'))));
  try {
    await render('{{ genSignedCert "l" nil nil 1 (buildCustomCert .crt .leafKey) }}', data);
    assert.unreachable();
  } catch (e) {
    assert.match(String(e), "error calling genSignedCert: error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey");
  }
});

const keyCases: [string, () => string, string, string][] = [
  ['ECDSA P-256 (SEC1)', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 'EC PRIVATE KEY', '06082a8648ce3d040302'],
  ['ECDSA P-384 (PKCS#8)', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'EC PRIVATE KEY', '06082a8648ce3d040303'],
  ['ECDSA P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 'EC PRIVATE KEY', '06082a8648ce3d040304'],
  ['Ed25519', () => fx('ed25519.pkcs8.pem'), 'PRIVATE KEY', '300506032b6570'],
  ['RSA (PKCS#8)', () => fx('rsa.key'), 'RSA PRIVATE KEY', '06092a864886f70d01010b0500'],
];

for (const [name, makeKey, keyLabel, sigAlg] of keyCases) {
  test(`*WithKey with ${name}: the given key, re-encoded as Sprig's pemBlockForKey, signature algorithm as Go picks`, async () => {
    const k = makeKey();
    const [caPem, caKey, selfPem, , leafPem, leafKey] = await pems(
      '{{ $ca := genCAWithKey "ca" 10 .k }}{{ $s := genSelfSignedCertWithKey "self" nil (list "self.example") 5 .k }}{{ $l := genSignedCertWithKey "leaf" nil nil 1 $ca .k }}{{ $ca.Cert }}{{ $ca.Key }}{{ $s.Cert }}{{ $s.Key }}{{ $l.Cert }}{{ $l.Key }}',
      { k },
    );
    const spki = (pem: string): Buffer => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    assert.is(label(caKey!), keyLabel);
    assert.is(label(leafKey!), keyLabel);
    assert.equal(spki(caKey!), spki(k));
    const ca = new X509Certificate(caPem!);
    const self = new X509Certificate(selfPem!);
    const leaf = new X509Certificate(leafPem!);
    for (const x of [ca, self, leaf]) {
      assert.equal(x.publicKey.export({ type: 'spki', format: 'der' }), spki(k));
      assert.ok(has(x, sigAlg), 'signature algorithm');
    }
    assert.ok(ca.ca && ca.verify(ca.publicKey));
    assert.equal(parseCert(der(ca)).subjectKeyId, goSkid(ca));
    assert.ok(self.verify(self.publicKey));
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
  });
}

test('genSignedCertWithKey: an X25519 key can be certified (not sign); DSA keys fail as in Go', async () => {
  const x = generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const [leafPem, leafKey] = await pems('{{ $l := genSignedCertWithKey "l" nil nil 1 (genCA "ca" 1) .k }}{{ $l.Cert }}{{ $l.Key }}', { k: x });
  assert.is(new X509Certificate(leafPem!).publicKey.asymmetricKeyType, 'x25519');
  assert.is(label(leafKey!), 'PRIVATE KEY');
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: x }, 'error calling genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer');
  // Go's DSA key format: SEQUENCE { version, p, q, g, y, x } (tiny numbers: only the shape is read).
  const dsa = `-----BEGIN DSA PRIVATE KEY-----\n${Buffer.from('3012020100020117020111020102020104020103', 'hex').toString('base64')}\n-----END DSA PRIVATE KEY-----\n`;
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: dsa }, 'error calling genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer');
  await assertError('{{ genSignedCertWithKey "l" nil nil 1 (genCA "ca" 1) .k }}', { k: dsa }, 'error creating certificate: x509: unsupported public key type: *dsa.PublicKey');
});

async function assertError(tpl: string, data: Record<string, string>, contains: string, mustNotContain: string[] = []): Promise<void> {
  try {
    await render(tpl, data);
    assert.unreachable(`no error for ${tpl}`);
  } catch (e) {
    if (e instanceof assert.Assertion) throw e;
    assert.match(String(e), contains);
    for (const s of mustNotContain) assert.not.match(String(e), s);
  }
}

test("certificate functions return Sprig's error texts (values from data left out)", async () => {
  const rsaAsEc = fx('rsa-pkcs1.key').replace(/RSA PRIVATE KEY/g, 'EC PRIVATE KEY');
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: 'nope' }, 'error calling genCAWithKey: parsing private key: no PEM data in input');
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: rsaAsEc }, 'parsing private key: parsing EC private key from PEM: x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)');
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: fx('ed25519.pub.pem') }, 'parsing private key: no private key data in PEM block of type PUBLIC KEY');
  await assertError('{{ genSelfSignedCert "x" (list .ip) nil 1 }}', { ip: '10.0.0.300' }, 'error calling genSelfSignedCert: error parsing ip: a list element is not an IP address', ['10.0.0.300']);
  await assertError('{{ genSelfSignedCert "x" (list 1) nil 1 }}', {}, 'error parsing ip: a list element is not a string');
  await assertError('{{ genSelfSignedCert "x" nil (list 1) 1 }}', {}, 'error processing alternate dns name: a list element is not a string');
  await assertError('{{ genSelfSignedCert "x" nil (list .dns) 1 }}', { dns: 'sécret.example' }, 'error creating certificate: x509: a DNS name cannot be encoded as an IA5String', ['sécret', 's\\u00e9cret']);
  await assertError('{{ genSignedCert "x" nil nil 1 .ca }}', { ca: 'x' }, 'wrong type for value; expected sprig.certificate; got string');
  await assertError('{{ genSignedCert "x" nil nil 1 nil }}', {}, 'cannot assign nil to sprig.certificate');
  const weak = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  await assertError('{{ genCAWithKey "ca" 1 .k }}', { k: weak }, 'error creating certificate: crypto/rsa: 512-bit keys are insecure');
});

test('a CN that is not valid UTF-8 fails as in Go (asn1)', async () => {
  try {
    await renderBytes('{{ genSelfSignedCert .cn nil nil 1 }}', { cn: Buffer.from([0x61, 0xff]) });
    assert.unreachable();
  } catch (e) {
    if (e instanceof assert.Assertion) throw e;
    assert.match(String(e), 'error creating certificate: asn1: string not valid UTF-8');
  }
});

test('genPrivateKey "dsa": an L2048N256 key in Go\'s DSAKeyFormat ("DSA PRIVATE KEY") that signs and verifies', async () => {
  const [pem] = await pems('{{ genPrivateKey "dsa" }}');
  assert.is(label(pem!), 'DSA PRIVATE KEY');
  const k = createPrivateKey(pem!);
  assert.is(k.asymmetricKeyType, 'dsa');
  assert.is(k.asymmetricKeyDetails?.modulusLength, 2048);
  assert.is(k.asymmetricKeyDetails?.divisorLength, 256);
  // The public half OpenSSL reads from the file (Y) must belong to X.
  const msg = Buffer.from('message');
  assert.ok(verify('sha256', msg, createPublicKey(k), sign('sha256', msg, k)));
  const body = Buffer.from(pem!.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  assert.is(body.subarray(0, 7).toString('hex').replace(/^3082..../, ''), '020100');
});

test('errors of these functions never contain data values, even with non-determinism allowed', async () => {
  const secret = 'S3CRET-v@lue/42';
  const leaks = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];
  const templates = [
    '{{ genSelfSignedCert "x" (list .secret) nil 1 }}',
    '{{ genSelfSignedCert "x" (list (list .secret)) nil 1 }}',
    '{{ genSelfSignedCert "x" nil (list (dict "k" .secret)) 1 }}',
    '{{ genSelfSignedCert "x" nil (list (printf "\u00e9%s" .secret)) 1 }}',
    '{{ genSignedCert "x" (list .secret) nil 1 (genCA "ca" 1) }}',
    '{{ genCAWithKey "x" 1 .secret }}',
    '{{ genSelfSignedCertWithKey "x" nil nil 1 (printf "-----BEGIN RSA PRIVATE KEY-----\\n%s\\n-----END RSA PRIVATE KEY-----\\n" (b64enc .secret)) }}',
    '{{ genSignedCert "x" nil nil 1 (buildCustomCert (b64enc .secret) (b64enc .secret)) }}',
    '{{ bcrypt (printf "%s\\xff" .secret) }}',
  ];
  for (const tpl of templates) await assertError(tpl, { secret }, 'error calling', leaks);
});

// --- the non-determinism gate ------------------------------------------------------------------

const refused: [string, string][] = [
  ['bcrypt', '{{ bcrypt "pw" }}'],
  ['htpasswd', '{{ htpasswd "user" "pw" "bcrypt" }}'],
  ['genCA', '{{ genCA "ca" 365 }}'],
  ['genCAWithKey', '{{ genCAWithKey "ca" 365 .k }}'],
  ['genSelfSignedCert', '{{ genSelfSignedCert "x" nil nil 365 }}'],
  ['genSelfSignedCertWithKey', '{{ genSelfSignedCertWithKey "x" nil nil 365 .k }}'],
  ['genSignedCert', '{{ genSignedCert "x" nil nil 365 (buildCustomCert .crt .key) }}'],
  ['genSignedCertWithKey', '{{ genSignedCertWithKey "x" nil nil 365 (buildCustomCert .crt .key) .k }}'],
];

test('each of them is refused without allowNonDeterministic', async () => {
  const data = { k: fx('leaf.key'), crt: Buffer.from(fx('rsa.crt')).toString('base64'), key: Buffer.from(fx('rsa.key')).toString('base64') };
  for (const [name, tpl] of refused) {
    try {
      await render(tpl, data, false);
      assert.unreachable(name);
    } catch (e) {
      if (e instanceof assert.Assertion) throw e;
      assert.match(String(e), `error calling ${name}: ${name} is not reproducible (`, name);
      assert.match(String(e), 'refused unless non-deterministic functions are allowed', name);
    }
  }
});

test.run();

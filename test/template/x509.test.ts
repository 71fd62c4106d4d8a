// Our x509.CreateCertificate (src/template/funcs/x509.ts) against certificates Go made from the
// same templates, keys, serials and times (tools/template-oracle/x509-fixtures.go): RSA PKCS#1
// v1.5 and Ed25519 signatures are deterministic, so the whole DER must be identical.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePrivateKeyPEM, parseIP } from '../../src/template/funcs/certs.js';
import { parseCert } from '../../src/template/funcs/der.js';
import {
  type CertTemplate,
  createCertificate,
  ExtKeyUsageClientAuth,
  ExtKeyUsageServerAuth,
  KeyUsageCertSign,
  KeyUsageDigitalSignature,
  KeyUsageKeyEncipherment,
} from '../../src/template/funcs/x509.js';

const fx = (f: string): Buffer => readFileSync(new URL(`./fixtures/${f}`, import.meta.url));
const rsa = parsePrivateKeyPEM(fx('rsa.key').toString('latin1'));
const ed = parsePrivateKeyPEM(fx('ed25519.pkcs8.pem').toString('latin1'));
const t0 = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
const day = 86400;

const base = (cn: string, ips: string[], dns: string[], serial: bigint, days: number): CertTemplate => ({
  serial: serial << 64n,
  commonName: cn,
  notBefore: t0,
  notAfter: t0 + days * day,
  keyUsage: KeyUsageKeyEncipherment | KeyUsageDigitalSignature,
  extKeyUsage: [ExtKeyUsageServerAuth, ExtKeyUsageClientAuth],
  basicConstraintsValid: true,
  isCA: false,
  dnsNames: dns,
  ipAddresses: ips.map((s) => parseIP(s)!),
});

test('a CA (RSA, self-signed, SubjectKeyId) is byte-identical to Go', () => {
  const t = base('fixture-ca', [], [], 0x0123456789abcdefn, 365);
  t.keyUsage |= KeyUsageCertSign;
  t.isCA = true;
  assert.ok(createCertificate(t, rsa, null, rsa).equals(fx('go-ca-rsa.der')));
});

test('a leaf signed by it (Ed25519 key, IP and DNS SANs, AuthorityKeyId, UTF8String CN) is byte-identical to Go', () => {
  const caDer = fx('go-ca-rsa.der');
  const info = parseCert(caDer);
  const parent = { rawSubject: info.rawSubject, subjectKeyId: info.subjectKeyId, publicKeySpki: new X509Certificate(caDer).publicKey.export({ type: 'spki', format: 'der' }) };
  const t = base('fixture leaf & co', ['10.0.0.1', '::1', '::ffff:192.0.2.1'], ['leaf.example', '*.leaf.example'], 0x7edcba9876543210n, 30);
  assert.ok(createCertificate(t, ed, parent, rsa).equals(fx('go-leaf-ed25519.der')));
});

test('an empty subject makes the SAN critical; dates from 2050 on are GeneralizedTime (as Go)', () => {
  const t = base('', ['192.0.2.7'], [], 1n, 9000);
  assert.ok(createCertificate(t, ed, null, ed).equals(fx('go-self-ed25519.der')));
});

test('parseIP follows net.ParseIP (no zones, no leading zeros; v4-mapped become 4 bytes)', () => {
  const hex = (s: string): string | null => parseIP(s)?.toString('hex') ?? null;
  assert.is(hex('10.0.0.1'), '0a000001');
  assert.is(hex('::ffff:10.0.0.1'), '0a000001');
  assert.is(hex('::1'), '00000000000000000000000000000001');
  assert.is(hex('2001:db8::8:800:200c:417a'), '20010db80000000000080800200c417a');
  assert.is(hex('1:2:3:4:5:6:7::'), '00010002000300040005000600070000');
  assert.is(hex('::'), '00000000000000000000000000000000');
  for (const bad of ['', '1.2.3', '01.2.3.4', '256.1.1.1', 'fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'x', ' 1.2.3.4']) {
    assert.is(parseIP(bad), null, bad);
  }
});

test.run();

// Our PKCS#12 encoders produce different bytes than ESO's (random salts there, HMAC-derived
// here), so they are checked by decoding: same key, same certificates, Java trust attributes.
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeTemplate } from '../../src/template/index.js';

const fx = (f: string): Buffer => readFileSync(new URL(`./fixtures/${f}`, import.meta.url));
const data = new Map<string, Uint8Array>([
  ['chain', fx('chain-ordered.pem')],
  ['key', fx('leaf.key')],
  ['cas', fx('cas-unordered.pem')],
]);
const opts = (hmacKey?: Uint8Array) => ({ name: 'p12', missingKey: 'error' as const, ...(hmacKey ? { hmacKey } : {}) });
const render = async (tpl: string, hmacKey?: Uint8Array): Promise<string> =>
  Buffer.from(await executeTemplate(tpl, data, opts(hmacKey))).toString('utf8');
const derOfPem = (pem: string): string[] =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('latin1'));

test('fullPemToPkcs12Pass decodes (node-forge) to the same certificates and key', async () => {
  const b64 = await render('{{ fullPemToPkcs12Pass .chain .key "pw" }}', new Uint8Array(32).fill(3));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(b64, 'base64').toString('latin1')), false, 'pw');
  const certs = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const ders = certs.map((b) => forge.asn1.toDer(b.cert ? forge.pki.certificateToAsn1(b.cert) : (b.asn1 as forge.asn1.Asn1)).getBytes());
  assert.equal(ders, derOfPem(fx('chain-ordered.pem').toString()));
  const keys = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  assert.is(keys.length, 1);
});

test('PKCS#12 bytes depend on the install key, not on the render', async () => {
  const tpl = '{{ pemToPkcs12 .chain .key }}';
  const a1 = await render(tpl, new Uint8Array(32).fill(1));
  const a2 = await render(tpl, new Uint8Array(32).fill(1));
  const b = await render(tpl, new Uint8Array(32).fill(2));
  assert.is(a1, a2);
  assert.is.not(a1, b);
});

test('committed fixtures made by our encoders are still what they produce', async () => {
  const key = new Uint8Array(32).fill(42);
  const opts42 = { name: 'fixture', missingKey: 'error' as const, hmacKey: key };
  for (const [f, tpl] of [
    ['ours-full.p12', '{{ fullPemToPkcs12Pass .chain .key "pw" }}'],
    ['ours-nopass.p12', '{{ pemToPkcs12 .chain .key }}'],
    ['ours-truststore.p12', '{{ pemTruststoreToPKCS12Pass .cas "changeit" }}'],
  ] as const) {
    const b64 = Buffer.from(await executeTemplate(tpl, data, opts42)).toString();
    assert.is(b64, fx(f).toString('base64'), f);
  }
});

test('PKCS#12 encoders without an install key fail clearly', async () => {
  try {
    await render('{{ pemToPkcs12 .chain .key }}');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, 'needs the per-install HMAC key');
  }
});

// The Java trusted-key-usage attribute (which node-forge does not surface) was checked with
// `openssl pkcs12 -info` when this was written.
test('pemTruststoreToPKCS12 entries decode with the certificates and their friendly names', async () => {
  const b64 = await render('{{ pemTruststoreToPKCS12Pass .cas "changeit" }}', new Uint8Array(32));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(b64, 'base64').toString('latin1')), false, 'changeit');
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  assert.is(bags.length, 2);
  const names = bags.map((b) => String((b.attributes as Record<string, unknown[]>).friendlyName?.[0]).replace(/\0$/, ''));
  assert.equal(names, ['CN=root', 'CN=intermediate']);
});

test.run();

// Writes the PKCS#12 fixtures made by our own encoders (install key 42×32); run after make-fixtures.sh.
// Usage: node --import tsx tools/template-oracle/make-ours.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { executeTemplate } from '../../src/template/index.js';
const fx = (f: string) => readFileSync(new URL(`../../test/template/fixtures/${f}`, import.meta.url));
const d = new Map<string, Uint8Array>([['chain', fx('chain-ordered.pem')], ['key', fx('leaf.key')], ['cas', fx('cas-unordered.pem')]]);
const o = { name: 'fixture', missingKey: 'error' as const, hmacKey: new Uint8Array(32).fill(42) };
for (const [f, t] of [['ours-full.p12', '{{ fullPemToPkcs12Pass .chain .key "pw" }}'], ['ours-nopass.p12', '{{ pemToPkcs12 .chain .key }}'], ['ours-truststore.p12', '{{ pemTruststoreToPKCS12Pass .cas "changeit" }}']] as const) {
  writeFileSync(new URL(`../../test/template/fixtures/${f}`, import.meta.url), Buffer.from(Buffer.from(await executeTemplate(t, d, o)).toString(), 'base64'));
}

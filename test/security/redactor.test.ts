import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor } from '../../src/cli/redact.js';
import { canaryForms } from '../support/canary.js';

const Redact = suite('the redactor scrubs every registered value and its encodings');
const CANARY = 'p@ss word/with+chars=&"quote"';

Redact('raw, base64, base64url, hex, URL- and JSON-escaped forms are scrubbed', () => {
  const r = new Redactor();
  r.register(new TextEncoder().encode(CANARY));
  for (const form of canaryForms(CANARY)) {
    const out = r.scrub(`AWS said: ${form} was bad`);
    assert.not.ok(out.includes(form), `form ${form} survived: ${out}`);
    assert.ok(out.includes('[REDACTED]'));
  }
});

Redact('multi-line values (PEM) are scrubbed line by line', () => {
  const r = new Redactor();
  const pem = '-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASC\nAT8wggE7AgEAAkEAzzz\n-----END KEY-----\n';
  r.register(new TextEncoder().encode(pem));
  assert.not.match(r.scrub('error near MIIBVwIBADANBgkqhkiG9w0BAQEFAASC'), /MIIBVwIB/);
});

Redact('values under 4 bytes are not registered (they would blank out ordinary words)', () => {
  const r = new Redactor();
  r.register(new TextEncoder().encode('abc'));
  assert.is(r.scrub('abc def'), 'abc def');
});

Redact('megabyte values are scrubbed too (no RegExp size limit)', () => {
  const r = new Redactor();
  const big = `${'z'.repeat(700 * 1024)}-tail`;
  r.register(new TextEncoder().encode(big));
  r.register(new TextEncoder().encode('another-secret-value'));
  assert.is(r.scrub(`x ${big} y another-secret-value`), 'x [REDACTED] y [REDACTED]');
});

Redact.run();

// The module boundary other code relies on: options, error type, and secrecy of errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError, executeTemplate } from '../../src/template/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const secret = 'S3CRET-v@lue/42';
const data = new Map<string, Uint8Array>([
  ['secret', enc.encode(secret)],
  ['user', enc.encode('admin')],
]);
const hmacKey = new Uint8Array(32).fill(9);

test('custom delimiters (ESO controller flags)', async () => {
  const out = await executeTemplate('[[ .user | upper ]] {{ .user }}', data, { name: 'k', missingKey: 'error', delims: ['[[', ']]'] });
  assert.is(dec.decode(out), 'ADMIN {{ .user }}');
});

test('rewrite transform: data {value: key}, missing keys print <no value>', async () => {
  const value = new Map([['value', enc.encode('db/password')]]);
  const opts = { name: '{{ .value | replace "/" "-" }}', missingKey: 'default' as const };
  assert.is(dec.decode(await executeTemplate('{{ .value | replace "/" "-" }}', value, opts)), 'db-password');
  assert.is(dec.decode(await executeTemplate('{{ .nope }}', value, opts)), '<no value>');
});

test('errors are TemplateErrors in Go shape, named after the template', async () => {
  try {
    await executeTemplate('{{ .nope }}', data, { name: 'password', missingKey: 'error' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, TemplateError);
    assert.is((e as Error).message, 'template: password:1:3: executing "password" at <.nope>: map has no entry for key "nope"');
  }
  try {
    await executeTemplate('{{ if }}', data, { name: 'tls.crt', missingKey: 'error' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'template: tls.crt:1: missing value for if');
  }
});

test('errors never contain data values or their encodings', async () => {
  const leaks = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), JSON.stringify(secret)];
  const templates = [
    '{{ range .secret }}{{ end }}',
    '{{ .secret.field }}',
    '{{ mustToDate "2006-01-02" .secret }}',
    '{{ mustDateModify .secret (toDate "2006" "2020") }}',
    '{{ eq .secret 1 }}',
    '{{ lt .secret 1 }}',
    '{{ eq (list .secret) (list .secret) }}',
    '{{ mustFromJson .secret }}',
    '{{ index .secret 99 }}',
    '{{ index . .secret }}x{{ .missing }}',
    '{{ semver .secret }}',
    '{{ semverCompare .secret "1.0.0" }}',
    '{{ pkcs12key .secret }}',
    '{{ pkcs12certPass .secret .secret }}',
    '{{ jwkPublicKeyPem .secret }}',
    '{{ jwkPrivateKeyPem .secret }}',
    '{{ certSANs .secret }}',
    '{{ filterPEM "CERTIFICATE" .secret }}',
    '{{ filterCertChain "leaf" .secret }}',
    '{{ rsaDecrypt "RSA-OAEP" "SHA256" .secret .secret }}',
    '{{ rsaDecrypt .secret "SHA256" "x" "y" }}',
    '{{ pemToPkcs12 .secret .secret }}',
    '{{ decryptAES .secret .secret }}',
    '{{ buildCustomCert .secret .secret }}',
    '{{ dig .secret "d" . }}',
    '{{ .secret | upper 1 }}',
    '{{ .secret | printf "%s" | call }}',
    '{{ append .secret 1 }}',
    '{{ urlJoin (dict "host" (list .secret)) }}',
    '{{ div (len .secret) 0 }}',
    '{{ substr 99 100 .secret }}',
    '{{ repeat -1 .secret }}',
    '{{ toDate "2006" .secret | date "2006" }}{{ .missing }}',
  ];
  for (const tpl of templates) {
    try {
      const out = await executeTemplate(tpl, data, { name: 'key', missingKey: 'error', hmacKey });
      assert.unreachable(`${tpl} rendered ${dec.decode(out)}`);
    } catch (e) {
      assert.instance(e, TemplateError, tpl);
      for (const l of leaks) assert.not.ok((e as Error).message.includes(l), `${tpl}: ${(e as Error).message}`);
    }
  }
});

test('re-rendering the same text (parse memo) keeps names, delimiters and errors apart', async () => {
  const tpl = '{{ .nope }}';
  for (const name of ['a', 'b', 'a']) {
    try {
      await executeTemplate(tpl, data, { name, missingKey: 'error' });
      assert.unreachable();
    } catch (e) {
      assert.ok((e as Error).message.startsWith(`template: ${name}:1:3:`), (e as Error).message);
    }
  }
  assert.is(dec.decode(await executeTemplate(tpl, data, { name: 'a', missingKey: 'default' })), '<no value>');
  assert.is(dec.decode(await executeTemplate('[[ 1 ]]{{ 2 }}', data, { name: 'a', missingKey: 'error' })), '[[ 1 ]]2');
  assert.is(dec.decode(await executeTemplate('[[ 1 ]]{{ 2 }}', data, { name: 'a', missingKey: 'error', delims: ['[[', ']]'] })), '1{{ 2 }}');
  for (let i = 0; i < 2; i++) {
    try {
      await executeTemplate('{{ if }}', data, { name: 'p', missingKey: 'error' });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, TemplateError);
    }
  }
});

test('fail messages are shown (template authors write them)', async () => {
  try {
    await executeTemplate('{{ fail "user is required" }}', data, { name: 'k', missingKey: 'error' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'template: k:1:3: executing "k" at <fail "user is required">: error calling fail: user is required');
  }
});

test('output is the rendered bytes verbatim (binary safe, no trimming)', async () => {
  const bin = new Map([['b', new Uint8Array([0, 255, 10, 128])]]);
  assert.equal([...(await executeTemplate('{{ .b }}\n', bin, { name: 'k', missingKey: 'error' }))], [0, 255, 10, 128, 10]);
});

test.run();

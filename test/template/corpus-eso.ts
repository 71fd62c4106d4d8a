// ESO's own template functions. Not rendered by the oracle (Debian's Sprig has none of them):
// expectations come from OpenSSL-generated fixtures (tools/template-oracle/make-fixtures.sh).
import { readFileSync } from 'node:fs';
import type { Case } from './corpus-types.js';

const fx = (f: string): string => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const fxb64 = (f: string): string => readFileSync(new URL(`./fixtures/${f}`, import.meta.url)).toString('base64');

const leaf = fx('leaf.crt');
const inter = fx('inter.crt');
const root = fx('root.crt');
const data: Record<string, string> = {
  leaf,
  inter,
  root,
  leafKey: fx('leaf.key'),
  leafSec1: fx('leaf-sec1.key'),
  rsaKey: fx('rsa.key'),
  rsaPkcs1: fx('rsa-pkcs1.key'),
  rsaCrt: fx('rsa.crt'),
  unordered: fx('chain-unordered.pem'),
  ordered: fx('chain-ordered.pem'),
  mixed: `junk before\n${fx('leaf.key')}${leaf}trailing`,
  rsaJwk: fx('rsa.jwk'),
  rsaPubJwk: fx('rsa-pub.jwk'),
  ecJwk: fx('ec.jwk'),
  ecPubJwk: fx('ec-pub.jwk'),
  edJwk: fx('ed25519.jwk'),
  edPubJwk: fx('ed25519-pub.jwk'),
  k256Jwk: fx('secp256k1.jwk'),
  octJwk: '{"kty":"oct","k":"c2VjcmV0"}',
};
const bin = {
  p12: fxb64('leaf-nopass.p12'),
  p12pass: fxb64('leaf-pass.p12'),
  p12legacy: fxb64('rsa-legacy.p12'),
  oaep256: fxb64('oaep-sha256.bin'),
  oaep1: fxb64('oaep-sha1.bin'),
  // Made by our own encoders (test/template/pkcs12.test.ts keeps them in sync); decoded here by
  // Go's go-pkcs12 in the oracle as well.
  oursFull: fxb64('ours-full.p12'),
  oursNopass: fxb64('ours-nopass.p12'),
};

const e = (name: string, template: string, extra: Partial<Case>): Case => ({
  name: `eso ${name}`,
  template,
  data,
  dataB64: bin,
  oracle: false,
  ...extra,
});


/** toYaml/fromYaml against sigs.k8s.io/yaml itself (the oracle's Go re-implementation). */
const y = (name: string, template: string): Case => ({ name: `eso yaml ${name}`, template, data, oracle: false, crossCheck: true });
const yamlCases: Case[] = [
  y('toYaml special strings', '{{ toYaml (list "a: b" "- x" "null" "~" "1e3" "0x10" "yes" "on" "y" "n" "NO" "#c" "x #y" "@at" "`tick" "%p" "!bang" "&amp" "*star" "{}" "[]" "\'q\'" "\\"dq\\"" " lead" "trail " "" "0755" "1_000" "12:30" "2024-01-01" ".5" "+1" "-") }}'),
  y('toYaml multiline variants', '{{ toYaml (dict "a" "line1\\nline2\\n" "b" "trailing space \\nx" "c" "\\n" "d" "tab\\there" "e" "unicode é ✓" "f" "ctrl \\u0001") }}'),
  y('toYaml nested structures', '{{ toYaml (dict "list" (list (dict "k" "v" "n" 1) (list 1 2) (list)) "map" (dict) "nil" nil "f" 1.5 "big" 1e21 "small" 0.0000001 "i64" (add 1 2) "t" true) }}'),
  y('toYaml keys needing quotes', '{{ toYaml (dict "a b" 1 "x:y" 2 "true" 3 "1" 4 "" 5 "-k" 6) }}'),
  y('toYaml of the data map', '{{ toYaml (pick . "leaf" "octJwk") }}'),
  y('toYaml long string', '{{ toYaml (dict "k" (repeat 30 "word ")) }}'),
  y('fromYaml scalars and YAML 1.1', '{{ $y := fromYaml "a: 0755\\nb: 0x1F\\nc: 1e3\\nd: on\\ne: ~\\nf: 2024-01-01\\ng: .inf\\nh: 1_000\\ni: 12:30\\nj: \\"quoted\\"" }}{{ range $k, $v := $y }}{{ $k }}={{ $v }}({{ typeOf $v }}) {{ end }}'),
  y('fromYaml anchors and merge', '{{ $y := fromYaml "base: &b {x: 1, y: 2}\\nother:\\n  <<: *b\\n  y: 3" }}{{ toJson $y }}'),
  y('fromYaml nested and lists', '{{ toJson (fromYaml "a:\\n  - b: 1\\n    c: [1, two]\\n  - null\\nd: {e: {f: g}}") }}'),
  y('fromYaml duplicate keys', '{{ toJson (fromYaml "a: 1\\na: 2") }}'),
  y('fromYaml invalid', '{{ (fromYaml "a: [unclosed").Error | empty | not }}'),
  y('fromYaml non-string keys', '{{ toJson (fromYaml "1: one\\ntrue: yes\\nnull: x") }}'),
  y('fromYaml multi-line strings', '{{ toJson (fromYaml "a: |\\n  l1\\n  l2\\nb: >\\n  f1\\n  f2\\n") }}'),
];

export const esoCases: Case[] = [
  ...yamlCases,
  e('pkcs12key', '{{ .p12 | pkcs12key }}', { crossCheck: true, expected: fx('leaf.pkcs8.pem') }),
  e('pkcs12keyPass', '{{ .p12pass | pkcs12keyPass "1234" }}', { crossCheck: true, expected: fx('leaf.pkcs8.pem') }),
  e('pkcs12keyPass legacy RC2/3DES file', '{{ .p12legacy | pkcs12keyPass "legacy" }}', { crossCheck: true, expected: fx('rsa.pkcs8.pem') }),
  e('pkcs12keyPass wrong password', '{{ .p12pass | pkcs12keyPass "nope" }}', { crossCheck: true, errorContains: 'error calling pkcs12keyPass: unable to decode pkcs12 with password: pkcs12: decryption password incorrect' }),
  e('pkcs12key of base64 input via b64dec', '{{ .p12 | b64enc | b64dec | pkcs12key | len }}', { expected: String(fx('leaf.pkcs8.pem').length) }),
  e('pkcs12key of garbage', '{{ pkcs12key "garbage" }}', { crossCheck: true, errorContains: 'unable to decode pkcs12 with password' }),
  e('pkcs12cert orders the chain leaf first', '{{ .p12 | pkcs12cert }}', { crossCheck: true, expected: leaf + inter }),
  e('pkcs12certPass orders leaf intermediate root', '{{ .p12pass | pkcs12certPass "1234" }}', { crossCheck: true, expected: leaf + inter + root }),
  e('pkcs12certPass legacy', '{{ .p12legacy | pkcs12certPass "legacy" }}', { crossCheck: true, expected: fx('rsa.crt') }),
  e('pkcs12certPass wrong password', '{{ .p12 | pkcs12certPass "x" }}', { crossCheck: true, errorContains: 'unable to decode pkcs12 certificate with password: pkcs12: decryption password incorrect' }),
  e('pemToPkcs12 round-trips key and cert', '{{ $p := pemToPkcs12 .leaf .leafKey | b64dec }}{{ pkcs12key $p }}{{ pkcs12cert $p }}', { expected: fx('leaf.pkcs8.pem') + leaf }),
  e('pemToPkcs12Pass round-trips with password', '{{ $p := pemToPkcs12Pass .rsaCrt .rsaPkcs1 "pw" | b64dec }}{{ pkcs12keyPass "pw" $p }}', { expected: fx('rsa.pkcs8.pem') }),
  e('pemToPkcs12 accepts a SEC1 EC key', '{{ pemToPkcs12 .leaf .leafSec1 | b64dec | pkcs12key }}', { expected: fx('leaf.pkcs8.pem') }),
  e('fullPemToPkcs12 keeps the chain', '{{ fullPemToPkcs12 .ordered .leafKey | b64dec | pkcs12cert }}', { expected: leaf + inter + root }),
  e('fullPemToPkcs12Pass keeps the chain', '{{ fullPemToPkcs12Pass .ordered .leafKey "pw" | b64dec | pkcs12certPass "pw" }}', { expected: leaf + inter + root }),
  e('pkcs12 encoders are reproducible with the install key', '{{ eq (pemToPkcs12 .leaf .leafKey) (pemToPkcs12 .leaf .leafKey) }} {{ eq (fullPemToPkcs12Pass .ordered .leafKey "a") (fullPemToPkcs12Pass .ordered .leafKey "b") }}', {
    expected: 'true false',
    note: 'ESO uses random salts (different bytes each reconcile); we derive salt and IV from HMAC(install key, inputs)',
  }),
  e('pemTruststoreToPKCS12 is base64 DER', '{{ $p := pemTruststoreToPKCS12 .unordered }}{{ $q := pemTruststoreToPKCS12Pass .unordered "pw" }}{{ eq $p (pemTruststoreToPKCS12 .unordered) }} {{ ne $p $q }} {{ regexMatch "^MII" $p }}', { expected: 'true true true' }),
  e('our fullPemToPkcs12Pass output decodes in Go', '{{ .oursFull | pkcs12certPass "pw" }}{{ .oursFull | pkcs12keyPass "pw" }}', { crossCheck: true, expected: leaf + inter + root + fx('leaf.pkcs8.pem') }),
  e('our pemToPkcs12 output decodes in Go', '{{ .oursNopass | pkcs12cert }}{{ .oursNopass | pkcs12key }}', { crossCheck: true, expected: leaf + fx('leaf.pkcs8.pem') }),
  e('pemToPkcs12 with a bad key', '{{ pemToPkcs12 .leaf .leaf }}', { errorContains: 'error calling pemToPkcs12: unable to parse private key type' }),
  e('filterPEM certificate', '{{ filterPEM "CERTIFICATE" .mixed }}', { crossCheck: true, expected: leaf }),
  e('filterPEM is case-insensitive on type', '{{ filterPEM "private key" .mixed }}', { crossCheck: true, expected: fx('leaf.key') }),
  e('filterPEM no match gives empty', '[{{ filterPEM "RSA PRIVATE KEY" .leaf }}]', { crossCheck: true, expected: '[]' }),
  e('filterPEM no match with trailing junk is an error', '{{ filterPEM "RSA PRIVATE KEY" .mixed }}', { crossCheck: true, errorContains: 'error filtering pem: found junk' }),
  e('filterPEM junk', '{{ filterPEM "CERTIFICATE" "just junk" }}', { crossCheck: true, errorContains: 'error calling filterPEM: error filtering pem: found junk' }),
  e('filterCertChain leaf', '{{ filterCertChain "leaf" .unordered }}', { crossCheck: true, expected: leaf }),
  e('filterCertChain intermediate', '{{ filterCertChain "intermediate" .unordered }}', { crossCheck: true, expected: inter }),
  e('filterCertChain root', '{{ filterCertChain "root" .unordered }}', { crossCheck: true, expected: root }),
  e('filterCertChain root of a partial chain is empty', '[{{ filterCertChain "root" (print .leaf .inter) }}]', { crossCheck: true, expected: '[]' }),
  e('filterCertChain of one self-signed cert', '{{ filterCertChain "leaf" .root }}|{{ filterCertChain "root" .root }}|{{ filterCertChain "intermediate" .root }}', { crossCheck: true }),
  e('filterCertChain ordered input', '{{ filterCertChain "intermediate" .ordered }}{{ filterCertChain "root" .ordered }}', { crossCheck: true }),
  e('filterCertChain disjunct certificates', '{{ filterCertChain "leaf" (print .leaf .rsaCrt) }}', { crossCheck: true, errorContains: 'found multiple leaf or disjunct certificates' }),
  e('certSANs', '{{ certSANs .leaf }}|{{ certSANs .leaf | toJson }}', { crossCheck: true,
    expected: '[foo.example.com bar.example.com 10.0.0.1 2001:db8::1 ops@example.com spiffe://example.com/ns/x]|["foo.example.com","bar.example.com","10.0.0.1","2001:db8::1","ops@example.com","spiffe://example.com/ns/x"]',
  }),
  e('certSANs without SANs', '{{ certSANs .root }}', { crossCheck: true, expected: '[]' }),
  e('certSANs not PEM', '{{ certSANs "x" }}', { crossCheck: true, errorContains: 'error calling certSANs: failed to decode PEM block' }),
  e('jwkPublicKeyPem RSA', '{{ jwkPublicKeyPem .rsaPubJwk }}', { crossCheck: true, expected: fx('rsa.pub.pem') }),
  e('jwkPublicKeyPem EC', '{{ jwkPublicKeyPem .ecPubJwk }}', { crossCheck: true, expected: fx('ec.pub.pem') }),
  e('jwkPublicKeyPem Ed25519', '{{ jwkPublicKeyPem .edPubJwk }}', { crossCheck: true, expected: fx('ed25519.pub.pem') }),
  e('jwkPublicKeyPem of a private JWK fails like Go', '{{ jwkPublicKeyPem .rsaJwk }}', { crossCheck: true, errorContains: 'error calling jwkPublicKeyPem: x509: unsupported public key type' }),
  e('jwkPrivateKeyPem RSA', '{{ jwkPrivateKeyPem .rsaJwk }}', { crossCheck: true, expected: fx('rsa.pkcs8.pem') }),
  e('jwkPrivateKeyPem EC', '{{ jwkPrivateKeyPem .ecJwk }}', { crossCheck: true, expected: fx('leaf.pkcs8.pem') }),
  e('jwkPrivateKeyPem Ed25519', '{{ jwkPrivateKeyPem .edJwk }}', { crossCheck: true, expected: fx('ed25519.pkcs8.pem') }),
  e('jwk secp256k1 is rejected', '{{ jwkPrivateKeyPem .k256Jwk }}', { errorContains: 'error calling jwkPrivateKeyPem: failed to parse key' }),
  e('jwk oct is rejected', '{{ jwkPublicKeyPem .octJwk }}', { errorContains: 'error calling jwkPublicKeyPem: failed to parse key' }),
  e('jwk not JSON', '{{ jwkPublicKeyPem "nope" }}', { errorContains: 'error calling jwkPublicKeyPem' }),
  e('toYaml', '{{ toYaml (dict "b" (list 1 "two" true nil) "a" (dict "x" "y") "s" "multi\\nline" "q" "true" "n" "01" "e" "") }}', { crossCheck: true,
    expected: 'a:\n  x: "y"\nb:\n- 1\n- two\n- true\n- null\ne: ""\n"n": "01"\nq: "true"\ns: |-\n  multi\n  line',
  }),
  e('toYaml of template data and scalars', '{{ toYaml (dict "user" .leafKey | keys) }}|{{ toYaml "plain" }}|{{ toYaml 1.5 }}|{{ toYaml (list) }}|{{ toYaml (dict) }}', {
    expected: '- user|plain|1.5|[]|{}',
    crossCheck: true,
  }),
  e('fromYaml', '{{ $y := fromYaml "a: 1\\nb: [x, z]\\nc: {d: yes}\\ne: \\"01\\"" }}{{ $y.a }}|{{ $y.b }}|{{ $y.c.d }}|{{ $y.e }}|{{ typeOf $y.a }}', { crossCheck: true,
    expected: '1|[x z]|true|01|float64',
    note: 'sigs.k8s.io/yaml decodes through JSON: numbers are float64, YAML 1.1 booleans (yes/no) apply',
  }),
  e('fromYaml error goes into the Error key', '{{ (fromYaml "- a\\n- b").Error }}', {
    expected: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    crossCheck: true,
  }),
  e('fromYaml empty', '{{ fromYaml "" }}', { crossCheck: true, expected: 'map[]' }),
  e('sprig buildCustomCert', '{{ $c := buildCustomCert (b64enc .leaf) (b64enc .leafKey) }}{{ $c.Cert }}{{ $c.Key }}', { expected: leaf + fx('leaf.key') }),
  e('sprig buildCustomCert bad base64', '{{ buildCustomCert "!" "a2V5" }}', { errorContains: 'error calling buildCustomCert: unable to decode base64 certificate' }),
  e('rsaDecrypt OAEP SHA256', '{{ rsaDecrypt "RSA-OAEP" "SHA256" .oaep256 .rsaKey }}', { crossCheck: true, expected: 's3cr3t' }),
  e('rsaDecrypt OAEP SHA1 with PKCS#1 key', '{{ rsaDecrypt "RSA-OAEP" "SHA1" .oaep1 .rsaPkcs1 }}', { crossCheck: true, expected: 's3cr3t' }),
  e('rsaDecrypt None passes through', '{{ rsaDecrypt "None" "SHA256" "plain" "" }}', { crossCheck: true, expected: 'plain' }),
  e('rsaDecrypt unsupported scheme', '{{ rsaDecrypt "RSA-PSS" "SHA256" "x" .rsaKey }}', { crossCheck: true, errorContains: 'error calling rsaDecrypt: decryption scheme is not supported', note: 'Go names the scheme; we leave it out since it may come from data' }),
  e('rsaDecrypt wrong key', '{{ rsaDecrypt "RSA-OAEP" "SHA256" .oaep256 .leafKey }}', { crossCheck: true, errorContains: 'error calling rsaDecrypt: could not parse RSA private key' }),
  e('rsaDecrypt bad PEM', '{{ rsaDecrypt "RSA-OAEP" "SHA256" .oaep256 "nope" }}', { crossCheck: true, errorContains: 'error calling rsaDecrypt: failed to decode PEM block' }),
];

/**
 * ESO value semantics of the azurekv provider against the HTTPS test server (eso-semantics.md §6):
 * object prefixes, versions, property order, keys as ESO's JWK JSON, certificates as DER,
 * metadataPolicy Fetch, dataFrom.extract and its errors, NoSecretError on 404, one fetch per object.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NoSecretError, ProviderError } from '../../src/providers/types.js';
import { client, providerContext, ref, rejection, utf8 } from '../support/azure-context.js';
import { type AzureTestServer, startAzureServer, TEST_TENANT } from '../support/azure-server.js';

const VAULT = 'kv-values.vault.azure.net';
const STORE = {
  vaultUrl: `https://${VAULT}`,
  tenantId: TEST_TENANT,
  authSecretRef: { clientId: { name: 'sp', key: 'clientid' }, clientSecret: { name: 'sp', key: 'clientsecret' } },
};
const CREDENTIALS = { 'apps/sp/clientid': 'app-values', 'apps/sp/clientsecret': 'pw' };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };

const s = suite<{ server: AzureTestServer; certPem: string }>('azurekv values');

s.before(async (ctx) => {
  ctx.server = await startAzureServer();
  ctx.server.route(['*.vault.azure.net', 'login.microsoftonline.com']);
  ctx.certPem = ctx.server.pki.clientCertificate;
});
s.after(async (ctx) => {
  await ctx.server.close();
});
s.before.each((ctx) => {
  ctx.server.reset();

  ctx.server.seed({
    tenants: { [TEST_TENANT]: { clientSecrets: { 'app-values': 'pw' } } },
    vaults: {
      [VAULT]: {
        secrets: {
          plain: { value: 'hunter2' },
          json: { value: '{"a":{"b":"nested"},"a.b":"literal","n":1.50,"o":{"k": 1},"z":null}' },
          dotted: { value: '{"a.b":"only-literal"}' },
          versioned: { value: 'v2-value', version: 'v2', versions: [{ version: 'v1', value: 'v1-value' }] },
          tagged: {
            value: '{"user":"admin"}',
            tags: { env: 'prod', owner: 'team-a', cfg: '{"region":"eu","tier":"gold"}' },
            created: 1767225600,
            updated: 1767229200,
          },
          off: { value: 'disabled-canary', enabled: false },
        },
        keys: {
          rsa: { version: 'k1', jwk: { kty: 'RSA', key_ops: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'], n: rsa.n, e: rsa.e } },
          ec: { version: 'k2', jwk: { kty: 'EC', key_ops: ['sign', 'verify'], crv: ec.crv, x: ec.x, y: ec.y }, tags: { purpose: 'signing' } },
        },
        certificates: { tls: { version: 'c1', pem: ctx.certPem, tags: { issuer: 'self' } } },
      },
    },
  });
});

async function kv(server: AzureTestServer, store: Record<string, unknown> = STORE) {
  const ctx = providerContext(server, { credentials: CREDENTIALS });
  return { c: await client(store, ctx), ctx };
}

s('plain secret, and secret/ prefix is the same object', async ({ server }) => {
  const { c } = await kv(server);
  assert.is(utf8(await c.getSecret(ref('plain'))), 'hunter2');
  assert.is(utf8(await c.getSecret(ref('secret/plain'))), 'hunter2');
  // anything after a second slash is ignored (ESO getObjType)
  assert.is(utf8(await c.getSecret(ref('secret/plain/ignored/too'))), 'hunter2');
});

s('property: gjson path first, then the literal dotted key (Azure order)', async ({ server }) => {
  const { c } = await kv(server);
  assert.is(utf8(await c.getSecret(ref('json', { property: 'a.b' }))), 'nested');
  assert.is(utf8(await c.getSecret(ref('dotted', { property: 'a.b' }))), 'only-literal');
  assert.is(utf8(await c.getSecret(ref('json', { property: 'n' }))), '1.5');
  assert.is(utf8(await c.getSecret(ref('json', { property: 'o' }))), '{"k": 1}');
  assert.is(utf8(await c.getSecret(ref('json', { property: 'z' }))), '');
  const e = await rejection(c.getSecret(ref('json', { property: 'missing' })));
  assert.instance(e, ProviderError);
  assert.is(e.message, 'property missing does not exist in key json');
});

s('version selects a secret version; latest by default', async ({ server }) => {
  const { c } = await kv(server);
  assert.is(utf8(await c.getSecret(ref('versioned'))), 'v2-value');
  assert.is(utf8(await c.getSecret(ref('versioned', { version: 'v1' }))), 'v1-value');
  const paths = server.authorizedRequests().map((r) => r.path);
  assert.ok(paths.includes('/secrets/versioned/v1'), paths.join());
  assert.instance(await rejection(c.getSecret(ref('versioned', { version: 'nope' }))), NoSecretError);
});

s('key/ returns the public JWK as ESO marshals it (field order, base64url without padding)', async ({ server }) => {
  const { c } = await kv(server);
  const json = utf8(await c.getSecret(ref('key/rsa')));
  const expected = `{"kid":"https://${VAULT}/keys/rsa/k1","kty":"RSA","key_ops":["encrypt","decrypt","sign","verify","wrapKey","unwrapKey"],"n":"${rsa.n}","e":"${rsa.e}"}`;
  assert.is(json, expected);
  assert.not.match(json, /=/);
  const ecJson = utf8(await c.getSecret(ref('key/ec')));
  assert.is(ecJson, `{"kid":"https://${VAULT}/keys/ec/k2","kty":"EC","key_ops":["sign","verify"],"crv":"P-256","x":"${ec.x}","y":"${ec.y}"}`);
  assert.is(utf8(await c.getSecret(ref('key/rsa', { property: 'kty' }))), 'RSA');
  assert.is(utf8(await c.getSecret(ref('key/ec', { version: 'k2' }))), ecJson);
});

s('cert/ returns the DER bytes of the certificate', async ({ server, certPem }) => {
  const { c } = await kv(server);
  const der = await c.getSecret(ref('cert/tls'));
  assert.equal(Buffer.from(der), Buffer.from(new X509Certificate(certPem).raw));
  assert.equal(Buffer.from(await c.getSecret(ref('cert/tls', { version: 'c1' }))), Buffer.from(der));
  assert.is(utf8(await c.getSecret(ref('cert/tls', { metadataPolicy: 'Fetch', property: 'issuer' }))), 'self');
});

s('unknown object type is an error, without a request', async ({ server }) => {
  const { c } = await kv(server);
  const e = await rejection(c.getSecret(ref('blob/plain')));
  assert.instance(e, ProviderError);
  assert.is(e.message, 'unknown Azure Keyvault object Type for plain');
  assert.is(server.requests.length, 0);
});

s('names that cannot exist in Key Vault are refused before any request', async ({ server }) => {
  const { c } = await kv(server);
  for (const key of ['secret/', 'secret/..', 'a?b=c', 'key/x#y', 'under_score']) {
    const e = await rejection(c.getSecret(ref(key)));
    assert.instance(e, ProviderError);
    assert.match(e.message, 'is not a Key Vault object name');
  }
  assert.match((await rejection(c.getSecret(ref('plain', { version: '../x' })))).message, 'is not a Key Vault version id');
  assert.is(server.requests.length, 0);
});

s('404 for secrets, keys and certificates is NoSecretError', async ({ server }) => {
  const { c } = await kv(server);
  assert.instance(await rejection(c.getSecret(ref('nope'))), NoSecretError);
  assert.instance(await rejection(c.getSecret(ref('key/nope'))), NoSecretError);
  assert.instance(await rejection(c.getSecret(ref('cert/nope'))), NoSecretError);
  assert.instance(await rejection(c.getSecretMap(ref('nope'))), NoSecretError);
});

s('a disabled secret is a ProviderError naming vault, object and code, never the value', async ({ server }) => {
  const { c } = await kv(server);
  const e = await rejection(c.getSecret(ref('off')));
  assert.instance(e, ProviderError);
  assert.match(e.message, VAULT);
  assert.match(e.message, 'secret "off"');
  assert.match(e.message, 'HTTP 403 Forbidden: Operation get is not allowed on a disabled secret.', e.message);
  assert.not.match(e.message, 'disabled-canary');
});

s('metadataPolicy Fetch: tags + attribute.* as JSON (legacy SDK path, the ESO default)', async ({ server }) => {
  const { c } = await kv(server);
  assert.is(
    utf8(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch' }))),
    '{"attribute.created":"2026-01-01T00:00:00Z","attribute.updated":"2026-01-01T01:00:00Z","cfg":"{\\"region\\":\\"eu\\",\\"tier\\":\\"gold\\"}","env":"prod","owner":"team-a"}',
  );
  assert.is(utf8(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch', property: 'env' }))), 'prod');
  // a dotted property reaches into a tag holding JSON
  assert.is(utf8(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch', property: 'cfg.region' }))), 'eu');
  const e = await rejection(c.getSecret(ref('tagged', { metadataPolicy: 'Fetch', property: 'nope' })));
  assert.is(e.message, 'tag nope does not exist');
});

s('metadataPolicy Fetch with useAzureSDK: tags only (ESO new SDK)', async ({ server }) => {
  const { c } = await kv(server, { ...STORE, useAzureSDK: true });
  assert.is(
    utf8(await c.getSecret(ref('tagged', { metadataPolicy: 'Fetch' }))),
    '{"cfg":"{\\"region\\":\\"eu\\",\\"tier\\":\\"gold\\"}","env":"prod","owner":"team-a"}',
  );
  assert.is(utf8(await c.getSecret(ref('key/ec', { metadataPolicy: 'Fetch' }))), '{"purpose":"signing"}');
});

s('dataFrom.extract: JSON object to keys; non-object is ESO error', async ({ server }) => {
  const { c } = await kv(server);
  const m = await c.getSecretMap(ref('json'));
  assert.equal(
    Object.fromEntries([...m].map(([k, v]) => [k, utf8(v)])),
    { a: '{"b":"nested"}', 'a.b': 'literal', n: '1.50', o: '{"k": 1}', z: '' },
  );
  const sub = await c.getSecretMap(ref('json', { property: 'a' }));
  assert.equal(Object.fromEntries([...sub].map(([k, v]) => [k, utf8(v)])), { b: 'nested' });
  const e = await rejection(c.getSecretMap(ref('plain')));
  assert.instance(e, ProviderError);
  assert.match(e.message, /^error unmarshalling json data: /);
});

s('dataFrom.extract of key/ and cert/ are ESO errors', async ({ server }) => {
  const { c } = await kv(server);
  assert.is((await rejection(c.getSecretMap(ref('key/rsa')))).message, 'cannot get use dataFrom to get key secret');
  assert.is((await rejection(c.getSecretMap(ref('cert/tls')))).message, 'cannot get use dataFrom to get certificate secret');
  assert.is((await rejection(c.getSecretMap(ref('x/y')))).message, 'unknown Azure Keyvault object Type for y');
});

s('dataFrom.extract with metadataPolicy Fetch: <name>_<tag>, JSON tags expanded, attribute.* (legacy)', async ({ server }) => {
  const { c } = await kv(server);
  const m = await c.getSecretMap(ref('tagged', { metadataPolicy: 'Fetch' }));
  assert.equal(Object.fromEntries([...m].map(([k, v]) => [k, utf8(v)])), {
    tagged_env: 'prod',
    tagged_owner: 'team-a',
    tagged_cfg_region: 'eu',
    tagged_cfg_tier: 'gold',
    'tagged_attribute.created': '2026-01-01T00:00:00Z',
    'tagged_attribute.updated': '2026-01-01T01:00:00Z',
  });
  const one = await c.getSecretMap(ref('tagged', { metadataPolicy: 'Fetch', property: 'env' }));
  assert.equal(Object.fromEntries([...one].map(([k, v]) => [k, utf8(v)])), { tagged_env: 'prod' });
});

s('distinct reads only: data, extract and Fetch of one object share one request', async ({ server }) => {
  const { c } = await kv(server);
  const refs = [ref('json', { property: 'a.b' }), ref('json'), ref('json', { metadataPolicy: 'Fetch' }), ref('secret/json'), ref('plain')];
  await c.prefetch?.(refs);
  await c.getSecret(refs[0]!);
  await c.getSecretMap(refs[1]!);
  await c.getSecret(refs[2]!);
  await c.getSecret(refs[3]!);
  await c.getSecret(refs[4]!);
  const gets = server.authorizedRequests().map((r) => r.path);
  assert.equal(gets.sort(), ['/secrets/json/', '/secrets/plain/']);
});

s('concurrent first reads share one challenge probe and one token (challengeGate)', async ({ server }) => {
  const many: Record<string, { value: string }> = {};
  for (let i = 0; i < 24; i++) many[`many-${i}`] = { value: `v${i}` };
  server.seed({ vaults: { [VAULT]: { secrets: many } } });
  server.latencyMs = 20;
  try {
    const { c } = await kv(server);
    await c.prefetch?.([...Object.keys(many).map((k) => ref(k)), ref('key/rsa'), ref('key/ec')]);
    // Without the gate the SDK sends every read that starts before the first challenge completes
    // without a token: 10 probes (401) for the first 10 secrets at once.
    const probes = server.requests.filter((r) => r.auth === 'none');
    assert.equal(probes.map((r) => r.status), [401, 401], 'one probe for the secrets client, one for the keys client');
    assert.is(server.authorizedRequests().length, 26);
    assert.is(server.tokens.length, 1);
    assert.ok(server.maxInFlight > 1, 'reads still run concurrently');
    assert.ok(server.maxInFlight <= 10, `max in flight ${server.maxInFlight}`);
  } finally {
    server.latencyMs = 0;
  }
});

s.run();

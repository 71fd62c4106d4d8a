/**
 * `spec.provider.azurekv` parsing with ESO's validation messages, and the identity each store
 * would act with (design §4).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { azureKeyVaultProvider } from '../../src/providers/azurekv/index.js';
import { authorityFor, checkVaultHost } from '../../src/providers/azurekv/cloud.js';
import { objectType } from '../../src/providers/azurekv/client.js';
import { withRetry } from '../../src/providers/azurekv/retry.js';

const parse = azureKeyVaultProvider.parseStore;
const errors = (raw: unknown) => {
  const r = parse(raw);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};
const SP = {
  vaultUrl: 'https://kv.vault.azure.net/',
  tenantId: 't',
  authSecretRef: { clientId: { name: 's', key: 'id' }, clientSecret: { name: 's', key: 'secret' } },
};

test('a service principal store parses with defaults', () => {
  const r = parse(SP);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.spec.vaultUrl, 'https://kv.vault.azure.net');
  assert.is(r.spec.authType, 'ServicePrincipal');
  assert.is(r.spec.environmentType, 'PublicCloud');
  assert.is(r.spec.useAzureSDK, false);
  assert.equal(azureKeyVaultProvider.identity(r.spec), {
    kind: 'secretRef',
    refs: [r.spec.authSecretRef!.clientId!, r.spec.authSecretRef!.clientSecret!],
  });
});

test("ESO's service principal errors", () => {
  assert.equal(errors({ vaultUrl: 'https://kv.vault.azure.net' }), ['tenantId: missing tenantID in store config']);
  assert.equal(errors({ vaultUrl: 'https://kv.vault.azure.net', tenantId: 't' }), ['authSecretRef: missing secretRef in provider config']);
  assert.equal(errors({ ...SP, authSecretRef: { clientId: SP.authSecretRef.clientId } }), [
    'authSecretRef: missing accessKeyID/secretAccessKey in store config',
  ]);
  assert.equal(errors({ ...SP, authSecretRef: { ...SP.authSecretRef, clientCertificate: { name: 's', key: 'c' } } }), [
    'authSecretRef: both clientSecret and clientCredentials set',
  ]);
});

test('vaultUrl, unknown fields, enums', () => {
  assert.equal(errors({ ...SP, vaultUrl: undefined }), ['vaultUrl: is required']);
  assert.equal(errors({ ...SP, vaultUrl: 'http://kv.vault.azure.net' }), [
    'vaultUrl: must be an https:// URL (bearer tokens are never sent in the clear)',
  ]);
  assert.equal(errors({ ...SP, vaultUri: 'x' }), ['vaultUri: unknown field']);
  assert.equal(errors({ ...SP, authType: 'Password' }), ['authType: must be one of ServicePrincipal, ManagedIdentity, WorkloadIdentity']);
});

test('custom clouds: ESO errors, and Azure Stack refused clearly', () => {
  assert.equal(errors({ ...SP, environmentType: 'AzureStackCloud' }), [
    'environmentType: CustomCloudConfig is required when EnvironmentType is AzureStackCloud',
  ]);
  assert.equal(errors({ ...SP, customCloudConfig: { activeDirectoryEndpoint: 'https://x' } }), [
    'customCloudConfig: CustomCloudConfig requires UseAzureSDK to be set to true - the legacy SDK does not support custom clouds',
  ]);
  assert.equal(errors({ ...SP, useAzureSDK: true, environmentType: 'AzureStackCloud', customCloudConfig: { activeDirectoryEndpoint: 'https://x' } }), [
    'customCloudConfig: custom clouds (Azure Stack) are not supported by argocd-eso-plugin',
  ]);
  assert.match(errors({ ...SP, useAzureSDK: true, environmentType: 'GermanCloud' })[0]!, 'Azure Germany (Microsoft Cloud Deutschland) was discontinued');
  assert.equal(errors({ ...SP, environmentType: 'GermanCloud' }), []);
});

test('identity: managed and workload identity are ambient; a service account ref is a serviceAccount', () => {
  const mi = parse({ vaultUrl: 'https://kv.vault.azure.net', authType: 'ManagedIdentity', identityId: 'abc' });
  assert.ok(mi.ok && azureKeyVaultProvider.identity(mi.spec).kind === 'ambient');
  const wi = parse({ vaultUrl: 'https://kv.vault.azure.net', authType: 'WorkloadIdentity' });
  assert.ok(wi.ok && azureKeyVaultProvider.identity(wi.spec).kind === 'ambient');
  const sa = parse({ vaultUrl: 'https://kv.vault.azure.net', authType: 'WorkloadIdentity', serviceAccountRef: { name: 'eso', namespace: 'x' } });
  assert.ok(sa.ok);
  if (sa.ok) assert.equal(azureKeyVaultProvider.identity(sa.spec), { kind: 'serviceAccount', ref: { name: 'eso', namespace: 'x', field: 'serviceAccountRef' } });
});

test('object type by key prefix (ESO getObjType)', () => {
  assert.equal(objectType('db'), { type: 'secret', name: 'db' });
  assert.equal(objectType('key/k'), { type: 'key', name: 'k' });
  assert.equal(objectType('cert/c/extra/parts'), { type: 'cert', name: 'c' });
  assert.equal(objectType('x/y'), { type: 'x', name: 'y' });
});

test('authority per cloud; AZURE_AUTHORITY_HOST replaces the public one; discovery off for unknown hosts', () => {
  assert.equal(authorityFor('PublicCloud', {}), { host: 'https://login.microsoftonline.com', disableInstanceDiscovery: false });
  assert.equal(authorityFor('ChinaCloud', {}), { host: 'https://login.chinacloudapi.cn', disableInstanceDiscovery: false });
  assert.equal(authorityFor('PublicCloud', { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/' }), {
    host: 'https://login.microsoftonline.com',
    disableInstanceDiscovery: false,
  });
  assert.equal(authorityFor('PublicCloud', { AZURE_AUTHORITY_HOST: 'https://adfs.example:8443' }), {
    host: 'https://adfs.example:8443',
    disableInstanceDiscovery: true,
  });
  assert.equal(authorityFor('USGovernmentCloud', { AZURE_AUTHORITY_HOST: 'https://adfs.example' }).host, 'https://login.microsoftonline.us');
});

test('vault hosts: the cloud suffix or the admin globs', () => {
  assert.ok(checkVaultHost('https://a.vault.azure.net', 'PublicCloud', {}).ok);
  assert.not.ok(checkVaultHost('https://vault.azure.net', 'PublicCloud', {}).ok);
  assert.not.ok(checkVaultHost('https://a.vault.azure.net.evil.com', 'PublicCloud', {}).ok);
  assert.not.ok(checkVaultHost('https://a.vault.azure.cn', 'PublicCloud', {}).ok);
  assert.ok(checkVaultHost('https://a.vault.azure.cn', 'ChinaCloud', {}).ok);
  const env = { ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS: '*.kv.local,emulator' };
  assert.equal(checkVaultHost('https://x.kv.local:8443', 'PublicCloud', env), { ok: true, adminAllowed: true });
  assert.ok(checkVaultHost('https://emulator', 'PublicCloud', env).ok);
  assert.not.ok(checkVaultHost('https://emulator.evil', 'PublicCloud', env).ok);
});

test('retries stop at the attempt limit and pass non-transient errors through', async () => {
  let calls = 0;
  const boom = Object.assign(new Error('x'), { name: 'RestError', statusCode: 400 });
  try {
    await withRetry(
      async () => {
        calls++;
        throw boom;
      },
      { deadline: Date.now() + 10_000, signal: new AbortController().signal },
    );
  } catch (e) {
    assert.is(e, boom);
  }
  assert.is(calls, 1);
});

test.run();

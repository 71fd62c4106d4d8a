/**
 * `spec.provider.azurekv` (ESO apis/externalsecrets/v1/secretstore_azurekv_types.go) and the
 * checks ESO makes in ValidateStore and when it builds credentials
 * (providers/v1/azure/keyvault/keyvault.go: authorizerForServicePrincipal; keyvault_new_sdk.go:
 * getCloudConfiguration), reported at parse time with ESO's messages.
 */
import { FieldReader, isObject } from '../fields.js';
import type { ParseResult, SecretKeyRef, ServiceAccountRef, StoreIdentity } from '../types.js';
import type { EnvironmentType } from './cloud.js';

export type AuthType = 'ServicePrincipal' | 'ManagedIdentity' | 'WorkloadIdentity';

export interface AuthSecretRef {
  readonly clientId: SecretKeyRef | undefined;
  readonly clientSecret: SecretKeyRef | undefined;
  readonly clientCertificate: SecretKeyRef | undefined;
  readonly tenantId: SecretKeyRef | undefined;
}

export interface AzureKVSpec {
  readonly vaultUrl: string;
  readonly tenantId: string | undefined;
  readonly environmentType: EnvironmentType;
  readonly authType: AuthType;
  readonly authSecretRef: AuthSecretRef | undefined;
  readonly serviceAccountRef: ServiceAccountRef | undefined;
  readonly identityId: string | undefined;
  /** ESO's switch to the azcore SDK; here it only selects ESO's new-SDK metadata semantics (tags without attributes). */
  readonly useAzureSDK: boolean;
}

// ESO's messages (keyvault.go constants), kept verbatim so users can search ESO's docs/issues for them.
export const ERR_MISSING_TENANT = 'missing tenantID in store config';
export const ERR_MISSING_SECRET_REF = 'missing secretRef in provider config';
export const ERR_MISSING_CLIENT_ID_SECRET = 'missing accessKeyID/secretAccessKey in store config';
export const ERR_INVALID_CLIENT_CREDENTIALS = 'both clientSecret and clientCredentials set';
const ERR_GERMAN_CLOUD =
  'Azure Germany (Microsoft Cloud Deutschland) was discontinued on October 29, 2021. Please use AzureStackCloud with custom configuration or migrate to public cloud regions';

const ENVIRONMENTS = ['PublicCloud', 'USGovernmentCloud', 'ChinaCloud', 'GermanCloud', 'AzureStackCloud'] as const;
const AUTH_TYPES: readonly AuthType[] = ['ServicePrincipal', 'ManagedIdentity', 'WorkloadIdentity'];

export function parseAzureKVStore(raw: unknown): ParseResult<AzureKVSpec> {
  const r = new FieldReader();
  if (!isObject(raw)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  r.known(raw, '', [
    'vaultUrl',
    'tenantId',
    'environmentType',
    'authType',
    'authSecretRef',
    'serviceAccountRef',
    'identityId',
    'useAzureSDK',
    'customCloudConfig',
  ]);
  const vaultUrl = r.string(raw, 'vaultUrl', 'vaultUrl', true);
  if (vaultUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(vaultUrl);
    } catch {
      r.fail('vaultUrl', `${JSON.stringify(vaultUrl)} is not a URL`, 'e.g. https://my-vault.vault.azure.net');
    }
    if (url && url.protocol !== 'https:') r.fail('vaultUrl', 'must be an https:// URL (bearer tokens are never sent in the clear)');
    if (url && (url.username || url.password)) r.fail('vaultUrl', 'must not carry credentials');
  }
  const tenantId = r.string(raw, 'tenantId', 'tenantId');
  const environment = r.oneOf(raw, 'environmentType', 'environmentType', ENVIRONMENTS, 'PublicCloud');
  const authType = r.oneOf(raw, 'authType', 'authType', AUTH_TYPES, 'ServicePrincipal');
  const identityId = r.string(raw, 'identityId', 'identityId');
  const useAzureSDK = r.boolean(raw, 'useAzureSDK', 'useAzureSDK') ?? false;
  const serviceAccountRef = r.serviceAccountRef(raw, 'serviceAccountRef', 'serviceAccountRef');

  let authSecretRef: AuthSecretRef | undefined;
  const auth = r.object(raw, 'authSecretRef', 'authSecretRef');
  if (auth) {
    r.known(auth, 'authSecretRef', ['clientId', 'clientSecret', 'clientCertificate', 'tenantId']);
    authSecretRef = {
      clientId: r.secretKeyRef(auth, 'clientId', 'authSecretRef.clientId'),
      clientSecret: r.secretKeyRef(auth, 'clientSecret', 'authSecretRef.clientSecret'),
      clientCertificate: r.secretKeyRef(auth, 'clientCertificate', 'authSecretRef.clientCertificate'),
      tenantId: r.secretKeyRef(auth, 'tenantId', 'authSecretRef.tenantId'),
    };
  }

  // ESO ValidateStore / getCloudConfiguration.
  const customCloud = raw.customCloudConfig;
  if (customCloud !== undefined && customCloud !== null) {
    if (!useAzureSDK) {
      r.fail('customCloudConfig', 'CustomCloudConfig requires UseAzureSDK to be set to true - the legacy SDK does not support custom clouds');
    } else {
      r.fail('customCloudConfig', 'custom clouds (Azure Stack) are not supported by argocd-eso-plugin', 'use an in-cluster ESO for Azure Stack Hub vaults');
    }
  } else if (environment === 'AzureStackCloud') {
    r.fail('environmentType', 'CustomCloudConfig is required when EnvironmentType is AzureStackCloud');
  }
  if (environment === 'GermanCloud' && useAzureSDK) r.fail('environmentType', ERR_GERMAN_CLOUD);

  // ESO authorizerForServicePrincipal / buildServicePrincipalCredential: static checks, same order.
  if (authType === 'ServicePrincipal') {
    if (tenantId === undefined) r.fail('tenantId', ERR_MISSING_TENANT);
    else if (!authSecretRef) r.fail('authSecretRef', ERR_MISSING_SECRET_REF);
    else if (!authSecretRef.clientId || (!authSecretRef.clientSecret && !authSecretRef.clientCertificate)) {
      r.fail('authSecretRef', ERR_MISSING_CLIENT_ID_SECRET, 'set authSecretRef.clientId and one of clientSecret / clientCertificate');
    } else if (authSecretRef.clientSecret && authSecretRef.clientCertificate) {
      r.fail('authSecretRef', ERR_INVALID_CLIENT_CREDENTIALS);
    }
  }

  if (r.errors.length || vaultUrl === undefined || environment === 'AzureStackCloud') return { ok: false, errors: r.errors };
  return {
    ok: true,
    spec: {
      vaultUrl: vaultUrl.replace(/\/+$/, ''),
      tenantId,
      environmentType: environment,
      authType,
      authSecretRef,
      serviceAccountRef,
      identityId,
      useAzureSDK,
    },
  };
}

/**
 * Design §4: explicit credentials are `secretRef`; a service account is the identity the admin map
 * names; managed identity and workload identity without a service account are the sidecar's own.
 */
export function azureIdentity(spec: AzureKVSpec): StoreIdentity {
  switch (spec.authType) {
    case 'ServicePrincipal': {
      const a = spec.authSecretRef;
      const refs = [a?.clientId, a?.clientSecret ?? a?.clientCertificate].filter((x): x is SecretKeyRef => x !== undefined);
      return { kind: 'secretRef', refs };
    }
    case 'ManagedIdentity':
      return {
        kind: 'ambient',
        description: spec.identityId ? `Azure managed identity ${spec.identityId} of the node/pod` : 'Azure managed identity of the node/pod',
      };
    case 'WorkloadIdentity':
      if (spec.serviceAccountRef) return { kind: 'serviceAccount', ref: spec.serviceAccountRef };
      return { kind: 'ambient', description: 'Azure workload identity of the sidecar (AZURE_CLIENT_ID)' };
  }
}

/**
 * Credentials for a store, as ESO builds them (keyvault.go authorizerFor*, keyvault_new_sdk.go
 * build*Credential), from trusted inputs only (design §4):
 * - ServicePrincipal: clientId + clientSecret or a PEM clientCertificate from the credentials directory.
 * - ManagedIdentity: the node/pod managed identity (+ identityId as the client id, as ESO).
 * - WorkloadIdentity without serviceAccountRef: the sidecar's own federated token
 *   (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE from the sidecar env).
 * - WorkloadIdentity with serviceAccountRef: ESO asks the API server for that SA's token; we
 *   have no API access, so the admin map (policy.serviceAccounts) names the Azure client id the
 *   SA stands for, and the sidecar's federated token is exchanged for it (the app registration
 *   trusts the repo-server SA). Unmapped ⇒ refused, except singleTenant ⇒ the sidecar's own.
 * @azure/identity is loaded here, lazily (≈200 ms): only renders that use Azure pay for it.
 */
import type { TokenCredential } from '@azure/identity';
import type { ProviderContext, SecretKeyRef, StoreUse } from '../types.js';
import { ProviderError } from '../types.js';
import { text } from '../value.js';
import { type Authority, authorityFor, CLOUDS } from './cloud.js';
import { ScopeRefusedError } from './errors.js';
import type { AzureKVSpec } from './spec.js';

/** TLS trust for the SDK's HTTP client (core-rest-pipeline TlsSettings). */
export interface TlsOptions {
  readonly ca: string[];
}

export interface ResolvedCredential {
  readonly credential: TokenCredential;
  /** For debug lines and errors: which flow, which client, which tenant — never a secret. */
  readonly description: string;
  readonly tenantId: string | undefined;
}

const ERR_MISSING_WORKLOAD_ENV =
  'missing environment variables. AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE must be set';
const ERR_MULTIPLE_CLIENT_ID = 'multiple clientID found. Check secretRef and serviceAccountRef';

/** The namespace a credential selector is read from (ESO referent auth; SecretStores stay in their namespace). */
function selectorNamespace(use: StoreUse<AzureKVSpec>, ref: { readonly namespace: string | undefined; readonly field: string }): string {
  if (use.store.kind === 'ClusterSecretStore') return ref.namespace ?? use.namespace;
  if (ref.namespace !== undefined && ref.namespace !== use.namespace) {
    // ESO esutils.ValidateReferentSecretSelector / ValidateReferentServiceAccountSelector.
    throw new ProviderError(
      `${ref.field}.namespace: namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore (${use.namespace})`,
    );
  }
  return use.namespace;
}

async function readRef(use: StoreUse<AzureKVSpec>, ctx: ProviderContext, ref: SecretKeyRef): Promise<string> {
  return text(await ctx.credentials.read(selectorNamespace(use, ref), ref.name, ref.key));
}

/** The tenant a store's flow will use, without reading credentials that are not needed for it. */
export async function effectiveTenant(use: StoreUse<AzureKVSpec>, ctx: ProviderContext): Promise<string | undefined> {
  const spec = use.spec;
  if (spec.authType === 'WorkloadIdentity' && !spec.serviceAccountRef) return ctx.env.AZURE_TENANT_ID;
  if (spec.authType === 'WorkloadIdentity' && spec.authSecretRef?.tenantId) return readRef(use, ctx, spec.authSecretRef.tenantId);
  if (spec.authType === 'WorkloadIdentity') return spec.tenantId ?? ctx.env.AZURE_TENANT_ID;
  if (spec.authType === 'ManagedIdentity') return undefined;
  return spec.tenantId;
}

export async function buildCredential(
  use: StoreUse<AzureKVSpec>,
  ctx: ProviderContext,
  tls: TlsOptions | undefined,
  vaultHostAdminAllowed: boolean,
): Promise<ResolvedCredential> {
  const spec = use.spec;
  const authority = authorityFor(spec.environmentType, ctx.env);
  const identity = await import('@azure/identity');
  const common = {
    authorityHost: authority.host,
    disableInstanceDiscovery: authority.disableInstanceDiscovery,
    // The identity client's default backoff (0.8 s doubling, ~5.6 s) is long for a render that
    // shares Argo's 60 s gRPC deadline; keep its retries short and bounded.
    retryOptions: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
    ...(tls ? { tlsOptions: tls } : {}),
  };
  const guard = (inner: TokenCredential, description: string, tenantId: string | undefined): ResolvedCredential => ({
    credential: scopeGuard(inner, spec, vaultHostAdminAllowed),
    description,
    tenantId,
  });

  switch (spec.authType) {
    case 'ServicePrincipal': {
      // parseStore guarantees tenantId, clientId and exactly one of secret/certificate.
      const a = spec.authSecretRef!;
      const tenantId = spec.tenantId!;
      const clientId = await readRef(use, ctx, a.clientId!);
      if (a.clientSecret) {
        const secret = await readRef(use, ctx, a.clientSecret);
        return guard(
          new identity.ClientSecretCredential(tenantId, clientId, secret, common),
          `service principal ${clientId} (client secret) in tenant ${tenantId}`,
          tenantId,
        );
      }
      const pem = await readRef(use, ctx, a.clientCertificate!);
      if (!/-----BEGIN CERTIFICATE-----/.test(pem) || !/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
        throw new ProviderError(
          `${a.clientCertificate!.field}: the client certificate must be PEM holding the certificate and its unencrypted private key`,
          { hint: 'PKCS#12 (.pfx) is not supported: convert with `openssl pkcs12 -in cert.pfx -out cert.pem -nodes`' },
        );
      }
      return guard(
        new identity.ClientCertificateCredential(tenantId, clientId, { certificate: pem }, common),
        `service principal ${clientId} (client certificate) in tenant ${tenantId}`,
        tenantId,
      );
    }
    case 'ManagedIdentity': {
      // ESO: identityId is the user-assigned identity's client id (msiConfig.ClientID / azidentity.ClientID).
      // The managed identity endpoint (IMDS, App Service, Arc) is discovered by MSAL from the process env.
      const options = { ...common, ...(spec.identityId ? { clientId: spec.identityId } : {}) };
      return guard(
        new identity.ManagedIdentityCredential(options),
        spec.identityId ? `managed identity ${spec.identityId}` : 'system-assigned managed identity',
        undefined,
      );
    }
    case 'WorkloadIdentity':
      return workloadIdentity(use, ctx, common, identity, guard);
  }
}

type IdentityModule = typeof import('@azure/identity');

async function workloadIdentity(
  use: StoreUse<AzureKVSpec>,
  ctx: ProviderContext,
  common: {
    authorityHost: string;
    disableInstanceDiscovery: boolean;
    retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
    tlsOptions?: TlsOptions;
  },
  identity: IdentityModule,
  guard: (inner: TokenCredential, description: string, tenantId: string | undefined) => ResolvedCredential,
): Promise<ResolvedCredential> {
  const spec = use.spec;
  const tokenFilePath = ctx.env.AZURE_FEDERATED_TOKEN_FILE;
  if (!spec.serviceAccountRef) {
    // ESO authorizerForWorkloadIdentity: no serviceAccountRef ⇒ the webhook-injected env, nothing from the store.
    const clientId = ctx.env.AZURE_CLIENT_ID;
    const tenantId = ctx.env.AZURE_TENANT_ID;
    if (!clientId || !tenantId || !tokenFilePath) throw new ProviderError(ERR_MISSING_WORKLOAD_ENV, { hint: workloadHint });
    return guard(
      new identity.WorkloadIdentityCredential({ ...common, clientId, tenantId, tokenFilePath }),
      `workload identity ${clientId} (sidecar) in tenant ${tenantId}`,
      tenantId,
    );
  }
  const saRef = spec.serviceAccountRef;
  const namespace = selectorNamespace(use, saRef);
  const mapping = ctx.policy.serviceAccounts.find((m) => m.namespace === namespace && m.name === saRef.name && m.azureClientId);
  const fromSecret = spec.authSecretRef?.clientId ? await readRef(use, ctx, spec.authSecretRef.clientId) : undefined;
  let clientId: string | undefined;
  if (mapping) {
    // ESO: a client id in authSecretRef and on the service account is a conflict; the admin map plays the SA annotation.
    if (fromSecret !== undefined) throw new ProviderError(ERR_MULTIPLE_CLIENT_ID);
    clientId = mapping.azureClientId;
  } else if (ctx.policy.singleTenant) {
    clientId = fromSecret ?? ctx.env.AZURE_CLIENT_ID;
  } else {
    throw new ProviderError(`serviceAccountRef ${namespace}/${saRef.name} is not mapped to an Azure client id in the admin policy`, {
      hint: `the admin adds {namespace: ${namespace}, name: ${saRef.name}, azureClientId: <app client id>} to serviceAccounts in policy.yaml, and a federated credential for the repo-server service account to that app`,
    });
  }
  if (!clientId) {
    throw new ProviderError("missing clientID: either serviceAccountRef or service account annotation 'azure.workload.identity/client-id' is missing");
  }
  const tenantId = await effectiveTenant(use, ctx);
  if (!tenantId) throw new ProviderError('missing tenantID in store config');
  if (!tokenFilePath) {
    throw new ProviderError('the sidecar has no federated token (AZURE_FEDERATED_TOKEN_FILE is not set)', { hint: workloadHint });
  }
  return guard(
    new identity.WorkloadIdentityCredential({ ...common, clientId, tenantId, tokenFilePath }),
    `workload identity ${clientId} (for service account ${namespace}/${saRef.name}) in tenant ${tenantId}`,
    tenantId,
  );
}

const workloadHint =
  'label the repo-server pod azure.workload.identity/use=true and annotate its service account with azure.workload.identity/client-id (docs/azure.md)';

/**
 * Defence in depth behind the SDK's challenge resource verification (which only checks that the
 * vault host ends with the challenged resource's host): a vault of a cloud's Key Vault domain may
 * only obtain a token for that cloud's Key Vault audience. Hosts the admin allowed (emulators)
 * may name their own resource.
 */
function scopeGuard(inner: TokenCredential, spec: AzureKVSpec, adminAllowedHost: boolean): TokenCredential {
  const expected = `${CLOUDS[spec.environmentType].keyVaultResource}/.default`;
  return {
    getToken(scopes, options) {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      for (const scope of list) {
        if (!adminAllowedHost && scope !== expected) {
          return Promise.reject(new ScopeRefusedError(`refused to request a token for scope ${scope} (expected ${expected})`));
        }
      }
      return inner.getToken(scopes, options);
    },
  };
}

export type { Authority };

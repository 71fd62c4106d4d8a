/**
 * Builds an Azure Key Vault client for one store: the vault-host and repo-store checks first (no
 * request is made for a refused store), then the identity, then the SDK client. Loaded lazily.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { ProviderContext, SecretsClient, StoreUse } from '../types.js';
import { ProviderError } from '../types.js';
import { type TlsOptions, buildCredential, effectiveTenant } from './auth.js';
import { ALLOWED_VAULT_HOSTS_ENV, checkVaultHost, vaultAllowedBy } from './cloud.js';
import { keyVaultClient } from './client.js';
import type { AzureKVSpec } from './spec.js';

export async function newAzureClient(use: StoreUse<AzureKVSpec>, ctx: ProviderContext): Promise<SecretsClient> {
  const spec = use.spec;
  const host = checkVaultHost(spec.vaultUrl, spec.environmentType, ctx.env);
  if (!host.ok) {
    throw new ProviderError(`store ${use.store.metadata.name}: ${host.message}; refused before any request`, {
      code: 'VaultHostRefused',
      hint: `use the vault's https://<name>${spec.environmentType === 'PublicCloud' ? '.vault.azure.net' : ' URL of that cloud'}; emulators need the admin setting ${ALLOWED_VAULT_HOSTS_ENV} on the sidecar`,
    });
  }
  await checkRepoStore(use, ctx);
  const tls = await extraTrust(ctx);
  const resolved = await buildCredential(use, ctx, tls, host.adminAllowed);
  ctx.debug(`azurekv: store ${use.store.metadata.name}: ${spec.vaultUrl} as ${resolved.description}`);
  return keyVaultClient({ vaultUrl: spec.vaultUrl, credential: resolved.credential, tls, useAzureSDK: spec.useAzureSDK, ctx });
}

/** Design §4: fields that redirect identity are the admin's call, not the repo's. */
async function checkRepoStore(use: StoreUse<AzureKVSpec>, ctx: ProviderContext): Promise<void> {
  if (use.store.source !== 'repo') return;
  const spec = use.spec;
  const name = use.store.metadata.name;
  if (spec.environmentType !== 'PublicCloud') {
    throw new ProviderError(`store ${name}: environmentType ${spec.environmentType} is only allowed in admin stores`, {
      code: 'PolicyDenied',
      hint: 'non-default clouds come from admin stores ($ESO_PLUGIN_CONFIG_DIR/stores)',
    });
  }
  const project = ctx.policy.projects[ctx.app.project];
  if (project?.vaults && !vaultAllowedBy(project.vaults, spec.vaultUrl)) {
    throw new ProviderError(`store ${name}: vault ${spec.vaultUrl} is not in the vaults allowed for project ${ctx.app.project}`, {
      code: 'PolicyDenied',
    });
  }
  if (project?.tenants) {
    const tenant = await effectiveTenant(use, ctx);
    if (tenant !== undefined && !project.tenants.includes(tenant)) {
      throw new ProviderError(`store ${name}: tenant ${tenant} is not in the tenants allowed for project ${ctx.app.project}`, {
        code: 'PolicyDenied',
      });
    }
  }
}

/**
 * Trust for the SDK's HTTP client: Node's roots plus NODE_EXTRA_CA_CERTS from the sidecar env.
 *
 * When this process was started with that same file, Node's default trust store already holds
 * it (Node reads NODE_EXTRA_CA_CERTS at start), and the SDK gets no TLS options: an explicit `ca`
 * list makes Node build a new secure context from ~150 PEM certificates for every connection and
 * hash the whole list into the agent's pool key on every request (~0.9 s of CPU per render of 200
 * reads, measured by bench scenario 2). An in-process caller whose env names a file the process
 * did not start with (tests) gets the roots and that file explicitly. Either way an unreadable
 * file is an error here, before any request.
 */
async function extraTrust(ctx: ProviderContext): Promise<TlsOptions | undefined> {
  const file = ctx.env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    throw new ProviderError(`NODE_EXTRA_CA_CERTS ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // process.env holds what Node read at start: nothing in the plugin changes it.
  return explicitTrust(file, pem, process.env.NODE_EXTRA_CA_CERTS);
}

/** undefined: Node's default store (its roots + the file the process started with) already is this trust. */
export function explicitTrust(file: string, pem: string, processStartedWith: string | undefined): TlsOptions | undefined {
  if (processStartedWith === file) return undefined;
  return { ca: [...rootCertificates, pem] };
}

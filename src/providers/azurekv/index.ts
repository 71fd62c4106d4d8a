/**
 * ESO's Azure Key Vault provider (`spec.provider.azurekv`, providers/v1/azure/keyvault) for
 * secrets, keys and certificates, with every auth type ESO supports. This module holds only store
 * parsing and the trust checks; the Azure SDKs load inside newClient (auth.ts, client.ts).
 *
 * Trust (design §4, issue 5), checked before any request:
 * - the vault host must belong to the store's cloud (`*.vault.azure.net`, ...) unless the admin
 *   allowed it in the sidecar env (ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS), so a repo store cannot
 *   point the sidecar's identity at a host it controls; the SDK's challenge resource verification
 *   stays on behind that, and tokens are only requested for the cloud's Key Vault audience;
 * - a repo store may not pick another cloud, and must stay within the project's `vaults` and
 *   `tenants` lists when the admin set them.
 */
import type { Provider } from '../types.js';
import { type AzureKVSpec, azureIdentity, parseAzureKVStore } from './spec.js';

export type { AzureKVSpec } from './spec.js';

export const azureKeyVaultProvider: Provider<AzureKVSpec> = {
  name: 'azurekv',

  parseStore: parseAzureKVStore,

  identity: azureIdentity,

  async newClient(use, ctx) {
    // Trust checks, identity and the SDKs load on first use: renders without Azure stores never read them.
    const { newAzureClient } = await import('./connect.js');
    return newAzureClient(use, ctx);
  },
};

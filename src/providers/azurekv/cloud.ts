/**
 * Azure clouds as ESO knows them (providers/v1/azure/keyvault/keyvault.go: AadEndpointForType,
 * kvResourceForProviderConfig — the go-autorest environment tables), plus the Key Vault DNS
 * suffix of each cloud, which ESO does not check but we do (issue 5: a store may only send the
 * sidecar's tokens to a host of its cloud's Key Vault service unless the admin allows the host).
 */

export type EnvironmentType = 'PublicCloud' | 'USGovernmentCloud' | 'ChinaCloud' | 'GermanCloud';

export interface Cloud {
  /** Entra (AAD) authority host. */
  readonly authorityHost: string;
  /** The Key Vault resource (audience) of the cloud; tokens are asked for `<resource>/.default`. */
  readonly keyVaultResource: string;
  /** Vault hosts of this cloud end with this suffix. */
  readonly keyVaultDnsSuffix: string;
}

export const CLOUDS: Readonly<Record<EnvironmentType, Cloud>> = {
  PublicCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    keyVaultResource: 'https://vault.azure.net',
    keyVaultDnsSuffix: '.vault.azure.net',
  },
  USGovernmentCloud: {
    authorityHost: 'https://login.microsoftonline.us',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
    keyVaultDnsSuffix: '.vault.usgovcloudapi.net',
  },
  ChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    keyVaultResource: 'https://vault.azure.cn',
    keyVaultDnsSuffix: '.vault.azure.cn',
  },
  GermanCloud: {
    authorityHost: 'https://login.microsoftonline.de',
    keyVaultResource: 'https://vault.microsoftazure.de',
    keyVaultDnsSuffix: '.vault.microsoftazure.de',
  },
};

/** Authority hosts MSAL knows without asking the public cloud's instance discovery endpoint. */
const WELL_KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/** Name of the sidecar env setting (admin, trusted) that allows vault hosts outside the cloud's suffix. */
export const ALLOWED_VAULT_HOSTS_ENV = 'ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS';

export interface Authority {
  readonly host: string;
  /**
   * MSAL asks `login.microsoftonline.com/common/discovery/instance` about any authority it does not
   * know — for an emulator or Azure Stack that is a call to the public cloud, which fails offline.
   */
  readonly disableInstanceDiscovery: boolean;
}

/**
 * The authority for a store. `AZURE_AUTHORITY_HOST` is the sidecar's (set by the workload identity
 * webhook, or by the admin for an emulator) and, as @azure/identity reads it, replaces the public
 * cloud's authority; a store that names another cloud uses that cloud's authority. ESO ignores
 * AZURE_AUTHORITY_HOST (its cloud tables win) — deviation documented in docs/azure.md.
 */
export function authorityFor(environment: EnvironmentType, env: Readonly<Record<string, string | undefined>>): Authority {
  const override = env.AZURE_AUTHORITY_HOST?.trim();
  const host = (environment === 'PublicCloud' && override ? override : CLOUDS[environment].authorityHost).replace(/\/+$/, '');
  let hostname = '';
  try {
    hostname = new URL(host).hostname.toLowerCase();
  } catch {
    hostname = '';
  }
  return { host, disableInstanceDiscovery: !WELL_KNOWN_AUTHORITY_HOSTS.has(hostname) };
}

/** Parses `ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS`: comma-separated host globs (`*` = any run of characters). */
export function allowedVaultHosts(env: Readonly<Record<string, string | undefined>>): RegExp[] {
  return (env[ALLOWED_VAULT_HOSTS_ENV] ?? '')
    .split(',')
    .map((glob) => glob.trim().toLowerCase())
    .filter(Boolean)
    .map((glob) => new RegExp(`^${glob.split('*').map(escapeRegExp).join('[a-z0-9.-]*')}$`));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export type VaultHostCheck = { readonly ok: true; readonly adminAllowed: boolean } | { readonly ok: false; readonly message: string };

/**
 * A vault URL may be used when its host ends with the cloud's Key Vault suffix, or when the
 * admin allowed the host in the sidecar env. Anything else (a repo store pointing at a host it
 * controls) is refused before a single request is made.
 */
export function checkVaultHost(vaultUrl: string, environment: EnvironmentType, env: Readonly<Record<string, string | undefined>>): VaultHostCheck {
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    return { ok: false, message: `vaultUrl ${JSON.stringify(vaultUrl)} is not a URL` };
  }
  const host = url.hostname.toLowerCase();
  const suffix = CLOUDS[environment].keyVaultDnsSuffix;
  if (host.endsWith(suffix) && host.length > suffix.length) return { ok: true, adminAllowed: false };
  if (allowedVaultHosts(env).some((re) => re.test(host))) return { ok: true, adminAllowed: true };
  return {
    ok: false,
    message: `vault host ${host} is not a Key Vault host of ${environment} (*${suffix})`,
  };
}

/** Normalises a vault URL for comparisons with the policy's `vaults` list: scheme + lower-case host (+ port). */
export function normaliseVaultUrl(vaultUrl: string): string {
  try {
    const url = new URL(vaultUrl);
    return `${url.protocol}//${url.host.toLowerCase()}`;
  } catch {
    return vaultUrl.replace(/\/+$/, '').toLowerCase();
  }
}

/** Policy `vaults` entries are URLs or host globs: `https://payments-kv.vault.azure.net`, `https://payments-*.vault.azure.net`. */
export function vaultAllowedBy(patterns: readonly string[], vaultUrl: string): boolean {
  const target = normaliseVaultUrl(vaultUrl);
  return patterns.some((p) => {
    const pattern = p.includes('*') ? p.replace(/\/+$/, '').toLowerCase() : normaliseVaultUrl(p);
    return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[a-z0-9.-]*')}$`).test(target);
  });
}

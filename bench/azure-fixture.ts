/**
 * Generated Azure Key Vault apps for the bench (scenario 2, Azure) and for the untimed
 * request-count test (test/bench/azure-requests.test.ts): an app directory of ExternalSecrets, the
 * admin config with an admin ClusterSecretStore on the sidecar's workload identity (as
 * fixtures/azure-wi), the federated token file, and the seed for the Azure test server
 * (test/support/azure-server.ts). Values are fake and never printed.
 */
import { alternatingExternalSecret } from './lib/externalsecrets.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Seed } from '../test/support/azure-server.js';

export const AZURE_VAULT_HOST = 'kv-bench.vault.azure.net';
export const AZURE_TENANT = '7f1c6a3e-0d2b-4c8e-9a51-3b6f2d4e8c10';
export const AZURE_CLIENT = 'c0ffee00-1111-4222-8333-944455556666';
const FEDERATED_TOKEN = 'bench-only-projected-service-account-token';

export interface AzureRef {
  /** Key Vault secret name. */
  readonly key: string;
  /** undefined = dataFrom.extract. */
  readonly property: string | undefined;
}

export interface AzureApp {
  /** Repo root (holds `.git`); the app is `<repo>/app`. */
  readonly repo: string;
  readonly app: string;
  readonly admin: string;
  readonly tokenFile: string;
  readonly seed: Seed;
  /** Every reference as written (not deduplicated): what a naive plugin reads one by one. */
  readonly refs: readonly AzureRef[];
}

export interface AzureAppShape {
  /** ExternalSecrets: even ones `data` with a property of the JSON secret, odd ones `dataFrom.extract`. */
  readonly externalSecrets: number;
  /** Distinct Key Vault secrets they spread over (ES k reads secret k mod n). */
  readonly secrets: number;
}

export const azureSecretName = (i: number) => `bench-app-${String(i).padStart(4, '0')}`;

/** The sidecar env a render needs besides the test plumbing (CA, TLS routing). */
export function azureSidecarEnv(app: AzureApp): Record<string, string> {
  return {
    AZURE_CLIENT_ID: AZURE_CLIENT,
    AZURE_TENANT_ID: AZURE_TENANT,
    AZURE_FEDERATED_TOKEN_FILE: app.tokenFile,
    ESO_PLUGIN_CONFIG_DIR: app.admin,
    ESO_PLUGIN_CACHE: 'off',
    ARGOCD_APP_NAME: 'bench',
    ARGOCD_APP_NAMESPACE: 'payments',
    ARGOCD_APP_PROJECT_NAME: 'payments',
  };
}

export function writeAzureApp(dir: string, shape: AzureAppShape): AzureApp {
  const repo = dir;
  const app = join(repo, 'app');
  const admin = join(repo, 'admin');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(app, { recursive: true });
  mkdirSync(join(admin, 'stores'), { recursive: true });
  const tokenFile = join(repo, 'federated-token');
  writeFileSync(tokenFile, FEDERATED_TOKEN);
  writeFileSync(
    join(admin, 'stores', 'azure.yaml'),
    `apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata: {name: azure-kv}
spec:
  provider:
    azurekv:
      vaultUrl: https://${AZURE_VAULT_HOST}
      authType: WorkloadIdentity
`,
  );
  writeFileSync(join(admin, 'policy.yaml'), 'projects:\n  payments:\n    stores: [azure-kv]\n');

  const docs: string[] = [];
  const refs: AzureRef[] = [];
  for (let k = 0; k < shape.externalSecrets; k++) {
    const key = azureSecretName(k % shape.secrets);
    const { doc, ref } = alternatingExternalSecret(k, key, 'azure-kv');
    refs.push(ref);
    docs.push(doc);
  }
  writeFileSync(join(app, 'externalsecrets.yaml'), docs.join('---\n'));
  const secrets: Record<string, { value: string }> = {};
  for (let i = 0; i < shape.secrets; i++) {
    secrets[azureSecretName(i)] = { value: JSON.stringify({ username: `user-${i}`, password: `pw-${i}-${'x'.repeat(24)}`, port: 5432 + (i % 7) }) };
  }
  const seed: Seed = {
    tenants: { [AZURE_TENANT]: { federated: { [AZURE_CLIENT]: FEDERATED_TOKEN } } },
    vaults: { [AZURE_VAULT_HOST]: { tenant: AZURE_TENANT, secrets } },
  };
  return { repo, app, admin, tokenFile, seed, refs };
}

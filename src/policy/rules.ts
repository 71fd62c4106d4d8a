/**
 * Pure policy decisions (design §4). Each refusal names the rule, so the error tells the app team
 * what the admin must grant (or what to change in the repo).
 */
import type { SecretStore } from '../model/types.js';
import type { StoreIdentity } from '../providers/types.js';
import { matchesAny } from './glob.js';
import type { Policy } from './types.js';

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly rule: string; readonly hint: string };

const allow: Decision = { allowed: true };

/** May an ExternalSecret of this project target `namespace`? */
export function namespaceDecision(policy: Policy, project: string, destination: string, namespace: string): Decision {
  if (namespace === destination || policy.singleTenant || policy.namespaces === 'any') return allow;
  if (matchesAny(policy.projects[project]?.namespaces, namespace)) return allow;
  return {
    allowed: false,
    rule: 'namespaces',
    hint: `ExternalSecrets may only target the app's destination namespace "${destination}"; the admin can allow "${namespace}" for project "${project}" in policy.yaml (projects.${project}.namespaces)`,
  };
}

/** May this project use this store, given the identity it would act with? */
export function storeDecision(policy: Policy, project: string, store: SecretStore, identity: StoreIdentity): Decision {
  if (store.source === 'admin') {
    if (policy.singleTenant || (policy.projects[project]?.stores ?? []).includes(store.metadata.name)) return allow;
    return {
      allowed: false,
      rule: 'projects.stores',
      hint: `the admin store "${store.metadata.name}" is not granted to project "${project}"; the admin can list it under projects.${project}.stores in policy.yaml`,
    };
  }
  const rule = store.kind === 'SecretStore' ? policy.repoStores.secretStore : policy.repoStores.clusterSecretStore;
  const ruleName = store.kind === 'SecretStore' ? 'repoStores.secretStore' : 'repoStores.clusterSecretStore';
  if (rule === 'deny' && !policy.singleTenant) {
    return {
      allowed: false,
      rule: ruleName,
      hint:
        store.kind === 'ClusterSecretStore'
          ? 'ClusterSecretStores defined in an app repo are refused: ask the admin for an admin ClusterSecretStore (ESO_PLUGIN_CONFIG_DIR/stores), or use a SecretStore'
          : 'SecretStores defined in an app repo are refused by the admin policy',
    };
  }
  if (identity.kind === 'none' || identity.kind === 'secretRef' || identity.kind === 'serviceAccount') return allow;
  if (rule === 'ambient' || policy.singleTenant) return allow;
  return {
    allowed: false,
    rule: `${ruleName} (ambient identity)`,
    hint: `this store would act with the sidecar's own cloud identity (${identity.description}), which every Argo CD project shares; give it explicit credentials (auth.secretRef), use an admin store, or the admin sets singleTenant: true`,
  };
}

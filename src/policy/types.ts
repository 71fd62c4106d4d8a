/**
 * The admin policy (`$ESO_PLUGIN_CONFIG_DIR/policy.yaml`, design §4). Trusted input only:
 * never read from the repo or from the Application's env/parameters.
 * With no file, `DEFAULT_POLICY` applies: default deny.
 */

/** How far stores defined in the app's repo may go. */
export type RepoStoreRule =
  | 'deny' // refused
  | 'explicitCredentials' // only providers/auth that need no identity of the sidecar: fake, secretRef credentials
  | 'ambient'; // may also use the sidecar's own identity (no auth block, jwt, managed/workload identity)

export interface ServiceAccountMapping {
  readonly namespace: string;
  readonly name: string;
  readonly awsRoleArn?: string | undefined;
  readonly azureClientId?: string | undefined;
}

export interface ProjectPolicy {
  /** Admin stores this project may use (names); absent = none. */
  readonly stores?: readonly string[] | undefined;
  /** Namespaces (globs) ExternalSecrets of this project may target besides the destination. */
  readonly namespaces?: readonly string[] | undefined;
  /** Remote keys/names/ARNs (globs) this project may read; absent = any. */
  readonly keys?: readonly string[] | undefined;
  /** Role ARNs (globs) a store of this project may assume. */
  readonly roles?: readonly string[] | undefined;
  /** Azure vault URLs this project may use. */
  readonly vaults?: readonly string[] | undefined;
  /** Azure tenant ids this project may use. */
  readonly tenants?: readonly string[] | undefined;
}

export interface Limits {
  readonly findMaxResults: number;
  readonly findMaxBytes: number;
  /** Upper bound for the render deadline, seconds. */
  readonly deadlineSeconds: number;
}

/**
 * Opt-in reads of credential Secrets through the Kubernetes API (docs/kubernetes-api.md). Checked
 * before every request: a namespace is readable when it matches `namespaces` (every project) or
 * `projects[<project>]` (that project only). Default: off, no namespace. RBAC (per-namespace Roles
 * with `resourceNames`) is the outer bound; this is the plugin's own, per project.
 */
export interface KubernetesApiPolicy {
  readonly enabled: boolean;
  /** Namespaces (globs) whose Secrets any project's stores may read. */
  readonly namespaces: readonly string[];
  /** Namespaces (globs) readable only by the stores of that Argo CD project. */
  readonly projects: Readonly<Record<string, readonly string[]>>;
}

export interface Policy {
  readonly singleTenant: boolean;
  readonly repoStores: { readonly secretStore: RepoStoreRule; readonly clusterSecretStore: RepoStoreRule };
  readonly namespaces: 'destination' | 'any';
  readonly serviceAccounts: readonly ServiceAccountMapping[];
  readonly projects: Readonly<Record<string, ProjectPolicy>>;
  readonly limits: Limits;
  /** Allow templates that use now/rand/uuidv4/genPrivateKey/... (each render would change the Secret). */
  readonly allowNonDeterministicTemplates: boolean;
  /** Secrets ESO's `refreshPolicy: CreatedOnce` asks never to update: allow re-reading them every render. */
  readonly allowCreatedOnce: boolean;
  /** Opt-in credential reads through the Kubernetes API; off by default. */
  readonly kubernetesApi: KubernetesApiPolicy;
}

export const DEFAULT_LIMITS: Limits = { findMaxResults: 500, findMaxBytes: 1024 * 1024, deadlineSeconds: 45 };

export const DEFAULT_POLICY: Policy = {
  singleTenant: false,
  repoStores: { secretStore: 'explicitCredentials', clusterSecretStore: 'deny' },
  namespaces: 'destination',
  serviceAccounts: [],
  projects: {},
  limits: DEFAULT_LIMITS,
  allowNonDeterministicTemplates: false,
  allowCreatedOnce: false,
  kubernetesApi: { enabled: false, namespaces: [], projects: {} },
};

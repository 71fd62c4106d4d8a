/**
 * Everything the plugin reads from its environment, in one place, split by trust (design §1, §4):
 * - sidecar env: the admin's (trusted) — ESO_PLUGIN_*, AWS_*, AZURE_*, ...
 * - Argo-derived: ARGOCD_APP_*, KUBE_VERSION, KUBE_API_VERSIONS (trusted, set by Argo CD)
 * - tenant: ARGOCD_ENV_*, PARAM_*, ARGOCD_APP_PARAMETERS — written by whoever edits the Application.
 * Tenant input can never reach an admin knob: providers get the env with tenant variables removed,
 * and only the parameters below are read from the tenant side.
 */
import { PluginError } from '../errors/index.js';
import { SOURCE_COLLECTION_PARAMETERS, SOURCE_SCALAR_PARAMETERS } from './source-names.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TenantParameters {
  readonly recurse: boolean | undefined;
  readonly include: string | undefined;
  readonly exclude: string | undefined;
  readonly allowCreatedOnce: boolean | undefined;
}

/** The parameters an app may set (plugin.yaml announces them). Names as Argo escapes them. */
const TENANT_PARAMETERS = ['RECURSE', 'INCLUDE', 'EXCLUDE', 'ALLOW_CREATED_ONCE'] as const;

export function isTenantVariable(name: string): boolean {
  return name.startsWith('ARGOCD_ENV_') || name.startsWith('PARAM_') || name === 'ARGOCD_APP_PARAMETERS';
}

/** The sidecar's env without tenant-controlled variables: what providers and admin settings see. */
export function trustedEnv(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!isTenantVariable(k)) out[k] = v;
  return out;
}

export function tenantParameters(env: Env, warn: (message: string) => void): TenantParameters {
  const read = (name: (typeof TENANT_PARAMETERS)[number]): string | undefined => env[`PARAM_${name}`] ?? env[`ARGOCD_ENV_${name}`];
  for (const k of Object.keys(env)) {
    const name = k.startsWith('PARAM_') ? k.slice(6) : k.startsWith('ARGOCD_ENV_') ? k.slice(11) : undefined;
    if (name === undefined || (TENANT_PARAMETERS as readonly string[]).includes(name)) continue;
    // Kustomize/Helm parameters are read by source-inputs.ts (arrays/maps arrive as NAME_0 / NAME_KEY).
    if (SOURCE_SCALAR_PARAMETERS.includes(name) || SOURCE_COLLECTION_PARAMETERS.some((c) => name === c || name.startsWith(`${c}_`))) continue;
    // Announced-array/map parameters arrive as NAME_0 / NAME_KEY; only scalar ones are ours.
    warn(`ignoring ${k}: argocd-eso-plugin has no app parameter ${name} (admin settings come only from the sidecar's env and config)`);
  }
  return {
    recurse: parseBool(read('RECURSE'), 'recurse'),
    include: read('INCLUDE') || undefined,
    exclude: read('EXCLUDE') || undefined,
    allowCreatedOnce: parseBool(read('ALLOW_CREATED_ONCE'), 'allow-created-once'),
  };
}

export function parseBool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new PluginError('usage', `parameter ${name} must be true or false, not ${JSON.stringify(value)}`);
}

export interface AppContext {
  readonly name: string;
  readonly project: string;
  readonly destinationNamespace: string;
  /** App path relative to the repo root (ARGOCD_APP_SOURCE_PATH), if Argo told us. */
  readonly sourcePath: string | undefined;
}

export function appContext(env: Env): AppContext {
  return {
    name: env.ARGOCD_APP_NAME ?? '',
    project: env.ARGOCD_APP_PROJECT_NAME || 'default',
    destinationNamespace: env.ARGOCD_APP_NAMESPACE ?? '',
    sourcePath: env.ARGOCD_APP_SOURCE_PATH,
  };
}

export interface AdminSettings {
  readonly configDir: string | undefined;
  readonly credentialsDir: string | undefined;
  /** Seconds; capped by policy.limits.deadlineSeconds. */
  readonly deadlineSeconds: number;
  readonly debug: boolean;
  /** Per-install HMAC key (deterministic PKCS#12 in templates); default: the optional Secret mount. */
  readonly hmacKeyFile: string | undefined;
  /** Extra `kustomize build` flags, as Argo's `kustomize.buildOptions` (split on whitespace like strings.Fields). */
  readonly kustomizeBuildOptions: readonly string[];
  /** Lets kustomize fetch remote bases and helm build chart dependencies. */
  readonly allowNetwork: boolean;
  readonly kustomizeBinary: string | undefined;
  readonly helmBinary: string | undefined;
  /** The cross-process credential cache (ESO_PLUGIN_CACHE=off disables it; default on). */
  readonly credentialCache: boolean;
  /** ESO_PLUGIN_CACHE_DIR; default `<tmp>/argocd-eso-plugin-<uid>` (providers/credential-cache.ts). */
  readonly cacheDir: string | undefined;
  /** Opt-in credential reads through the Kubernetes API (ESO_PLUGIN_KUBE_API=true); undefined = off. */
  readonly kubeApi: KubeApiSettings | undefined;
}

/**
 * Where the in-cluster API is and how we authenticate to it. The token and CA come from a projected
 * volume mounted only into the plugin container (argocd/examples/kube-api), never from the pod's
 * default service-account mount (the repo-server sets automountServiceAccountToken: false).
 */
export interface KubeApiSettings {
  /** KUBERNETES_SERVICE_HOST, set by kubelet in every container; undefined outside a cluster. */
  readonly host: string | undefined;
  readonly port: number;
  readonly tokenFile: string;
  readonly caFile: string;
}

export const DEFAULT_KUBE_TOKEN_FILE = '/var/run/secrets/argocd-eso-plugin/kube-api/token';
export const DEFAULT_KUBE_CA_FILE = '/var/run/secrets/argocd-eso-plugin/kube-api/ca.crt';

function kubeApiSettings(env: Env): KubeApiSettings | undefined {
  if (!parseBool(env.ESO_PLUGIN_KUBE_API, 'ESO_PLUGIN_KUBE_API')) return undefined;
  const rawPort = env.KUBERNETES_SERVICE_PORT || '443';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new PluginError('config', `KUBERNETES_SERVICE_PORT must be a port number, not ${JSON.stringify(rawPort)}`);
  }
  return {
    host: env.KUBERNETES_SERVICE_HOST || undefined,
    port,
    tokenFile: env.ESO_PLUGIN_KUBE_TOKEN_FILE || DEFAULT_KUBE_TOKEN_FILE,
    caFile: env.ESO_PLUGIN_KUBE_CA_FILE || DEFAULT_KUBE_CA_FILE,
  };
}

export function adminSettings(env: Env): AdminSettings {
  const raw = env.ESO_PLUGIN_DEADLINE;
  const deadline = raw === undefined || raw === '' ? 45 : Number(raw);
  if (!Number.isFinite(deadline) || deadline <= 0) {
    throw new PluginError('config', `ESO_PLUGIN_DEADLINE must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  }
  return {
    configDir: env.ESO_PLUGIN_CONFIG_DIR || undefined,
    credentialsDir: env.ESO_PLUGIN_CREDENTIALS_DIR || undefined,
    deadlineSeconds: deadline,
    debug: parseBool(env.ESO_PLUGIN_DEBUG, 'ESO_PLUGIN_DEBUG') ?? false,
    hmacKeyFile: env.ESO_PLUGIN_HMAC_KEY_FILE || undefined,
    kustomizeBuildOptions: (env.ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS ?? '').split(/\s+/).filter(Boolean),
    allowNetwork: parseBool(env.ESO_PLUGIN_ALLOW_NETWORK, 'ESO_PLUGIN_ALLOW_NETWORK') ?? false,
    kustomizeBinary: env.ESO_PLUGIN_KUSTOMIZE_BINARY || undefined,
    helmBinary: env.ESO_PLUGIN_HELM_BINARY || undefined,
    credentialCache: parseBool(/^on$/i.test(env.ESO_PLUGIN_CACHE ?? '') ? 'true' : /^off$/i.test(env.ESO_PLUGIN_CACHE ?? '') ? 'false' : env.ESO_PLUGIN_CACHE, 'ESO_PLUGIN_CACHE') ?? true,
    cacheDir: env.ESO_PLUGIN_CACHE_DIR || undefined,
    kubeApi: kubeApiSettings(env),
  };
}

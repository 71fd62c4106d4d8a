/**
 * The AWS SDK, loaded only when a render uses an AWS store: dynamic import() keeps the SDK in its
 * own esbuild chunks, read from disk on demand (cold start, docs/dependencies.md §2d).
 */
import type * as SecretsManagerSdk from '@aws-sdk/client-secrets-manager';
import type * as SsmSdk from '@aws-sdk/client-ssm';
import type * as StsSdk from '@aws-sdk/client-sts';

export type SecretsManagerModule = typeof SecretsManagerSdk;
export type SsmModule = typeof SsmSdk;
export type StsModule = typeof StsSdk;

/**
 * The SDK's CommonJS build seen through import(): under tsx/Node the named exports are there; in
 * the esbuild ESM bundle a CJS module whose exports esbuild cannot see statically arrives as
 * `{ default: module.exports }`. Accept both.
 */
export function interop<T extends object>(mod: T, probe: keyof T & string): T {
  if (typeof (mod as Record<string, unknown>)[probe] === 'function') return mod;
  const inner = (mod as { default?: unknown }).default;
  if (inner && typeof (inner as Record<string, unknown>)[probe] === 'function') return inner as T;
  throw new Error(`the AWS SDK module does not export ${probe}`);
}

export const loadSecretsManager = async (): Promise<SecretsManagerModule> => interop(await import('@aws-sdk/client-secrets-manager'), 'SecretsManagerClient');
export const loadSsm = async (): Promise<SsmModule> => interop(await import('@aws-sdk/client-ssm'), 'SSMClient');
export const loadSts = async (): Promise<StsModule> => interop(await import('@aws-sdk/client-sts'), 'STSClient');

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/** Undefined means the SDK's default chain (pod identity, instance profile, ...). */
export type CredentialProvider = (() => Promise<AwsCredentials>) | undefined;

const QUIET = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Builds an SDK client without its NodeVersionSupportWarning: on Node 20 the SDK writes a
 * multi-line advisory to stderr at client construction (docs/dependencies.md), which Argo would
 * show as the app's condition on every render. The SDK reads only process.env for this switch, so
 * it is set for the synchronous construction and restored at once; nothing else is silenced.
 */
export function quietly<T>(construct: () => T): T {
  const before = process.env[QUIET];
  process.env[QUIET] = 'true';
  try {
    return construct();
  } finally {
    if (before === undefined) delete process.env[QUIET];
    else process.env[QUIET] = before;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Endpoint overrides from the sidecar's trusted env only (the SDK's standard names; never from the
 * repo or ARGOCD_ENV_*). Passed explicitly because we read ctx.env, not process.env.
 */
export function endpointFor(env: Env, service: 'SECRETS_MANAGER' | 'SSM' | 'STS'): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service}`];
  if (specific) return specific;
  return env.AWS_ENDPOINT_URL || undefined;
}

/** Settings every client shares: region, endpoint, credentials, no SDK-level retries (retry.ts owns them). */
export function clientConfig(region: string, endpoint: string | undefined, credentials: CredentialProvider) {
  return {
    region,
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

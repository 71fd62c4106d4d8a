/**
 * The provider interface, after ESO's (`providers/v1/<name>`): a factory that validates a store
 * and builds a client, and a client with three reads. One addition: `prefetch`, the batch entry
 * point, called once per client with every distinct `remoteRef` the render needs, so a provider
 * can use BatchGetSecretValue / GetParameters / concurrency instead of one call per read.
 *
 * "Not found" crosses the boundary as one sentinel, `NoSecretError`, so the render applies
 * deletionPolicy without knowing any provider's error codes. Every other failure is a
 * `ProviderError` whose message names the store, the key and the provider's error code — never a value.
 */
import type { FindRef, RemoteRef, SecretStore } from '../model/types.js';
import type { Policy } from '../policy/types.js';
import type { CredentialCache } from './credential-cache.js';

/** A credential a store names with `secretRef`-style selectors (ESO's SecretKeySelector). */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
  readonly namespace: string | undefined;
  /** Field path inside `spec.provider.<name>` for errors, e.g. `auth.secretRef.accessKeyIDSecretRef`. */
  readonly field: string;
}

export interface ServiceAccountRef {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly field: string;
}

/**
 * What identity a store would act with: the policy decides from this alone whether a repo store
 * may be used (design §4: ambient identity only through admin stores or `singleTenant`).
 */
export type StoreIdentity =
  /** Needs no identity at all (fake). */
  | { readonly kind: 'none' }
  /** Explicit credentials read from the credentials directory. */
  | { readonly kind: 'secretRef'; readonly refs: readonly SecretKeyRef[] }
  /** ESO serviceAccountRef: the identity the admin map names for that service account. */
  | { readonly kind: 'serviceAccount'; readonly ref: ServiceAccountRef }
  /** The sidecar's own identity (SDK default chain, IRSA, managed/workload identity). */
  | { readonly kind: 'ambient'; readonly description: string };

export interface StoreFieldError {
  /** Relative to `spec.provider.<name>`. */
  readonly field: string;
  readonly message: string;
  readonly hint?: string;
}

export type ParseResult<S> = { readonly ok: true; readonly spec: S } | { readonly ok: false; readonly errors: readonly StoreFieldError[] };

/** Reads `<root>/<namespace>/<secret>/<key>` from the credentials directory (re-read every render). */
export interface CredentialSource {
  read(namespace: string, name: string, key: string): Promise<Uint8Array>;
}

/** Facts about the Argo CD app being rendered (from ARGOCD_APP_*, set by Argo, trusted). */
export interface AppInfo {
  readonly name: string;
  readonly project: string;
  readonly destinationNamespace: string;
}

export interface ProviderContext {
  readonly signal: AbortSignal;
  /** Epoch ms by which the whole render must be done; retries stop before it. */
  readonly deadline: number;
  /** The sidecar's own environment: trusted (AWS_*, AZURE_*, endpoints, NODE_EXTRA_CA_CERTS). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly credentials: CredentialSource;
  readonly policy: Policy;
  readonly app: AppInfo;
  /** Debug line (admin `--debug`): stores, identities, request counts, timings — never values. */
  readonly debug: (message: string) => void;
  /**
   * Cross-process cache of temporary credentials (STS sessions) in the sidecar's private tmp, built
   * by the CLI from the admin's env (credential-cache.ts); absent = per-render memory only.
   */
  readonly credentialCache?: CredentialCache | undefined;
}

/** One store as a client sees it. */
export interface StoreUse<S> {
  readonly store: SecretStore;
  readonly spec: S;
  /**
   * The namespace credentials and service accounts are resolved in: the store's own for a
   * SecretStore; for a ClusterSecretStore the ref's namespace, else the ExternalSecret's (ESO referent auth).
   */
  readonly namespace: string;
}

export interface SecretsClient {
  /** Batch entry point: every distinct ref this client will be asked for, before any get. Optional. */
  prefetch?(refs: readonly RemoteRef[]): Promise<void>;
  /** ESO GetSecret: the value of one remote ref (property applied, decoding not). */
  getSecret(ref: RemoteRef): Promise<Uint8Array>;
  /** ESO GetSecretMap: dataFrom.extract. */
  getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>>;
  /** ESO GetAllSecrets: dataFrom.find. Zero matches is an empty map, not NoSecretError. */
  getAllSecrets(find: FindRef): Promise<Map<string, Uint8Array>>;
  close?(): Promise<void>;
}

export interface Provider<S = unknown> {
  /** The key under `spec.provider`. */
  readonly name: string;
  /** Pure validation of `spec.provider.<name>`. */
  parseStore(raw: unknown): ParseResult<S>;
  identity(spec: S): StoreIdentity;
  /** Builds a client; loads SDKs lazily (cold start). */
  newClient(use: StoreUse<S>, ctx: ProviderContext): Promise<SecretsClient>;
}

/** ESO's NoSecretErr: the remote value does not exist. */
export class NoSecretError extends Error {
  constructor(message = 'Secret does not exist') {
    super(message);
    this.name = 'NoSecretError';
  }
}

/** A provider failure, safe to show: names store, key and error code, never a value. */
export class ProviderError extends Error {
  readonly code: string | undefined;
  readonly hint: string | undefined;
  constructor(message: string, options: { code?: string | undefined; hint?: string | undefined } = {}) {
    super(message);
    this.name = 'ProviderError';
    this.code = options.code;
    this.hint = options.hint;
  }
}

/**
 * `spec.provider.aws` as we keep it after validation (ESO apis/externalsecrets/v1/secretstore_aws_types.go).
 * Pure data: parsing lives in index.ts, identity resolution in auth.ts.
 */
import type { SecretKeyRef, ServiceAccountRef } from '../types.js';

export type AwsService = 'SecretsManager' | 'ParameterStore';

export type AwsAuth =
  /** `auth.secretRef`: access keys from the credentials directory. */
  | {
      readonly kind: 'secretRef';
      readonly accessKeyID: SecretKeyRef;
      readonly secretAccessKey: SecretKeyRef;
      readonly sessionToken: SecretKeyRef | undefined;
    }
  /** `auth.jwt.serviceAccountRef`: the role the admin map names for that service account. */
  | { readonly kind: 'jwt'; readonly serviceAccount: ServiceAccountRef }
  /** No auth block: the sidecar's own identity (SDK default chain). */
  | { readonly kind: 'default' };

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

export interface AwsSpec {
  readonly service: AwsService;
  readonly region: string;
  readonly auth: AwsAuth;
  readonly role: string | undefined;
  readonly additionalRoles: readonly string[];
  readonly externalID: string | undefined;
  readonly sessionTags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
  readonly sessionTagsPolicy: 'None' | 'Simple' | 'Custom';
  readonly customSessionTags: Readonly<Record<string, string>>;
  /** Prepended to every remoteRef.key with no separator (ESO). */
  readonly prefix: string;
}

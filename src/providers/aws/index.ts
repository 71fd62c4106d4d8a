/**
 * ESO's `aws` provider (providers/v1/aws): `service: SecretsManager | ParameterStore`.
 * This module is light on purpose (store parsing + glue); the SDKs load inside newClient.
 */
import { FieldReader, isObject, type Obj } from '../fields.js';
import type { Provider, SecretKeyRef } from '../types.js';
import type { AwsAuth, AwsService, AwsSpec, SessionTag } from './spec.js';

export type { AwsSpec } from './spec.js';

/** design §4: a region is also where requests go, so only the AWS shape is accepted. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const FIELDS = [
  'service',
  'region',
  'auth',
  'role',
  'additionalRoles',
  'externalID',
  'sessionTags',
  'transitiveTagKeys',
  'sessionTagsPolicy',
  'customSessionTags',
  'prefix',
  'secretsManager',
];

export const awsProvider: Provider<AwsSpec> = {
  name: 'aws',

  parseStore(raw) {
    if (!isObject(raw)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
    const r = new FieldReader();
    r.known(raw, '', FIELDS);
    const service = parseService(r, raw);
    const region = r.string(raw, 'region', 'region', true);
    if (region !== undefined && !REGION.test(region)) r.fail('region', `invalid region "${region}"`, 'an AWS region such as eu-west-1 or us-gov-west-1');
    const auth = parseAuth(r, raw);
    const role = r.string(raw, 'role', 'role');
    const additionalRoles = stringList(r, raw, 'additionalRoles');
    const externalID = r.string(raw, 'externalID', 'externalID');
    const sessionTags = parseSessionTags(r, raw);
    const transitiveTagKeys = stringList(r, raw, 'transitiveTagKeys');
    const sessionTagsPolicy = r.oneOf(raw, 'sessionTagsPolicy', 'sessionTagsPolicy', ['None', 'Simple', 'Custom'] as const, 'None');
    const customSessionTags = stringMap(r, raw, 'customSessionTags');
    const prefix = r.string(raw, 'prefix', 'prefix') ?? '';
    const sm = r.object(raw, 'secretsManager', 'secretsManager');
    // Only PushSecret deletion reads these; validated as ESO does (util/validation.go) and otherwise unused.
    if (sm) {
      r.known(sm, 'secretsManager', ['forceDeleteWithoutRecovery', 'recoveryWindowInDays']);
      r.boolean(sm, 'forceDeleteWithoutRecovery', 'secretsManager.forceDeleteWithoutRecovery');
      const days = sm.recoveryWindowInDays;
      if (days !== undefined && days !== null && (typeof days !== 'number' || !Number.isInteger(days))) {
        r.fail('secretsManager.recoveryWindowInDays', 'must be an integer');
      } else if (typeof days === 'number' && days !== 0 && (days < 7 || days > 30)) {
        r.fail('secretsManager.recoveryWindowInDays', 'invalid DeleteSecretInput: RecoveryWindowInDays must be between 7 and 30 days');
      } else if (typeof days === 'number' && days !== 0 && sm.forceDeleteWithoutRecovery === true) {
        r.fail('secretsManager', 'invalid DeleteSecretInput: ForceDeleteWithoutRecovery conflicts with RecoveryWindowInDays');
      }
    }
    if (r.errors.length || service === undefined || region === undefined || auth === undefined) {
      return { ok: false, errors: r.errors.length ? r.errors : [{ field: '', message: 'invalid aws provider' }] };
    }
    return {
      ok: true,
      spec: { service, region, auth, role, additionalRoles, externalID, sessionTags, transitiveTagKeys, sessionTagsPolicy, customSessionTags, prefix },
    };
  },

  identity(spec) {
    switch (spec.auth.kind) {
      case 'secretRef': {
        const refs: SecretKeyRef[] = [spec.auth.accessKeyID, spec.auth.secretAccessKey];
        if (spec.auth.sessionToken) refs.push(spec.auth.sessionToken);
        return { kind: 'secretRef', refs };
      }
      case 'jwt':
        return { kind: 'serviceAccount', ref: spec.auth.serviceAccount };
      default:
        return { kind: 'ambient', description: 'the AWS SDK default credential chain of the sidecar (IRSA, Pod Identity, instance profile)' };
    }
  },

  async newClient(use, ctx) {
    // Loaded on first use: a render without AWS stores never reads them (cold start).
    const [{ credentialsFor }, { storeLabel }, { makeCall }] = await Promise.all([import('./auth.js'), import('./errors.js'), import('./retry.js')]);
    const { store } = use;
    const label = storeLabel(store.kind, store.kind === 'SecretStore' ? store.metadata.namespace : undefined, store.metadata.name);
    const credentials = credentialsFor(use, ctx, label);
    const call = makeCall({ signal: ctx.signal, deadline: ctx.deadline });
    const common = { spec: use.spec, ctx, label, credentials, call };
    if (use.spec.service === 'SecretsManager') {
      const { secretsManagerClient } = await import('./secretsmanager.js');
      return secretsManagerClient(common);
    }
    const { parameterStoreClient } = await import('./parameterstore.js');
    return parameterStoreClient(common);
  },
};

function parseService(r: FieldReader, raw: Obj): AwsService | undefined {
  const v = r.string(raw, 'service', 'service', true);
  if (v === undefined) return undefined;
  if (v === 'SecretsManager' || v === 'ParameterStore') return v;
  if (v === 'CertificateManager') {
    return r.fail('service', 'service CertificateManager is not supported by argocd-eso-plugin', 'ACM certificate export is not implemented; use SecretsManager or ParameterStore');
  }
  return r.fail('service', `unknown AWS Provider Service: ${v}`, 'one of SecretsManager, ParameterStore');
}

function parseAuth(r: FieldReader, raw: Obj): AwsAuth | undefined {
  const auth = r.object(raw, 'auth', 'auth');
  if (!auth) return { kind: 'default' };
  r.known(auth, 'auth', ['secretRef', 'jwt']);
  // ESO checks jwt before secretRef (auth.go constructCredsProvider).
  const jwt = r.object(auth, 'jwt', 'auth.jwt');
  if (jwt) {
    r.known(jwt, 'auth.jwt', ['serviceAccountRef']);
    const sa = r.serviceAccountRef(jwt, 'serviceAccountRef', 'auth.jwt.serviceAccountRef');
    if (!sa) {
      if (!isObject(jwt.serviceAccountRef)) r.fail('auth.jwt.serviceAccountRef', 'is required');
      return undefined;
    }
    return { kind: 'jwt', serviceAccount: sa };
  }
  const secretRef = r.object(auth, 'secretRef', 'auth.secretRef');
  if (secretRef) {
    r.known(secretRef, 'auth.secretRef', ['accessKeyIDSecretRef', 'secretAccessKeySecretRef', 'sessionTokenSecretRef']);
    const accessKeyID = r.secretKeyRef(secretRef, 'accessKeyIDSecretRef', 'auth.secretRef.accessKeyIDSecretRef', true);
    const secretAccessKey = r.secretKeyRef(secretRef, 'secretAccessKeySecretRef', 'auth.secretRef.secretAccessKeySecretRef', true);
    const sessionToken = r.secretKeyRef(secretRef, 'sessionTokenSecretRef', 'auth.secretRef.sessionTokenSecretRef');
    if (!accessKeyID || !secretAccessKey) return undefined;
    return { kind: 'secretRef', accessKeyID, secretAccessKey, sessionToken };
  }
  return { kind: 'default' };
}

function stringList(r: FieldReader, raw: Obj, key: string): string[] {
  const v = raw[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    r.fail(key, 'must be a list of strings');
    return [];
  }
  const out: string[] = [];
  for (const [i, item] of (v as unknown[]).entries()) {
    if (typeof item !== 'string' || item === '') r.fail(`${key}[${i}]`, 'must be a non-empty string');
    else out.push(item);
  }
  return out;
}

function stringMap(r: FieldReader, raw: Obj, key: string): Record<string, string> {
  const o = r.object(raw, key, key);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') r.fail(`${key}.${k}`, 'must be a string');
    else out[k] = v;
  }
  return out;
}

function parseSessionTags(r: FieldReader, raw: Obj): SessionTag[] {
  const v = raw.sessionTags;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    r.fail('sessionTags', 'must be a list of {key, value}');
    return [];
  }
  const out: SessionTag[] = [];
  for (const [i, item] of (v as unknown[]).entries()) {
    const field = `sessionTags[${i}]`;
    if (!isObject(item)) {
      r.fail(field, 'must be an object');
      continue;
    }
    r.known(item, field, ['key', 'value']);
    const key = r.string(item, 'key', `${field}.key`, true);
    const value = typeof item.value === 'string' ? item.value : r.fail(`${field}.value`, 'must be a string');
    if (key !== undefined && value !== undefined) out.push({ key, value });
  }
  return out;
}

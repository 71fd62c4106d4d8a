/**
 * How an AWS store gets credentials (ESO providers/v1/aws/auth/auth.go, adapted to design §4):
 *
 *   base identity                      then, chained with sts:AssumeRole
 *   ─────────────                      ────────────────────────────────
 *   auth.secretRef  → access keys      additionalRoles[0], [1], ...   (ESO createConfiguration order)
 *   auth.jwt        → the role the     role (+ externalID, sessionTags, transitiveTagKeys)
 *                     admin maps for
 *                     namespace/SA,
 *                     assumed from the sidecar's identity
 *   no auth         → the sidecar's identity
 *
 * The sidecar's identity is, from its trusted env: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else
 * IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE → AssumeRoleWithWebIdentity), else the SDK
 * default chain (EKS Pod Identity, instance profile).
 *
 * ESO differs in one place on purpose: for `jwt` it requests a token for the referenced service
 * account and calls AssumeRoleWithWebIdentity with it. A CMP has no Kubernetes API access, so the
 * admin maps namespace/serviceAccount → role ARN in policy.yaml and that role is assumed from the
 * sidecar's identity (its trust policy must allow the sidecar's role).
 *
 * Every role session is named `argocd-<project>-<app>` and carries it as SourceIdentity (CloudTrail).
 * The sidecar's own web identity session, when roles are assumed from it, is the sidecar's
 * (AWS_ROLE_SESSION_NAME, else `argocd-eso-plugin`): it is one identity for every app, so one
 * exchange serves them all.
 *
 * Credentials are memoised per render and identity. STS session credentials derived from the
 * sidecar's identity are also kept in the cross-process credential cache when the CLI provides one
 * (ctx.credentialCache, ../credential-cache.ts): after a mass hard refresh hundreds of renders
 * would otherwise each repeat the same STS chain (issue 9, bench/README-aws.md). Chains from
 * tenant access keys (auth.secretRef) are never cached across renders: those keys are re-read
 * every render and may have been revoked.
 */
import { readFile } from 'node:fs/promises';
import type { ProviderContext, SecretKeyRef, ServiceAccountRef, StoreUse } from '../types.js';
import { ProviderError } from '../types.js';
import { awsProviderError } from './errors.js';
import { type Call, makeCall } from './retry.js';
import { type AwsCredentials, type CredentialProvider, clientConfig, endpointFor, loadSts, quietly } from './sdk.js';
import type { AwsSpec } from './spec.js';
import type { CacheEntry } from '../credential-cache.js';

export interface RoleStep {
  readonly roleArn: string;
  readonly externalId: string | undefined;
  readonly tags: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly transitiveTagKeys: readonly string[];
  /** Why this role is assumed, for errors and debug lines. */
  readonly via: 'serviceAccountRef' | 'additionalRoles' | 'role';
}

export type BaseIdentity =
  | { readonly kind: 'secretRef'; readonly namespace: string; readonly refs: { readonly accessKeyID: SecretKeyRef; readonly secretAccessKey: SecretKeyRef; readonly sessionToken: SecretKeyRef | undefined } }
  | { readonly kind: 'sidecar' };

export interface IdentityPlan {
  readonly base: BaseIdentity;
  readonly steps: readonly RoleStep[];
  readonly sessionName: string;
  /** Identifies the base identity (never credentials) for the per-render cache; steps extend it. */
  readonly baseKey: string;
}

/**
 * `argocd-<project>-<app>` (`argocd-<project>` when app is empty), restricted to STS's
 * RoleSessionName alphabet and length.
 */
export function sessionName(project: string, app: string): string {
  return (app ? `argocd-${project}-${app}` : `argocd-${project}`).replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * ESO_PLUGIN_AWS_SESSION_SCOPE (admin env): `app` (default) names role sessions after project and
 * app, so CloudTrail shows which app read what — one STS chain per app and credential lifetime;
 * `project` names them after the project only, so every app of a project shares one chain (and one
 * credential cache entry) — what a mass hard refresh of hundreds of apps needs to stay calm
 * (bench/README-aws.md), at the price of per-project attribution.
 */
export function sessionScope(value: string | undefined): 'app' | 'project' {
  if (value === undefined || value === '' || value === 'app') return 'app';
  if (value === 'project') return 'project';
  throw new ProviderError(`ESO_PLUGIN_AWS_SESSION_SCOPE must be app or project, not ${JSON.stringify(value)}`);
}

/** Glob with `*` only, as policy.yaml's role patterns. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** ESO referent auth: a ClusterSecretStore's ref namespace wins, else the ExternalSecret's; a SecretStore reads only its own. */
function refNamespace(ref: SecretKeyRef | ServiceAccountRef, use: StoreUse<AwsSpec>): string {
  if (use.store.kind === 'ClusterSecretStore') return ref.namespace ?? use.namespace;
  if (ref.namespace !== undefined && ref.namespace !== use.namespace) {
    throw new ProviderError(`${ref.field}.namespace: a SecretStore may only reference its own namespace "${use.namespace}", not "${ref.namespace}"`);
  }
  return use.namespace;
}

/**
 * Pure: decides the identity chain and applies the policy. Throws ProviderError when the policy
 * refuses it.
 */
export function planIdentity(use: StoreUse<AwsSpec>, ctx: Pick<ProviderContext, 'policy' | 'app'> & { readonly env?: ProviderContext['env'] }, store: string): IdentityPlan {
  const { spec } = use;
  const { policy, app } = ctx;
  const repo = use.store.source === 'repo';
  const repoRule = use.store.kind === 'SecretStore' ? policy.repoStores.secretStore : policy.repoStores.clusterSecretStore;
  const refuse = (message: string, hint?: string): never => {
    throw new ProviderError(`${store}: ${message}`, { code: 'PolicyDenied', hint });
  };

  // Defence in depth: the plan refuses this from identity() already (design §4, default deny). A
  // mapped serviceAccountRef is the admin's explicit grant and is checked below.
  if (repo && !policy.singleTenant && spec.auth.kind === 'default' && repoRule !== 'ambient') {
    refuse(
      "a store defined in the repository may not use the sidecar's AWS identity (no auth block)",
      'use auth.secretRef with access keys, an admin store, or (single-tenant installs) singleTenant: true in policy.yaml',
    );
  }

  const steps: RoleStep[] = [];
  let base: BaseIdentity;
  if (spec.auth.kind === 'secretRef') {
    const { accessKeyID, secretAccessKey, sessionToken } = spec.auth;
    const namespace = refNamespace(accessKeyID, use);
    // Every ref resolves in the same place in practice; ESO resolves each on its own.
    for (const ref of [secretAccessKey, sessionToken]) if (ref && refNamespace(ref, use) !== namespace) refuse(`${ref.field}: all access-key refs must be in one namespace`);
    base = { kind: 'secretRef', namespace, refs: { accessKeyID, secretAccessKey, sessionToken } };
  } else if (spec.auth.kind === 'jwt') {
    const sa = spec.auth.serviceAccount;
    const namespace = refNamespace(sa, use);
    const mapped = policy.serviceAccounts.find((m) => m.namespace === namespace && m.name === sa.name && m.awsRoleArn);
    base = { kind: 'sidecar' };
    if (mapped?.awsRoleArn) {
      steps.push({ roleArn: mapped.awsRoleArn, externalId: undefined, tags: [], transitiveTagKeys: [], via: 'serviceAccountRef' });
    } else if (!policy.singleTenant) {
      refuse(
        `auth.jwt.serviceAccountRef ${namespace}/${sa.name} is not mapped to an AWS role`,
        `the admin maps it in policy.yaml: serviceAccounts: [{namespace: ${namespace}, name: ${sa.name}, awsRoleArn: ...}]`,
      );
    }
  } else {
    base = { kind: 'sidecar' };
  }

  for (const roleArn of spec.additionalRoles) steps.push({ roleArn, externalId: undefined, tags: [], transitiveTagKeys: [], via: 'additionalRoles' });
  const tags = sessionTags(spec, use);
  if (spec.role) {
    steps.push({ roleArn: spec.role, externalId: spec.externalID, tags, transitiveTagKeys: spec.transitiveTagKeys, via: 'role' });
  }

  const sidecarDerived = base.kind === 'sidecar';
  if (repo && !policy.singleTenant && sidecarDerived && (spec.externalID || tags.length > 0)) {
    refuse('externalID and session tags of a repository store may not be used with the sidecar\'s identity', 'move the store to the admin config, or use auth.secretRef');
  }
  const allowedRoles = policy.projects[app.project]?.roles;
  if (allowedRoles) {
    for (const step of steps) {
      if (step.via !== 'serviceAccountRef' && !allowedRoles.some((p) => globMatch(p, step.roleArn))) {
        refuse(`project "${app.project}" may not assume role ${step.roleArn} (${step.via})`, 'the admin lists assumable roles under projects.<project>.roles in policy.yaml');
      }
    }
  }

  const session = sessionName(app.project, sessionScope(ctx.env?.ESO_PLUGIN_AWS_SESSION_SCOPE) === 'project' ? '' : app.name);
  const baseKey = base.kind === 'secretRef' ? ['secretRef', base.namespace, base.refs.accessKeyID.name, base.refs.accessKeyID.key, base.refs.secretAccessKey.name, base.refs.secretAccessKey.key, base.refs.sessionToken?.name ?? '', base.refs.sessionToken?.key ?? ''] : ['sidecar'];
  return { base, steps, sessionName: session, baseKey: JSON.stringify([baseKey, session, spec.region]) };
}

/** ESO sessionTagsPolicy (provider.go buildSessionTags): Simple/Custom replace sessionTags. */
function sessionTags(spec: AwsSpec, use: StoreUse<AwsSpec>): Array<{ key: string; value: string }> {
  if (spec.sessionTagsPolicy === 'None') return spec.sessionTags.map((t) => ({ key: t.key, value: t.value }));
  const m = new Map<string, string>();
  if (spec.sessionTagsPolicy === 'Custom') for (const [k, v] of Object.entries(spec.customSessionTags)) if (k && v) m.set(k, v);
  m.set('esoNamespace', use.namespace);
  m.set('esoStoreName', use.store.metadata.name);
  m.set('esoStoreKind', use.store.kind);
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value }));
}

// Credentials are cached per render (the ProviderContext) and per identity — each prefix of a
// chain is its own entry — so stores sharing a base identity or a role (SM and SSM stores, two
// roles assumed from the same sidecar identity) share those STS calls. A WeakMap ends with the render.
const renderCache = new WeakMap<object, Map<string, Promise<AwsCredentials | undefined>>>();

/** The credentials for a store: a lazy, memoised provider (undefined = SDK default chain). */
export function credentialsFor(use: StoreUse<AwsSpec>, ctx: ProviderContext, store: string): CredentialProvider {
  const plan = planIdentity(use, ctx, store);
  if (plan.base.kind === 'sidecar' && plan.steps.length === 0 && !sidecarKind(ctx.env)) {
    ctx.debug(`aws ${store}: identity: SDK default credential chain of the sidecar`);
    return undefined;
  }
  let cache = renderCache.get(ctx);
  if (!cache) {
    cache = new Map();
    renderCache.set(ctx, cache);
  }
  const shared = cache;
  const region = use.spec.region;
  const call = makeCall({ signal: ctx.signal, deadline: ctx.deadline });
  const endpoint = endpointFor(ctx.env, 'STS');
  const memo = (key: string, make: () => Promise<AwsCredentials | undefined>) => {
    let pending = shared.get(key);
    if (!pending) {
      pending = make();
      pending.catch(() => undefined);
      shared.set(key, pending);
    }
    return pending;
  };
  // Across processes: only chains that start from the sidecar's own identity (see the header).
  const disk = plan.base.kind === 'sidecar' ? ctx.credentialCache : undefined;
  const sidecar = sidecarIdentityKey(ctx.env);
  const persisted = async (key: readonly unknown[], make: () => Promise<AwsCredentials>): Promise<AwsCredentials> => {
    if (!disk) return make();
    let exchanged = false;
    const entry = await disk.getOrFill(['aws', endpoint ?? '', region, sidecar, ...key], async () => {
      exchanged = true;
      return toEntry(await make());
    });
    if (!exchanged) ctx.debug(`aws ${store}: STS session from the credential cache (valid until ${new Date(entry.expiresAt).toISOString()})`);
    return fromEntry(entry);
  };
  const at = (i: number): Promise<AwsCredentials | undefined> => {
    if (i === 0) {
      return memo(JSON.stringify([plan.baseKey, webIdentitySession(ctx.env, plan)]), () =>
        plan.base.kind === 'sidecar' && sidecarKind(ctx.env) === 'webIdentity'
          ? persisted([webIdentitySession(ctx.env, plan)], () => webIdentity(ctx.env, region, endpoint, webIdentitySession(ctx.env, plan), call, store))
          : baseCredentials(plan, region, endpoint, call, ctx, store),
      );
    }
    const step = plan.steps[i - 1]!;
    const chain = plan.steps.slice(0, i);
    return memo(JSON.stringify([plan.baseKey, chain]), async () => {
      const source = await at(i - 1);
      return persisted([plan.sessionName, chain], () => assumeRole(step, source, region, endpoint, plan.sessionName, call, store));
    });
  };
  let logged = false;
  return async () => {
    const creds = await at(plan.steps.length);
    if (!logged) {
      logged = true;
      ctx.debug(`aws ${store}: identity: ${[describeBase(plan, ctx.env), ...plan.steps.map((s) => `${s.via} ${s.roleArn}`)].join(' → ')} (session ${plan.sessionName})`);
    }
    if (!creds) throw new ProviderError(`${store}: no AWS credentials could be resolved`);
    return creds;
  };
}

type Env = ProviderContext['env'];

function sidecarKind(env: Env): 'keys' | 'webIdentity' | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'keys';
  if (env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'webIdentity';
  return undefined;
}

function describeBase(plan: IdentityPlan, env: Env): string {
  if (plan.base.kind === 'secretRef') return `secretRef ${plan.base.namespace}/${plan.base.refs.accessKeyID.name}`;
  const kind = sidecarKind(env);
  return kind === 'keys' ? 'sidecar access keys' : kind === 'webIdentity' ? `sidecar web identity ${env.AWS_ROLE_ARN}` : 'sidecar SDK default chain';
}

/**
 * The session name of the sidecar's web identity exchange: the app's when it is the render's final
 * identity (CloudTrail names the app), the sidecar's when roles are assumed from it — then it is the
 * same identity for every app and one exchange (and one cache entry) serves them all.
 */
function webIdentitySession(env: Env, plan: IdentityPlan): string {
  return env.AWS_ROLE_SESSION_NAME || (plan.steps.length > 0 ? 'argocd-eso-plugin' : plan.sessionName);
}

/** What names the sidecar's identity in cache keys: never a secret (role ARN, token path, key id). */
function sidecarIdentityKey(env: Env): readonly string[] {
  const kind = sidecarKind(env);
  if (kind === 'keys') return ['keys', env.AWS_ACCESS_KEY_ID ?? ''];
  if (kind === 'webIdentity') return ['webIdentity', env.AWS_ROLE_ARN ?? '', env.AWS_WEB_IDENTITY_TOKEN_FILE ?? ''];
  return ['default'];
}

function toEntry(c: AwsCredentials): CacheEntry {
  // No expiry ⇒ expiresAt 0 ⇒ never stored.
  return { expiresAt: c.expiration?.getTime() ?? 0, data: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) } };
}

function fromEntry(e: CacheEntry): AwsCredentials {
  return { accessKeyId: e.data.accessKeyId ?? '', secretAccessKey: e.data.secretAccessKey ?? '', sessionToken: e.data.sessionToken, expiration: new Date(e.expiresAt) };
}

async function baseCredentials(plan: IdentityPlan, region: string, endpoint: string | undefined, call: Call, ctx: ProviderContext, store: string): Promise<AwsCredentials | undefined> {
  if (plan.base.kind === 'secretRef') return accessKeys(plan.base, ctx);
  const kind = sidecarKind(ctx.env);
  if (kind === 'keys') return { accessKeyId: ctx.env.AWS_ACCESS_KEY_ID!, secretAccessKey: ctx.env.AWS_SECRET_ACCESS_KEY!, sessionToken: ctx.env.AWS_SESSION_TOKEN || undefined };
  if (kind === 'webIdentity') return webIdentity(ctx.env, region, endpoint, webIdentitySession(ctx.env, plan), call, store);
  return undefined;
}

async function accessKeys(base: Extract<BaseIdentity, { kind: 'secretRef' }>, ctx: ProviderContext): Promise<AwsCredentials> {
  const read = async (ref: SecretKeyRef) => new TextDecoder().decode(await ctx.credentials.read(base.namespace, ref.name, ref.key));
  // ESO resolvers.SecretKeyRef uses the Secret's bytes verbatim.
  const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
    read(base.refs.accessKeyID),
    read(base.refs.secretAccessKey),
    base.refs.sessionToken ? read(base.refs.sessionToken) : Promise.resolve(undefined),
  ]);
  return { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined };
}

async function webIdentity(env: Env, region: string, endpoint: string | undefined, session: string, call: Call, store: string): Promise<AwsCredentials> {
  const roleArn = env.AWS_ROLE_ARN!;
  let token: string;
  try {
    token = (await readFile(env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'utf8')).trim();
  } catch (e) {
    throw new ProviderError(`${store}: cannot read the sidecar's web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE): ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const sts = await loadSts();
  const client = quietly(() => new sts.STSClient(clientConfig(region, endpoint, undefined)));
  try {
    const out = await call((abortSignal) =>
      client.send(new sts.AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: session, WebIdentityToken: token }), { abortSignal }),
    );
    return toCredentials(out.Credentials, store, roleArn);
  } catch (e) {
    throw awsProviderError(store, 'sts:AssumeRoleWithWebIdentity', roleArn, e);
  } finally {
    client.destroy();
  }
}

async function assumeRole(step: RoleStep, source: AwsCredentials | undefined, region: string, endpoint: string | undefined, session: string, call: Call, store: string): Promise<AwsCredentials> {
  const sts = await loadSts();
  const client = quietly(() => new sts.STSClient(clientConfig(region, endpoint, source ? async () => source : undefined)));
  try {
    const out = await call((abortSignal) =>
      client.send(
        new sts.AssumeRoleCommand({
          RoleArn: step.roleArn,
          RoleSessionName: session,
          SourceIdentity: session,
          ...(step.externalId ? { ExternalId: step.externalId } : {}),
          ...(step.tags.length ? { Tags: step.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
          ...(step.transitiveTagKeys.length ? { TransitiveTagKeys: [...step.transitiveTagKeys] } : {}),
        }),
        { abortSignal },
      ),
    );
    return toCredentials(out.Credentials, store, step.roleArn);
  } catch (e) {
    throw awsProviderError(store, `sts:AssumeRole (${step.via})`, step.roleArn, e);
  } finally {
    client.destroy();
  }
}

function toCredentials(c: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined; Expiration?: Date | undefined } | undefined, store: string, roleArn: string): AwsCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new ProviderError(`${store}: STS returned no credentials for ${roleArn}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

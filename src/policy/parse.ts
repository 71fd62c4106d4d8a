/**
 * Validates `policy.yaml` (design §4). Unknown fields and wrong types are errors: a typo in a
 * security policy must not silently fall back to something else.
 */
import { FieldReader, isObject, type Obj } from '../model/fields.js';
import { DEFAULT_POLICY, type KubernetesApiPolicy, type Policy, type ProjectPolicy, type RepoStoreRule, type ServiceAccountMapping } from './types.js';

const RULES = ['deny', 'explicitCredentials', 'ambient'] as const;

export function parsePolicy(raw: unknown): { policy: Policy | undefined; errors: FieldReader['errors'] } {
  const r = new FieldReader();
  if (raw === null || raw === undefined) return { policy: DEFAULT_POLICY, errors: [] };
  if (!isObject(raw)) return { policy: undefined, errors: [{ field: '', message: 'must be a mapping' }] };
  r.known(raw, '', ['singleTenant', 'repoStores', 'namespaces', 'serviceAccounts', 'projects', 'limits', 'templates', 'allowCreatedOnce', 'kubernetesApi']);
  const singleTenant = r.boolean(raw, 'singleTenant', 'singleTenant') ?? false;
  const repo = r.object(raw, 'repoStores', 'repoStores') ?? {};
  r.known(repo, 'repoStores', ['secretStore', 'clusterSecretStore']);
  const repoStores = {
    secretStore: r.oneOf<RepoStoreRule>(repo, 'secretStore', 'repoStores.secretStore', RULES, DEFAULT_POLICY.repoStores.secretStore),
    clusterSecretStore: r.oneOf<RepoStoreRule>(repo, 'clusterSecretStore', 'repoStores.clusterSecretStore', RULES, DEFAULT_POLICY.repoStores.clusterSecretStore),
  };
  const namespaces = r.oneOf(raw, 'namespaces', 'namespaces', ['destination', 'any'], DEFAULT_POLICY.namespaces);

  const serviceAccounts: ServiceAccountMapping[] = [];
  r.list(raw, 'serviceAccounts', 'serviceAccounts').forEach((item, i) => {
    const f = `serviceAccounts[${i}]`;
    if (!isObject(item)) {
        r.fail(f, 'must be a mapping');
        return;
      }
    r.known(item, f, ['namespace', 'name', 'awsRoleArn', 'azureClientId']);
    const namespace = r.string(item, 'namespace', `${f}.namespace`, true);
    const name = r.string(item, 'name', `${f}.name`, true);
    const awsRoleArn = r.string(item, 'awsRoleArn', `${f}.awsRoleArn`);
    const azureClientId = r.string(item, 'azureClientId', `${f}.azureClientId`);
    if (!awsRoleArn && !azureClientId) r.fail(f, 'needs awsRoleArn or azureClientId');
    if (namespace && name) serviceAccounts.push({ namespace, name, awsRoleArn, azureClientId });
  });

  const projects: Record<string, ProjectPolicy> = {};
  const rawProjects = r.object(raw, 'projects', 'projects') ?? {};
  for (const [name, value] of Object.entries(rawProjects)) {
    const f = `projects.${name}`;
    if (!isObject(value)) {
      r.fail(f, 'must be a mapping');
      continue;
    }
    const p = value as Obj;
    r.known(p, f, ['stores', 'namespaces', 'keys', 'roles', 'vaults', 'tenants']);
    const list = (key: string) => (p[key] === undefined ? undefined : r.stringList(p, key, `${f}.${key}`));
    projects[name] = { stores: list('stores'), namespaces: list('namespaces'), keys: list('keys'), roles: list('roles'), vaults: list('vaults'), tenants: list('tenants') };
  }

  const limitsRaw = r.object(raw, 'limits', 'limits') ?? {};
  r.known(limitsRaw, 'limits', ['findMaxResults', 'findMaxBytes', 'deadlineSeconds']);
  const positive = (key: string, fallback: number): number => {
    const v = limitsRaw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      r.fail(`limits.${key}`, 'must be a positive number');
      return fallback;
    }
    return v;
  };
  const limits = {
    findMaxResults: positive('findMaxResults', DEFAULT_POLICY.limits.findMaxResults),
    findMaxBytes: positive('findMaxBytes', DEFAULT_POLICY.limits.findMaxBytes),
    deadlineSeconds: positive('deadlineSeconds', DEFAULT_POLICY.limits.deadlineSeconds),
  };
  const templates = r.object(raw, 'templates', 'templates') ?? {};
  r.known(templates, 'templates', ['allowNonDeterministic']);
  const allowNonDeterministicTemplates = r.boolean(templates, 'allowNonDeterministic', 'templates.allowNonDeterministic') ?? false;
  const allowCreatedOnce = r.boolean(raw, 'allowCreatedOnce', 'allowCreatedOnce') ?? false;

  const kubernetesApi = parseKubernetesApi(r, raw);

  if (r.errors.length) return { policy: undefined, errors: r.errors };
  return {
    policy: { singleTenant, repoStores, namespaces, serviceAccounts, projects, limits, allowNonDeterministicTemplates, allowCreatedOnce, kubernetesApi },
    errors: [],
  };
}

/** Namespace globs: DNS labels with `*` wildcards; anything else is a typo in a security rule. */
const NAMESPACE_GLOB = /^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/;

function parseKubernetesApi(r: FieldReader, raw: Obj): KubernetesApiPolicy {
  const block = r.object(raw, 'kubernetesApi', 'kubernetesApi');
  if (!block) return DEFAULT_POLICY.kubernetesApi;
  r.known(block, 'kubernetesApi', ['enabled', 'namespaces', 'projects']);
  const enabled = r.boolean(block, 'enabled', 'kubernetesApi.enabled') ?? false;
  const globs = (parent: Obj, key: string, field: string): string[] => {
    if (parent[key] === undefined || parent[key] === null) return [];
    const list = r.stringList(parent, key, field);
    list.forEach((g, i) => {
      if (!NAMESPACE_GLOB.test(g)) r.fail(`${field}[${i}]`, `${JSON.stringify(g)} is not a namespace name or glob`, 'use namespace names, optionally with * (e.g. team-a, "team-*")');
    });
    return list;
  };
  const namespaces = globs(block, 'namespaces', 'kubernetesApi.namespaces');
  const projects: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(r.object(block, 'projects', 'kubernetesApi.projects') ?? {})) {
    projects[name] = globs({ [name]: value }, name, `kubernetesApi.projects.${name}`);
  }
  if (enabled && namespaces.length === 0 && Object.values(projects).every((p) => p.length === 0)) {
    r.fail('kubernetesApi', 'is enabled but allows no namespace', 'list the namespaces whose Secrets may be read in kubernetesApi.namespaces or kubernetesApi.projects.<project>');
  }
  return { enabled, namespaces, projects };
}

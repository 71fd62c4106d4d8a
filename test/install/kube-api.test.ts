import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_KUBE_CA_FILE, DEFAULT_KUBE_TOKEN_FILE } from '../../src/cli/inputs.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { ROOT, tempDir } from '../support/plugin.js';

const KubeInstall = suite('argocd/examples/kube-api: token mount, RBAC, policy');
const EXAMPLE = join(ROOT, 'argocd/examples/kube-api');

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
type Doc = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

/** Builds the component the way the example's comment says: an overlay of argocd/ outside it. */
function build(): Doc[] | undefined {
  const overlay = tempDir('kube-api-overlay-');
  writeFileSync(
    join(overlay, 'kustomization.yaml'),
    `resources:\n  - ${relative(overlay, join(ROOT, 'argocd'))}\n  - ${relative(overlay, join(EXAMPLE, 'rbac'))}\ncomponents:\n  - ${relative(overlay, EXAMPLE)}\n`,
  );
  const r = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
  if (r.error) {
    console.log('  (skipped: kubectl not found)');
    return undefined;
  }
  assert.is(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Doc);
}

KubeInstall('the token and CA are mounted only into the plugin container, with the env that turns the API on', () => {
  const docs = build();
  if (!docs) return;
  const deploy = docs.find((d) => d.kind === 'Deployment') as { spec: { template: { spec: Record<string, unknown> } } } & Doc;
  assert.is(deploy.metadata.namespace, 'argocd');
  const pod = deploy.spec.template.spec as {
    automountServiceAccountToken?: boolean;
    containers: Container[];
    initContainers?: Container[];
    volumes: Array<{ name: string; projected?: { sources: Array<Record<string, Record<string, unknown>>> } }>;
  };
  assert.is(pod.automountServiceAccountToken, false, 'no default token in any container');
  const volume = pod.volumes.find((v) => v.name === 'argocd-eso-plugin-kube-api');
  assert.ok(volume?.projected, 'a projected volume');
  const token = volume!.projected!.sources.find((s) => s.serviceAccountToken)!.serviceAccountToken!;
  assert.is(token.path, 'token');
  assert.is(token.audience, undefined, "the API server's own audience: useless at cloud STS endpoints");
  assert.ok(Number(token.expirationSeconds) <= 3600, 'short-lived');
  const ca = volume!.projected!.sources.find((s) => s.configMap)!.configMap!;
  assert.is(ca.name, 'kube-root-ca.crt');
  const mounting = [...pod.containers, ...(pod.initContainers ?? [])].filter((c) => c.volumeMounts?.some((m) => m.name === 'argocd-eso-plugin-kube-api'));
  assert.equal(
    mounting.map((c) => c.name),
    ['argocd-eso-plugin'],
  );
  const plugin = mounting[0]!;
  const mount = plugin.volumeMounts!.find((m) => m.name === 'argocd-eso-plugin-kube-api')!;
  assert.is(mount.readOnly, true);
  const env = Object.fromEntries((plugin.env ?? []).map((e) => [e.name, e.value]));
  assert.is(env.ESO_PLUGIN_KUBE_API, 'true');
  assert.is(env.ESO_PLUGIN_KUBE_TOKEN_FILE, join(mount.mountPath, 'token'));
  assert.is(env.ESO_PLUGIN_KUBE_CA_FILE, join(mount.mountPath, 'ca.crt'));
  assert.is(env.ESO_PLUGIN_KUBE_TOKEN_FILE, DEFAULT_KUBE_TOKEN_FILE, 'the example and the defaults agree');
  assert.is(env.ESO_PLUGIN_KUBE_CA_FILE, DEFAULT_KUBE_CA_FILE);
  // The rest of the install is untouched.
  assert.ok(env.ESO_PLUGIN_CONFIG_DIR && env.ESO_PLUGIN_CREDENTIALS_DIR);
});

KubeInstall('the Roles grant only get on named Secrets, in their own namespaces, to argocd-repo-server', () => {
  const docs = build();
  if (!docs) return;
  const roles = docs.filter((d) => d.kind === 'Role') as Array<Doc & { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }> }>;
  const bindings = docs.filter((d) => d.kind === 'RoleBinding') as Array<Doc & { roleRef: { kind: string; name: string }; subjects: Array<{ kind: string; name: string; namespace: string }> }>;
  assert.equal(roles.map((r) => r.metadata.namespace).sort(), ['payments', 'team-a'], 'the overlay keeps the tenants’ namespaces');
  assert.not.ok(docs.some((d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding'));
  for (const role of roles) {
    for (const rule of role.rules) {
      assert.equal(rule.apiGroups, ['']);
      assert.equal(rule.resources, ['secrets']);
      assert.equal(rule.verbs, ['get']);
      assert.ok(rule.resourceNames && rule.resourceNames.length > 0, `${role.metadata.namespace}: resourceNames`);
    }
    const binding = bindings.find((b) => b.metadata.namespace === role.metadata.namespace)!;
    assert.equal(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: 'argocd-repo-server', namespace: 'argocd' }]);
  }
});

KubeInstall('the example policy block is valid', () => {
  const parsed = parsePolicy(parse(readFileSync(join(EXAMPLE, 'policy.yaml'), 'utf8')));
  assert.equal(parsed.errors, []);
  assert.is(parsed.policy?.kubernetesApi.enabled, true);
});

KubeInstall.run();

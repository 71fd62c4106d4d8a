// The Kustomize source end to end: the built CLI run in the app path as Argo's cmp-server runs it,
// with `kubectl kustomize` (present on these machines) or `kustomize` when on PATH.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appParameters, b64, FIXTURES, find, link, parseStream, runCli, tempRepo } from './support.js';

const OVERLAY = join(FIXTURES, 'kustomize', 'overlays', 'prod');
const BASE = join(FIXTURES, 'kustomize', 'base');
const BRACED_REVISION = '${ARGOCD_APP_REVISION}';
const ARGO = { ARGOCD_APP_NAME: 'api-prod', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_PROJECT_NAME: 'default' };

const EXPECTED_SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'api-db',
    namespace: 'prod',
    labels: {
      'reconcile.external-secrets.io/created-by': 'a35b079073e816198846815858fdff89df351aaa74975b29b1815b15',
      'reconcile.external-secrets.io/managed': 'true',
    },
  },
  type: 'Opaque',
  data: { API_TOKEN: b64('kustomize-api-token'), DB_PASSWORD: b64('kustomize-db-password'), DB_USER: b64('api') },
};

test('overlay: namespace and name prefix from the overlay, Secret from the base ExternalSecret', () => {
  const r = runCli(['generate'], OVERLAY, ARGO);
  assert.is(r.code, 0, r.stderr);
  const docs = parseStream(r.stdout);
  assert.equal(
    docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`),
    ['Deployment/prod/prod-api', 'Secret/prod/api-db'],
    'the ExternalSecret and the SecretStore are replaced; the Deployment passes through',
  );
  assert.equal(find(docs, 'Secret', 'api-db'), EXPECTED_SECRET);
  assert.equal(find(docs, 'Deployment', 'prod-api'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { app: 'api' }, name: 'prod-api', namespace: 'prod' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ envFrom: [{ secretRef: { name: 'api-db' } }], image: 'nginx:1.27', name: 'api' }] },
      },
    },
  });
});

test('base: the destination namespace applies to an ExternalSecret without one', () => {
  const r = runCli(['generate'], BASE, { ...ARGO, ARGOCD_APP_NAMESPACE: 'demo' });
  assert.is(r.code, 0, r.stderr);
  const secret = find(parseStream(r.stdout), 'Secret', 'api-db');
  assert.is(secret?.metadata.namespace, 'demo');
  assert.equal(secret?.data, EXPECTED_SECRET.data);
});

test('parameters: kustomize-name-prefix, -name-suffix, -namespace (kustomize-namespace must match the destination)', () => {
  const r = runCli(['generate'], OVERLAY, {
    ...ARGO,
    ARGOCD_APP_NAMESPACE: 'staging',
    PARAM_KUSTOMIZE_NAME_PREFIX: 'x-',
    PARAM_KUSTOMIZE_NAME_SUFFIX: '-v2',
    PARAM_KUSTOMIZE_NAMESPACE: 'staging',
  });
  assert.is(r.code, 0, r.stderr);
  const docs = parseStream(r.stdout);
  // An overlay prefix is added to the overlay's own (docs/sources.md: Argo's `edit set` would replace it).
  assert.equal(
    docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`),
    ['Deployment/staging/x-prod-api-v2', 'Secret/staging/api-db'],
  );
  assert.is(r.stderr, '');
});

test('parameters: kustomize-images, -common-labels, -common-annotations from ARGOCD_APP_PARAMETERS, with $ARGOCD_APP_* substituted as Argo does', () => {
  const r = runCli(['generate'], OVERLAY, {
    ...ARGO,
    ARGOCD_APP_REVISION: 'abc1234',
    ARGOCD_APP_PARAMETERS: appParameters(
      { name: 'kustomize-images', array: ['nginx=registry.example.com/nginx:$ARGOCD_APP_REVISION'] },
      { name: 'kustomize-common-labels', map: { 'team.example.com/owner': 'payments', rev: BRACED_REVISION } },
      { name: 'kustomize-common-annotations', map: { 'example.com/note': 'kept $ARGOCD_APP_REVISION' } },
    ),
    PARAM_KUSTOMIZE_IMAGES_0: 'nginx=registry.example.com/nginx:$ARGOCD_APP_REVISION',
    PARAM_KUSTOMIZE_COMMON_LABELS_TEAM_EXAMPLE_COM_OWNER: 'payments',
    PARAM_KUSTOMIZE_COMMON_LABELS_REV: BRACED_REVISION,
    PARAM_KUSTOMIZE_COMMON_ANNOTATIONS_EXAMPLE_COM_NOTE: 'kept $ARGOCD_APP_REVISION',
  });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '', 'array/map parameters are known: no unknown-parameter warnings');
  const docs = parseStream(r.stdout);
  const deploy = find(docs, 'Deployment', 'prod-api')!;
  const spec = deploy.spec as { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: Array<{ image: string }> } } };
  assert.is(spec.template.spec.containers[0]!.image, 'registry.example.com/nginx:abc1234');
  assert.equal(deploy.metadata.labels, { app: 'api', 'team.example.com/owner': 'payments', rev: 'abc1234' });
  assert.equal(spec.selector.matchLabels, { app: 'api', 'team.example.com/owner': 'payments', rev: 'abc1234' }, 'commonLabels reach selectors, as `edit add label`');
  assert.equal(deploy.metadata.annotations, { 'example.com/note': 'kept $ARGOCD_APP_REVISION' }, 'annotations are not substituted (commonAnnotationsEnvsubst is not offered)');
  // The ExternalSecret got the labels too; without a template ESO copies them onto the Secret.
  const secret = find(docs, 'Secret', 'api-db')!;
  assert.is((secret.metadata.labels as Record<string, string>)['team.example.com/owner'], 'payments');
});

test('parameters: map and array parameters also accepted as strings (plugin.env / local runs)', () => {
  const r = runCli(['generate'], OVERLAY, {
    ...ARGO,
    ARGOCD_ENV_KUSTOMIZE_IMAGES: 'nginx:1.28',
    ARGOCD_ENV_KUSTOMIZE_COMMON_LABELS: '{tier: backend}',
  });
  assert.is(r.code, 0, r.stderr);
  const deploy = find(parseStream(r.stdout), 'Deployment', 'prod-api')!;
  assert.match(JSON.stringify(deploy), /"image":"nginx:1\.28"/);
  assert.is((deploy.metadata.labels as Record<string, string>).tier, 'backend');
});

test('parameters never touch the user files (the overlay is generated in a temp dir)', () => {
  const before = readFileSync(join(OVERLAY, 'kustomization.yaml'), 'utf8');
  const r = runCli(['generate'], OVERLAY, { ...ARGO, PARAM_KUSTOMIZE_NAME_PREFIX: 'x-', PARAM_KUSTOMIZE_NAMESPACE: 'prod' });
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(OVERLAY, 'kustomization.yaml'), 'utf8'), before);
});

test('invalid kustomize-images value: usage error naming the parameter, nothing on stdout', () => {
  const r = runCli(['generate'], OVERLAY, { ...ARGO, PARAM_KUSTOMIZE_IMAGES_0: 'nginx:' });
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /parameter kustomize-images: "nginx:" is not an image override/);
});

const REMOTE = {
  'apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n  - ../base\n',
  'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
  'apps/base/kustomization.yaml': 'resources:\n  - https://github.com/example/never-fetched//deploy?ref=v1\n',
};

test('remote bases are refused (even nested in a local base) unless the admin allows network', () => {
  const repo = tempRepo(REMOTE);
  try {
    const r = runCli(['generate'], join(repo.root, 'apps/web'), ARGO);
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /apps\/base\/kustomization\.yaml: resources entry "https:\/\/github\.com\/example\/never-fetched\/\/deploy\?ref=v1" is not a file or directory in the repository/);
    assert.match(r.stderr, /ESO_PLUGIN_ALLOW_NETWORK=true/);
  } finally {
    repo.dispose();
  }
});

test('the app cannot allow network access or set build options: PARAM_*/ARGOCD_ENV_* are ignored with a warning', () => {
  const repo = tempRepo(REMOTE);
  try {
    const r = runCli(['generate'], join(repo.root, 'apps/web'), {
      ...ARGO,
      PARAM_ALLOW_NETWORK: 'true',
      ARGOCD_ENV_ESO_PLUGIN_ALLOW_NETWORK: 'true',
      PARAM_KUSTOMIZE_BUILD_OPTIONS: '--load-restrictor LoadRestrictionsNone',
      ARGOCD_ENV_ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS: '--enable-helm',
    });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /ignoring PARAM_ALLOW_NETWORK/);
    assert.match(r.stderr, /ignoring ARGOCD_ENV_ESO_PLUGIN_ALLOW_NETWORK/);
    assert.match(r.stderr, /ignoring PARAM_KUSTOMIZE_BUILD_OPTIONS/);
    assert.match(r.stderr, /ignoring ARGOCD_ENV_ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS/);
    assert.match(r.stderr, /is not a file or directory in the repository/);
  } finally {
    repo.dispose();
  }
});

test('ESO_PLUGIN_ALLOW_NETWORK=true (admin) lifts the static refusal; the tool then decides', () => {
  const repo = tempRepo({
    'app/kustomization.yaml': 'resources:\n  - https://127.0.0.1:9/example/repo//deploy?ref=v1\n',
  });
  try {
    const r = runCli(['generate'], join(repo.root, 'app'), { ...ARGO, ESO_PLUGIN_ALLOW_NETWORK: 'true' });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.not.match(r.stderr, /is not a file or directory in the repository/);
    assert.match(r.stderr, /kustomize build app failed/);
  } finally {
    repo.dispose();
  }
});

const OUTSIDE_ROOT = {
  'apps/web/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n',
  'apps/shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n',
};

test('build options come from the admin env only (ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS)', () => {
  const repo = tempRepo(OUTSIDE_ROOT);
  try {
    const app = join(repo.root, 'apps/web');
    const refused = runCli(['generate'], app, { ...ARGO, PARAM_KUSTOMIZE_BUILD_OPTIONS: '--load-restrictor=LoadRestrictionsNone' });
    assert.is(refused.code, 1, 'kustomize refuses a file outside the kustomization root by default');
    assert.is(refused.stdout, '');
    assert.match(refused.stderr, /kustomize build apps\/web failed \(exit status 1\):\n.*(security|restrict|not in or below)/s);
    const allowed = runCli(['generate'], app, { ...ARGO, ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS: '--load-restrictor=LoadRestrictionsNone' });
    assert.is(allowed.code, 0, allowed.stderr);
    assert.equal(parseStream(allowed.stdout).map((d) => d.metadata.name), ['shared']);
  } finally {
    repo.dispose();
  }
});

test('a base outside the repository is refused before kustomize runs', () => {
  const repo = tempRepo({ 'app/kustomization.yaml': 'resources:\n  - ../../../../../../../../../etc\n' });
  try {
    const r = runCli(['generate'], join(repo.root, 'app'), ARGO);
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /resources entry ".*etc" resolves outside the repository/);
  } finally {
    repo.dispose();
  }
});

test('a symlink leaving the repository anywhere in a reached base is refused, network or not', () => {
  const outside = tempRepo({ 'token': 'sidecar-token\n' });
  const repo = tempRepo({
    'apps/web/kustomization.yaml': 'resources:\n  - ../base\n',
    'apps/base/kustomization.yaml': 'configMapGenerator:\n  - name: leak\n    files: [files/token]\n',
  });
  try {
    link(join(outside.root, 'token'), join(repo.root, 'apps/base/files/token'));
    for (const env of [ARGO, { ...ARGO, ESO_PLUGIN_ALLOW_NETWORK: 'true' }]) {
      const r = runCli(['generate'], join(repo.root, 'apps/web'), env);
      assert.is(r.code, 1);
      assert.is(r.stdout, '');
      assert.match(r.stderr, /apps\/base\/files\/token: symlink points outside the repository/);
      assert.not.match(r.stderr, /sidecar-token/);
    }
  } finally {
    repo.dispose();
    outside.dispose();
  }
});

test('tool failure fails closed: non-zero exit, kustomize stderr shown with repo-relative paths, nothing on stdout', () => {
  const repo = tempRepo({ 'app/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [broken\n' });
  try {
    const r = runCli(['generate'], join(repo.root, 'app'), ARGO);
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /^error: kustomize build app failed \(exit status 1\):\n/);
    assert.not.match(r.stderr, new RegExp(repo.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'temp and repo paths are not shown');
  } finally {
    repo.dispose();
  }
});

test('a missing kustomize/kubectl binary is a clear config error', () => {
  const r = runCli(['generate'], OVERLAY, { ...ARGO, ESO_PLUGIN_KUSTOMIZE_BINARY: '/nonexistent/kustomize' });
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /\/nonexistent\/kustomize was not found/);
});

test('check and discover work on Kustomize apps', () => {
  const c = runCli(['check'], OVERLAY, ARGO);
  assert.is(c.code, 0, c.stderr);
  assert.is(c.stdout, 'ok: 1 ExternalSecret(s), 1 store(s)\n');
  const d = runCli(['discover'], OVERLAY, ARGO);
  assert.is(d.code, 0, d.stderr);
  assert.is(d.stdout, 'ExternalSecrets found\n');
});

test.run();

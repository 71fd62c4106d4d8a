// Detection, parameter reading and the pure helpers of the Kustomize/Helm sources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adminSettings, tenantParameters } from '../../src/cli/inputs.js';
import { renderContext, sourceParameters } from '../../src/cli/source-inputs.js';
import { envsubst } from '../../src/source/envsubst.js';
import { toolEnv } from '../../src/source/exec.js';
import { helmEscapeWarnings } from '../../src/source/helm-escape.js';
import { cleanSetParameter, releaseName } from '../../src/source/helm.js';
import { detectSourceType } from '../../src/source/index.js';
import { overlayKustomization, parseImage } from '../../src/source/kustomize.js';
import { appParameters, parseStream, runCli, tempRepo } from './support.js';

test('detection as Argo: kustomization.yaml|yml|Kustomization ⇒ kustomize, *Chart.yaml ⇒ helm, Kustomize wins over Helm', async () => {
  const cases: Array<[string[], string]> = [
    [['kustomization.yaml'], 'kustomize'],
    [['kustomization.yml'], 'kustomize'],
    [['Kustomization'], 'kustomize'],
    [['Chart.yaml'], 'helm'],
    [['MyChart.yaml'], 'helm'], // discovery.go tests strings.HasSuffix(base, "Chart.yaml")
    [['Chart.yaml', 'kustomization.yaml'], 'kustomize'],
    [['deploy.yaml', 'chart.yaml'], 'directory'],
    [['KUSTOMIZATION.yaml'], 'directory'],
  ];
  const repo = tempRepo();
  try {
    for (const [i, [files, type]] of cases.entries()) {
      const dir = join(repo.root, String(i));
      mkdirSync(dir);
      for (const f of files) writeFileSync(join(dir, f), '');
      assert.is((await detectSourceType(dir)).type, type, files.join(','));
    }
    // A directory named like a marker does not count (Argo walks files).
    mkdirSync(join(repo.root, 'd', 'Chart.yaml'), { recursive: true });
    assert.is((await detectSourceType(join(repo.root, 'd'))).type, 'directory');
  } finally {
    repo.dispose();
  }
});

test('source-type parameter forces the type: a kustomization read as plain manifests', () => {
  const repo = tempRepo({
    'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\nnamePrefix: p-\n',
    'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
  });
  try {
    const dir = join(repo.root, 'app');
    const built = runCli(['generate'], dir, { ARGOCD_APP_NAMESPACE: 'x' });
    assert.is(built.code, 0, built.stderr);
    assert.equal(parseStream(built.stdout).map((d) => d.metadata.name), ['p-cm']);
    const plain = runCli(['generate'], dir, { ARGOCD_APP_NAMESPACE: 'x', PARAM_SOURCE_TYPE: 'directory' });
    assert.is(plain.code, 0, plain.stderr);
    assert.equal(parseStream(plain.stdout).map((d) => d.kind), ['ConfigMap', 'Kustomization']);
    const bad = runCli(['generate'], dir, { ARGOCD_APP_NAMESPACE: 'x', PARAM_SOURCE_TYPE: 'jsonnet' });
    assert.is(bad.code, 2);
    assert.is(bad.stdout, '');
    assert.match(bad.stderr, /parameter source-type must be directory, kustomize or helm, not "jsonnet"/);
  } finally {
    repo.dispose();
  }
});

test('sourceParameters: JSON keeps map keys intact; PARAM_<NAME>_<i> arrays; YAML/comma string forms', () => {
  const p = sourceParameters({
    ARGOCD_APP_PARAMETERS: appParameters(
      { name: 'helm-parameters', map: { 'image.tag': 'v1', 'a.b[0]': 'x' } },
      { name: 'helm-release-name', string: 'rel' },
      { name: 'kustomize-images', array: ['a=b:1', 'c:2'] },
    ),
    PARAM_HELM_PARAMETERS_IMAGE_TAG: 'v1',
    PARAM_HELM_VALUE_FILES_0: 'a.yaml',
    PARAM_HELM_VALUE_FILES_1: 'b.yaml',
    ARGOCD_ENV_KUSTOMIZE_COMMON_LABELS: '{team: web, "example.com/x": 1}',
    PARAM_HELM_STRING_PARAMETERS: 'x: "07"',
    ARGOCD_ENV_HELM_SKIP_CRDS: 'yes',
  });
  assert.equal(p.helm.parameters, [
    ['image.tag', 'v1'],
    ['a.b[0]', 'x'],
  ]);
  assert.is(p.helm.releaseName, 'rel');
  assert.equal(p.kustomize.images, ['a=b:1', 'c:2']);
  assert.equal(p.helm.valueFiles, ['a.yaml', 'b.yaml']);
  assert.equal(p.kustomize.commonLabels, [
    ['team', 'web'],
    ['example.com/x', '1'],
  ]);
  assert.equal(p.helm.stringParameters, [['x', '07']]);
  assert.is(p.helm.skipCrds, true);
  assert.is(p.type, undefined);
  assert.equal(sourceParameters({ PARAM_KUSTOMIZE_IMAGES: 'a:1, b:2' }).kustomize.images, ['a:1', 'b:2']);
  assert.equal(sourceParameters({ ARGOCD_ENV_HELM_VALUE_FILES: '[x.yaml, y.yaml]' }).helm.valueFiles, ['x.yaml', 'y.yaml']);
  assert.throws(() => sourceParameters({ PARAM_HELM_PARAMETERS: '[a, b]' }), /parameter helm-parameters must be a map/);
  assert.throws(() => sourceParameters({ ARGOCD_APP_PARAMETERS: '{' }), /ARGOCD_APP_PARAMETERS is not valid JSON/);
  assert.equal(sourceParameters({ ARGOCD_APP_PARAMETERS: 'null' }).helm.parameters, []);
});

test('tenantParameters knows the source parameters (no warning) and still warns about admin names', () => {
  const warnings: string[] = [];
  tenantParameters(
    {
      PARAM_SOURCE_TYPE: 'helm',
      PARAM_HELM_PARAMETERS_IMAGE_TAG: 'v1',
      PARAM_KUSTOMIZE_IMAGES_0: 'a:1',
      ARGOCD_ENV_HELM_VALUES: 'a: 1',
      PARAM_ALLOW_NETWORK: 'true',
      ARGOCD_ENV_ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS: '--enable-helm',
    },
    (w) => warnings.push(w),
  );
  assert.equal(warnings.map((w) => w.split(':')[0]), ['ignoring PARAM_ALLOW_NETWORK', 'ignoring ARGOCD_ENV_ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS']);
});

test('admin settings: network and build options only from the sidecar env; tenant variables reach neither settings nor tools', () => {
  const env = {
    ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS: ' --enable-helm   --load-restrictor=LoadRestrictionsNone ',
    PARAM_ESO_PLUGIN_ALLOW_NETWORK: 'true',
    ARGOCD_ENV_ESO_PLUGIN_ALLOW_NETWORK: 'true',
    PATH: '/bin',
    AWS_ACCESS_KEY_ID: 'AKIA-sidecar',
    AZURE_CLIENT_SECRET: 'azure-sidecar',
    ESO_PLUGIN_CONFIG_DIR: '/etc/eso',
    HTTPS_PROXY: 'http://proxy:3128',
  };
  const s = adminSettings(env);
  assert.equal(s.kustomizeBuildOptions, ['--enable-helm', '--load-restrictor=LoadRestrictionsNone']);
  assert.is(s.allowNetwork, false);
  const ctx = renderContext({ env, settings: s, deadline: Date.now() + 10_000, signal: undefined, maxOutputBytes: 1, warn: () => {}, debug: () => {} });
  const tenv = toolEnv(ctx.tool, '/tmp/h');
  assert.equal(Object.keys(tenv).filter((k) => /^(AWS_|AZURE_|ESO_PLUGIN_|PARAM_|ARGOCD_)/.test(k)), []);
  assert.is(tenv.PATH, '/bin');
  assert.is(tenv.HOME, '/tmp/h');
  assert.is(tenv.HELM_CONFIG_HOME, '/tmp/h/config/helm');
  assert.is(tenv.HTTPS_PROXY, 'http://127.0.0.1:9', 'no network: proxies lead nowhere');
  assert.is(tenv.GIT_ALLOW_PROTOCOL, 'file');
  const open = toolEnv({ ...ctx.tool, allowNetwork: true }, '/tmp/h');
  assert.is(open.HTTPS_PROXY, 'http://proxy:3128', "network allowed: the admin's proxy");
  assert.is(open.GIT_ALLOW_PROTOCOL, undefined);
  assert.ok(ctx.tool.deadline < Date.now() + 10_000, 'the tools get a share of the deadline, not all of it');
});

test('envsubst as Go os.Expand with Argo mapping ($$ → $, unknown → empty)', () => {
  const env = { ARGOCD_APP_REVISION: 'abc', ARGOCD_APP_NAME: 'web' };
  assert.is(envsubst('img:$ARGOCD_APP_REVISION', env), 'img:abc');
  assert.is(envsubst('${ARGOCD_APP_NAME}-x', env), 'web-x');
  assert.is(envsubst('$$HOME and $UNKNOWN.', env), '$HOME and .');
  assert.is(envsubst('cost: 5$', env), 'cost: 5$');
  assert.is(envsubst('a$-b', env), 'ab');
  assert.is(envsubst('${}x', env), 'x');
});

test('parseImage as `kustomize edit set image`', () => {
  assert.equal(parseImage('nginx=reg.io/nginx:1.2'), { name: 'nginx', newName: 'reg.io/nginx', newTag: '1.2' });
  assert.equal(parseImage('nginx:1.2'), { name: 'nginx', newTag: '1.2' });
  assert.equal(parseImage('reg.io:5000/app@sha256:abc'), { name: 'reg.io:5000/app', digest: 'sha256:abc' });
  assert.equal(parseImage('app=other'), { name: 'app', newName: 'other' });
  assert.equal(parseImage('reg.io:5000/app'), { name: 'reg.io:5000/app' });
  assert.throws(() => parseImage('=x:1'), /not an image override/);
});

test('overlayKustomization: none without parameters; otherwise one resource, the app', () => {
  const none = { namePrefix: undefined, nameSuffix: undefined, namespace: undefined, images: [], commonLabels: [], commonAnnotations: [] };
  assert.is(overlayKustomization('../app', none, {}), undefined);
  const text = overlayKustomization('../../repo/app', { ...none, namePrefix: 'p-', commonLabels: [['a', '$ARGOCD_APP_NAME']] }, { ARGOCD_APP_NAME: 'web' });
  assert.is(
    text,
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../repo/app\nnamePrefix: p-\ncommonLabels:\n  a: web\n',
  );
});

test("Helm helpers: release name from ARGOCD_APP_NAME, Argo's comma escaping for --set", () => {
  assert.is(releaseName('argocd_web', undefined), 'web');
  assert.is(releaseName('web', undefined), 'web');
  assert.is(releaseName('ns_a_b', undefined), 'a_b');
  assert.is(releaseName('argocd_web', 'rel'), 'rel');
  assert.is(cleanSetParameter('a,b'), 'a\\,b');
  assert.is(cleanSetParameter('a\\,b'), 'a\\,b');
  assert.is(cleanSetParameter('{a,b}'), '{a,b}');
});

test('helmEscapeWarnings: empty template values and templates with no {{ }} left; escaped ones pass', () => {
  const es = (data: string) =>
    `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\nspec:\n  data: [{secretKey: password, remoteRef: {key: k}}]\n  target:\n    template:\n      data:\n${data}`;
  const warn = (s: string) => helmEscapeWarnings(new TextEncoder().encode(s), 'chart (helm template)');
  assert.equal(warn(es('        pw: "{{ .password }}"\n')), []);
  const empty = warn(es('        pw: ""\n        url: "postgres://:@db"\n'));
  assert.is(empty.length, 1);
  assert.match(empty[0]!, /^chart \(helm template\): ExternalSecret es: spec\.target\.template\.data\.pw is empty after helm template/);
  const consumed = warn(es('        url: "postgres://:@db"\n'));
  assert.is(consumed.length, 1);
  assert.match(consumed[0]!, /uses none of the fetched values/);
  assert.equal(warn('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: ""}\n'), []);
});

test.run();

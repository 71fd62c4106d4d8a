import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CANARY, externalSecret, fakeStore, makeApp } from '../support/app.js';
import { assertNoCanary } from '../support/canary.js';
import { CmpError, renderWithCmp } from '../support/cmp-emulator.js';
import { esmOnlyDist, PLUGIN_YAML, ROOT, runCli, sidecarEnv } from '../support/plugin.js';

const Argo = suite('the Argo CD plugin contract');
const NAME = 'argocd-eso-plugin-v0.1.0';
const SLOW = join(ROOT, 'test/support/slow-fs.mjs');

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
const app = () =>
  makeApp({
    'top.yaml': cm('top'),
    'skip.yaml': cm('skip'),
    'sub/nested.yaml': cm('nested'),
    'sub/deeper/deep.yml': cm('deep'),
    'notes.txt': 'not a manifest',
    'marked.yaml': `# +argocd:skip-file-rendering\n${cm('marked')}`,
    'store.yaml': fakeStore({ token: CANARY }),
    'es.yaml': externalSecret('  secretStoreRef: {name: fake}\n  data:\n    - secretKey: token\n      remoteRef: {key: token}\n'),
  });
const names = (manifests: Array<Record<string, unknown>>) => manifests.map((m) => (m.metadata as { name: string }).name).sort();

async function render(parameters?: Array<{ name: string; string: string }>, extra: Partial<Parameters<typeof renderWithCmp>[0]> = {}) {
  const { repo } = app();
  return renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: repo,
    appPath: 'apps/app',
    app: { name: 'app', destNamespace: 'team', plugin: { name: NAME, ...(parameters ? { parameters } : {}) } },
    sidecarEnv: sidecarEnv(),
    ...extra,
  });
}

Argo('directory semantics: no recursion by default, *.yaml|yml|json only, skip marker honoured', async () => {
  const { manifests } = await render();
  assert.equal(names(manifests), ['es', 'skip', 'top']);
});

Argo('parameters: recurse, include and exclude (Argo globs: * crosses /)', async () => {
  assert.equal(names((await render([{ name: 'recurse', string: 'true' }])).manifests), ['deep', 'es', 'nested', 'skip', 'top']);
  const excluded = await render([
    { name: 'recurse', string: 'true' },
    { name: 'exclude', string: '{skip.yaml,sub/*}' },
  ]);
  assert.equal(names(excluded.manifests), ['es', 'top']);
  const included = await render([
    { name: 'recurse', string: 'true' },
    { name: 'include', string: '*deep*' },
  ]);
  assert.equal(names(included.manifests), ['deep']);
});

Argo('plugin env works like parameters (ARGOCD_ENV_ prefix)', async () => {
  const { repo } = app();
  const { manifests } = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: repo,
    appPath: 'apps/app',
    app: { name: 'app', destNamespace: 'team', plugin: { name: NAME, env: [{ name: 'RECURSE', value: 'true' }] } },
    sidecarEnv: sidecarEnv(),
  });
  assert.ok(names(manifests).includes('deep'));
});

Argo('a tenant cannot reach admin settings through parameters or plugin env', async () => {
  const { repo } = app();
  const r = await renderWithCmp({
    pluginYaml: PLUGIN_YAML,
    repoDir: repo,
    appPath: 'apps/app',
    app: {
      name: 'app',
      destNamespace: 'team',
      plugin: {
        name: NAME,
        env: [
          { name: 'ESO_PLUGIN_CONFIG_DIR', value: '/tmp/evil' },
          { name: 'ESO_PLUGIN_DEBUG', value: 'true' },
        ],
        parameters: [{ name: 'singleTenant', string: 'true' }],
      },
    },
    sidecarEnv: sidecarEnv(),
  });
  assert.match(r.stderr, /ignoring ARGOCD_ENV_ESO_PLUGIN_CONFIG_DIR: argocd-eso-plugin has no app parameter/);
  assert.match(r.stderr, /ignoring PARAM_SINGLETENANT/);
  assert.not.match(r.stderr, /debug:/);
});

Argo('a plugin name without the version is not found', async () => {
  const { repo } = app();
  try {
    await renderWithCmp({ pluginYaml: PLUGIN_YAML, repoDir: repo, appPath: 'apps/app', app: { name: 'app', destNamespace: 'team', plugin: { name: 'argocd-eso-plugin' } }, sidecarEnv: sidecarEnv() });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, CmpError);
    assert.is((e as CmpError).stage, 'select');
  }
});

Argo('the opt-in discovery variant matches apps with ExternalSecrets, and only those', async () => {
  const pluginYaml = join(ROOT, 'plugin/plugin-discovery.yaml');
  const { repo } = app();
  const found = await renderWithCmp({ pluginYaml, repoDir: repo, appPath: 'apps/app', app: { name: 'app', destNamespace: 'team', plugin: {} }, sidecarEnv: sidecarEnv() });
  assert.ok(found.manifests.some((m) => m.kind === 'Secret'));
  const plain = makeApp({ 'cm.yaml': cm('x') });
  try {
    await renderWithCmp({ pluginYaml, repoDir: plain.repo, appPath: 'apps/app', app: { name: 'app', destNamespace: 'team', plugin: {} }, sidecarEnv: sidecarEnv() });
    assert.unreachable('an app without ExternalSecrets must not match');
  } catch (e) {
    assert.is((e as CmpError).stage, 'select');
  }
});

Argo('Argo’s deadline: SIGTERM fails the render with empty stdout and a clear message', async () => {
  try {
    await render(undefined, { timeoutMs: 3000, sidecarEnv: sidecarEnv({ NODE_OPTIONS: `--import=${SLOW}`, SLOW_FS_MS: '20000', ESO_PLUGIN_DIST: esmOnlyDist() }) });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, CmpError);
    const err = e as CmpError;
    assert.is(err.stage, 'timeout');
    assert.match(err.stderr, /error: terminated by SIGTERM before the render finished; nothing was printed/);
  }
});

Argo('our own deadline (ESO_PLUGIN_DEADLINE) fails first, with empty stdout', () => {
  const { app: dir } = app();
  const r = runCli(['generate'], { cwd: dir, env: { ARGOCD_APP_NAMESPACE: 'team', ESO_PLUGIN_DEADLINE: '1', NODE_OPTIONS: `--import=${SLOW}`, SLOW_FS_MS: '5000' } });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /error: the render did not finish within 1 s \(ESO_PLUGIN_DEADLINE\); nothing was printed/);
});

Argo('the sidecar starts the CLI from the startup snapshot (plugin/argocd-eso-plugin), the same output as the bundle', async () => {
  const fromBlob = await render(undefined, { sidecarEnv: sidecarEnv({ ESO_PLUGIN_DEBUG: 'true' }) });
  assert.match(fromBlob.stderr, /debug: argocd-eso-plugin \S+ on Node v\S+, started from the V8 startup snapshot/);
  const fromBundle = await render(undefined, { sidecarEnv: sidecarEnv({ ESO_PLUGIN_DEBUG: 'true', ESO_PLUGIN_DIST: esmOnlyDist() }) });
  assert.match(fromBundle.stderr, /started from its bundle/);
  assert.ok(fromBlob.stdout.length > 0);
  assert.is(fromBlob.stdout, fromBundle.stdout);
  assertNoCanary(fromBlob.stderr, CANARY, 'debug stderr');
});

Argo('debug output (admin env) shows counts and timings, never values', () => {
  const { app: dir } = app();
  const r = runCli(['generate'], { cwd: dir, env: { ARGOCD_APP_NAMESPACE: 'team', ESO_PLUGIN_DEBUG: 'true' } });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /debug: loaded \d+ file\(s\)/);
  assert.match(r.stderr, /debug: rendered in \d+ ms; reads after dedupe/);
  assertNoCanary(r.stderr, CANARY, 'debug stderr');
});

Argo('check validates without output and reports counts', () => {
  const { app: dir } = app();
  const r = runCli(['check'], { cwd: dir, env: { ARGOCD_APP_NAMESPACE: 'team' } });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'ok: 1 ExternalSecret(s), 1 store(s)\n');
});

Argo('discover prints a line only for apps holding ExternalSecrets', () => {
  assert.is(runCli(['discover'], { cwd: app().app }).stdout, 'ExternalSecrets found\n');
  const plain = runCli(['discover'], { cwd: makeApp({ 'cm.yaml': cm('x') }).app });
  assert.is(plain.status, 0);
  assert.is(plain.stdout, '');
});

Argo('--help and --version', () => {
  assert.match(runCli(['--help']).stdout, /argocd-eso-plugin generate \[DIR\]/);
  assert.is(runCli(['--version']).stdout, '0.1.0\n');
});

Argo.run();

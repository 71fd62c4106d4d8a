// How the tools are run: exact argv as Argo CD builds it, the clean env, the deadline share
// (process group killed), the output cap. Fake `helm`/`kustomize` scripts stand in for the tools.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runTool, type ToolContext } from '../../src/source/exec.js';
import { appParameters, FIXTURES, runCli, tempRepo } from './support.js';

/** A fake tool that writes its argv (one per line) and env to files, then fails so nothing renders. */
function fakeTool(dir: string, name: string, body = ''): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/${name}.argv"\nenv > "${dir}/${name}.env"\npwd > "${dir}/${name}.cwd"\n${body}\necho "fake ${name} failed" >&2\nexit 3\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

const ARGO = { ARGOCD_APP_NAME: 'argocd_web', ARGOCD_APP_NAMESPACE: 'demo', ARGOCD_APP_REVISION: '0123456789abcdef' };

test("helm argv in Argo's order (util/helm/cmd.go:template), value files resolved to real paths, tenant env kept away", () => {
  const tools = tempRepo();
  try {
    const helm = fakeTool(tools.root, 'helm');
    const r = runCli(['generate'], join(FIXTURES, 'helm'), {
      ...ARGO,
      ESO_PLUGIN_HELM_BINARY: helm,
      KUBE_VERSION: '1.31.2',
      KUBE_API_VERSIONS: 'apps/v1,v1',
      AWS_SECRET_ACCESS_KEY: 'sidecar-aws-secret',
      AZURE_CLIENT_SECRET: 'sidecar-azure-secret',
      ESO_PLUGIN_CONFIG_DIR: '',
      ARGOCD_ENV_TENANT: 'tenant-value',
      ARGOCD_APP_PARAMETERS: appParameters(
        { name: 'helm-parameters', map: { 'image.tag': '$ARGOCD_APP_REVISION', list: '{a,b}' } },
        { name: 'helm-string-parameters', map: { port: '80' } },
        { name: 'helm-file-parameters', map: { motd: 'files/motd.txt' } },
        { name: 'helm-value-files', array: ['values-prod.yaml'] },
        { name: 'helm-values', string: 'a: 1\n' },
      ),
      PARAM_HELM_SKIP_TESTS: 'true',
    });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /error: helm template fixtures\/helm failed \(exit status 3\):\nfake helm failed/);
    const chart = join(FIXTURES, 'helm');
    const argv = readFileSync(join(tools.root, 'helm.argv'), 'utf8').trimEnd().split('\n');
    assert.match(argv[19] ?? '', /\/eso-plugin-helm-[^/]+\/values\.yaml$/, 'helm-values go through a temp file, last');
    argv[19] = '<helm-values file>';
    assert.equal(argv, [
      'template',
      '.',
      '--name-template',
      'web',
      '--namespace',
      'demo',
      '--kube-version',
      '1.31.2',
      '--set',
      'image.tag=0123456789abcdef',
      '--set',
      'list={a,b}',
      '--set-string',
      'port=80',
      '--set-file',
      `motd=${join(chart, 'files/motd.txt')}`,
      '--values',
      join(chart, 'values-prod.yaml'),
      '--values',
      '<helm-values file>',
      '--api-versions',
      'apps/v1',
      '--api-versions',
      'v1',
      '--include-crds',
      '--skip-tests',
    ]);
    assert.is(readFileSync(join(tools.root, 'helm.cwd'), 'utf8').trim(), chart, 'cwd = the chart');
    const env = readFileSync(join(tools.root, 'helm.env'), 'utf8');
    assert.not.match(env, /AWS_|AZURE_|ESO_PLUGIN_|ARGOCD_|PARAM_|sidecar-|tenant-value/);
    assert.match(env, /^HOME=.*eso-plugin-helm-.*\/home$/m);
    assert.match(env, /^HELM_CONFIG_HOME=/m);
  } finally {
    tools.dispose();
  }
});

test('kustomize argv: build <app> <admin build options>, and with --enable-helm the cluster versions (parseKustomizeBuildOptions)', () => {
  const tools = tempRepo();
  try {
    const kustomize = fakeTool(tools.root, 'kustomize');
    const app = join(FIXTURES, 'kustomize', 'overlays', 'prod');
    const r = runCli(['generate'], app, {
      ...ARGO,
      ESO_PLUGIN_KUSTOMIZE_BINARY: kustomize,
      ESO_PLUGIN_KUSTOMIZE_BUILD_OPTIONS: '--enable-helm --load-restrictor LoadRestrictionsNone',
      KUBE_VERSION: '1.31.2',
      KUBE_API_VERSIONS: 'apps/v1,v1',
    });
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.equal(readFileSync(join(tools.root, 'kustomize.argv'), 'utf8').trimEnd().split('\n'), [
      'build',
      app,
      '--enable-helm',
      '--load-restrictor',
      'LoadRestrictionsNone',
      '--helm-kube-version',
      '1.31.2',
      '--helm-api-versions',
      'apps/v1',
      '--helm-api-versions',
      'v1',
    ]);
    const root = join(FIXTURES, '..');
    assert.is(readFileSync(join(tools.root, 'kustomize.cwd'), 'utf8').trim(), root, 'cwd = repo root, as Argo');
    const env = readFileSync(join(tools.root, 'kustomize.env'), 'utf8');
    assert.match(env, /^HTTPS_PROXY=http:\/\/127\.0\.0\.1:9$/m);
    assert.match(env, /^GIT_ALLOW_PROTOCOL=file$/m);
  } finally {
    tools.dispose();
  }
});

test('deadline share: the tool and what it started are killed, nothing on stdout', () => {
  const tools = tempRepo();
  try {
    const pidFile = join(tools.root, 'child.pid');
    const helm = fakeTool(tools.root, 'helm', `sleep 30 &\necho $! > "${pidFile}"\nwait`);
    const started = Date.now();
    const r = runCli(['generate'], join(FIXTURES, 'helm'), { ...ARGO, ESO_PLUGIN_HELM_BINARY: helm, ESO_PLUGIN_DEADLINE: '2' });
    assert.ok(Date.now() - started < 10_000, 'stopped well before the child would have');
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /helm template fixtures\/helm did not finish within its share of the deadline/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      } catch {
        alive = false;
      }
    }
    assert.is(alive, false, "the tool's own child was killed with its process group");
  } finally {
    tools.dispose();
  }
});

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  env: { PATH: process.env.PATH },
  allowNetwork: false,
  deadline: Date.now() + 10_000,
  signal: undefined,
  maxOutputBytes: 1024,
  warn: () => {},
  debug: () => {},
  ...over,
});

test('output cap: a tool printing more than the limit is stopped and fails', async () => {
  const home = tempRepo();
  try {
    const err = await runTool(ctx(), { command: 'yes', args: ['x'], cwd: home.root, home: join(home.root, 'h'), label: 'yes' }).catch((e: Error) => e);
    assert.instance(err, Error);
    assert.match((err as Error).message, /yes printed more than 1024 bytes/);
  } finally {
    home.dispose();
  }
});

test('an aborted render stops the tool', async () => {
  const home = tempRepo();
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await runTool(ctx({ signal: controller.signal }), { command: 'sleep', args: ['30'], cwd: home.root, home: join(home.root, 'h'), label: 'sleep' }).catch((e: Error) => e);
    assert.match((err as Error).message, /sleep was stopped: the render was aborted/);
  } finally {
    home.dispose();
  }
});

test('a successful tool: stdout returned whole, its stderr not an error', async () => {
  const home = tempRepo();
  try {
    const out = await runTool(ctx({ maxOutputBytes: 1 << 20 }), { command: 'sh', args: ['-c', 'printf "a: 1\\n"; echo warn >&2'], cwd: home.root, home: join(home.root, 'h'), label: 'sh' });
    assert.is(Buffer.from(out).toString(), 'a: 1\n');
  } finally {
    home.dispose();
  }
});

test.run();

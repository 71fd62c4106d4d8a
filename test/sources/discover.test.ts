// The discovery snippet for the opt-in plugin.yaml variant, exactly as docs/sources.md shows it,
// run with `sh -c` in the app path as Argo's cmp-server runs find.command.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES, ROOT, tempRepo } from './support.js';

const doc = readFileSync(join(ROOT, 'docs', 'sources.md'), 'utf8');
const block = /<!-- discover\.sh -->\n```sh\n([\s\S]*?)\n```/.exec(doc);
const SNIPPET = block?.[1] ?? '';

function discover(cwd: string): { code: number | null; stdout: string } {
  const r = spawnSync('sh', ['-c', SNIPPET], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return { code: r.status, stdout: r.stdout };
}

test('the snippet is in docs/sources.md', () => {
  assert.ok(SNIPPET.includes('ExternalSecret'), 'docs/sources.md has a <!-- discover.sh --> sh block');
});

test('matches the fixtures: Kustomize overlay (ExternalSecret in its base), Helm chart, directory app', () => {
  for (const dir of ['kustomize/overlays/prod', 'kustomize/base', 'helm', 'demo']) {
    const r = discover(join(FIXTURES, dir));
    assert.is(r.code, 0, dir);
    assert.ok(r.stdout.trim() !== '', `${dir} matches`);
    assert.is(r.stdout.trim().split('\n').length, 1, 'one line is enough');
  }
});

test('follows local bases recursively; no match and exit 0 without ExternalSecrets', () => {
  const repo = tempRepo({
    'apps/web/kustomization.yaml': 'resources:\n  - "../mid"\n  - cm.yaml\n',
    'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'apps/mid/kustomization.yaml': 'resources:\n- ../base  # comment\n',
    'apps/base/kustomization.yaml': 'resources: [es.yaml]\n',
    'apps/base/es.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    'plain/a.yaml': '# kind: ExternalSecret in a comment of a file without the API group\nkind: ConfigMap\n',
  });
  try {
    for (const dir of ['apps/web', 'chart', 'plain']) assert.equal(discover(join(repo.root, dir)), { code: 0, stdout: '' }, dir);
    const es = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: x}\n';
    const withEs = tempRepo({
      'apps/web/kustomization.yaml': 'resources:\n  - ../mid\n',
      'apps/mid/kustomization.yaml': 'resources:\n  - ../base\n',
      'apps/base/kustomization.yaml': 'resources: [es.yaml]\n',
      'apps/base/es.yaml': es,
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/es.yaml': es.replace('name: x', 'name: {{ .Release.Name }}'),
    });
    try {
      assert.is(discover(join(withEs.root, 'apps/web')).stdout, './../mid/../base/es.yaml\n');
      assert.is(discover(join(withEs.root, 'chart')).stdout, 'templates/es.yaml\n');
    } finally {
      withEs.dispose();
    }
  } finally {
    repo.dispose();
  }
});

test.run();

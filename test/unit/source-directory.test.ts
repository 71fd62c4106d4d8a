/**
 * The directory source's listing (node:fs walk that replaced fast-glob): Argo's file selection,
 * walk order, `.git` never read, symlinked directories never followed.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readDirectorySource } from '../../src/source/directory.js';
import { tempDir } from '../support/plugin.js';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

function tree(): string {
  const root = tempDir('eso-dir-');
  const files: Record<string, string> = {
    'b.yaml': CM('b'),
    'a.yml': CM('a'),
    '.dot.yaml': CM('dot'),
    'notes.txt': 'not a manifest',
    'sub/c.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}',
    'sub/deeper/d.yaml': CM('d'),
    '.hidden/e.yaml': CM('e'),
    '.git/config.yaml': CM('git'),
    'sub/.git/f.yaml': CM('nested-git'),
    'outside/g.yaml': CM('g'),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  symlinkSync(join(root, 'sub', 'deeper'), join(root, 'linked-dir'));
  return root;
}

test('without recurse: top-level manifests only, dot files included, lexical order', async () => {
  const root = tree();
  const files = await readDirectorySource(root, root, { recurse: false, include: undefined, exclude: undefined });
  assert.equal(
    files.map((f) => f.path),
    ['.dot.yaml', 'a.yml', 'b.yaml'],
  );
});

test('with recurse: sub-directories in walk order, .git never read, symlinked directories not followed', async () => {
  const root = tree();
  const files = await readDirectorySource(root, root, { recurse: true, include: undefined, exclude: undefined });
  assert.equal(
    files.map((f) => f.path),
    ['.dot.yaml', '.hidden/e.yaml', 'a.yml', 'b.yaml', 'outside/g.yaml', 'sub/c.json', 'sub/deeper/d.yaml'],
  );
});

test('include/exclude globs apply to the path relative to the app', async () => {
  const root = tree();
  const files = await readDirectorySource(root, root, { recurse: true, include: '{sub/*,*.yml}', exclude: '*.json' });
  assert.equal(
    files.map((f) => f.path),
    ['a.yml', 'sub/deeper/d.yaml'],
  );
});

test.run();

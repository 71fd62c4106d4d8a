import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import { tempDir } from '../support/plugin.js';

const Creds = suite('credentials directory (<namespace>/<secret>/<key>)');

/** The layout kubelet writes for a projected Secret volume: files are links into a ..data dir. */
function kubeletLayout(root: string, namespace: string, secret: string, files: Record<string, string>) {
  const dir = join(root, namespace, secret);
  const ts = join(dir, '..2026_11_23_10_00_00.000000001');
  mkdirSync(ts, { recursive: true });
  for (const [k, v] of Object.entries(files)) writeFileSync(join(ts, k), v);
  symlinkSync('..2026_11_23_10_00_00.000000001', join(dir, '..data'));
  for (const k of Object.keys(files)) symlinkSync(join('..data', k), join(dir, k));
}

Creds('reads through kubelet ..data symlinks that stay under the root', async () => {
  const root = tempDir();
  kubeletLayout(root, 'team', 'aws-creds', { 'access-key': 'AKIA', 'secret-key': 'shh' });
  const c = credentialsDirectory(root);
  assert.is(new TextDecoder().decode(await c.read('team', 'aws-creds', 'secret-key')), 'shh');
});

Creds('refuses links that leave the root', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'team', 'evil'), { recursive: true });
  symlinkSync('/etc/passwd', join(root, 'team', 'evil', 'key'));
  await credentialsDirectory(root)
    .read('team', 'evil', 'key')
    .then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /credential team\/evil\/key: resolves outside the credentials directory/),
    );
});

Creds('refuses path tricks in names and keys', async () => {
  const c = credentialsDirectory(tempDir());
  for (const [ns, name, key] of [['..', 'x', 'y'], ['team', '../other', 'k'], ['team', 's', '../../etc/passwd'], ['team', 's', '..']]) {
    await c.read(ns!, name!, key!).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /invalid namespace, secret name or key/),
    );
  }
});

Creds('a missing credential says what the admin must project', async () => {
  await credentialsDirectory(tempDir())
    .read('team', 'aws', 'id')
    .then(
      () => assert.unreachable(),
      (e: Error & { hint?: string }) => {
        assert.match(e.message, /credential team\/aws\/id: not found in the credentials directory/);
        assert.match(e.hint ?? '', /project key "id" of Secret "aws"/);
      },
    );
});

Creds('no credentials directory configured', async () => {
  await credentialsDirectory(undefined)
    .read('team', 'aws', 'id')
    .then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /no credentials directory is configured/),
    );
});

Creds('re-read on every call: a rotated file is seen at once', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'team', 's'), { recursive: true });
  writeFileSync(join(root, 'team', 's', 'k'), 'one');
  const c = credentialsDirectory(root);
  assert.is(new TextDecoder().decode(await c.read('team', 's', 'k')), 'one');
  writeFileSync(join(root, 'team', 's', 'k'), 'two');
  assert.is(new TextDecoder().decode(await c.read('team', 's', 'k')), 'two');
});

Creds.run();

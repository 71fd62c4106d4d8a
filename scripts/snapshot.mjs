// Builds dist/cli.blob, the V8 startup snapshot the image starts the CLI from (src/cli/snapshot.ts,
// plugin/argocd-eso-plugin). `node scripts/snapshot.mjs [dist]`; the Dockerfile runs it with the
// image's own Node, because a blob only loads in the Node binary that built it.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function buildSnapshot(dist) {
  const blob = join(dist, 'cli.blob');
  rmSync(blob, { force: true });
  // A clean env: nothing of the builder's environment may end up in the snapshot's heap.
  const r = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(dist, 'snapshot.cjs')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    rmSync(blob, { force: true });
    throw new Error(`node --build-snapshot failed (exit ${r.status ?? r.signal})`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildSnapshot(resolve(process.argv[2] ?? 'dist'));

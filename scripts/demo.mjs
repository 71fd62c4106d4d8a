// `npm run demo`: renders fixtures/demo the way Argo CD would run the plugin (cwd = app path,
// Argo's env), with the fake provider — no cloud, no cluster.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = {
  // The launcher the image runs (plugin/argocd-eso-plugin): from dist/cli.blob, the startup snapshot.
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  ESO_PLUGIN_DIST: `${root}dist`,
  HOME: process.env.HOME,
  ARGOCD_APP_NAME: 'eso-plugin-demo',
  ARGOCD_APP_NAMESPACE: 'eso-demo',
  ARGOCD_APP_PROJECT_NAME: 'default',
  ARGOCD_APP_SOURCE_PATH: 'fixtures/demo',
};
process.stderr.write('# argocd-eso-plugin generate (fixtures/demo, destination namespace eso-demo)\n');
const r = spawnSync(`${root}plugin/argocd-eso-plugin`, ['generate'], { cwd: `${root}fixtures/demo`, env, stdio: 'inherit' });
process.exit(r.status ?? 1);

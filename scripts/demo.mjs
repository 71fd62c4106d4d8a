// `npm run demo`: renders fixtures/demo the way Argo CD would run the plugin (cwd = app path,
// Argo's env), with the fake provider — no cloud, no cluster.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ARGOCD_APP_NAME: 'eso-plugin-demo',
  ARGOCD_APP_NAMESPACE: 'eso-demo',
  ARGOCD_APP_PROJECT_NAME: 'default',
  ARGOCD_APP_SOURCE_PATH: 'fixtures/demo',
};
process.stderr.write('# argocd-eso-plugin generate (fixtures/demo, destination namespace eso-demo)\n');
const r = spawnSync(process.execPath, [`${root}dist/cli.mjs`, 'generate'], { cwd: `${root}fixtures/demo`, env, stdio: 'inherit' });
process.exit(r.status ?? 1);

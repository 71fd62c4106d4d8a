// The ES module entry (dist/cli.mjs): `node dist/cli.mjs <command>`. The image starts the same CLI
// from a V8 startup snapshot instead when it has one (snapshot.ts, plugin/argocd-eso-plugin).
import { runCli } from './cli.js';

runCli(process.argv.slice(2), 'bundle');

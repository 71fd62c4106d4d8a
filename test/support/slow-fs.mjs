// Preloaded with NODE_OPTIONS=--import in tests that need a render still running when a deadline
// or SIGTERM arrives: every fs.promises.readFile of a manifest waits SLOW_FS_MS first. Test-only; never shipped.
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const delay = Number(process.env.SLOW_FS_MS ?? 10000);
const readFile = fs.readFile;
// Only manifests: Node's ESM loader reads modules through the same function.
fs.readFile = async (...args) => {
  if (/\.(ya?ml|json)$/.test(String(args[0]))) await new Promise((r) => setTimeout(r, delay));
  return readFile(...args);
};
syncBuiltinESMExports();

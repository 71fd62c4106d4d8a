// The pass-through floor (scenario 5): read the app's files in order, parse each stream with
// `yaml` (YAML 1.1, as the plugin does) and print it back — the least any YAML-aware plugin
// must do with the same documents. Bundled by the bench with the plugin's esbuild settings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const dir = process.argv[2]!;
let out = '';
for (const name of readdirSync(dir).sort()) {
  const docs = parseAllDocuments(readFileSync(join(dir, name), 'utf8'), { version: '1.1' });
  if (!Array.isArray(docs)) continue;
  for (const doc of docs) {
    if (doc.errors.length) throw doc.errors[0];
    out += `---\n${doc.toString()}`;
  }
}
process.stdout.write(out);

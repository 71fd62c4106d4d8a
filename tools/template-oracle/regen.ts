// Regenerates test/template/vectors.json by rendering every oracle case of the corpus with
// real Go text/template + Sprig (tools/template-oracle/main.go). Dev-only; CI reads the JSON.
// Usage: tools/template-oracle/build.sh && node --import tsx tools/template-oracle/regen.ts [/tmp/template-oracle]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { corpus } from '../../test/template/corpus.js';

const oracle = process.argv[2] ?? '/tmp/template-oracle';
const cases = corpus.filter((c) => c.oracle !== false || c.crossCheck);
const input = cases.map((c) => ({
  name: c.name,
  template: c.template,
  data: c.data ?? {},
  dataB64: c.dataB64 ?? {},
  missingKey: c.missingKey ?? 'error',
  delims: c.delims ?? [],
}));
const out = JSON.parse(execFileSync(oracle, { input: JSON.stringify(input), maxBuffer: 64 << 20 }).toString('utf8')) as {
  name: string;
  outputB64: string;
  error?: string;
}[];
const vectors: Record<string, { output?: string; outputB64?: string; error?: string }> = {};
for (const r of out) {
  if (r.error) {
    vectors[r.name] = { error: r.error };
    continue;
  }
  const b = Buffer.from(r.outputB64, 'base64');
  const text = b.toString('utf8');
  vectors[r.name] = Buffer.from(text, 'utf8').equals(b) ? { output: text } : { outputB64: r.outputB64 };
}
writeFileSync(new URL('../../test/template/vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 1)}\n`);
console.log(`${cases.length} cases rendered by the oracle into test/template/vectors.json`);

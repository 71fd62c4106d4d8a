/**
 * Cold start: the Azure SDKs (@azure/identity alone ≈200 ms) must load only when a render uses
 * Azure. Bundles the provider registry the way scripts/build.mjs bundles the CLI (ESM, split
 * chunks) and checks that no @azure module is in the entry chunk, only in lazily imported chunks.
 */
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('registry entry chunk holds no Azure SDK code; the SDKs sit in dynamic-import chunks', async () => {
  const result = await build({
    entryPoints: { registry: 'src/providers/registry.ts' },
    outdir: '/tmp/azure-lazy-check',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === 'src/providers/registry.ts');
  assert.ok(entry, 'entry output');
  const azureIn = (o: (typeof outputs)[number][1]) => Object.keys(o.inputs).filter((i) => i.includes('node_modules/@azure/'));
  assert.equal(azureIn(entry![1]), [], 'no @azure module in the entry chunk');
  // The entry imports no chunk statically that contains Azure code.
  for (const imp of entry![1].imports.filter((i) => i.kind === 'import-statement')) {
    const chunk = result.metafile.outputs[imp.path];
    assert.equal(chunk ? azureIn(chunk) : [], [], `static import ${imp.path} holds Azure code`);
  }
  assert.ok(outputs.some(([, o]) => azureIn(o).some((i) => i.includes('@azure/identity'))), 'identity is bundled in some chunk');
});

test.run();

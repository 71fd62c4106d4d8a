// Bundles the CLI with esbuild: one ESM entry plus split chunks, so provider SDKs
// (behind dynamic import()) are read from disk only when a render uses them.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// `yaml` ships the same code twice: dist/ (CommonJS, what the "node" export condition picks) and
// browser/dist/ (ES modules). The ES build lets esbuild hoist and tree-shake it instead of wrapping
// ~70 CommonJS modules in lazy closures: ~10 ms less CPU at every start (bench/README.md). The two
// differ only where the node build reaches for Node: !!binary becomes a Uint8Array instead of a
// Buffer (same bytes, same output), a toJS warning goes to console.warn instead of
// process.emitWarning, and the LOG_TOKENS/LOG_STREAM debug switches — which would print parser
// internals on stdout, into the manifests — are absent.
const yamlEsm = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
const yamlAsEsm = { name: 'yaml-esm', setup: (b) => b.onResolve({ filter: /^yaml$/ }, () => ({ path: yamlEsm })) };

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // CJS dependencies bundled into ESM call require() for Node built-ins.
  banner: { js: '#!/usr/bin/env node\nimport{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  define: { __VERSION__: JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version) },
  plugins: [yamlAsEsm],
  logLevel: 'warning',
});
await chmod('dist/cli.mjs', 0o755);

// Bundles the CLI with esbuild: one ESM entry plus split chunks, so provider SDKs
// (behind dynamic import()) are read from disk only when a render uses them.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

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
  logLevel: 'warning',
});
await chmod('dist/cli.mjs', 0o755);

// Bundles the CLI with esbuild: one ESM entry plus split chunks, so provider SDKs
// (behind dynamic import()) are read from disk only when a render uses them.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSnapshot } from './snapshot.mjs';

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
const common = { bundle: true, platform: 'node', target: 'node20', minify: true, sourcemap: false, legalComments: 'none', logLevel: 'warning' };
// CJS dependencies bundled into ESM call require() for Node built-ins.
const requireShim = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';
const splitEsm = { splitting: true, format: 'esm', outExtension: { '.js': '.mjs' }, chunkNames: 'chunks/[name]-[hash]' };
const version = JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version);
await build({
  ...common,
  ...splitEsm,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  banner: { js: `#!/usr/bin/env node\n${requireShim}` },
  define: { __VERSION__: version },
  plugins: [yamlAsEsm],
});
await chmod('dist/cli.mjs', 0o755);

// The same CLI as one CommonJS file for `node --build-snapshot` (src/cli/snapshot.ts): a snapshot
// entry may require only built-ins, so nothing is split. The provider SDKs stay out of it (their
// source would make the blob 4 MB larger, and every start reads the whole blob): they are built
// once more as ES modules in dist/vendor/ and required from there (require(esm); a process started
// from a snapshot has no dynamic import()) the first time a render uses one. Only third-party
// packages go there, so every class of ours has one identity.
const VENDOR = {
  'aws-secrets-manager': '@aws-sdk/client-secrets-manager',
  'aws-ssm': '@aws-sdk/client-ssm',
  'aws-sts': '@aws-sdk/client-sts',
  'azure-identity': '@azure/identity',
  'azure-keyvault-secrets': '@azure/keyvault-secrets',
  'azure-keyvault-keys': '@azure/keyvault-keys',
  'azure-keyvault-certificates': '@azure/keyvault-certificates',
  'node-forge': 'node-forge',
};
await build({
  ...common,
  ...splitEsm,
  entryPoints: VENDOR,
  outdir: 'dist/vendor',
  banner: { js: requireShim },
});
const byPackage = new Map(Object.entries(VENDOR).map(([file, pkg]) => [pkg, file]));
const vendorRequire = {
  name: 'vendor-require',
  setup(b) {
    // import('node:…') would stay an import() in CommonJS output: make it a require().
    b.onResolve({ filter: /^node:/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, namespace: 'builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ loader: 'js', contents: `module.exports = require(${JSON.stringify(a.path)});` }));
    b.onResolve({ filter: /^(@aws-sdk|@azure|node-forge)/ }, (a) => {
      const file = byPackage.get(a.path);
      if (!file) throw new Error(`${a.path} (imported by ${a.importer}) is not in the vendor list of scripts/build.mjs`);
      return { path: file, namespace: 'vendor' };
    });
    // __dirname is dist/ where the blob is built (in place: the Dockerfile builds it in the image).
    // A CommonJS package bundled as ESM is `{ __esModule, default: module.exports }`: hand the
    // importer module.exports, as the split ESM build does.
    b.onLoad({ filter: /.*/, namespace: 'vendor' }, (a) => ({
      loader: 'js',
      contents: `const ns = require('node:module').createRequire(__dirname + '/')('./vendor/${a.path}.mjs');
module.exports = ns.__esModule === true && 'default' in ns && Object.keys(ns).length === 2 ? ns.default : ns;`,
    }));
  },
};
await build({
  ...common,
  entryPoints: { snapshot: 'src/cli/snapshot.ts' },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { __VERSION__: version },
  plugins: [yamlAsEsm, vendorRequire],
});

if (/\bimport\(/.test(await readFile('dist/snapshot.cjs', 'utf8'))) throw new Error('dist/snapshot.cjs has an import(), which fails in a process started from a snapshot');

// The blob is tied to the Node binary that builds it; the image rebuilds it with its own Node.
if (!process.argv.includes('--no-snapshot')) await buildSnapshot('dist');

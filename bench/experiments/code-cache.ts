/**
 * `node --import tsx bench/experiments/code-cache.ts [runs]` — would a V8 code cache pay on Node 20?
 *
 * Node 20 has no compile cache for ES modules, and Node 22+'s module.enableCompileCache() caches
 * code as compiled *before* it runs (measured on 24.21: no gain for us), so the lazily compiled
 * yaml parser — most of a small render — is never in it. The experiment: the same sources bundled
 * as one CommonJS file, run through vm.Script with cachedData produced by createCachedData()
 * *after* a training render of fixtures/demo (so it holds the functions that ran), against the
 * shipped ESM build, in the same run. Not shipped: see bench/README.md ("Code cache").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { childEnv, type Command, measure } from '../lib/process.js';
import { median } from '../lib/stats.js';
import { APP_ENV, plainApp } from '../scenarios/cold-start.js';

const root = resolve(new URL('../..', import.meta.url).pathname);
const runs = Number(process.argv[2] ?? 20);
const scratch = mkdtempSync(join(tmpdir(), 'eso-codecache-'));
try {
  const yamlEsm = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
  const out = join(scratch, 'cjs');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(out, 'main.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    define: { __VERSION__: '"experiment"' },
    plugins: [{ name: 'yaml-esm', setup: (b) => b.onResolve({ filter: /^yaml$/ }, () => ({ path: yamlEsm })) }],
    logLevel: 'warning',
  });
  // The loader: reads main.cjs.cache if present; writes it at exit only when CODE_CACHE_TRAIN is set
  // (a build step would do that; at run time the cache is read-only).
  writeFileSync(
    join(out, 'cli.cjs'),
    `const fs = require('node:fs'), vm = require('node:vm'), path = require('node:path'), { wrap } = require('node:module');
const file = path.join(__dirname, 'main.cjs'), cacheFile = file + '.cache';
let cachedData; try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
if (process.env.CODE_CACHE_TRAIN) process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
script.runInThisContext()(exports, require, module, file, __dirname);
`,
  );
  const demo = join(root, 'fixtures', 'demo');
  const train = spawnSync(process.execPath, [join(out, 'cli.cjs'), 'generate', demo], { env: childEnv({ ...APP_ENV, CODE_CACHE_TRAIN: '1' }) });
  if (train.status !== 0) throw new Error(train.stderr.toString());
  const plain = plainApp(root, scratch);
  const esm = join(root, 'dist', 'cli.mjs');
  const cjs = join(out, 'cli.cjs');
  const commands: Command[] = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'], probe: true },
    { name: 'esm plain', argv: [process.execPath, esm, 'generate', plain], env: APP_ENV, probe: true },
    { name: 'cjs+cache plain', argv: [process.execPath, cjs, 'generate', plain], env: APP_ENV, probe: true },
    { name: 'esm demo', argv: [process.execPath, esm, 'generate', demo], env: APP_ENV, probe: true },
    { name: 'cjs+cache demo', argv: [process.execPath, cjs, 'generate', demo], env: APP_ENV, probe: true },
  ];
  const samples = measure(commands, runs, 3, scratch);
  process.stdout.write(`node ${process.version}, ${runs} runs each, medians (CPU = user + system of the child)\n`);
  for (const c of commands) {
    const s = samples.get(c.name)!;
    process.stdout.write(
      `  ${c.name.padEnd(18)} wall ${median(s.map((x) => x.ms)).toFixed(1).padStart(6)} ms   CPU ${median(s.map((x) => x.cpuMs!)).toFixed(1).padStart(6)} ms\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

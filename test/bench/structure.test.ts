/**
 * Structural performance properties, checked cheaply on every `npm test` (no timing): the entry
 * chunk stays small and free of provider SDK code (SDKs load with import() when a store uses
 * them), fast-glob stays out, and importing any src module does no I/O and registers nothing —
 * Argo starts one process per render, so work at import time is paid by every render.
 * The timed figures are `npm run bench` (bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, ROOT } from '../support/plugin.js';

/** Budget for the entry chunk and everything it imports statically (today ~180 KB: yaml ~115 KB + ours). */
const STATIC_BUDGET_BYTES = 300 * 1024;
/** Strings that survive minification in the SDK bundles (package names in user agents and errors). */
const SDK_MARKERS = ['@aws-sdk/', 'aws-sdk-js', '@smithy/', '@azure/', 'azsdk-js', 'node-forge', 'bcrypt.setRandomFallback', 'fast-glob'];

/** The entry plus the chunks it imports statically (dynamic import() chunks excluded). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    const code = readFileSync(file, 'utf8');
    // esbuild's minified static imports: import{a as b}from"./chunks/x.mjs"; / import"./chunks/x.mjs";
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*"(\.{1,2}\/[^"]+)"/g)) {
      const before = code.slice(Math.max(0, m.index! - 1), m.index!);
      if (before === '(') continue; // import("./x") is dynamic
      const dep = join(dirname(file), m[1]!);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return [...seen];
}

test('the entry chunk and its static imports hold no provider SDK code', () => {
  for (const file of staticClosure(CLI)) {
    const code = readFileSync(file, 'utf8');
    for (const marker of SDK_MARKERS) {
      assert.not.ok(code.includes(marker), `${file.slice(ROOT.length + 1)} contains ${marker}: an SDK is imported statically`);
    }
  }
});

test('the statically loaded code stays within its size budget', () => {
  const bytes = staticClosure(CLI).reduce((sum, f) => sum + statSync(f).size, 0);
  assert.ok(bytes < STATIC_BUDGET_BYTES, `entry + static chunks are ${bytes} bytes, over the ${STATIC_BUDGET_BYTES}-byte budget`);
});

test('runtime dependencies: yaml (eager) and only lazily loaded provider SDKs / node-forge / bcryptjs besides', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const lazy = (name: string) => name.startsWith('@aws-sdk/client-') || name.startsWith('@azure/') || name === 'node-forge' || name === 'bcryptjs';
  assert.equal(Object.keys(pkg.dependencies ?? {}).filter((d) => !lazy(d)), ['yaml']);
});

test('importing src modules does no I/O, starts no timers and registers no process listeners', () => {
  const src = join(ROOT, 'src');
  const modules = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => f !== join('cli', 'main.ts') && f !== join('cli', 'snapshot.ts')) // the entry points: running is their job
    .map((f) => join(src, f))
    .sort();
  assert.ok(modules.length > 10);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'import-probe.ts'), ...modules], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { imported: number; touched: string[] };
  assert.is(report.imported, modules.length);
  assert.equal(report.touched, [], `work at import time:\n${report.touched.join('\n')}`);
});

test.run();

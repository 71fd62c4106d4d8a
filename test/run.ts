// Runs every test/**/*.test.ts in one process with uvu and closes with the line CI reads:
// "N passed, N failed" (uvu prints only its own Total/Passed summary).
// Usage: node --import tsx test/run.ts [substring ...]   (filters test files by path)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  var UVU_DEFER: number | undefined;
  var UVU_QUEUE: unknown[][] | undefined;
  var UVU_INDEX: number | undefined;
}

const root = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

// Every temp dir the tests (and the plugin processes they start) make lands in one per-run
// directory, removed at the end: os.tmpdir() follows TMPDIR.
const runTmp = mkdtempSync(join(tmpdir(), 'eso-plugin-tests-'));
process.env.TMPDIR = runTmp;

globalThis.UVU_DEFER = 1;
globalThis.UVU_QUEUE = [];
for (const [i, file] of files.entries()) {
  globalThis.UVU_QUEUE.push([relative(process.cwd(), file)]);
  globalThis.UVU_INDEX = i;
  await import(pathToFileURL(file).href);
}

let captured = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (captured.length > 4096) captured = captured.slice(-4096);
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

const { exec } = await import('uvu');
await exec();
process.stdout.write = write;
const plain = captured.replace(/\x1b\[[0-9;]*m/g, '');
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
if (files.length === 0 || total === 0) process.exitCode = 1;
rmSync(runTmp, { recursive: true, force: true });
console.log(`${passed} passed, ${total - passed} failed${skipped ? `, ${skipped} skipped` : ''}`);

// Child of structure.test.ts: makes the I/O entry points of node:fs, node:child_process, node:net
// and timers throw, then imports every src module given on the command line. Prints a JSON report:
// modules that did I/O or registered process listeners while being imported.
import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const touched: string[] = [];
let current = '';
const srcDir = new URL('../../src/', import.meta.url).pathname;
/** Only calls made by our modules count; tsx's loader reads the sources with fs too. */
const fromSrc = () => (new Error().stack ?? '').split('\n').slice(2).some((frame) => frame.includes(srcDir));
const trap = (owner: Record<string, unknown>, names: string[], label: string) => {
  for (const name of names) {
    const original = owner[name];
    if (typeof original !== 'function') continue;
    owner[name] = (...args: unknown[]) => {
      if (fromSrc()) touched.push(`${current}: ${label}.${name}`);
      return (original as (...a: unknown[]) => unknown)(...args);
    };
  }
};
trap(fs as unknown as Record<string, unknown>, ['readFileSync', 'readdirSync', 'existsSync', 'statSync', 'lstatSync', 'openSync', 'writeFileSync', 'readFile', 'readdir', 'stat', 'lstat', 'open'], 'fs');
trap(fs.promises as unknown as Record<string, unknown>, ['readFile', 'readdir', 'stat', 'lstat', 'open', 'realpath', 'writeFile'], 'fs.promises');
trap(childProcess as unknown as Record<string, unknown>, ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
trap(net as unknown as Record<string, unknown>, ['connect', 'createConnection', 'createServer'], 'net');
trap(globalThis as unknown as Record<string, unknown>, ['setTimeout', 'setInterval', 'setImmediate', 'fetch'], 'global');
syncBuiltinESMExports();

const events = ['exit', 'SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'beforeExit'] as const;
const listeners = () => events.map((e) => process.listenerCount(e)).join(',');
const before = listeners();
for (const file of process.argv.slice(2)) {
  current = file;
  await import(pathToFileURL(file).href);
  if (listeners() !== before) touched.push(`${file}: registered a process listener`);
}
process.stdout.write(JSON.stringify({ imported: process.argv.length - 2, touched }));

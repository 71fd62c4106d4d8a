/**
 * The `directory` source, with Argo CD's semantics (reposerver/repository/repository.go:
 * getPotentiallyValidManifests / getPotentiallyValidManifestFile): a lexical walk of the app
 * path, sub-directories only with `recurse`, files named `*.yaml|*.yml|*.json` (and `.jsonnet`,
 * which we refuse rather than silently skip), include/exclude globs on the path relative to the
 * app, symlinks resolved and refused when they leave the repo, the `+argocd:skip-file-rendering`
 * marker honoured. Returns raw files; parsing is the manifest stage's job.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { PluginError } from '../errors/index.js';
import { compileArgoGlob } from './glob.js';

export interface DirectoryOptions {
  readonly recurse: boolean;
  readonly include: string | undefined;
  readonly exclude: string | undefined;
}

export interface SourceFile {
  /** Path relative to the repo root (what errors show). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface SourceLimits {
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxFileBytes: 8 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;
const SKIP_MARKER = '+argocd:skip-file-rendering';

export async function readDirectorySource(
  appDir: string,
  repoRoot: string,
  options: DirectoryOptions,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): Promise<SourceFile[]> {
  const rootReal = await realpath(repoRoot);
  const appReal = await realpath(appDir).catch(() => {
    throw new PluginError('usage', `app directory ${appDir} does not exist`);
  });
  if (!inside(rootReal, appReal)) {
    throw new PluginError('input', `app directory ${appDir} resolves outside the repository`);
  }
  const display = (abs: string) => relative(rootReal, abs) || '.';

  const include = options.include ? globOrThrow(options.include, 'include') : undefined;
  const exclude = options.exclude ? globOrThrow(options.exclude, 'exclude') : undefined;

  // Entries are listed without following symlinks (a symlinked directory is a candidate like a
  // file, then skipped by the stat below); ordering is made lexical, as filepath.Walk visits them.
  const candidates = (await listEntries(appReal, options.recurse)).sort(walkOrder);

  const files: SourceFile[] = [];
  let total = 0;
  for (const rel of candidates) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (!MANIFEST_FILE.test(name)) continue;
    const abs = join(appReal, rel);
    const shown = display(abs);
    let real = abs;
    const link = await lstat(abs);
    if (link.isSymbolicLink()) {
      real = await realpath(abs).catch(() => '');
      if (real === '') continue; // Argo skips dangling symlinks with a warning
      if (!inside(rootReal, real)) {
        throw new PluginError('input', `${shown}: symlink points outside the repository`, {
          hint: 'replace the symlink with the file itself; files outside the repo are never read',
        });
      }
    }
    const info = await stat(real);
    if (!info.isFile()) continue;
    if (exclude?.test(rel)) continue;
    if (include && !include.test(rel)) continue;
    if (name.endsWith('.jsonnet')) {
      throw new PluginError('input', `${shown}: jsonnet is not supported by argocd-eso-plugin`, {
        hint: 'render jsonnet to YAML before committing, or exclude the file with the exclude parameter',
      });
    }
    if (info.size > limits.maxFileBytes) {
      throw new PluginError('input', `${shown}: file is ${info.size} bytes, over the ${limits.maxFileBytes}-byte limit`, {
        hint: 'split it into smaller files, or exclude it with the exclude parameter',
      });
    }
    total += info.size;
    if (total > limits.maxTotalBytes) {
      throw new PluginError('input', `the app's manifests exceed ${limits.maxTotalBytes} bytes in total`, {
        hint: 'narrow the app with the include/exclude parameters',
      });
    }
    const bytes = new Uint8Array(await readFile(real));
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(SKIP_MARKER)) continue;
    files.push({ path: shown, bytes });
  }
  return files;
}

/**
 * Paths (relative, `/`-separated) of every non-directory entry under `root`, descending into
 * sub-directories only with `recurse` and never into `.git`. node:fs rather than fast-glob: the
 * only pattern we ever needed was "everything", and fast-glob with its 17 dependencies cost
 * ~20 ms of every cold start (module evaluation + its first call; bench/README.md).
 */
async function listEntries(root: string, recurse: boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix + entry.name;
      if (!entry.isDirectory()) out.push(rel);
      else if (recurse && entry.name !== '.git') await walk(join(dir, entry.name), `${rel}/`);
    }
  };
  await walk(root, '');
  return out;
}

function globOrThrow(pattern: string, which: string): RegExp {
  try {
    return compileArgoGlob(pattern);
  } catch (e) {
    throw new PluginError('usage', `invalid ${which} glob: ${(e as Error).message}`);
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** filepath.Walk order: lexical by path element, so `a/b` sorts with its directory `a`. */
function walkOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

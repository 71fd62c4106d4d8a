/**
 * Symlinks that leave the repository are refused before a tool reads the tree. Helm follows
 * symlinks when it loads a chart (`.Files.Get`, templates, subcharts) and kustomize may read what a
 * link points at, so a link to the sidecar's projected token or credentials directory would put
 * them into the rendered manifests. In Argo CD the cmp-server already refuses such links when it
 * unpacks the repo (util/io/files/tar.go:untar, "illegal filepath in symlink"); this keeps the
 * guarantee for every way the plugin is run, as the directory source does.
 */
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { PluginError } from '../errors/index.js';

const MAX_ENTRIES = 100_000;

export async function refuseEscapingSymlinks(dirReal: string, rootReal: string): Promise<void> {
  // Walk the tree without following links (a linked directory is checked as a link, not entered).
  const links: string[] = [];
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) {
        throw new PluginError('input', `${relative(rootReal, dirReal) || '.'}: more than ${MAX_ENTRIES} files to render from`, { hint: 'point the app at a smaller directory' });
      }
      const abs = join(dir, entry.name);
      if (entry.isSymbolicLink()) links.push(abs);
      else if (entry.isDirectory() && entry.name !== '.git') await walk(abs);
    }
  };
  await walk(dirReal);
  for (const abs of links) {
    const real = await realpath(abs).catch(() => undefined);
    if (real === undefined) continue; // dangling: nothing to read through it
    if (!inside(rootReal, real)) {
      throw new PluginError('input', `${relative(rootReal, abs)}: symlink points outside the repository`, {
        hint: 'replace the symlink with the file itself; files outside the repo are never read',
      });
    }
  }
}

export function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

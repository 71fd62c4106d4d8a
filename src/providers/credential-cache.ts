/**
 * A short-lived, cross-process cache of temporary provider credentials (STS session credentials)
 * in the sidecar's private tmp. Why: Argo CD starts one plugin process per render, and after a
 * mass hard refresh hundreds at once, all with the sidecar's one identity; without a shared cache
 * every render repeats the same STS chain, which is where the burst gets throttled (issue 9,
 * bench/README-aws.md). With it, one process per identity does the exchange and the others wait
 * for its entry (a lock file), then reuse it until a few minutes before it expires.
 *
 * Safety (design §4):
 * - Credentials only — never secret values. Entries are keyed by a SHA-256 of what identifies the
 *   identity (endpoint, role chain, session name, external id), so file names reveal nothing.
 * - The directory is `ESO_PLUGIN_CACHE_DIR`, else `<os.tmpdir()>/argocd-eso-plugin-<uid>`; only
 *   the sidecar's own env (admin) may change it, and `ESO_PLUGIN_CACHE=off` disables it. Tenant
 *   variables (ARGOCD_ENV_*, PARAM_*) never reach this module: the CLI builds it from adminSettings.
 * - The directory must be ours (owner = our uid, no group/other bits, not a symlink), else the cache
 *   is disabled for the render; files are created 0600 with O_EXCL and renamed into place
 *   (atomic), and read only when they are regular files we own with mode 0600 (O_NOFOLLOW).
 * - Any cache failure falls back to doing the exchange: the cache can make a render faster, never fail it.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What is cached: a few named strings (e.g. access key id, secret key, session token) and their expiry. */
export interface CacheEntry {
  /** Epoch ms at which the credentials expire (as the issuer said). */
  readonly expiresAt: number;
  readonly data: Readonly<Record<string, string>>;
}

export interface CredentialCache {
  /**
   * The entry under `key` if one is valid for at least `marginMs` more, else `fill()`'s result,
   * stored when it carries an expiry far enough ahead. Concurrent callers with the same key (in any
   * process) wait for the one filling, up to `waitMs`, rather than repeating the exchange.
   */
  getOrFill(key: readonly unknown[], fill: () => Promise<CacheEntry>): Promise<CacheEntry>;
}

export interface CacheOptions {
  readonly dir: string;
  /** Entries are used only until this long before they expire (default 5 minutes). */
  readonly marginMs?: number;
  /** How long a process waits for another one's exchange before doing its own (default 10 s). */
  readonly waitMs?: number;
  /** A lock older than this is from a process that died: ignored (default 15 s). */
  readonly staleLockMs?: number;
  readonly debug?: (message: string) => void;
  readonly now?: () => number;
}

const FORMAT = 1;

// node:crypto on first use, not imported: it costs ~7 ms at every start (render/secret.ts), and the
// module is part of the entry chunk because the CLI builds the cache for every render.
const crypto = () => process.getBuiltinModule('node:crypto');
const MAX_ENTRY_BYTES = 64 * 1024;

/** `<os.tmpdir()>/argocd-eso-plugin-<uid>`: the sidecar's /tmp is its own emptyDir (the install). */
export function defaultCacheDir(): string {
  return join(tmpdir(), `argocd-eso-plugin-${process.getuid?.() ?? 'user'}`);
}

export function fileCredentialCache(options: CacheOptions): CredentialCache {
  const margin = options.marginMs ?? 5 * 60_000;
  const waitMs = options.waitMs ?? 10_000;
  const staleLockMs = options.staleLockMs ?? 15_000;
  const now = options.now ?? Date.now;
  const debug = options.debug ?? (() => {});
  const uid = process.getuid?.();
  let usable: Promise<boolean> | undefined;

  const dirUsable = (): Promise<boolean> => {
    usable ??= (async () => {
      try {
        await mkdir(options.dir, { recursive: true, mode: 0o700 });
        const st = await lstat(options.dir);
        if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
          debug(`credential cache disabled: ${options.dir} must be a directory owned by uid ${uid} with mode 0700`);
          return false;
        }
        return true;
      } catch (e) {
        debug(`credential cache disabled: ${options.dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
        return false;
      }
    })();
    return usable;
  };

  const fresh = (entry: CacheEntry | undefined): entry is CacheEntry => entry !== undefined && entry.expiresAt - margin > now();

  const read = async (path: string): Promise<CacheEntry | undefined> => {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      const st = await handle.stat();
      if (!st.isFile() || st.uid !== uid || (st.mode & 0o077) !== 0 || st.size > MAX_ENTRY_BYTES) return undefined;
      const parsed = JSON.parse(await handle.readFile('utf8')) as { format?: unknown; expiresAt?: unknown; data?: unknown };
      if (parsed.format !== FORMAT || typeof parsed.expiresAt !== 'number' || typeof parsed.data !== 'object' || parsed.data === null) return undefined;
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed.data)) {
        if (typeof v !== 'string') return undefined;
        data[k] = v;
      }
      return { expiresAt: parsed.expiresAt, data };
    } catch {
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  };

  const write = async (path: string, entry: CacheEntry): Promise<void> => {
    const tmp = `${path}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ format: FORMAT, expiresAt: entry.expiresAt, data: entry.data }));
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
    } catch (e) {
      debug(`credential cache: could not store an entry: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      await unlink(tmp).catch(() => undefined);
    }
  };

  /** O_EXCL lock file: true when we hold it. A stale lock (its holder died) is removed once. */
  const lock = async (path: string): Promise<boolean> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.close();
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
        const st = await stat(path).catch(() => undefined);
        if (st && now() - st.mtimeMs > staleLockMs) await unlink(path).catch(() => undefined);
        else return false;
      }
    }
    return false;
  };

  const store = async (path: string, entry: CacheEntry): Promise<CacheEntry> => {
    if (fresh(entry)) await write(path, entry);
    return entry;
  };

  return {
    async getOrFill(key, fill) {
      if (!(await dirUsable())) return fill();
      const path = join(options.dir, `${crypto().createHash('sha256').update(JSON.stringify(key)).digest('hex')}.json`);
      const cached = await read(path);
      if (fresh(cached)) return cached;
      const lockPath = `${path}.lock`;
      if (await lock(lockPath)) {
        try {
          // Another process may have stored it between our read and our lock.
          const again = await read(path);
          if (fresh(again)) return again;
          return await store(path, await fill());
        } finally {
          await unlink(lockPath).catch(() => undefined);
        }
      }
      // Someone else is exchanging: wait for their entry (or their lock to go), then our own.
      const until = now() + waitMs;
      while (now() < until) {
        await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 30)));
        const entry = await read(path);
        if (fresh(entry)) return entry;
        const held = await stat(lockPath).then(
          () => true,
          () => false,
        );
        if (!held) break;
      }
      const entry = await read(path);
      if (fresh(entry)) return entry;
      return store(path, await fill());
    },
  };
}

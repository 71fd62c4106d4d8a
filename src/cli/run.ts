/**
 * The pipeline, wired: source → manifest → model → plan → providers → render → emit.
 * `generate` returns the whole stream or throws; nothing is printed from here.
 */
import { access } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { PluginError, PluginErrors } from '../errors/index.js';
import { parseFiles } from '../manifest/parse.js';
import { classify, type Classified } from '../model/index.js';
import { createFetcher } from '../plan/fetch.js';
import { type Plan, planRender } from '../plan/index.js';
import type { Policy } from '../policy/types.js';
import { credentialsDirectory } from '../providers/credentials.js';
import type { ProviderContext } from '../providers/types.js';
import { renderAll } from '../render/index.js';
import { emitStream } from '../emit/index.js';
import { readDirectorySource } from '../source/directory.js';
import { readSource } from '../source/index.js';
import { loadAdminConfig } from './config.js';
import { type AppContext, adminSettings, appContext, type Env, tenantParameters, trustedEnv } from './inputs.js';
import type { Redactor } from './redact.js';

export interface RunOptions {
  readonly dir: string;
  readonly env: Env;
  readonly flags: { readonly recurse?: boolean | undefined; readonly include?: string | undefined; readonly exclude?: string | undefined };
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
}

interface Loaded {
  readonly classified: Classified;
  readonly plan: Plan;
  readonly policy: Policy;
  readonly app: AppContext;
  readonly allowCreatedOnce: boolean;
  readonly deadline: number;
}

/** fs/promises rather than node:fs's existsSync: importing node:fs as an ES module costs a few ms per start. */
const exists = (path: string): Promise<boolean> => access(path).then(
  () => true,
  () => false,
);

/** Repo root: the app path minus ARGOCD_APP_SOURCE_PATH when Argo tells us, else the nearest .git, else the app dir. */
export async function findRepoRoot(appDir: string, sourcePath: string | undefined): Promise<string> {
  const abs = resolve(appDir);
  if (sourcePath !== undefined && sourcePath !== '' && sourcePath !== '.') {
    const rel = sourcePath.replace(/^\.\/+/, '').replace(/\/+$/, '').split('/').join(sep);
    if (abs.endsWith(`${sep}${rel}`)) return abs.slice(0, abs.length - rel.length - 1) || sep;
  }
  for (let d = abs; ; d = dirname(d)) {
    if (await exists(resolve(d, '.git'))) return d;
    if (dirname(d) === d) return abs;
  }
}

async function load(opts: RunOptions): Promise<Loaded> {
  const started = Date.now();
  const settings = adminSettings(opts.env);
  const app = appContext(opts.env);
  const params = tenantParameters(opts.env, opts.warn);
  const admin = await loadAdminConfig(settings.configDir);
  const deadlineSeconds = Math.min(settings.deadlineSeconds, admin.policy.limits.deadlineSeconds);

  const repoRoot = await findRepoRoot(opts.dir, app.sourcePath);
  const files = await readSource(opts.dir, repoRoot, {
    directory: {
      recurse: opts.flags.recurse ?? params.recurse ?? false,
      include: opts.flags.include ?? params.include,
      exclude: opts.flags.exclude ?? params.exclude,
    },
  });
  const classified = classify(parseFiles(files));
  const planned = planRender({
    externalSecrets: classified.externalSecrets,
    repoStores: classified.stores,
    adminStores: admin.stores,
    policy: admin.policy,
    app: { name: app.name, project: app.project, destinationNamespace: app.destinationNamespace },
  });
  for (const w of planned.warnings) opts.warn(w);
  const errors = [...classified.errors, ...planned.errors];
  if (errors.length) throw new PluginErrors(errors);
  opts.debug(
    `loaded ${files.length} file(s), ${classified.documents.length} document(s), ${classified.externalSecrets.length} ExternalSecret(s), ${planned.plan.clients.size} store client(s) in ${Date.now() - started} ms`,
  );
  return {
    classified,
    plan: planned.plan,
    policy: admin.policy,
    app,
    allowCreatedOnce: admin.policy.allowCreatedOnce || (params.allowCreatedOnce ?? false),
    deadline: started + deadlineSeconds * 1000,
  };
}

export async function generate(opts: RunOptions): Promise<string> {
  const loaded = await load(opts);
  const settings = adminSettings(opts.env);
  const ctx: ProviderContext = {
    signal: opts.signal,
    deadline: loaded.deadline,
    env: trustedEnv(opts.env),
    credentials: credentialsDirectory(settings.credentialsDir),
    policy: loaded.policy,
    app: { name: loaded.app.name, project: loaded.app.project, destinationNamespace: loaded.app.destinationNamespace },
    debug: opts.debug,
  };
  const fetcher = createFetcher(loaded.plan, ctx, (v) => opts.redactor.register(v));
  try {
    const started = Date.now();
    const result = await renderAll(loaded.classified.documents, loaded.plan, fetcher, {
      destinationNamespace: loaded.app.destinationNamespace,
      template: undefined,
      rewrite: async () => {
        throw new PluginError('render', 'dataFrom[].rewrite is not supported yet');
      },
      allowCreatedOnce: loaded.allowCreatedOnce,
    });
    for (const w of result.warnings) opts.warn(w);
    opts.debug(`rendered in ${Date.now() - started} ms; reads after dedupe: ${JSON.stringify(fetcher.counts)}`);
    return emitStream(result.documents);
  } finally {
    await fetcher.close();
  }
}

/** Validates everything that can be validated without contacting a provider. */
export async function check(opts: RunOptions): Promise<{ externalSecrets: number; stores: number }> {
  const loaded = await load(opts);
  return { externalSecrets: loaded.classified.externalSecrets.length, stores: loaded.classified.stores.length };
}

/** True when the app directory holds ExternalSecrets (cheap: no validation). */
export async function discover(opts: RunOptions): Promise<boolean> {
  const app = appContext(opts.env);
  const params = tenantParameters(opts.env, () => {});
  const files = await readDirectorySource(opts.dir, await findRepoRoot(opts.dir, app.sourcePath), {
    recurse: opts.flags.recurse ?? params.recurse ?? false,
    include: opts.flags.include ?? params.include,
    exclude: opts.flags.exclude ?? params.exclude,
  });
  return parseFiles(files).some((d) => d.value.kind === 'ExternalSecret' && String(d.value.apiVersion).startsWith('external-secrets.io/'));
}

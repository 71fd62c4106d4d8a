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
import { matchesAny } from '../policy/glob.js';
import type { Policy } from '../policy/types.js';
import { defaultCacheDir, fileCredentialCache } from '../providers/credential-cache.js';
import { credentialsDirectory, firstFound } from '../providers/credentials.js';
import type { CredentialSource, ProviderContext } from '../providers/types.js';
import { renderAll } from '../render/index.js';
import { emitStream } from '../emit/index.js';
import { DEFAULT_SOURCE_LIMITS } from '../source/directory.js';
import { readSource } from '../source/index.js';
import { loadAdminConfig } from './config.js';
import { type AdminSettings, type AppContext, adminSettings, appContext, type Env, tenantParameters, trustedEnv } from './inputs.js';
import type { Redactor } from './redact.js';
import { renderContext } from './source-inputs.js';

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
  readonly settings: ReturnType<typeof adminSettings>;
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
  const deadline = started + deadlineSeconds * 1000;
  const files = await readSource(opts.dir, repoRoot, {
    directory: {
      recurse: opts.flags.recurse ?? params.recurse ?? false,
      include: opts.flags.include ?? params.include,
      exclude: opts.flags.exclude ?? params.exclude,
    },
    render: renderContext({ env: opts.env, settings, deadline, signal: opts.signal, maxOutputBytes: DEFAULT_SOURCE_LIMITS.maxTotalBytes, warn: opts.warn, debug: opts.debug }),
  });
  const classified = classify(parseFiles(files));
  const planned = planRender({
    externalSecrets: classified.externalSecrets,
    repoStores: classified.stores,
    adminStores: admin.stores,
    generators: classified.generators,
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
    deadline,
    settings,
  };
}

export async function generate(opts: RunOptions): Promise<string> {
  const loaded = await load(opts);
  const { settings } = loaded;
  const ctx: ProviderContext = {
    signal: opts.signal,
    deadline: loaded.deadline,
    env: trustedEnv(opts.env),
    credentials: credentialsFor(settings, loaded.policy, loaded.app.project, { signal: opts.signal, deadline: loaded.deadline, debug: opts.debug, register: (v) => opts.redactor.register(v) }),
    policy: loaded.policy,
    app: { name: loaded.app.name, project: loaded.app.project, destinationNamespace: loaded.app.destinationNamespace },
    debug: opts.debug,
    // Admin env only (never ARGOCD_ENV_*/PARAM_*): where STS sessions are shared between renders.
    credentialCache: settings.credentialCache ? fileCredentialCache({ dir: settings.cacheDir ?? defaultCacheDir(), debug: opts.debug }) : undefined,
  };
  const fetcher = createFetcher(loaded.plan, ctx, (v) => opts.redactor.register(v));
  try {
    const started = Date.now();
    const result = await renderAll(loaded.classified.documents, loaded.plan, fetcher, {
      destinationNamespace: loaded.app.destinationNamespace,
      templates: { allowNonDeterministic: loaded.policy.allowNonDeterministicTemplates, hmacKey: await readHmacKey(settings.hmacKeyFile) },
      allowCreatedOnce: loaded.allowCreatedOnce,
      allowKey: keyRule(loaded.policy, loaded.app.project),
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
  const settings = adminSettings(opts.env);
  const files = await readSource(opts.dir, await findRepoRoot(opts.dir, app.sourcePath), {
    directory: {
      recurse: opts.flags.recurse ?? params.recurse ?? false,
      include: opts.flags.include ?? params.include,
      exclude: opts.flags.exclude ?? params.exclude,
    },
    // Kustomize/Helm apps are rendered so that ExternalSecrets from bases and charts are found.
    render: renderContext({ env: opts.env, settings, deadline: Date.now() + settings.deadlineSeconds * 1000, signal: opts.signal, maxOutputBytes: DEFAULT_SOURCE_LIMITS.maxTotalBytes, warn: () => {}, debug: opts.debug }),
  });
  return parseFiles(files).some((d) => d.value.kind === 'ExternalSecret' && String(d.value.apiVersion).startsWith('external-secrets.io/'));
}

/**
 * The credential sources of one render (a fresh one each render: nothing is cached across renders).
 * The credentials directory first; then, when both the sidecar env (ESO_PLUGIN_KUBE_API=true) and
 * policy.yaml (`kubernetesApi.enabled`) turn it on, the Kubernetes API. Every credential read is
 * registered with the redactor.
 */
export function credentialsFor(
  settings: AdminSettings,
  policy: Policy,
  project: string,
  render: { readonly signal: AbortSignal; readonly deadline: number; readonly debug: (message: string) => void; readonly register: (value: Uint8Array) => void },
): CredentialSource {
  const sources = [credentialsDirectory(settings.credentialsDir)];
  if (settings.kubeApi && policy.kubernetesApi.enabled) {
    const endpoint = settings.kubeApi;
    // The API client loads on the first credential the directory lacks (cold start), once per render.
    let kube: Promise<CredentialSource> | undefined;
    sources.push({
      async read(namespace, name, key) {
        kube ??= import('../providers/kube-credentials.js').then((m) =>
          m.kubeApiCredentials({ endpoint, policy: policy.kubernetesApi, project, signal: render.signal, deadline: render.deadline, debug: render.debug }),
        );
        return (await kube).read(namespace, name, key);
      },
    });
  } else if (settings.kubeApi || policy.kubernetesApi.enabled) {
    render.debug(`kubernetes api: off (ESO_PLUGIN_KUBE_API ${settings.kubeApi ? 'on' : 'off'}, policy kubernetesApi.enabled ${policy.kubernetesApi.enabled}; both are needed)`);
  }
  return firstFound(sources, render.register);
}

function keyRule(policy: Policy, project: string): ((key: string) => boolean) | undefined {
  const keys = policy.projects[project]?.keys;
  return keys ? (key) => matchesAny(keys, key) : undefined;
}

/** The per-install HMAC key (design §4): optional; features that need it fail clearly without it. */
async function readHmacKey(file: string | undefined): Promise<Uint8Array | undefined> {
  if (!file) return undefined;
  const { readFile } = await import('node:fs/promises');
  const key = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new PluginError('config', `cannot read the HMAC key file ${file}: ${e.code ?? e.message}`);
  });
  if (key && key.byteLength < 16) throw new PluginError('config', `the HMAC key in ${file} is shorter than 16 bytes`, { hint: 'generate one with: openssl rand -hex 32' });
  return key ? new Uint8Array(key) : undefined;
}

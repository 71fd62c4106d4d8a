/**
 * The app parameters of the Kustomize and Helm sources: the tenant-safe part of what Argo CD's
 * Application `kustomize` and `helm` blocks offer (pkg/apis/application/v1alpha1/types.go:
 * ApplicationSourceKustomize, ApplicationSourceHelm). Everything here is tenant input (design §4):
 * nothing read here can turn on network access, build options or tool binaries — those are
 * admin settings (inputs.ts:adminSettings).
 *
 * Array and map parameters are read from ARGOCD_APP_PARAMETERS, the JSON Argo writes next to the
 * PARAM_* variables (repository.go:getPluginParamEnvs): PARAM_<NAME>_<KEY> upper-cases and escapes
 * map keys (`image.tag` → `IMAGE_TAG`), so only the JSON keeps them intact. A string form is
 * accepted too (PARAM_<NAME> / ARGOCD_ENV_<NAME>): a YAML list or comma list for arrays, a YAML
 * mapping for maps — for plugin.env users and local runs.
 */
import { parse as parseYaml } from 'yaml';
import { PluginError } from '../errors/index.js';
import type { HelmParameters } from '../source/helm.js';
import type { RenderContext, SourceType } from '../source/index.js';
import type { KustomizeParameters } from '../source/kustomize.js';
import { type AdminSettings, type Env, parseBool, trustedEnv } from './inputs.js';
import { type ArrayName, escapeParameterName, type MapName, type Scalar } from './source-names.js';

export interface SourceParameters {
  /** Forces the source type instead of detecting it. */
  readonly type: SourceType | undefined;
  readonly kustomize: KustomizeParameters;
  readonly helm: HelmParameters;
}

interface JsonParameter {
  readonly name: string;
  readonly string?: unknown;
  readonly array?: unknown;
  readonly map?: unknown;
}

function appParameters(env: Env): Map<string, JsonParameter> {
  const raw = env.ARGOCD_APP_PARAMETERS;
  const out = new Map<string, JsonParameter>();
  if (raw === undefined || raw === '' || raw === 'null') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PluginError('usage', 'ARGOCD_APP_PARAMETERS is not valid JSON', { hint: 'Argo CD sets it from spec.source.plugin.parameters; set it by hand only as a JSON array' });
  }
  if (!Array.isArray(parsed)) throw new PluginError('usage', 'ARGOCD_APP_PARAMETERS must be a JSON array');
  for (const p of parsed) {
    if (typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string') out.set((p as JsonParameter).name, p as JsonParameter);
  }
  return out;
}

export function sourceParameters(env: Env): SourceParameters {
  const json = appParameters(env);
  const fromEnv = (name: string): string | undefined => {
    const e = escapeParameterName(name);
    return env[`PARAM_${e}`] ?? env[`ARGOCD_ENV_${e}`];
  };
  const scalar = (name: Scalar): string | undefined => {
    const p = json.get(name);
    if (p !== undefined && typeof p.string === 'string') return p.string || undefined;
    return fromEnv(name) || undefined;
  };
  const array = (name: ArrayName): string[] => {
    const p = json.get(name);
    if (p !== undefined && Array.isArray(p.array)) return p.array.map((v) => String(v));
    const e = escapeParameterName(name);
    const indexed: string[] = [];
    for (let i = 0; env[`PARAM_${e}_${i}`] !== undefined; i++) indexed.push(env[`PARAM_${e}_${i}`]!);
    if (indexed.length) return indexed;
    const text = (typeof p?.string === 'string' ? p.string : undefined) || fromEnv(name);
    if (!text) return [];
    if (text.trimStart().startsWith('[')) {
      const v = yamlOf(text, name);
      if (!Array.isArray(v) || v.some((x) => typeof x === 'object' && x !== null)) throw new PluginError('usage', `parameter ${name} must be a list of strings`);
      return v.map((x) => String(x));
    }
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  const map = (name: MapName): Array<[string, string]> => {
    const p = json.get(name);
    if (p !== undefined && typeof p.map === 'object' && p.map !== null && !Array.isArray(p.map)) {
      return Object.entries(p.map as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
    }
    const text = fromEnv(name);
    if (!text) return [];
    const v = yamlOf(text, name);
    if (v === null || v === undefined) return [];
    if (typeof v !== 'object' || Array.isArray(v)) throw new PluginError('usage', `parameter ${name} must be a map (a YAML mapping such as "{app: web}")`);
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      if (typeof x === 'object' && x !== null) throw new PluginError('usage', `parameter ${name}: value of ${k} must be a string`);
      return [k, x === null ? '' : String(x)];
    });
  };

  const type = scalar('source-type');
  if (type !== undefined && type !== 'directory' && type !== 'kustomize' && type !== 'helm') {
    throw new PluginError('usage', `parameter source-type must be directory, kustomize or helm, not ${JSON.stringify(type)}`);
  }
  return {
    type,
    kustomize: {
      namePrefix: scalar('kustomize-name-prefix'),
      nameSuffix: scalar('kustomize-name-suffix'),
      namespace: scalar('kustomize-namespace'),
      images: array('kustomize-images'),
      commonLabels: map('kustomize-common-labels'),
      commonAnnotations: map('kustomize-common-annotations'),
    },
    helm: {
      releaseName: scalar('helm-release-name'),
      values: scalar('helm-values'),
      valueFiles: array('helm-value-files'),
      parameters: map('helm-parameters'),
      stringParameters: map('helm-string-parameters'),
      fileParameters: map('helm-file-parameters'),
      skipCrds: parseBool(scalar('helm-skip-crds'), 'helm-skip-crds') ?? false,
      skipTests: parseBool(scalar('helm-skip-tests'), 'helm-skip-tests') ?? false,
      ignoreMissingValueFiles: parseBool(scalar('helm-ignore-missing-value-files'), 'helm-ignore-missing-value-files') ?? false,
    },
  };
}

function yamlOf(text: string, name: string): unknown {
  try {
    return parseYaml(text, { version: '1.1', maxAliasCount: 10 });
  } catch (e) {
    throw new PluginError('usage', `parameter ${name} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Argo's build env (repository.go:newEnv): the only variables `$VAR` in parameters may name. */
const ARGO_BUILD_ENV = [
  'ARGOCD_APP_NAME',
  'ARGOCD_APP_NAMESPACE',
  'ARGOCD_APP_PROJECT_NAME',
  'ARGOCD_APP_REVISION',
  'ARGOCD_APP_REVISION_SHORT',
  'ARGOCD_APP_REVISION_SHORT_8',
  'ARGOCD_APP_SOURCE_REPO_URL',
  'ARGOCD_APP_SOURCE_PATH',
  'ARGOCD_APP_SOURCE_TARGET_REVISION',
] as const;

export interface RenderContextInput {
  readonly env: Env;
  readonly settings: AdminSettings;
  /** Epoch ms of the whole render's deadline; the tools get a share of what is left. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly maxOutputBytes: number;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
}

/**
 * Share of the remaining deadline the tools may use: the rest is for fetching and rendering,
 * which retries provider errors within the deadline.
 */
const TOOL_SHARE = 0.6;

/** Builds the source stage's render context: tenant parameters + admin settings + Argo's env. */
export function renderContext(input: RenderContextInput): RenderContext {
  const { env, settings } = input;
  const params = sourceParameters(env);
  const argoEnv: Record<string, string> = {};
  for (const name of ARGO_BUILD_ENV) {
    const v = env[name];
    if (v !== undefined) argoEnv[name] = v;
  }
  const now = Date.now();
  return {
    type: params.type,
    kustomize: params.kustomize,
    helm: params.helm,
    admin: { kustomize: { buildOptions: settings.kustomizeBuildOptions, binary: settings.kustomizeBinary }, helm: { binary: settings.helmBinary } },
    appName: env.ARGOCD_APP_NAME ?? '',
    destinationNamespace: env.ARGOCD_APP_NAMESPACE ?? '',
    kubeVersion: env.KUBE_VERSION || undefined,
    apiVersions: (env.KUBE_API_VERSIONS ?? '').split(',').filter(Boolean),
    argoEnv,
    tool: {
      // Only the sidecar's own env: tenant variables never reach the tools.
      env: trustedEnv(env),
      allowNetwork: settings.allowNetwork,
      deadline: now + Math.max(0, input.deadline - now) * TOOL_SHARE,
      signal: input.signal,
      maxOutputBytes: input.maxOutputBytes,
      warn: input.warn,
      debug: input.debug,
    },
  };
}

/**
 * Opt-in credential reads through the Kubernetes API (docs/kubernetes-api.md, design §4):
 * `GET /api/v1/namespaces/{namespace}/secrets/{name}` over plain `node:https` — no
 * `@kubernetes/client-node` (83 MB, crashes on Node 20; shared/docs/dependencies.md).
 *
 * - Identity: a projected service-account token mounted only into the plugin container, re-read
 *   for every request because kubelet rotates it; the in-cluster CA from the same volume, and no
 *   other trust root.
 * - The policy (`kubernetesApi` in policy.yaml) is checked before every request; a refused
 *   namespace never reaches the network. RBAC (per-namespace Roles with `resourceNames`) is the
 *   outer bound.
 * - One GET per (namespace, Secret) per render: a render builds one source, which memoises.
 * - Bounded: request timeout inside the render deadline, response size, value size.
 * - Errors name namespace/Secret/key and the HTTP status — never a value, never the response body.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { matchesAny } from '../policy/glob.js';
import type { KubernetesApiPolicy } from '../policy/types.js';
import { CREDENTIAL_KEY, CREDENTIAL_SEGMENT, MAX_CREDENTIAL_BYTES } from './credentials.js';
import { type CredentialSource, ProviderError } from './types.js';

/** Where the API server is and how we authenticate (admin env, see cli/inputs.ts). */
export interface KubeApiEndpoint {
  /** KUBERNETES_SERVICE_HOST; undefined outside a cluster. */
  readonly host: string | undefined;
  readonly port: number;
  readonly tokenFile: string;
  readonly caFile: string;
}

export interface KubeApiSourceOptions {
  readonly endpoint: KubeApiEndpoint;
  readonly policy: KubernetesApiPolicy;
  /** ARGOCD_APP_PROJECT_NAME: selects `kubernetesApi.projects.<project>`. */
  readonly project: string;
  readonly signal: AbortSignal;
  /** Epoch ms by which the render must be done. */
  readonly deadline: number;
  readonly debug: (message: string) => void;
  /** Defaults: 2 MiB response (a Secret holds at most 1 MiB, base64 in JSON), 10 s per request, 3 attempts. */
  readonly limits?: { readonly maxResponseBytes?: number; readonly requestTimeoutMs?: number; readonly attempts?: number };
}

export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;
const ATTEMPTS = 3;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Is `namespace` readable through the API for `project`? (`kubernetesApi.namespaces` ∪ `.projects[project]`) */
export function kubeApiAllows(policy: KubernetesApiPolicy, project: string, namespace: string): boolean {
  return policy.enabled && (matchesAny(policy.namespaces, namespace) || matchesAny(policy.projects[project], namespace));
}

/** A CredentialSource for one render, reading Secrets from the in-cluster API. */
export function kubeApiCredentials(options: KubeApiSourceOptions): CredentialSource {
  const secrets = new Map<string, Promise<ReadonlyMap<string, Uint8Array>>>();
  return {
    async read(namespace, name, key) {
      const what = `credential ${namespace}/${name}/${key}`;
      if (!CREDENTIAL_SEGMENT.test(namespace) || !CREDENTIAL_SEGMENT.test(name) || !CREDENTIAL_KEY.test(key)) {
        throw new ProviderError(`${what}: invalid namespace, secret name or key`);
      }
      // The policy, before every request (and before the memo: a cached Secret is no exception).
      if (!options.policy.enabled) {
        throw new ProviderError(`${what}: Kubernetes API reads are disabled (policy rule kubernetesApi.enabled)`, {
          code: 'PolicyDenied',
          hint: 'the admin enables kubernetesApi in policy.yaml and lists the namespaces whose Secrets may be read',
        });
      }
      if (!kubeApiAllows(options.policy, options.project, namespace)) {
        throw new ProviderError(`${what}: Kubernetes API reads of namespace "${namespace}" are not allowed for project "${options.project}" (policy rule kubernetesApi.namespaces)`, {
          code: 'PolicyDenied',
          hint: 'the admin lists readable namespaces in policy.yaml kubernetesApi.namespaces or kubernetesApi.projects.<project>',
        });
      }
      const id = `${namespace}/${name}`;
      let secret = secrets.get(id);
      if (!secret) {
        secret = getSecret(options, namespace, name);
        secrets.set(id, secret);
      }
      const data = await secret.catch((e: unknown) => {
        if (e instanceof ProviderError) throw new ProviderError(`credential ${namespace}/${name}/${key}: ${e.message}`, { code: e.code, hint: e.hint });
        throw e;
      });
      const value = data.get(key);
      if (value === undefined) {
        throw new ProviderError(`${what}: Secret ${namespace}/${name} has no key "${key}" (Kubernetes API, HTTP 200)`, {
          code: 'KeyNotFound',
          hint: `add key "${key}" to Secret ${namespace}/${name}, or fix the key the store names`,
        });
      }
      if (value.byteLength > MAX_CREDENTIAL_BYTES) throw new ProviderError(`${what}: larger than ${MAX_CREDENTIAL_BYTES} bytes`);
      return value;
    },
  };
}

export { firstFound } from './credentials.js';

async function getSecret(options: KubeApiSourceOptions, namespace: string, name: string): Promise<ReadonlyMap<string, Uint8Array>> {
  const { endpoint } = options;
  if (!endpoint.host) {
    throw new ProviderError('Kubernetes API: KUBERNETES_SERVICE_HOST is not set (the plugin is not running in a cluster)', { code: 'Config' });
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
  const attempts = options.limits?.attempts ?? ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    // Re-read for every request: kubelet rotates projected tokens (and the CA may be re-published).
    const token = (await readAdminFile(endpoint.tokenFile, 'token')).toString('utf8').trim();
    const ca = await readAdminFile(endpoint.caFile, 'CA');
    const remaining = options.deadline - Date.now();
    if (remaining <= 0 || options.signal.aborted) throw new ProviderError(`Kubernetes API: GET Secret ${namespace}/${name}: the render deadline has passed`, { code: 'Timeout' });
    const timeoutMs = Math.min(options.limits?.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, remaining);
    const result = await get(endpoint, path, token, ca, timeoutMs, options.signal, options.limits?.maxResponseBytes ?? MAX_RESPONSE_BYTES);
    const took = Date.now() - started;
    if (result.kind === 'ok') {
      options.debug(`kubernetes api: GET secret ${namespace}/${name}: HTTP 200 in ${took} ms (attempt ${attempt})`);
      return decodeSecret(result.body, `Secret ${namespace}/${name}`);
    }
    options.debug(`kubernetes api: GET secret ${namespace}/${name}: ${result.kind === 'status' ? `HTTP ${result.status}` : result.code} in ${took} ms (attempt ${attempt})`);
    const transient = result.kind === 'network' || (result.kind === 'status' && (result.status === 429 || result.status >= 500));
    const backoff = Math.min(2000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    if (!transient || attempt >= attempts || Date.now() + backoff >= options.deadline || options.signal.aborted) {
      throw failure(result, namespace, name);
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
}

type Outcome =
  | { readonly kind: 'ok'; readonly body: Buffer }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'network'; readonly code: string }
  | { readonly kind: 'fatal'; readonly message: string; readonly code: string };

function get(endpoint: KubeApiEndpoint, path: string, token: string, ca: Buffer, timeoutMs: number, signal: AbortSignal, maxBytes: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const req = request({
      host: endpoint.host,
      port: endpoint.port,
      path,
      method: 'GET',
      // Only the in-cluster CA: a Secret read must never be sent to anything else. No redirects (node:https follows none).
      ca,
      agent: false,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'User-Agent': 'argocd-eso-plugin' },
    });
    const timer = setTimeout(() => {
      done({ kind: 'network', code: `timed out after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      done({ kind: 'fatal', code: 'Aborted', message: 'the render was cancelled' });
      req.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // TLS failures (wrong CA, wrong name) are configuration, not transient.
      const tls = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME/.test(e.code ?? '');
      done(tls ? { kind: 'fatal', code: 'TLS', message: `TLS verification failed (${e.code}): is ESO_PLUGIN_KUBE_CA_FILE the cluster CA?` } : { kind: 'network', code: e.code ?? 'network error' });
    });
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume(); // the body is never read or shown: it may echo what we asked for
        done({ kind: 'status', status });
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        done({ kind: 'fatal', code: 'TooLarge', message: `response larger than ${maxBytes} bytes` });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) {
          done({ kind: 'fatal', code: 'TooLarge', message: `response larger than ${maxBytes} bytes` });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => done({ kind: 'ok', body: Buffer.concat(chunks) }));
      res.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'network', code: e.code ?? 'response error' }));
    });
    req.end();
  });
}

function failure(result: Exclude<Outcome, { kind: 'ok' }>, namespace: string, name: string): ProviderError {
  const secret = `Secret ${namespace}/${name}`;
  if (result.kind === 'fatal') return new ProviderError(`Kubernetes API: GET ${secret}: ${result.message}`, { code: result.code });
  if (result.kind === 'network') return new ProviderError(`Kubernetes API: GET ${secret}: ${result.code}`, { code: 'Network' });
  switch (result.status) {
    case 404:
      return new ProviderError(`Kubernetes API: ${secret} not found (HTTP 404)`, {
        code: 'NotFound',
        hint: `create Secret "${name}" in namespace "${namespace}", or fix the name the store uses`,
      });
    case 403:
      return new ProviderError(`Kubernetes API: reading ${secret} is forbidden (HTTP 403)`, {
        code: 'Forbidden',
        hint: `grant the plugin's service account "get" on secrets, resourceNames [${name}], in namespace "${namespace}" (see argocd/examples/kube-api)`,
      });
    case 401:
      return new ProviderError(`Kubernetes API: the token was rejected reading ${secret} (HTTP 401)`, {
        code: 'Unauthorized',
        hint: "check the projected token's audience and expiry (ESO_PLUGIN_KUBE_TOKEN_FILE)",
      });
    default:
      return new ProviderError(`Kubernetes API: GET ${secret} failed (HTTP ${result.status})`, { code: `HTTP${result.status}` });
  }
}

/** Decodes a v1 Secret's `data` (base64 strings). Malformed responses are refused, never guessed at. */
function decodeSecret(body: Buffer, secret: string): ReadonlyMap<string, Uint8Array> {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProviderError(`Kubernetes API: ${secret}: the response is not JSON`, { code: 'Malformed' });
  }
  if (typeof doc !== 'object' || doc === null || (doc as { kind?: unknown }).kind !== 'Secret') {
    throw new ProviderError(`Kubernetes API: ${secret}: the response is not a Secret`, { code: 'Malformed' });
  }
  const data = (doc as { data?: unknown }).data;
  const out = new Map<string, Uint8Array>();
  if (data === undefined || data === null) return out;
  if (typeof data !== 'object' || Array.isArray(data)) throw new ProviderError(`Kubernetes API: ${secret}: data is not a map`, { code: 'Malformed' });
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string' || !BASE64.test(v)) throw new ProviderError(`Kubernetes API: ${secret}: data key "${k}" is not base64`, { code: 'Malformed' });
    out.set(k, new Uint8Array(Buffer.from(v, 'base64')));
  }
  return out;
}

async function readAdminFile(path: string, what: 'token' | 'CA'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const env = what === 'token' ? 'ESO_PLUGIN_KUBE_TOKEN_FILE' : 'ESO_PLUGIN_KUBE_CA_FILE';
    throw new ProviderError(`Kubernetes API: cannot read the ${what} file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      code: 'Config',
      hint: `mount the projected service-account token volume into the plugin container and set ${env} (see argocd/examples/kube-api)`,
    });
  }
}

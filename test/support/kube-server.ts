/**
 * A Kubernetes API test server: HTTPS on loopback with a test CA (makeTestPki), serving
 * `GET /api/v1/namespaces/{ns}/secrets/{name}` from an in-memory map, checking the bearer token and
 * recording every request (path and token) so tests can count GETs and prove which token was sent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestPki, type TestPki } from './azure-server.js';

export interface KubeRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
}

/** One scripted answer for the next request to `path` (then the normal handler resumes). */
export type KubeFault = { readonly status: number } | { readonly body: string | Buffer; readonly chunked?: boolean };

let sharedPki: TestPki | undefined;

export class KubeServer {
  readonly requests: KubeRequest[] = [];
  /** Secrets by "namespace/name": key → value (stored base64-encoded, as the API does). */
  readonly secrets = new Map<string, Record<string, string>>();
  /** Tokens the server accepts; anything else is 401. */
  readonly tokens = new Set<string>();
  readonly pki: TestPki;
  /** Files the plugin reads: the token (rewrite to rotate) and the CA. */
  readonly tokenFile: string;
  readonly caFile: string;
  port = 0;
  private readonly faults = new Map<string, KubeFault[]>();
  private readonly server: Server;

  constructor(token = 'kube-test-token-1') {
    sharedPki ??= makeTestPki();
    this.pki = sharedPki;
    this.caFile = this.pki.caFile;
    const dir = mkdtempSync(join(tmpdir(), 'kube-token-'));
    this.tokenFile = join(dir, 'token');
    this.rotate(token);
    this.server = createServer({ key: this.pki.serverKey, cert: this.pki.serverCert }, (req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Writes a new token to the token file and makes the server accept only it (kubelet rotation). */
  rotate(token: string): void {
    writeFileSync(this.tokenFile, `${token}\n`);
    this.tokens.clear();
    this.tokens.add(token);
  }

  put(namespace: string, name: string, data: Record<string, string>): this {
    this.secrets.set(`${namespace}/${name}`, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])));
    return this;
  }

  inject(namespace: string, name: string, ...faults: KubeFault[]): this {
    const path = secretPath(namespace, name);
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
    return this;
  }

  /** The env that turns the plugin's API source on against this server. */
  env(): Record<string, string> {
    return {
      ESO_PLUGIN_KUBE_API: 'true',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(this.port),
      ESO_PLUGIN_KUBE_TOKEN_FILE: this.tokenFile,
      ESO_PLUGIN_KUBE_CA_FILE: this.caFile,
    };
  }

  endpoint(): { host: string; port: number; tokenFile: string; caFile: string } {
    return { host: '127.0.0.1', port: this.port, tokenFile: this.tokenFile, caFile: this.caFile };
  }

  gets(namespace: string, name: string): number {
    return this.requests.filter((r) => r.path === secretPath(namespace, name)).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, token });
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!token || !this.tokens.has(token)) {
      json(401, { kind: 'Status', code: 401, reason: 'Unauthorized' });
      return;
    }
    const fault = this.faults.get(path)?.shift();
    if (fault) {
      if ('status' in fault) {
      json(fault.status, { kind: 'Status', code: fault.status });
      return;
    }
      if (fault.chunked) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const body = Buffer.from(fault.body);
        for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.body) }).end(fault.body);
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/?]+)$/.exec(path);
    if (req.method !== 'GET' || !m) {
      json(404, { kind: 'Status', code: 404 });
      return;
    }
    const data = this.secrets.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
    if (!data) {
      json(404, { kind: 'Status', code: 404, reason: 'NotFound' });
      return;
    }
    json(200, { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: m[1], name: m[2] }, type: 'Opaque', data });
  }
}

export function secretPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${namespace}/secrets/${name}`;
}

export async function startKubeServer(token?: string): Promise<KubeServer> {
  return new KubeServer(token).start();
}

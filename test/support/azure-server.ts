/**
 * A protocol-level Azure test server: the Key Vault REST API as @azure/keyvault-{secrets,keys,
 * certificates} call it, the Entra token endpoint (client secret, client certificate assertion,
 * federated token) with the OIDC/instance discovery documents MSAL asks for, and an IMDS managed
 * identity endpoint. The real SDKs talk to it over loopback TLS with a CA made for the test run.
 *
 * Hosts: the server answers for any host name (Key Vault hosts, login hosts) and tells them apart
 * by the Host header. `routeToLoopback` sends TLS connections for chosen host names to this
 * server, so tests can use real names (`*.vault.azure.net`, `login.microsoftonline.com`) or
 * emulator names (`*.vault.test`) without DNS — test-only plumbing, production code unchanged.
 *
 * Nothing here is a stub of an SDK client: every call goes through the SDKs' HTTP pipelines.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, X509Certificate, verify as verifySignature, constants as cryptoConstants } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

// ---------------------------------------------------------------------------------------------
// PKI for the test run (openssl; node:crypto cannot issue certificates)

export interface TestPki {
  readonly dir: string;
  /** PEM of the test CA; point NODE_EXTRA_CA_CERTS at `caFile`. */
  readonly caFile: string;
  readonly serverKey: string;
  readonly serverCert: string;
  /** A self-signed RSA client certificate + key (PEM, both in one string) for service principal certificate auth. */
  readonly clientCertificatePem: string;
  readonly clientCertificate: string;
}

const SERVER_NAMES = [
  '*.vault.azure.net',
  '*.vault.usgovcloudapi.net',
  '*.vault.azure.cn',
  '*.vault.microsoftazure.de',
  '*.vault.test',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.test',
  'attacker.example',
  '*.attacker.example',
  'localhost',
];

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'azure-test-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=argocd-eso-plugin test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=azure test server');
  writeFileSync(
    join(dir, 'ext.cnf'),
    `subjectAltName=${SERVER_NAMES.map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.pem', '-days', '2', '-subj', '/CN=sp-client-cert');
  const clientCertificate = readFileSync(join(dir, 'client.pem'), 'utf8');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    serverKey: readFileSync(join(dir, 'server.key'), 'utf8'),
    serverCert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    clientCertificate,
    clientCertificatePem: clientCertificate + readFileSync(join(dir, 'client.key'), 'utf8'),
  };
}

// ---------------------------------------------------------------------------------------------
// Loopback routing for TLS host names (test-only)

const routes = new Map<string, number>();
let originalConnect: typeof tls.connect | undefined;

function routeFor(host: string | undefined): number | undefined {
  if (!host) return undefined;
  const h = host.toLowerCase();
  for (const [pattern, port] of routes) {
    if (pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) : h === pattern) return port;
  }
  return undefined;
}

/**
 * Sends TLS connections for the given host names (exact or `*.suffix`) to 127.0.0.1:port,
 * keeping SNI and certificate verification on the original name. Returns an undo function.
 */
export function routeToLoopback(hosts: readonly string[], port: number): () => void {
  if (!originalConnect) {
    originalConnect = tls.connect;
    const original = originalConnect;
    const patched = ((...args: unknown[]) => {
      const options = args[0];
      if (options && typeof options === 'object' && !Array.isArray(options)) {
        const o = options as tls.ConnectionOptions;
        const target = routeFor(o.servername || o.host);
        if (target !== undefined) {
          args[0] = { ...o, servername: o.servername || o.host, host: '127.0.0.1', port: target };
        }
      }
      return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
    }) as typeof tls.connect;
    tls.connect = patched;
  }
  for (const h of hosts) routes.set(h.toLowerCase(), port);
  return () => {
    for (const h of hosts) if (routes.get(h.toLowerCase()) === port) routes.delete(h.toLowerCase());
  };
}

// ---------------------------------------------------------------------------------------------
// Seed data

export interface SeedSecretVersion {
  readonly version?: string;
  readonly value: string;
  readonly enabled?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly contentType?: string;
  /** Unix seconds. */
  readonly created?: number;
  readonly updated?: number;
  readonly expires?: number;
  readonly notBefore?: number;
}

export interface SeedSecret extends SeedSecretVersion {
  /** Older versions, oldest first; the top-level value is the current version. */
  readonly versions?: readonly SeedSecretVersion[];
}

export interface SeedKey {
  readonly version?: string;
  /** The public JWK as Key Vault returns it (kty, key_ops, n/e or crv/x/y; base64url). `kid` is filled in. */
  readonly jwk: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly enabled?: boolean;
  readonly versions?: ReadonlyArray<{ readonly version: string; readonly jwk: Readonly<Record<string, unknown>> }>;
}

export interface SeedCertificate {
  readonly version?: string;
  /** The certificate as PEM; Key Vault's `cer` is its DER. */
  readonly pem: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SeedVault {
  /** Tenant named in the bearer challenge. */
  readonly tenant?: string;
  /** Resource named in the bearer challenge; default by host (vault.azure.net, vault.test, ...). */
  readonly resource?: string;
  readonly secrets?: Readonly<Record<string, SeedSecret>>;
  readonly keys?: Readonly<Record<string, SeedKey>>;
  readonly certificates?: Readonly<Record<string, SeedCertificate>>;
}

export interface SeedTenant {
  /** clientId → client secret. */
  readonly clientSecrets?: Readonly<Record<string, string>>;
  /** clientId → PEM certificate registered on the app. */
  readonly clientCertificates?: Readonly<Record<string, string>>;
  /** clientId → the federated (service account) token the app trusts. */
  readonly federated?: Readonly<Record<string, string>>;
}

export interface Seed {
  readonly vaults?: Readonly<Record<string, SeedVault>>;
  readonly tenants?: Readonly<Record<string, SeedTenant>>;
  /** Managed identities on the "node": "system" and/or user-assigned client ids. */
  readonly managedIdentities?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Records and faults

export type TokenFlow = 'client_secret' | 'client_certificate' | 'federated' | 'managed_identity';

export interface TokenRecord {
  readonly flow: TokenFlow;
  readonly tenant: string;
  readonly clientId: string;
  readonly scope: string;
  readonly token: string;
}

export interface RequestRecord {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** `none` (no Authorization header), `valid` or `invalid` bearer token. */
  readonly auth: 'none' | 'valid' | 'invalid';
  status: number;
}

export interface Fault {
  /** Which requests: host (exact), path regexp, and whether it is an authorized Key Vault call. */
  readonly host?: string;
  readonly path?: RegExp;
  /** Only answer this way for requests that carry a valid token (default true for vault hosts). */
  readonly authorized?: boolean;
  /** How many matching requests get the fault (default 1; Infinity for always). */
  times?: number;
  readonly delayMs?: number;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface SecretState {
  version: string;
  value: string;
  enabled: boolean;
  tags: Record<string, string> | undefined;
  contentType: string | undefined;
  created: number;
  updated: number;
  expires: number | undefined;
  notBefore: number | undefined;
}

interface VaultState {
  tenant: string;
  resource: string | undefined;
  secrets: Map<string, SecretState[]>;
  keys: Map<string, Array<{ version: string; jwk: Record<string, unknown>; tags: Record<string, string> | undefined; enabled: boolean }>>;
  certs: Map<string, Array<{ version: string; der: Buffer; tags: Record<string, string> | undefined }>>;
}

export const TEST_TENANT = '11111111-2222-3333-4444-555555555555';
const EPOCH = 1767225600; // 2026-01-01T00:00:00Z: fixed, so metadata in expected output is stable

function defaultResource(host: string): string {
  for (const suffix of ['vault.azure.net', 'vault.usgovcloudapi.net', 'vault.azure.cn', 'vault.microsoftazure.de', 'vault.test']) {
    if (host.endsWith(`.${suffix}`)) return `https://${suffix}`;
  }
  // A foreign host relays the real Key Vault challenge — what an attacker would do.
  return 'https://vault.azure.net';
}

function newVersion(): string {
  return randomBytes(16).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// The server

export interface AzureServerOptions {
  readonly pki?: TestPki;
  /** Authority named in bearer challenges and OIDC documents (default https://login.microsoftonline.com). */
  readonly authorityHost?: string;
  /** Page size of list operations. */
  readonly pageSize?: number;
  /** Latency added to every Key Vault response. */
  readonly latencyMs?: number;
  /** Latency added to every Entra / IMDS response (discovery documents, tokens); default 0. */
  readonly identityLatencyMs?: number;
}

export class AzureTestServer {
  readonly pki: TestPki;
  readonly tokens: TokenRecord[] = [];
  readonly requests: RequestRecord[] = [];
  /** Token endpoint requests that were refused, by reason. */
  readonly tokenFailures: Array<{ readonly flow: string; readonly code: string }> = [];
  readonly faults: Fault[] = [];
  /** Every request to the Entra and IMDS endpoints (discovery documents, tokens). */
  readonly identityRequests: Array<{ readonly host: string; readonly path: string }> = [];
  pageSize: number;
  latencyMs: number;
  identityLatencyMs: number;
  authorityHost: string;
  port = 0;
  imdsPort = 0;
  /** Concurrent Key Vault requests in flight now / at most. */
  inFlight = 0;
  maxInFlight = 0;
  /** performance.now() when the first Key Vault request arrived / the last one was answered (since reset). */
  firstVaultRequestAt: number | undefined;
  lastVaultResponseAt: number | undefined;

  private readonly vaults = new Map<string, VaultState>();
  private readonly tenants = new Map<string, { secrets: Map<string, string>; certs: Map<string, string>; federated: Map<string, string> }>();
  private readonly managedIdentities = new Set<string>();
  private readonly issued = new Map<string, TokenRecord>();
  private readonly https: Server;
  private readonly imds: Server;
  private undoRoutes: Array<() => void> = [];

  constructor(options: AzureServerOptions = {}) {
    this.pki = options.pki ?? makeTestPki();
    this.pageSize = options.pageSize ?? 25;
    this.latencyMs = options.latencyMs ?? 0;
    this.identityLatencyMs = options.identityLatencyMs ?? 0;
    this.authorityHost = options.authorityHost ?? 'https://login.microsoftonline.com';
    this.https = createHttpsServer({ key: this.pki.serverKey, cert: this.pki.serverCert }, (req, res) => {
      this.handle(req, res, 'https').catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
    this.imds = createHttpServer((req, res) => {
      this.handle(req, res, 'imds').catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.https.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.imds.listen(0, '127.0.0.1', resolve));
    this.port = (this.https.address() as AddressInfo).port;
    this.imdsPort = (this.imds.address() as AddressInfo).port;
    return this;
  }

  /** Route these TLS host names (exact or `*.suffix`) to this server for the rest of the test. */
  route(hosts: readonly string[]): this {
    this.undoRoutes.push(routeToLoopback(hosts, this.port));
    return this;
  }

  async close(): Promise<void> {
    for (const undo of this.undoRoutes) undo();
    this.https.closeAllConnections();
    this.imds.closeAllConnections();
    await Promise.all([new Promise((r) => this.https.close(r)), new Promise((r) => this.imds.close(r))]);
    rmSync(this.pki.dir, { recursive: true, force: true });
  }

  /** `http://127.0.0.1:<port>`: set AZURE_POD_IDENTITY_AUTHORITY_HOST to it for managed identity (MSAL's IMDS source). */
  get imdsHost(): string {
    return `http://127.0.0.1:${this.imdsPort}`;
  }

  reset(): void {
    this.tokens.length = 0;
    this.requests.length = 0;
    this.tokenFailures.length = 0;
    this.identityRequests.length = 0;
    this.faults.length = 0;
    this.vaults.clear();
    this.tenants.clear();
    this.managedIdentities.clear();
    this.issued.clear();
    this.maxInFlight = 0;
    this.firstVaultRequestAt = undefined;
    this.lastVaultResponseAt = undefined;
  }

  seed(seed: Seed): this {
    for (const [host, v] of Object.entries(seed.vaults ?? {})) this.seedVault(host, v);
    for (const [tenant, t] of Object.entries(seed.tenants ?? {})) {
      const state = this.tenantState(tenant);
      for (const [id, s] of Object.entries(t.clientSecrets ?? {})) state.secrets.set(id, s);
      for (const [id, c] of Object.entries(t.clientCertificates ?? {})) state.certs.set(id, c);
      for (const [id, f] of Object.entries(t.federated ?? {})) state.federated.set(id, f.trim());
    }
    for (const id of seed.managedIdentities ?? []) this.managedIdentities.add(id);
    return this;
  }

  fault(f: Fault): this {
    this.faults.push({ ...f, times: f.times ?? 1 });
    return this;
  }

  /** Key Vault requests to a host that carried a valid token. */
  authorizedRequests(host?: string): RequestRecord[] {
    return this.requests.filter((r) => r.auth === 'valid' && (host === undefined || r.host === host));
  }

  private tenantState(tenant: string) {
    let t = this.tenants.get(tenant);
    if (!t) {
      t = { secrets: new Map(), certs: new Map(), federated: new Map() };
      this.tenants.set(tenant, t);
    }
    return t;
  }

  private seedVault(host: string, v: SeedVault): void {
    const state: VaultState = this.vaults.get(host) ?? {
      tenant: v.tenant ?? TEST_TENANT,
      resource: v.resource,
      secrets: new Map(),
      keys: new Map(),
      certs: new Map(),
    };
    let clock = EPOCH;
    const nextClock = () => {
      clock += 60;
      return clock;
    };
    for (const [name, s] of Object.entries(v.secrets ?? {})) {
      const all = [...(s.versions ?? []), s];
      state.secrets.set(
        name,
        all.map((x) => ({
          version: x.version ?? newVersion(),
          value: x.value,
          enabled: x.enabled ?? s.enabled ?? true,
          tags: x.tags ?? (x === s ? s.tags : undefined),
          contentType: x.contentType,
          created: x.created ?? nextClock(),
          updated: x.updated ?? x.created ?? clock,
          expires: x.expires,
          notBefore: x.notBefore,
        })),
      );
    }
    for (const [name, k] of Object.entries(v.keys ?? {})) {
      const versions = [...(k.versions ?? []), { version: k.version ?? newVersion(), jwk: k.jwk }];
      state.keys.set(
        name,
        versions.map((x) => ({ version: x.version, jwk: { ...x.jwk }, tags: k.tags, enabled: k.enabled ?? true })),
      );
    }
    for (const [name, c] of Object.entries(v.certificates ?? {})) {
      state.certs.set(name, [{ version: c.version ?? newVersion(), der: Buffer.from(new X509Certificate(c.pem).raw), tags: c.tags }]);
    }
    this.vaults.set(host, state);
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse, listener: 'https' | 'imds'): Promise<void> {
    const hostHeader = req.headers.host ?? '';
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${hostHeader || 'localhost'}`);
    const body = await readBody(req);
    const vault = listener === 'https' && this.vaults.has(host);
    if (!vault && this.identityLatencyMs) await delay(this.identityLatencyMs);
    if (listener === 'imds') return this.managedIdentity(req, url, res);
    if (!vault) return this.entra(req, url, body, hostHeader, res);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.firstVaultRequestAt ??= performance.now();
    try {
      if (this.latencyMs) await delay(this.latencyMs);
      return await this.keyVault(req, url, host, hostHeader, res);
    } finally {
      this.inFlight--;
      this.lastVaultResponseAt = performance.now();
    }
  }

  private takeFault(host: string, path: string, authorized: boolean): Fault | undefined {
    const f = this.faults.find(
      (x) =>
        (x.times ?? 0) > 0 &&
        (x.host === undefined || x.host === host) &&
        (x.path === undefined || x.path.test(path)) &&
        (x.authorized === undefined ? !this.vaults.has(host) || authorized : x.authorized === authorized),
    );
    if (f) f.times = (f.times ?? 1) - 1;
    return f;
  }

  private async sendFault(res: ServerResponse, f: Fault): Promise<void> {
    if (f.delayMs) await delay(f.delayMs);
    res.writeHead(f.status ?? 500, { 'content-type': 'application/json; charset=utf-8', ...f.headers });
    res.end(f.body ?? JSON.stringify({ error: { code: 'InternalServerError', message: 'injected fault' } }));
  }

  // --- Key Vault ------------------------------------------------------------------------------

  private async keyVault(req: IncomingMessage, url: URL, host: string, hostHeader: string, res: ServerResponse): Promise<void> {
    const vault = this.vaults.get(host)!;
    const resource = vault.resource ?? defaultResource(host);
    const authz = req.headers.authorization;
    const token = authz?.startsWith('Bearer ') ? this.issued.get(authz.slice(7)) : undefined;
    const valid = token !== undefined && token.scope === `${resource}/.default` && token.tenant === vault.tenant;
    const record: RequestRecord = {
      host,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: authz === undefined ? 'none' : valid ? 'valid' : 'invalid',
      status: 0,
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): undefined => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
      return undefined;
    };
    const fault = this.takeFault(host, url.pathname, valid);
    if (fault) {
      record.status = fault.status ?? 500;
      return this.sendFault(res, fault);
    }
    if (!valid) {
      return send(401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
        'www-authenticate': `Bearer authorization="${this.authorityHost}/${vault.tenant}", resource="${resource}"`,
      });
    }
    const apiVersion = url.searchParams.get('api-version') ?? '';
    if (!/^(7\.\d+(-preview)?|2025-07-01)$/.test(apiVersion)) {
      return send(400, { error: { code: 'BadParameter', message: `The specified version (${apiVersion}) is not recognized.` } });
    }
    {
      const base = `https://${hostHeader}`;
      const parts = url.pathname.split('/').filter(Boolean);
      const [collection, name, third] = parts;
      if (req.method !== 'GET') return send(405, { error: { code: 'BadRequest', message: 'read-only test vault' } });
      if (collection === 'secrets' && name === undefined) return send(200, this.page(url, base, '/secrets', this.listSecrets(vault, base)));
      if (collection === 'secrets' && third === 'versions') {
        const versions = vault.secrets.get(name!);
        if (!versions) return send(404, notFound('SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`));
        return send(200, this.page(url, base, `/secrets/${name}/versions`, versions.map((v) => secretItem(base, name!, v, true))));
      }
      if (collection === 'secrets') return this.getSecret(vault, base, name!, third, send);
      if (collection === 'keys' && name !== undefined) {
        const versions = vault.keys.get(name);
        const k = third ? versions?.find((x) => x.version === third) : versions?.at(-1);
        if (!k) return send(404, notFound('KeyNotFound', `A key with (name/id) ${name}${third ? `/${third}` : ''} was not found in this key vault.`));
        return send(200, {
          key: { kid: `${base}/keys/${name}/${k.version}`, ...k.jwk },
          attributes: { enabled: k.enabled, created: EPOCH, updated: EPOCH, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90, exportable: false },
          ...(k.tags ? { tags: k.tags } : {}),
        });
      }
      if (collection === 'certificates' && name !== undefined) {
        const versions = vault.certs.get(name);
        const c = third ? versions?.find((x) => x.version === third) : versions?.at(-1);
        if (!c) {
          return send(404, notFound('CertificateNotFound', `A certificate with (name/id) ${name}${third ? `/${third}` : ''} was not found in this key vault.`));
        }
        return send(200, certificateBundle(base, name, c));
      }
      return send(404, { error: { code: 'NotFound', message: `unknown path ${url.pathname}` } });
    }
  }

  private getSecret(vault: VaultState, base: string, name: string, version: string | undefined, send: (s: number, p: unknown) => undefined): undefined {
    const versions = vault.secrets.get(name);
    const s = version ? versions?.find((v) => v.version === version) : versions?.at(-1);
    if (!s) {
      return send(404, notFound('SecretNotFound', `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`));
    }
    if (!s.enabled) {
      return send(403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.', innererror: { code: 'SecretDisabled' } } });
    }
    return send(200, { value: s.value, ...secretItem(base, name, s, true) });
  }

  private listSecrets(vault: VaultState, base: string): unknown[] {
    return [...vault.secrets.entries()].map(([name, versions]) => secretItem(base, name, versions.at(-1)!, false));
  }

  /** Key Vault paging: `value` + `nextLink` carrying `$skiptoken`; the SDK follows nextLink as given. */
  private page(url: URL, base: string, path: string, items: unknown[]): unknown {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const size = Math.min(this.pageSize, Number(url.searchParams.get('maxresults') ?? this.pageSize) || this.pageSize);
    const next = skip + size;
    const apiVersion = url.searchParams.get('api-version');
    return {
      value: items.slice(skip, next),
      nextLink: next < items.length ? `${base}${path}?api-version=${apiVersion}&$skiptoken=${next}&maxresults=${size}` : null,
    };
  }

  // --- Entra ----------------------------------------------------------------------------------

  private async entra(req: IncomingMessage, url: URL, body: string, hostHeader: string, res: ServerResponse): Promise<void> {
    const json = (status: number, payload: unknown): undefined => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
      return undefined;
    };
    this.identityRequests.push({ host: hostHeader.replace(/:\d+$/, ''), path: url.pathname });
    const fault = this.takeFault(hostHeader.replace(/:\d+$/, ''), url.pathname, false);
    if (fault) return this.sendFault(res, fault);
    const base = `https://${hostHeader}`;
    const parts = url.pathname.split('/').filter(Boolean);
    // Instance discovery, asked for authorities MSAL does not know (unless disabled).
    if (parts[0] === 'common' && parts[1] === 'discovery' && parts[2] === 'instance') {
      const authorityHost = hostHeader;
      return json(200, {
        tenant_discovery_endpoint: `${base}/${TEST_TENANT}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: authorityHost, preferred_cache: authorityHost, aliases: [authorityHost] }],
      });
    }
    const tenant = parts[0] ?? '';
    if (parts[1] === 'v2.0' && parts[2] === '.well-known' && parts[3] === 'openid-configuration') {
      if (!this.tenants.has(tenant)) {
        return json(400, aadError('invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`));
      }
      return json(200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/${tenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat'],
        kerberos_endpoint: `${base}/${tenant}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      });
    }
    if (req.method === 'POST' && parts[1] === 'oauth2' && parts[2] === 'v2.0' && parts[3] === 'token') {
      return this.token(tenant, new URLSearchParams(body), `${base}/${tenant}/oauth2/v2.0/token`, json);
    }
    return json(404, { error: 'not_found', error_description: `unknown path ${url.pathname}` });
  }

  private token(tenant: string, form: URLSearchParams, endpoint: string, json: (status: number, payload: unknown) => undefined): undefined {
    const clientId = form.get('client_id') ?? '';
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
    const t = this.tenants.get(tenant);
    const fail = (flow: string, status: number, error: string, code: number, description: string): undefined => {
      this.tokenFailures.push({ flow, code: `AADSTS${code}` });
      return json(status, aadError(error, code, description));
    };
    if (!t) return fail('unknown', 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return fail('unknown', 400, 'unsupported_grant_type', 70003, 'unsupported grant');
    let flow: TokenFlow;
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      flow = 'client_secret';
      if (!t.secrets.has(clientId)) {
        return fail(flow, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
      }
      if (t.secrets.get(clientId) !== secret) {
        return fail(flow, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
      }
    } else if (assertion !== null && form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      const [h, p, s] = assertion.split('.');
      let header: Record<string, unknown> = {};
      try {
        header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {
        header = {};
      }
      if (header.x5t !== undefined || header['x5t#S256'] !== undefined) {
        flow = 'client_certificate';
        const pem = t.certs.get(clientId);
        if (!pem) return fail(flow, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
        const cert = new X509Certificate(pem);
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        } catch {
          payload = {};
        }
        const data = Buffer.from(`${h}.${p}`);
        const sig = Buffer.from(s ?? '', 'base64url');
        const ok =
          header.alg === 'PS256'
            ? verifySignature('sha256', data, { key: cert.publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
            : verifySignature('sha256', data, cert.publicKey, sig);
        const thumb = createHash('sha1').update(cert.raw).digest('base64url');
        const thumb256 = createHash('sha256').update(cert.raw).digest('base64url');
        const thumbOk = header['x5t#S256'] !== undefined ? header['x5t#S256'] === thumb256 : header.x5t === thumb;
        if (!ok || !thumbOk || payload.iss !== clientId || payload.sub !== clientId || payload.aud !== endpoint) {
          return fail(flow, 401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
        }
      } else {
        flow = 'federated';
        const trusted = t.federated.get(clientId);
        if (trusted === undefined) {
          return fail(flow, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
        }
        if (trusted !== assertion.trim()) {
          return fail(flow, 400, 'invalid_client', 700213, 'No matching federated identity record found for presented assertion subject.');
        }
      }
    } else {
      return fail('unknown', 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const record: TokenRecord = { flow, tenant, clientId, scope, token };
    this.tokens.push(record);
    this.issued.set(token, record);
    return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  // --- Managed identity (IMDS) ----------------------------------------------------------------

  private managedIdentity(req: IncomingMessage, url: URL, res: ServerResponse): undefined {
    const json = (status: number, payload: unknown): undefined => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
      return undefined;
    };
    this.identityRequests.push({ host: 'imds', path: url.pathname });
    if (url.pathname.replace(/\/$/, '') !== '/metadata/identity/oauth2/token' || req.headers.metadata !== 'true') {
      return json(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
    }
    const resource = url.searchParams.get('resource') ?? '';
    const clientId = url.searchParams.get('client_id') ?? 'system';
    if (!this.managedIdentities.has(clientId)) {
      this.tokenFailures.push({ flow: 'managed_identity', code: 'identity_not_found' });
      return json(400, { error: 'invalid_request', error_description: 'Identity not found' });
    }
    const token = `tok-${randomBytes(12).toString('hex')}`;
    // The vault's tenant: managed identities live in the tenant of the vaults the test seeds.
    const tenant = [...this.vaults.values()][0]?.tenant ?? TEST_TENANT;
    const record: TokenRecord = { flow: 'managed_identity', tenant, clientId, scope: `${resource.replace(/\/$/, '')}/.default`, token };
    this.tokens.push(record);
    this.issued.set(token, record);
    const now = Math.floor(Date.now() / 1000);
    return json(200, {
      access_token: token,
      client_id: clientId,
      expires_in: '86399',
      expires_on: String(now + 86399),
      ext_expires_in: '86399',
      not_before: String(now),
      resource,
      token_type: 'Bearer',
    });
  }
}

function secretItem(base: string, name: string, s: SecretState, withVersion: boolean): Record<string, unknown> {
  return {
    id: withVersion ? `${base}/secrets/${name}/${s.version}` : `${base}/secrets/${name}`,
    attributes: {
      enabled: s.enabled,
      created: s.created,
      updated: s.updated,
      ...(s.expires !== undefined ? { exp: s.expires } : {}),
      ...(s.notBefore !== undefined ? { nbf: s.notBefore } : {}),
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    ...(s.tags ? { tags: s.tags } : {}),
    ...(s.contentType ? { contentType: s.contentType } : {}),
  };
}

function certificateBundle(base: string, name: string, c: { version: string; der: Buffer; tags: Record<string, string> | undefined }): unknown {
  return {
    id: `${base}/certificates/${name}/${c.version}`,
    kid: `${base}/keys/${name}/${c.version}`,
    sid: `${base}/secrets/${name}/${c.version}`,
    x5t: createHash('sha1').update(c.der).digest('base64url'),
    cer: c.der.toString('base64'),
    attributes: { enabled: true, created: EPOCH, updated: EPOCH, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    ...(c.tags ? { tags: c.tags } : {}),
    policy: {
      id: `${base}/certificates/${name}/policy`,
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: { subject: `CN=${name}`, validity_months: 12 },
      issuer: { name: 'Self' },
      attributes: { enabled: true, created: EPOCH, updated: EPOCH },
    },
  };
}

function notFound(code: string, message: string): unknown {
  return { error: { code, message } };
}

function aadError(error: string, code: number, description: string): unknown {
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: 2026-01-01 00:00:00Z`,
    error_codes: [code],
    timestamp: '2026-01-01 00:00:00Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '00000000-0000-0000-0000-000000000000',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startAzureServer(options: AzureServerOptions = {}): Promise<AzureTestServer> {
  return new AzureTestServer(options).start();
}

/**
 * Drives the real azurekv provider the way the plan will: parseStore → newClient with a
 * ProviderContext whose env points at the Azure test server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore, StoreKind, StoreSource } from '../../src/model/types.js';
import { DEFAULT_POLICY, type Policy } from '../../src/policy/types.js';
import { azureKeyVaultProvider } from '../../src/providers/azurekv/index.js';
import type { AzureKVSpec } from '../../src/providers/azurekv/spec.js';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import type { ProviderContext, SecretsClient } from '../../src/providers/types.js';
import type { AzureTestServer } from './azure-server.js';

export { find, ref } from './refs.js';

export interface ContextOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly policy?: Partial<Policy>;
  /** `<namespace>/<secret>/<key>` → content. */
  readonly credentials?: Readonly<Record<string, string>>;
  readonly deadlineMs?: number;
  readonly project?: string;
}

export function credentialsDir(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'azure-creds-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

export function providerContext(server: AzureTestServer, options: ContextOptions = {}): ProviderContext & { debugLines: string[] } {
  const debugLines: string[] = [];
  return {
    signal: new AbortController().signal,
    deadline: Date.now() + (options.deadlineMs ?? 20_000),
    env: { NODE_EXTRA_CA_CERTS: server.pki.caFile, ...options.env },
    credentials: credentialsDirectory(credentialsDir(options.credentials ?? {})),
    policy: { ...DEFAULT_POLICY, ...options.policy },
    app: { name: 'web', project: options.project ?? 'default', destinationNamespace: 'apps' },
    debug: (m) => debugLines.push(m),
    debugLines,
  };
}

export function store(provider: unknown, options: { kind?: StoreKind; source?: StoreSource; namespace?: string; name?: string } = {}): SecretStore {
  return {
    kind: options.kind ?? 'SecretStore',
    apiVersion: 'external-secrets.io/v1',
    origin: { file: 'store.yaml', doc: 1 },
    source: options.source ?? 'repo',
    metadata: { name: options.name ?? 'azure', namespace: options.namespace ?? 'apps', labels: {}, annotations: {} },
    controller: undefined,
    providerName: 'azurekv',
    providerSpec: provider,
    conditions: [],
  };
}

export function parse(provider: unknown): AzureKVSpec {
  const r = azureKeyVaultProvider.parseStore(provider);
  if (!r.ok) throw new Error(`parseStore failed: ${JSON.stringify(r.errors)}`);
  return r.spec;
}

export async function client(
  provider: unknown,
  ctx: ProviderContext,
  options: { kind?: StoreKind; source?: StoreSource; namespace?: string } = {},
): Promise<SecretsClient> {
  const s = store(provider, options);
  return azureKeyVaultProvider.newClient({ store: s, spec: parse(provider), namespace: options.namespace ?? 'apps' }, ctx);
}



export const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

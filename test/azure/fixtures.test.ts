/**
 * Keeps fixtures/azure-sp and fixtures/azure-wi honest until the lead wires them end to end
 * through the CLI: seeds the test server with each fixture's seed.json, reads the fixture's
 * stores and ExternalSecrets, fetches through the real azurekv provider and builds each Secret's
 * data with ESO's precedence (dataFrom in order, then data[]), then compares with expected.yaml.
 * This is a minimal stand-in for the render stage (no templates, rewrite or policy checks).
 * `UPDATE_FIXTURES=1` rewrites expected.yaml.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, stringify } from 'yaml';
import type { FindRef, RemoteRef, StoreKind } from '../../src/model/types.js';
import { DEFAULT_POLICY } from '../../src/policy/types.js';
import { azureKeyVaultProvider } from '../../src/providers/azurekv/index.js';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import type { ProviderContext, SecretsClient } from '../../src/providers/types.js';
import { find as findRef, ref as remoteRef, store as storeOf } from '../support/azure-context.js';
import { type Seed, startAzureServer } from '../support/azure-server.js';

const root = resolve(new URL('../../fixtures', import.meta.url).pathname);

/** The fields of stores, ExternalSecrets and Secrets this stand-in reads or writes. */
interface Doc {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  type?: string;
  data?: Record<string, string>;
  spec: {
    provider: { azurekv: unknown };
    secretStoreRef: { name: string; kind?: StoreKind };
    target?: { name?: string };
    data?: Array<{ secretKey: string; remoteRef: Partial<RemoteRef> & { key: string } }>;
    dataFrom?: Array<{ extract?: Partial<RemoteRef> & { key: string }; find?: Partial<FindRef> }>;
  };
}

function docs(dir: string): Doc[] {
  const out: Doc[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) out.push(d.toJS() as Doc);
  }
  return out;
}

async function render(name: string): Promise<Doc[]> {
  const dir = join(root, name);
  const seed = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as Seed;
  const env = JSON.parse(readFileSync(join(dir, 'sidecar-env.json'), 'utf8')) as Record<string, string>;
  const server = await startAzureServer();
  server.seed(seed).route([...Object.keys(seed.vaults ?? {}), 'login.microsoftonline.com']);
  try {
    const resolvePath = (p: string | undefined) => (p ? join(dir, p) : undefined);
    const appDocs = docs(join(dir, 'app'));
    const adminDocs = env.ESO_PLUGIN_CONFIG_DIR ? docs(join(dir, env.ESO_PLUGIN_CONFIG_DIR, 'stores')) : [];
    const ctx: ProviderContext = {
      signal: new AbortController().signal,
      deadline: Date.now() + 30_000,
      env: { ...env, AZURE_FEDERATED_TOKEN_FILE: resolvePath(env.AZURE_FEDERATED_TOKEN_FILE), NODE_EXTRA_CA_CERTS: server.pki.caFile },
      credentials: credentialsDirectory(resolvePath(env.ESO_PLUGIN_CREDENTIALS_DIR)),
      policy: DEFAULT_POLICY,
      app: { name, project: 'default', destinationNamespace: env.ARGOCD_APP_NAMESPACE ?? '' },
      debug: () => {},
    };
    const secrets: Doc[] = [];
    for (const es of appDocs.filter((d) => d.kind === 'ExternalSecret')) {
      const namespace = es.metadata.namespace ?? env.ARGOCD_APP_NAMESPACE ?? '';
      const kind = es.spec.secretStoreRef.kind ?? 'SecretStore';
      const source = appDocs.find((d) => d.kind === kind && d.metadata.name === es.spec.secretStoreRef.name) ? 'repo' : 'admin';
      const storeDoc = [...appDocs, ...adminDocs].find((d) => d.kind === kind && d.metadata.name === es.spec.secretStoreRef.name)!;
      const parsed = azureKeyVaultProvider.parseStore(storeDoc.spec.provider.azurekv);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const c: SecretsClient = await azureKeyVaultProvider.newClient(
        { store: storeOf(storeDoc.spec.provider.azurekv, { kind, source, namespace, name: storeDoc.metadata.name }), spec: parsed.spec, namespace },
        ctx,
      );
      const data = new Map<string, Uint8Array>();
      for (const df of es.spec.dataFrom ?? []) {
        const m = df.extract ? await c.getSecretMap(remoteRef(df.extract.key, df.extract)) : await c.getAllSecrets(findRef(df.find ?? {}));
        for (const [k, v] of m) data.set(k, v);
      }
      for (const d of es.spec.data ?? []) data.set(d.secretKey, await c.getSecret(remoteRef(d.remoteRef.key, d.remoteRef)));
      secrets.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: es.spec.target?.name ?? es.metadata.name, namespace },
        type: 'Opaque',
        data: Object.fromEntries([...data.keys()].sort().map((k) => [k, Buffer.from(data.get(k)!).toString('base64')])),
      } as Doc);
    }
    return secrets.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  } finally {
    await server.close();
  }
}

for (const name of ['azure-sp', 'azure-wi']) {
  test(`fixtures/${name}: the provider yields exactly expected.yaml`, async () => {
    const actual = await render(name);
    const file = join(root, name, 'expected.yaml');
    if (process.env.UPDATE_FIXTURES) writeFileSync(file, actual.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
    const expected = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    assert.equal(actual, expected);
  });
}

test.run();

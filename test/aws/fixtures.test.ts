// The AWS fixtures (fixtures/aws-irsa, fixtures/aws-keys) are rendered end to end by the lead's CMP
// tests; here their seed, stores and expected.yaml are checked for consistency through the provider:
// every data/dataFrom read of every ExternalSecret, against the test server seeded from seed.json,
// must produce exactly the Secret data in expected.yaml (no templates or decoding are used there).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, stringify } from 'yaml';
import type { FindRef, RemoteRef, SecretStore } from '../../src/model/types.js';
import { DEFAULT_POLICY, type Policy } from '../../src/policy/types.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import type { ProviderContext, SecretsClient } from '../../src/providers/types.js';
import { convertKeys } from '../../src/providers/value.js';
import { seedFromJson, startAwsServer } from '../support/aws-server.js';
import { find as findRef, ref as remoteRef, store as makeStore } from './helpers.js';

const ROOT = new URL('../../fixtures/', import.meta.url).pathname;
type Doc = Record<string, any>;

async function docs(path: string): Promise<Doc[]> {
  return parseAllDocuments(await readFile(path, 'utf8')).map((d) => d.toJS() as Doc).filter(Boolean);
}

interface Fixture {
  readonly dir: string;
  readonly namespace: string;
  readonly project: string;
  readonly stores: string[];
  readonly source: 'admin' | 'repo';
  readonly policy?: string;
  readonly credentials?: string;
}

const FIXTURES: Fixture[] = [
  { dir: 'aws-irsa', namespace: 'payments', project: 'payments', stores: ['admin/stores/aws-irsa.yaml'], source: 'admin', policy: 'admin/policy.yaml' },
  { dir: 'aws-keys', namespace: 'team-a', project: 'default', stores: ['app/stores.yaml'], source: 'repo', credentials: 'credentials' },
];

async function render(f: Fixture): Promise<Doc[]> {
  const base = join(ROOT, f.dir);
  const aws = await startAwsServer(seedFromJson(JSON.parse(await readFile(join(base, 'seed.json'), 'utf8'))));
  const tokenDir = await mkdtemp(join(tmpdir(), 'fixture-irsa-'));
  await writeFile(join(tokenDir, 'token'), 'eyJ.fixture.sig');
  try {
    const policyDoc = f.policy ? (await docs(join(base, f.policy)))[0]! : {};
    const policy: Policy = { ...DEFAULT_POLICY, serviceAccounts: policyDoc.serviceAccounts ?? [], projects: policyDoc.projects ?? {} };
    const ctx: ProviderContext = {
      signal: new AbortController().signal,
      deadline: Date.now() + 20_000,
      env:
        f.source === 'admin'
          ? { AWS_ENDPOINT_URL: aws.url, AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/argocd-repo-server', AWS_WEB_IDENTITY_TOKEN_FILE: join(tokenDir, 'token') }
          : { AWS_ENDPOINT_URL: aws.url },
      credentials: credentialsDirectory(f.credentials ? join(base, f.credentials) : undefined),
      policy,
      app: { name: 'app', project: f.project, destinationNamespace: f.namespace },
      debug: () => undefined,
    };
    const stores = new Map<string, SecretStore & { client?: SecretsClient }>();
    for (const file of f.stores) {
      for (const d of await docs(join(base, file))) {
        const s = makeStore(d.spec.provider.aws, { kind: d.kind, name: d.metadata.name, namespace: f.namespace, source: f.source });
        stores.set(d.metadata.name, s);
      }
    }
    const client = async (name: string): Promise<SecretsClient> => {
      const s = stores.get(name)!;
      if (!s.client) {
        const parsed = awsProvider.parseStore(s.providerSpec);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        s.client = await awsProvider.newClient({ store: s, spec: parsed.spec, namespace: f.namespace }, ctx);
      }
      return s.client;
    };
    const toRef = (r: Doc): RemoteRef => remoteRef(r.key, { property: r.property, version: r.version, metadataPolicy: r.metadataPolicy ?? 'None' });
    const toFind = (r: Doc): FindRef => findRef({ path: r.path, name: r.name, tags: r.tags });
    const out: Doc[] = [];
    for (const es of (await docs(join(base, 'app', 'externalsecrets.yaml'))).filter((d) => d.kind === 'ExternalSecret')) {
      const data = new Map<string, Uint8Array>();
      for (const df of es.spec.dataFrom ?? []) {
        const c = await client(df.sourceRef?.storeRef?.name ?? es.spec.secretStoreRef.name);
        const m = df.extract ? await c.getSecretMap(toRef(df.extract)) : convertKeys('Default', await c.getAllSecrets(toFind(df.find)));
        for (const [k, v] of m) data.set(k, v);
      }
      for (const d of es.spec.data ?? []) {
        const c = await client(d.sourceRef?.storeRef?.name ?? es.spec.secretStoreRef.name);
        data.set(d.secretKey, await c.getSecret(toRef(d.remoteRef)));
      }
      const name = es.spec.target?.name ?? es.metadata.name;
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          namespace: f.namespace,
          labels: {
            'reconcile.external-secrets.io/created-by': createHash('sha3-224').update(`${f.namespace}/${es.metadata.name}`).digest('hex'),
            'reconcile.external-secrets.io/managed': 'true',
          },
        },
        type: 'Opaque',
        data: Object.fromEntries([...data].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      });
    }
    return out;
  } finally {
    await aws.close();
    await rm(tokenDir, { recursive: true, force: true });
  }
}

for (const f of FIXTURES) {
  test(`fixtures/${f.dir}: seed + stores + ExternalSecrets give expected.yaml`, async () => {
    const got = await render(f);
    const path = join(ROOT, f.dir, 'expected.yaml');
    if (process.env.UPDATE_AWS_FIXTURES === '1') await writeFile(path, `# Generated Secrets for seed.json (data base64, keys sorted).\n${got.map((d) => stringify(d)).join('---\n')}`);
    assert.equal(got, await docs(path));
  });
}

test.run();

// Entry for test/azure/lazy.test.ts: the provider as the CLI bundle would carry it, run in a
// subprocess against the Azure test server. Reads its store and ref from AZURE_BUNDLE_TEST (JSON).
import { DEFAULT_POLICY } from '../../src/policy/types.js';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import { getProvider } from '../../src/providers/registry.js';

interface Input {
  readonly store: unknown;
  readonly key: string;
  readonly credentials: string;
}

const input = JSON.parse(process.env.AZURE_BUNDLE_TEST ?? '{}') as Input;
const provider = getProvider('azurekv')!;
const parsed = provider.parseStore(input.store);
if (!parsed.ok) throw new Error('parse');
const client = await provider.newClient(
  {
    store: {
      kind: 'SecretStore',
      apiVersion: 'external-secrets.io/v1',
      origin: { file: 'x', doc: 1 },
      source: 'repo',
      metadata: { name: 'azure', namespace: 'apps', labels: {}, annotations: {} },
      controller: undefined,
      providerName: 'azurekv',
      providerSpec: input.store,
      conditions: [],
    },
    spec: parsed.spec,
    namespace: 'apps',
  },
  {
    signal: new AbortController().signal,
    deadline: Date.now() + 20_000,
    env: process.env,
    credentials: credentialsDirectory(input.credentials),
    policy: DEFAULT_POLICY,
    app: { name: 'x', project: 'default', destinationNamespace: 'apps' },
    debug: () => {},
  },
);
const ref = { key: input.key, property: undefined, version: undefined, metadataPolicy: 'None', conversionStrategy: 'Default', decodingStrategy: 'None', nullBytePolicy: 'Ignore' } as const;
process.stdout.write(Buffer.from(await client.getSecret(ref)));

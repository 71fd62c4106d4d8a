// Shared setup for the AWS provider tests: a ProviderContext pointing the real SDKs at the
// loopback test server, stores as the model would hand them over, and a canary value that must
// never appear in an error.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore, StoreKind, StoreSource } from '../../src/model/types.js';
import type { Policy } from '../../src/policy/types.js';
import { DEFAULT_POLICY } from '../../src/policy/types.js';
import { awsProvider, type AwsSpec } from '../../src/providers/aws/index.js';
import { credentialsDirectory } from '../../src/providers/credentials.js';
import type { ProviderContext, SecretsClient } from '../../src/providers/types.js';

export { find, ref } from '../support/refs.js';

export const CANARY = 'CANARY-7f3a9c-do-not-leak';

export interface Harness {
  readonly ctx: ProviderContext;
  readonly debug: string[];
  readonly credentialsDir: string;
  writeCredential(namespace: string, name: string, key: string, value: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  readonly url: string;
  /** Replaces the default env (static sidecar keys + endpoint). */
  readonly env?: Record<string, string | undefined>;
  readonly policy?: Partial<Policy>;
  readonly project?: string;
  readonly app?: string;
  readonly deadlineMs?: number;
}

export async function harness(options: HarnessOptions): Promise<Harness> {
  const credentialsDir = await mkdtemp(join(tmpdir(), 'aws-creds-'));
  const debug: string[] = [];
  const controller = new AbortController();
  const ctx: ProviderContext = {
    signal: controller.signal,
    deadline: Date.now() + (options.deadlineMs ?? 20_000),
    env: options.env ?? { AWS_ENDPOINT_URL: options.url, AWS_ACCESS_KEY_ID: 'AKIDSIDECAR', AWS_SECRET_ACCESS_KEY: 'sidecar-secret', AWS_REGION: 'eu-west-1' },
    credentials: credentialsDirectory(credentialsDir),
    policy: { ...DEFAULT_POLICY, ...(options.policy ?? {}) },
    app: { name: options.app ?? 'web', project: options.project ?? 'payments', destinationNamespace: 'payments' },
    debug: (m) => debug.push(m),
  };
  return {
    ctx,
    debug,
    credentialsDir,
    async writeCredential(namespace, name, key, value) {
      await mkdir(join(credentialsDir, namespace, name), { recursive: true });
      await writeFile(join(credentialsDir, namespace, name, key), value);
    },
    async cleanup() {
      controller.abort();
      await rm(credentialsDir, { recursive: true, force: true });
    },
  };
}

export interface StoreOptions {
  readonly kind?: StoreKind;
  readonly source?: StoreSource;
  readonly name?: string;
  readonly namespace?: string;
}

export function store(provider: Record<string, unknown>, options: StoreOptions = {}): SecretStore {
  const kind = options.kind ?? 'ClusterSecretStore';
  return {
    kind,
    apiVersion: 'external-secrets.io/v1',
    origin: { file: 'stores/aws.yaml', doc: 1 },
    source: options.source ?? 'admin',
    metadata: { name: options.name ?? 'aws', namespace: kind === 'SecretStore' ? (options.namespace ?? 'payments') : undefined, labels: {}, annotations: {} },
    controller: undefined,
    providerName: 'aws',
    providerSpec: provider,
    conditions: [],
  };
}

export function parse(provider: Record<string, unknown>): AwsSpec {
  const result = awsProvider.parseStore(provider);
  if (!result.ok) throw new Error(`parseStore failed: ${JSON.stringify(result.errors)}`);
  return result.spec;
}

export async function newClient(h: Harness, provider: Record<string, unknown>, options: StoreOptions & { useNamespace?: string } = {}): Promise<SecretsClient> {
  const s = store(provider, options);
  const spec = parse(provider);
  return awsProvider.newClient({ store: s, spec, namespace: options.useNamespace ?? s.metadata.namespace ?? 'payments' }, h.ctx);
}



export const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

export function mapText(m: Map<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries([...m].map(([k, v]) => [k, text(v)]));
}

/** Awaits a rejection and returns the error (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export const SM = { service: 'SecretsManager', region: 'eu-west-1' } as const;
export const PS = { service: 'ParameterStore', region: 'eu-west-1' } as const;

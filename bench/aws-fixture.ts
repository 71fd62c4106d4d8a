/**
 * Generated AWS apps for the bench (scenarios 2–4) and for the untimed request-count test
 * (test/bench/aws-requests.test.ts): an app directory of ExternalSecrets, the admin config with
 * the stores, and the seed for the loopback AWS test server.
 */
import { alternatingExternalSecret } from './lib/externalsecrets.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Seed } from '../test/support/aws-server.js';

export interface SecretsManagerRef {
  readonly key: string;
  /** undefined = dataFrom.extract. */
  readonly property: string | undefined;
}

export interface GeneratedApp {
  /** Repo root (holds `.git`); the app is `<repo>/app`. */
  readonly repo: string;
  readonly app: string;
  readonly admin: string;
  readonly seed: Seed;
  /** Every reference as written (not deduplicated): what a naive plugin reads one by one. */
  readonly smRefs: readonly SecretsManagerRef[];
  readonly ssmRefs: readonly string[];
}

export interface AppShape {
  /** ExternalSecrets reading Secrets Manager: even ones `data` with a property, odd ones `dataFrom.extract`. */
  readonly externalSecrets: number;
  /** Distinct Secrets Manager secrets they spread over (ES k reads secret k mod n). */
  readonly secrets: number;
  /** ExternalSecrets reading Parameter Store (one `data` entry each) and distinct parameters. */
  readonly ssmExternalSecrets?: number;
  readonly parameters?: number;
  /** Admin stores assume this role from the sidecar's identity (as fixtures/aws-irsa). */
  readonly role?: string;
  /** Offset into the secret pool, so apps of a mass refresh read different (overlapping) secrets. */
  readonly offset?: number;
  /** Size of the seeded pool (default `secrets`). */
  readonly pool?: number;
}

export const secretName = (i: number) => `bench/app-${String(i).padStart(4, '0')}`;
export const parameterName = (i: number) => `/bench/param-${String(i).padStart(4, '0')}`;
export const ROLE = 'arn:aws:iam::111122223333:role/payments-secrets-reader';
export const SIDECAR_ROLE = 'arn:aws:iam::111122223333:role/argocd-repo-server';

/** Seeds every secret and parameter of a pool (values are distinct per secret, never logged). */
export function poolSeed(secrets: number, parameters: number): Seed {
  return {
    region: 'eu-west-1',
    secrets: Array.from({ length: secrets }, (_, i) => ({ name: secretName(i), string: JSON.stringify({ username: `user-${i}`, password: `pw-${i}-${'x'.repeat(24)}`, port: 5432 + (i % 7) }) })),
    parameters: Array.from({ length: parameters }, (_, i) => ({ name: parameterName(i), type: 'SecureString' as const, value: `param-${i}` })),
  };
}

export function writeApp(dir: string, shape: AppShape): GeneratedApp {
  const repo = dir;
  const app = join(repo, 'app');
  const admin = join(repo, 'admin');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(app, { recursive: true });
  mkdirSync(join(admin, 'stores'), { recursive: true });
  const roleLine = shape.role ? `\n      role: ${shape.role}` : '';
  writeFileSync(
    join(admin, 'stores', 'aws.yaml'),
    `apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata: {name: aws-sm}
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1${roleLine}
---
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata: {name: aws-ssm}
spec:
  provider:
    aws:
      service: ParameterStore
      region: eu-west-1${roleLine}
`,
  );
  writeFileSync(join(admin, 'policy.yaml'), `projects:\n  payments:\n    stores: [aws-sm, aws-ssm]\n    roles: ["arn:aws:iam::111122223333:role/payments-*"]\n`);

  const docs: string[] = [];
  const smRefs: SecretsManagerRef[] = [];
  const offset = shape.offset ?? 0;
  const pool = shape.pool ?? shape.secrets;
  for (let k = 0; k < shape.externalSecrets; k++) {
    const key = secretName((offset + (k % shape.secrets)) % pool);
    const { doc, ref } = alternatingExternalSecret(k, key, 'aws-sm');
    smRefs.push(ref);
    docs.push(doc);
  }
  const ssmRefs: string[] = [];
  const parameters = shape.parameters ?? 0;
  for (let k = 0; k < (shape.ssmExternalSecrets ?? 0); k++) {
    const key = parameterName(k % parameters);
    ssmRefs.push(key);
    docs.push(`apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: param-es-${k}}
spec:
  secretStoreRef: {name: aws-ssm, kind: ClusterSecretStore}
  target: {name: param-secret-${k}}
  data:
    - secretKey: value
      remoteRef: {key: ${key}}
`);
  }
  writeFileSync(join(app, 'externalsecrets.yaml'), docs.join('---\n'));
  return { repo, app, admin, seed: poolSeed(pool, parameters), smRefs, ssmRefs };
}

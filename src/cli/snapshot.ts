/**
 * The V8 startup-snapshot entry (dist/snapshot.cjs). A render is one process start, and most of a
 * small render is V8 compiling yaml's parser and our pipeline from scratch (bench/README.md). The
 * image therefore runs `node --build-snapshot dist/snapshot.cjs` once at build time: this script
 * renders a small built-in app a few times — so the functions a render uses are compiled and their
 * feedback is warm — and Node saves that heap to dist/cli.blob. `plugin/argocd-eso-plugin` starts
 * `node --snapshot-blob dist/cli.blob <command>`, which begins from that heap instead of loading
 * and compiling modules, and runs the same CLI (cli.ts). Measured in bench/README.md.
 *
 * The training app uses only the fake provider and made-up values, never any configuration or
 * environment of the machine: the snapshot holds nothing the image did not already hold.
 * Training checks its own output, so a bundle that renders differently fails the image build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { formatError, toPluginErrors } from '../errors/index.js';
import { runCli } from './cli.js';
import { Redactor } from './redact.js';
import { generate } from './run.js';

const TRAINING_APP: Record<string, string> = {
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: training
data:
  mode: "on"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: training
  labels: {app: training}
spec:
  replicas: 2
  selector:
    matchLabels: {app: training}
  template:
    metadata:
      labels: {app: training}
    spec:
      containers:
        - name: app
          image: registry.example/training:1.0
          envFrom:
            - secretRef: {name: training}
`,
  'store.json': JSON.stringify({
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 'training' },
    spec: {
      provider: {
        fake: {
          data: [
            { key: 'db', value: '{"user":"training","port":5432,"tls":{"mode":"require"}}' },
            { key: 'token', value: 'dHJhaW5pbmctdG9rZW4=' },
          ],
        },
      },
    },
  }),
  'externalsecret.yaml': `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: training
spec:
  secretStoreRef: {name: training}
  target:
    template:
      type: Opaque
      data:
        url: 'postgres://{{ .user }}@db:{{ .db_port }}/?sslmode={{ .mode | default "disable" | lower }}'
  data:
    - secretKey: user
      remoteRef: {key: db, property: user}
    - secretKey: mode
      remoteRef: {key: db, property: tls.mode}
  dataFrom:
    - extract: {key: db}
      rewrite:
        - regexp: {source: "^(.*)$", target: "db_$1"}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: token
spec:
  secretStoreRef: {name: training}
  target: {creationPolicy: Orphan}
  data:
    - secretKey: token
      remoteRef: {key: token, decodingStrategy: Base64}
`,
};

/** What a correct render of the training app contains (checked, so a broken bundle fails the build). */
const EXPECTED = ['kind: ConfigMap', 'kind: Deployment', 'name: training', 'name: token', 'url: cG9zdGdyZXM6Ly90cmFpbmluZ0BkYjo1NDMyLz9zc2xtb2RlPXJlcXVpcmU=', 'token: dHJhaW5pbmctdG9rZW4='];

async function train(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argocd-eso-plugin-training-'));
  try {
    const app = join(dir, 'app');
    mkdirSync(app);
    for (const [name, text] of Object.entries(TRAINING_APP)) writeFileSync(join(app, name), text);
    for (let i = 0; i < 4; i++) {
      const out = await generate({
        dir: app,
        env: { ARGOCD_APP_NAME: 'training', ARGOCD_APP_NAMESPACE: 'training', ARGOCD_APP_PROJECT_NAME: 'default' },
        flags: {},
        redactor: new Redactor(),
        signal: new AbortController().signal,
        warn: () => {},
        debug: () => {},
      });
      const missing = EXPECTED.filter((line) => !out.includes(line));
      if (missing.length) throw new Error(`snapshot training rendered an unexpected stream (missing ${missing.join(', ')})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (startupSnapshot.isBuildingSnapshot()) {
  train().catch((e: unknown) => {
    for (const error of toPluginErrors(e)) process.stderr.write(`snapshot training failed: ${formatError(error)}\n`);
    process.exit(1);
  });
  // In a run from the blob, argv is [node, ...arguments]: no script path.
  startupSnapshot.setDeserializeMainFunction(() => runCli(process.argv.slice(1), 'snapshot'));
} else {
  runCli(process.argv.slice(2), 'bundle');
}

/**
 * The image starts the CLI from a V8 startup snapshot (plugin/argocd-eso-plugin → node
 * --snapshot-blob dist/cli.blob, built from src/cli/snapshot.ts). These tests hold the snapshot
 * start to the bundle's behaviour: same stdout, stderr and exit status, and the provider SDKs and
 * node-forge load from dist/vendor/ (a process started from a snapshot has no import()).
 * Most CMP-emulator tests elsewhere run through the snapshot too (test/support/plugin.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CANARY, externalSecret, fakeStore, makeApp } from '../support/app.js';
import { assertNoCanary } from '../support/canary.js';
import { CLI, DIST, FIXTURES, LAUNCHER, ROOT, tempDir } from '../support/plugin.js';

const Snapshot = suite('startup snapshot: the image’s start path');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir(), ESO_PLUGIN_CACHE: 'off', ...extra });

function launcher(args: string[], cwd: string, extra: Record<string, string> = {}): Run {
  const r = spawnSync(LAUNCHER, args, { cwd, env: env({ ESO_PLUGIN_DIST: DIST, ...extra }), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function bundle(args: string[], cwd: string, extra: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: env(extra), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function same(args: string[], cwd: string, extra: Record<string, string> = {}): Run {
  const a = launcher(args, cwd, extra);
  const b = bundle(args, cwd, extra);
  assert.equal(a, b, `snapshot and bundle differ for ${args.join(' ')}`);
  return a;
}

Snapshot('--version, --help and usage errors: same output and status (Node’s own flags are not intercepted)', () => {
  assert.match(same(['--version'], ROOT).stdout, /^\d+\.\d+\.\d+/);
  assert.match(same(['--help'], ROOT).stdout, /^argocd-eso-plugin /);
  assert.is(same(['bogus'], ROOT).status, 2);
  assert.is(same(['generate', '--nope'], ROOT).status, 2);
});

Snapshot('the demo and a failing app render identically from the snapshot and the bundle', () => {
  const demo = same(['generate'], join(FIXTURES, 'demo'), { ARGOCD_APP_NAMESPACE: 'demo' });
  assert.is(demo.status, 0, demo.stderr);
  assert.match(demo.stdout, /kind: Secret/);
  const { app } = makeApp({ 's.yaml': fakeStore({ k: CANARY }), 'es.yaml': externalSecret('  secretStoreRef: {name: missing}\n  data:\n    - secretKey: v\n      remoteRef: {key: k}\n') });
  const failed = same(['generate'], app, { ARGOCD_APP_NAMESPACE: 'team' });
  assert.is(failed.status, 1);
  assert.is(failed.stdout, '');
  assert.match(failed.stderr, /missing/);
  assertNoCanary(failed.stderr, CANARY, 'stderr');
  assert.is(same(['check'], join(FIXTURES, 'demo'), { ARGOCD_APP_NAMESPACE: 'demo' }).status, 0);
});

Snapshot('every vendor module the snapshot requires exists and exports what the providers use', () => {
  const snapshot = readFileSync(join(DIST, 'snapshot.cjs'), 'utf8');
  const wanted: Record<string, string> = {
    'aws-secrets-manager': 'SecretsManagerClient',
    'aws-ssm': 'SSMClient',
    'aws-sts': 'STSClient',
    'azure-identity': 'ClientSecretCredential',
    'azure-keyvault-secrets': 'SecretClient',
    'azure-keyvault-keys': 'KeyClient',
    'azure-keyvault-certificates': 'CertificateClient',
    'node-forge': 'pkcs12',
  };
  for (const file of Object.keys(wanted)) assert.ok(snapshot.includes(`./vendor/${file}.mjs`), `snapshot.cjs does not require vendor/${file}.mjs`);
  // In a plain node child: tsx's require hook would load the ES modules differently.
  const check = `const req = require('node:module').createRequire(${JSON.stringify(join(DIST, '/'))});
for (const [file, name] of Object.entries(${JSON.stringify(wanted)})) {
  const ns = req('./vendor/' + file + '.mjs');
  const mod = ns.__esModule === true && 'default' in ns && Object.keys(ns).length === 2 ? ns.default : ns;
  if (mod[name] === undefined) { console.error('vendor/' + file + '.mjs lacks ' + name); process.exitCode = 1; }
}`;
  const r = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8', env: env() });
  assert.is(r.status, 0, r.stderr);
  // With the SDKs inside it was ~2 MB; without, ~0.4 MB.
  assert.ok(snapshot.length < 1_000_000, `SDK code must stay out of the snapshot (snapshot.cjs is ${snapshot.length} bytes)`);
});

Snapshot('Azure from the snapshot: the SDK loads from dist/vendor and a network failure is a clear provider error', () => {
  // The azure-sp fixture's app, with its vault on a closed loopback port (refused at once, no DNS).
  const fixture = join(FIXTURES, 'azure-sp', 'app');
  const files = Object.fromEntries(
    readdirSync(fixture).map((f) => [f, readFileSync(join(fixture, f), 'utf8').replace('https://kv-argocd-sp.vault.azure.net', 'https://127.0.0.1:9')]),
  );
  const { app } = makeApp(files);
  const r = launcher(['generate'], app, {
    ARGOCD_APP_NAMESPACE: 'apps',
    ESO_PLUGIN_CREDENTIALS_DIR: join(FIXTURES, 'azure-sp', 'credentials'),
    ESO_PLUGIN_AZURE_ALLOWED_VAULT_HOSTS: '127.0.0.1',
    ESO_PLUGIN_DEADLINE: '20',
  });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /Key Vault https:\/\/127\.0\.0\.1:9: (secret|key|certificate) "[^"]+": /);
  assert.not.match(r.stderr, /Cannot find module|does not export|import\(\)|dynamic import/);
});

Snapshot('node-forge from the snapshot: a PKCS#12 template renders', () => {
  const pem = (f: string) => readFileSync(join(ROOT, 'test', 'template', 'fixtures', f), 'utf8');
  const keyDir = tempDir();
  writeFileSync(join(keyDir, 'hmac'), 'a'.repeat(64));
  const { app } = makeApp({
    's.yaml': fakeStore({ chain: pem('chain-ordered.pem'), key: pem('leaf.key') }),
    'es.yaml': externalSecret(
      '  secretStoreRef: {name: fake}\n  target:\n    template:\n      data:\n        keystore: "{{ pemToPkcs12 .chain .key }}"\n  data:\n    - {secretKey: chain, remoteRef: {key: chain}}\n    - {secretKey: key, remoteRef: {key: key}}\n',
    ),
  });
  const r = same(['generate'], app, { ARGOCD_APP_NAMESPACE: 'team', ESO_PLUGIN_HMAC_KEY_FILE: join(keyDir, 'hmac') });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /keystore: [A-Za-z0-9+/=]{200,}/);
});

Snapshot('bcrypt (bcryptjs, bundled into the snapshot) and genCA work from the snapshot when the admin allows them', () => {
  const config = tempDir();
  writeFileSync(join(config, 'policy.yaml'), 'templates:\n  allowNonDeterministic: true\n');
  const { app } = makeApp({
    's.yaml': fakeStore({ pw: 'hunter2' }),
    'es.yaml': externalSecret(
      '  secretStoreRef: {name: fake}\n  target:\n    template:\n      data:\n        auth: "{{ htpasswd \\"admin\\" .pw \\"bcrypt\\" }}"\n        ca: "{{ (genCA \\"test-ca\\" 1).Cert }}"\n  data:\n    - {secretKey: pw, remoteRef: {key: pw}}\n',
    ),
  });
  const r = launcher(['generate'], app, { ARGOCD_APP_NAMESPACE: 'team', ESO_PLUGIN_CONFIG_DIR: config });
  assert.is(r.status, 0, r.stderr);
  const data = (key: string) => Buffer.from(new RegExp(`\\n  ${key}: (\\S+)`).exec(r.stdout)?.[1] ?? '', 'base64').toString('utf8');
  assert.match(data('auth'), /^admin:\$2a\$10\$.{53}$/);
  assert.match(data('ca'), /^-----BEGIN CERTIFICATE-----/);
});

Snapshot.run();

// The cross-process credential cache (src/providers/credential-cache.ts): one STS chain for
// concurrent renders of the same identity, 0600 files holding credentials only, expiry, a
// directory that is not ours disables it, and only the sidecar's env can move or disable it.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type GeneratedApp, ROLE, SIDECAR_ROLE, writeApp } from '../../bench/aws-fixture.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { type CacheEntry, fileCredentialCache } from '../../src/providers/credential-cache.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { type AwsServer, startAwsServer } from '../support/aws-server.js';
import { runCliAsync } from '../support/plugin.js';
import { harness, parse, ref, SM, store, text } from './helpers.js';

let aws: AwsServer | undefined;
let dir: string;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'cred-cache-'));
});
test.after.each(async () => {
  await aws?.close();
  aws = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const entry = (expiresAt: number, id = 'ASIAEXAMPLE'): CacheEntry => ({ expiresAt, data: { accessKeyId: id, secretAccessKey: 'sk', sessionToken: 'tok' } });

function counter(make: () => CacheEntry, delayMs = 0) {
  const state = { calls: 0 };
  const fill = async () => {
    state.calls++;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return make();
  };
  return { state, fill };
}

test('an entry is reused until a few minutes before it expires, then filled again', async () => {
  let now = 1_000_000;
  const cache = fileCredentialCache({ dir: join(dir, 'c'), now: () => now, marginMs: 5 * 60_000 });
  const { state, fill } = counter(() => entry(now + 10 * 60_000));
  await cache.getOrFill(['k'], fill);
  now += 4 * 60_000;
  assert.is((await cache.getOrFill(['k'], fill)).data.accessKeyId, 'ASIAEXAMPLE');
  assert.is(state.calls, 1);
  now += 2 * 60_000; // 6 minutes in: within the 5-minute margin of expiry
  await cache.getOrFill(['k'], fill);
  assert.is(state.calls, 2);
  await cache.getOrFill(['other'], fill);
  assert.is(state.calls, 3, 'another key is another entry');
});

test('credentials without an expiry (or about to expire) are not stored', async () => {
  const cache = fileCredentialCache({ dir: join(dir, 'c') });
  const { state, fill } = counter(() => entry(0));
  await cache.getOrFill(['k'], fill);
  await cache.getOrFill(['k'], fill);
  assert.is(state.calls, 2);
  assert.equal(readdirSync(join(dir, 'c')), []);
});

test('concurrent callers with one key (two caches = two processes) wait for one fill', async () => {
  const a = fileCredentialCache({ dir: join(dir, 'c') });
  const b = fileCredentialCache({ dir: join(dir, 'c') });
  const { state, fill } = counter(() => entry(Date.now() + 3600_000), 150);
  const got = await Promise.all([a.getOrFill(['k'], fill), b.getOrFill(['k'], fill), a.getOrFill(['k'], fill)]);
  assert.is(state.calls, 1);
  assert.ok(got.every((e) => e.data.accessKeyId === 'ASIAEXAMPLE'));
  assert.equal(readdirSync(join(dir, 'c')).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp')), [], 'no lock or temp file left');
});

test('files are 0600 in a 0700 directory, named by a hash, and a file that is not 0600 is ignored', async () => {
  const cache = fileCredentialCache({ dir: join(dir, 'c') });
  const { state, fill } = counter(() => entry(Date.now() + 3600_000));
  await cache.getOrFill([ROLE, 'session'], fill);
  assert.is(statSync(join(dir, 'c')).mode & 0o777, 0o700);
  const [file, ...rest] = readdirSync(join(dir, 'c'));
  assert.equal(rest, []);
  assert.match(file!, /^[0-9a-f]{64}\.json$/);
  assert.is(statSync(join(dir, 'c', file!)).mode & 0o777, 0o600);
  chmodSync(join(dir, 'c', file!), 0o644);
  await cache.getOrFill([ROLE, 'session'], fill);
  assert.is(state.calls, 2, 'a group/world-readable entry is not trusted');
});

test('a directory that is not ours disables the cache: wrong mode, a symlink, another owner', async () => {
  const cases: Array<[string, () => string]> = [
    [
      'mode 0755',
      () => {
        const d = join(dir, 'open');
        mkdirSync(d, { mode: 0o755 });
        chmodSync(d, 0o755);
        return d;
      },
    ],
    [
      'symlink',
      () => {
        mkdirSync(join(dir, 'real'), { mode: 0o700 });
        symlinkSync(join(dir, 'real'), join(dir, 'link'));
        return join(dir, 'link');
      },
    ],
  ];
  if (process.getuid?.() === 0) {
    cases.push([
      'another owner',
      () => {
        const d = join(dir, 'theirs');
        mkdirSync(d, { mode: 0o700 });
        chownSync(d, 4242, 4242);
        return d;
      },
    ]);
  }
  for (const [name, make] of cases) {
    const d = make();
    const debug: string[] = [];
    const cache = fileCredentialCache({ dir: d, debug: (m) => debug.push(m) });
    const { state, fill } = counter(() => entry(Date.now() + 3600_000));
    await cache.getOrFill(['k'], fill);
    await cache.getOrFill(['k'], fill);
    assert.is(state.calls, 2, name);
    assert.equal(readdirSync(d), [], `${name}: nothing written`);
    assert.ok(debug.some((l) => l.includes('credential cache disabled')), name);
  }
});

test('in a provider: sidecar-derived role sessions are reused by the next render; tenant access-key chains are never cached', async () => {
  aws = await startAwsServer({ secrets: [{ name: 'a', string: '1' }] });
  const h = await harness({ url: aws.url });
  try {
    await h.writeCredential('payments', 'k', 'id', 'AKIDTENANT');
    await h.writeCredential('payments', 'k', 'secret', 'tenant-secret');
    const cacheDir = join(dir, 'c');
    const render = (): ProviderContext => ({ ...h.ctx, credentialCache: fileCredentialCache({ dir: cacheDir }) });
    const read = async (provider: Record<string, unknown>, kind: 'ClusterSecretStore' | 'SecretStore' = 'ClusterSecretStore') => {
      const s = store(provider, { kind, source: kind === 'SecretStore' ? 'repo' : 'admin' });
      const c = await awsProvider.newClient({ store: s, spec: parse(provider), namespace: 'payments' }, render());
      return text(await c.getSecret(ref('a')));
    };
    const role = 'arn:aws:iam::111122223333:role/payments-reader';
    assert.is(await read({ ...SM, role }), '1');
    assert.is(await read({ ...SM, role }), '1');
    assert.is(aws.calls('AssumeRole').length, 1, 'the second render took the session from the cache');
    assert.is(readdirSync(cacheDir).length, 1);
    const keys = { secretRef: { accessKeyIDSecretRef: { name: 'k', key: 'id' }, secretAccessKeySecretRef: { name: 'k', key: 'secret' } } };
    assert.is(await read({ ...SM, auth: keys, role }, 'SecretStore'), '1');
    assert.is(await read({ ...SM, auth: keys, role }, 'SecretStore'), '1');
    assert.is(aws.calls('AssumeRole').length, 3, 'each render assumes the role from the tenant keys itself');
    assert.is(readdirSync(cacheDir).length, 1, 'nothing cached for the tenant chain');
  } finally {
    await h.cleanup();
  }
});

// Through the CLI: IRSA web identity → AssumeRole, as fixtures/aws-irsa.
function irsaApp(): { app: GeneratedApp; env: (name: string, extra?: Record<string, string>) => Record<string, string> } {
  const app = writeApp(join(dir, 'repo'), { externalSecrets: 4, secrets: 2, role: ROLE });
  const token = join(dir, 'token');
  writeFileSync(token, 'eyJ.sidecar-token.sig');
  return {
    app,
    env: (name, extra = {}) => ({
      AWS_ENDPOINT_URL: aws!.url,
      AWS_REGION: 'eu-west-1',
      AWS_ROLE_ARN: SIDECAR_ROLE,
      AWS_WEB_IDENTITY_TOKEN_FILE: token,
      ESO_PLUGIN_CONFIG_DIR: app.admin,
      ESO_PLUGIN_CACHE: 'on',
      ESO_PLUGIN_CACHE_DIR: join(dir, 'cache'),
      ARGOCD_APP_NAME: name,
      ARGOCD_APP_NAMESPACE: 'payments',
      ARGOCD_APP_PROJECT_NAME: 'payments',
      ...extra,
    }),
  };
}

const stsCalls = () => aws!.requests.filter((q) => q.service === 'sts').map((q) => [q.action, q.params.RoleArn, q.params.RoleSessionName]);

test('two concurrent renders with the same identity make one STS chain; another app reuses the web identity', async () => {
  const { app, env } = irsaApp();
  aws = await startAwsServer(app.seed);
  const [one, two] = await Promise.all([runCliAsync(['generate'], { cwd: app.app, env: env('web') }), runCliAsync(['generate'], { cwd: app.app, env: env('web') })]);
  assert.is(one.status, 0, one.stderr);
  assert.is(two.status, 0, two.stderr);
  assert.is(one.stdout, two.stdout);
  assert.equal(stsCalls(), [
    ['AssumeRoleWithWebIdentity', SIDECAR_ROLE, 'argocd-eso-plugin'],
    ['AssumeRole', ROLE, 'argocd-payments-web'],
  ]);
  const other = await runCliAsync(['generate'], { cwd: app.app, env: env('api') });
  assert.is(other.status, 0, other.stderr);
  assert.equal(stsCalls().slice(2), [['AssumeRole', ROLE, 'argocd-payments-api']], 'the sidecar session is shared; the app session is its own');
  assert.ok(aws.requests.filter((q) => q.service !== 'sts').every((q) => q.accessKeyId === 'ASIApaymentssecretsreader'));

  // Credentials only: no secret value, no role ARN in a name; every file 0600.
  const files = readdirSync(join(dir, 'cache'));
  assert.is(files.length, 3);
  for (const f of files) {
    assert.match(f, /^[0-9a-f]{64}\.json$/);
    assert.is(statSync(join(dir, 'cache', f)).mode & 0o777, 0o600);
    const body = readFileSync(join(dir, 'cache', f), 'utf8');
    assert.not.ok(body.includes('pw-'), 'no secret value');
    assert.equal(Object.keys((JSON.parse(body) as { data: object }).data).sort(), ['accessKeyId', 'secretAccessKey', 'sessionToken']);
  }
});

test('ESO_PLUGIN_AWS_SESSION_SCOPE=project: every app of the project shares one chain', async () => {
  const { app, env } = irsaApp();
  aws = await startAwsServer(app.seed);
  const scope = { ESO_PLUGIN_AWS_SESSION_SCOPE: 'project' };
  const rs = await Promise.all(['web', 'api', 'worker'].map((name) => runCliAsync(['generate'], { cwd: app.app, env: env(name, scope) })));
  for (const r of rs) assert.is(r.status, 0, r.stderr);
  assert.equal(stsCalls(), [
    ['AssumeRoleWithWebIdentity', SIDECAR_ROLE, 'argocd-eso-plugin'],
    ['AssumeRole', ROLE, 'argocd-payments'],
  ]);
  const bad = await runCliAsync(['generate'], { cwd: app.app, env: env('web', { ESO_PLUGIN_AWS_SESSION_SCOPE: 'tenant' }) });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /ESO_PLUGIN_AWS_SESSION_SCOPE must be app or project/);
});

test('ESO_PLUGIN_CACHE=off: every render makes its own chain', async () => {
  const { app, env } = irsaApp();
  aws = await startAwsServer(app.seed);
  for (let i = 0; i < 2; i++) assert.is((await runCliAsync(['generate'], { cwd: app.app, env: env('web', { ESO_PLUGIN_CACHE: 'off' }) })).status, 0);
  assert.is(stsCalls().length, 4);
  assert.not.ok(existsSync(join(dir, 'cache')));
});

test('a tenant can neither move nor disable the cache (ARGOCD_ENV_* / PARAM_* are not admin settings)', async () => {
  const { app, env } = irsaApp();
  aws = await startAwsServer(app.seed);
  const evil = join(dir, 'evil');
  const tenant = { ARGOCD_ENV_ESO_PLUGIN_CACHE_DIR: evil, PARAM_ESO_PLUGIN_CACHE_DIR: evil, ARGOCD_ENV_ESO_PLUGIN_CACHE: 'off', PARAM_ESO_PLUGIN_CACHE: 'off' };
  const r = await runCliAsync(['generate'], { cwd: app.app, env: env('web', tenant) });
  assert.is(r.status, 0, r.stderr);
  assert.not.ok(existsSync(evil));
  assert.is(readdirSync(join(dir, 'cache')).length, 2, 'the admin directory holds the entries');
  assert.match(r.stderr, /ignoring ARGOCD_ENV_ESO_PLUGIN_CACHE_DIR/);
});

test.run();

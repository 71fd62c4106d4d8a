/**
 * Issue 7's table: input ExternalSecret + store data ⇒ expected Secret data (or error), rendered by
 * the real CLI with the fake provider. Expected values are derived from ESO's code and docs
 * (eso-semantics.md); template outputs are cross-checked by the template engine's oracle corpus.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { CANARY, fakeStore, makeApp } from '../support/app.js';
import { assertNoCanary } from '../support/canary.js';
import { runCli, tempDir } from '../support/plugin.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const Semantics = suite('ESO rendering semantics');

const STORE = fakeStore({
  db: JSON.stringify({ username: 'admin', password: CANARY, port: 5432 }),
  'prod/db-user': 'u',
  'prod/db-pass': 'p',
  'prod/api': 'a',
  conf1: JSON.stringify({ a: '1', shared: 'first', nested: { x: 1 } }),
  conf2: JSON.stringify({ b: true, shared: 'second', n: 1.5 }),
  plain: 'test',
  b64: Buffer.from('decoded!').toString('base64'),
  nul: 'AAAA',
});

interface Case {
  spec: string;
  extra?: Record<string, string>;
  data?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  type?: string;
  error?: RegExp;
  policy?: string;
}

function render(c: Case) {
  const es = `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es, labels: {from-es: "yes"}}\nspec:\n  secretStoreRef: {name: fake}\n${c.spec}`;
  const { app } = makeApp({ 's.yaml': STORE, 'es.yaml': es, ...c.extra });
  const env: Record<string, string> = { ARGOCD_APP_NAMESPACE: 'team' };
  if (c.policy) {
    const dir = tempDir('eso-admin-');
    writeFileSync(join(dir, 'policy.yaml'), c.policy);
    env.ESO_PLUGIN_CONFIG_DIR = dir;
  }
  const r = runCli(['generate'], { cwd: app, env });
  assertNoCanary(r.stderr, CANARY, 'stderr');
  return r;
}

function check(name: string, c: Case) {
  Semantics(name, () => {
    const r = render(c);
    if (c.error) {
      assert.is(r.status, 1, `expected failure; stdout:\n${r.stdout}`);
      assert.is(r.stdout, '');
      assert.match(r.stderr, c.error);
      return;
    }
    assert.is(r.status, 0, r.stderr);
    const secret = parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as Record<string, any>)
      .find((d) => d.kind === 'Secret' && d.metadata.name === 'es')!;
    const data = Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    if (c.data) assert.equal(data, c.data);
    if (c.type) assert.is(secret.type, c.type);
    if (c.labels) {
      const { 'reconcile.external-secrets.io/managed': _m, 'reconcile.external-secrets.io/created-by': _c, ...rest } = secret.metadata.labels ?? {};
      assert.equal(rest, c.labels);
    }
    if (c.annotations) assert.equal(secret.metadata.annotations ?? {}, c.annotations);
  });
}

// --- order and precedence -------------------------------------------------------------------
check('data[] wins over dataFrom; later dataFrom wins over earlier', {
  spec: '  dataFrom:\n    - extract: {key: conf1}\n    - extract: {key: conf2}\n  data:\n    - secretKey: shared\n      remoteRef: {key: plain}\n',
  data: { a: '1', b: 'true', n: '1.5', nested: '{"x":1}', shared: 'test' },
});
check('two dataFrom entries: the later one overwrites', {
  spec: '  dataFrom:\n    - extract: {key: conf1}\n    - extract: {key: conf2}\n',
  data: { a: '1', b: 'true', n: '1.5', nested: '{"x":1}', shared: 'second' },
});

// --- find, conversion, decoding ---------------------------------------------------------------
check('find: unanchored name regexp, Default conversion of / to _', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "db-"}}\n',
  data: { 'prod_db-pass': 'p', 'prod_db-user': 'u' },
});
check('find with Unicode conversion', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}, conversionStrategy: Unicode}\n',
  data: { prod_U002f_api: 'a' },
});
check('decodingStrategy Base64 on data[]', {
  spec: '  data:\n    - secretKey: v\n      remoteRef: {key: b64, decodingStrategy: Base64}\n',
  data: { v: 'decoded!' },
});
check('decodingStrategy Auto decodes text that happens to be base64 (ESO pitfall)', {
  spec: '  data:\n    - secretKey: v\n      remoteRef: {key: plain, decodingStrategy: Auto}\n',
  data: { v: Buffer.from('test', 'base64').toString('utf8') },
});
check('nullBytePolicy Fail rejects NUL bytes after decoding', {
  spec: '  data:\n    - secretKey: v\n      remoteRef: {key: nul, decodingStrategy: Base64, nullBytePolicy: Fail}\n',
  error: /contains null bytes/,
});

// --- rewrite ------------------------------------------------------------------------------------
check('rewrite regexp with ${1}; conversion is skipped when rewrite is present', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/"}}\n      rewrite:\n        - regexp: {source: "prod_(.*)", target: "${1}"}\n',
  data: { api: 'a', 'db-pass': 'p', 'db-user': 'u' },
});
check('rewrite regexp: $1x is a group named "1x" (empty), as in Go', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}}\n      rewrite:\n        - regexp: {source: "prod_(a)pi", target: "k$1x"}\n',
  data: { k: 'a' },
});
check('rewrite chain: regexp then transform (upper)', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/db"}}\n      rewrite:\n        - regexp: {source: "prod_db-", target: ""}\n        - transform: {template: "DB_{{ .value | upper }}"}\n',
  data: { DB_PASS: 'p', DB_USER: 'u' },
});
check('rewrite collision fails instead of picking at random', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/db"}}\n      rewrite:\n        - regexp: {source: ".*", target: "same"}\n',
  error: /failed rewrite operation\[0\]: keys "prod_db-pass" and "prod_db-user" both become "same"/,
});
check('a key the rewrite empties is dropped silently (ValidateKeys)', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}}\n      rewrite:\n        - regexp: {source: "^.*$", target: ""}\n  data:\n    - secretKey: keep\n      remoteRef: {key: plain}\n',
  data: { keep: 'test' },
});
check('invalid keys after rewrite fail with the TIP (conversion does not run)', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}}\n      rewrite:\n        - regexp: {source: "_", target: "/"}\n',
  error: /invalid secret keys \(TIP: use rewrite or conversionStrategy to change keys\): key has invalid character \/, only alphanumeric/,
});
check('a transform that does not parse fails even when find matched nothing (ESO parses before the loop)', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^nothing-matches$"}}\n      rewrite:\n        - transform: {template: "{{ .value "}\n  data:\n    - secretKey: keep\n      remoteRef: {key: plain}\n',
  error: /failed rewrite operation\[0\]: transform failed with failed to parse template: /,
});
check('Go RE2 constructs JavaScript runs differently are refused', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}}\n      rewrite:\n        - regexp: {source: "(?U)a+", target: "x"}\n',
  error: /failed rewrite operation\[0\]: regexp failed with failed to compile: .*not supported/,
});
check('find: a pattern with nested repetition is refused (exponential outside RE2)', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^(p+)+$"}}\n',
  error: /could not compile find\.name\.regexp \[\^\(p\+\)\+\$\]: error parsing regexp: nested repetition/,
});
check('rewrite: nested repetition is refused too', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^prod/api$"}}\n      rewrite:\n        - regexp: {source: "(a*)*", target: "x"}\n',
  error: /regexp failed with failed to compile: error parsing regexp: nested repetition/,
});
check('rewrite merge (Extract): conflicts error by default', {
  spec: '  dataFrom:\n    - extract: {key: conf1}\n      rewrite:\n        - merge: {}\n',
  error: /merge failed with failed to unmarshal JSON/,
});
check('rewrite merge Extract over JSON values, conflictPolicy Ignore, priority last wins', {
  spec:
    '  dataFrom:\n    - find: {name: {regexp: "^conf"}}\n      rewrite:\n        - merge: {conflictPolicy: Ignore, priority: [conf1]}\n',
  data: { a: '1', b: 'true', n: '1.5', nested: '{"x":1}', shared: 'first' },
});
check('rewrite merge conflicts are reported', {
  spec: '  dataFrom:\n    - find: {name: {regexp: "^conf"}}\n      rewrite:\n        - merge: {}\n',
  error: /merge failed with conflicts: shared/,
});
check('rewrite merge JSON strategy writes the merged object into one key', {
  spec:
    '  dataFrom:\n    - find: {name: {regexp: "^conf"}}\n      rewrite:\n        - merge: {strategy: JSON, into: merged, conflictPolicy: Ignore}\n        - regexp: {source: "^conf.*", target: ""}\n',
  data: { merged: '{"a":"1","b":true,"n":1.5,"nested":{"x":1},"shared":"second"}' },
});

// --- templates ----------------------------------------------------------------------------------
check('template.data replaces the data (mergePolicy Replace); metadata from the template only', {
  spec:
    '  target:\n    template:\n      type: kubernetes.io/basic-auth\n      metadata:\n        labels: {user: "{{ .username }}"}\n        annotations: {static: "x"}\n      data:\n        dsn: "postgres://{{ .username }}@db:{{ .port }}"\n  dataFrom:\n    - extract: {key: db}\n',
  data: { dsn: 'postgres://admin@db:5432' },
  type: 'kubernetes.io/basic-auth',
  labels: { user: 'admin' },
  annotations: { static: 'x' },
});
check('mergePolicy Merge keeps fetched keys and lets the template override', {
  spec: '  target:\n    template:\n      mergePolicy: Merge\n      data:\n        port: "{{ .port }}0"\n  dataFrom:\n    - extract: {key: conf1}\n    - extract: {key: db}\n',
  data: { a: '1', nested: '{"x":1}', password: CANARY, port: '54320', shared: 'first', username: 'admin' },
});
check('a template with only type/metadata keeps every fetched key', {
  spec: '  target:\n    template:\n      type: Opaque\n      metadata: {labels: {x: z}}\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  data: { v: 'test' },
  labels: { x: 'z' },
});
check('missing key in a template is an error (missingkey=error); index returns empty', {
  spec: '  target:\n    template:\n      data:\n        a: "{{ .nope }}"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  error: /spec\.target\.template\.data\.a .*could not execute template: template: a:1:3: executing "a" at <\.nope>: map has no entry for key "nope"/,
});
check('index on a missing key renders empty', {
  spec: '  target:\n    template:\n      data:\n        a: "[{{ index . \\"nope\\" }}]"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  data: { a: '[]' },
});
check('templateFrom configMap Values and KeysAndValues; template.data wins over templateFrom', {
  extra: {
    'cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tpl}\ndata:\n  config.ini: "user={{ .username }}"\n  multi: |\n    a: "{{ .port }}"\n    b: 1.50\n    c: yes\n    d: ~\n  shadowed: "from-configmap"\n',
  },
  spec:
    '  target:\n    template:\n      templateFrom:\n        - configMap:\n            name: tpl\n            items:\n              - key: config.ini\n              - key: multi\n                templateAs: KeysAndValues\n              - key: shadowed\n      data:\n        shadowed: "from-template-data"\n  dataFrom:\n    - extract: {key: db}\n',
  data: { 'config.ini': 'user=admin', a: '5432', b: '1.5', c: 'true', d: '', shadowed: 'from-template-data' },
});
check('templateFrom literal to Annotations and Labels', {
  spec:
    '  target:\n    template:\n      templateFrom:\n        - literal: "owner: {{ .username }}"\n          target: Annotations\n        - literal: "tier: gold"\n          target: labels\n  data:\n    - secretKey: username\n      remoteRef: {key: db, property: username}\n',
  annotations: { owner: 'admin' },
  labels: { tier: 'gold' },
  data: {}, // mergePolicy Replace with templateFrom: fetched keys are not copied
});
check('templateFrom of a missing ConfigMap or key fails clearly', {
  spec: '  target:\n    template:\n      templateFrom:\n        - configMap: {name: absent, items: [{key: k}]}\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  error: /could not get ConfigMap "absent" in namespace "team"/,
});
check('templateFrom configMap reads data only: a key only in binaryData is missing (ESO parser.go: cm.Data[k.Key])', {
  extra: {
    'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tpl}\ndata:\n  text: "t"\nbinaryData:\n  bin: ${Buffer.from('user={{ .username }}').toString('base64')}\n`,
  },
  spec: '  target:\n    template:\n      templateFrom:\n        - configMap: {name: tpl, items: [{key: bin}]}\n  dataFrom:\n    - extract: {key: db}\n',
  error: /error in configmap tpl: missing key bin/,
});
check('KeysAndValues reads YAML as go-yaml v2 does: timestamps and base-60 stay strings, 0o is octal', {
  spec:
    '  target:\n    template:\n      templateFrom:\n        - literal: "d: 2025-01-31\\nts: 2001-12-14T21:59:43.10-05:00\\nt: 1:30\\no: 0o17\\nb: !!binary aGVsbG8="\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  data: { d: '2025-01-31', ts: '2001-12-14T21:59:43.10-05:00', t: '1:30', o: '15', b: 'hello' },
});
check('KeysAndValues reads only the first YAML document, as go-yaml v2 Unmarshal does', {
  spec:
    '  target:\n    template:\n      templateFrom:\n        - literal: "a: 1\\n---\\nb: 2"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  data: { a: '1' },
});
check('non-deterministic template functions are refused by default', {
  spec: '  target:\n    template:\n      data:\n        id: "{{ uuidv4 }}"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  error: /uuidv4/,
});
check('…and allowed when the admin policy allows them', {
  policy: 'templates:\n  allowNonDeterministic: true\n',
  spec: '  target:\n    template:\n      data:\n        id: "{{ uuidv4 | len }}"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  data: { id: '36' },
});
check('a YAML 1.1 boolean where a string belongs is refused, as the API server would', {
  spec: '  target:\n    template:\n      metadata: {labels: {x: y}}\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  error: /spec\.target\.template\.metadata\.labels\.x \(line 1\): must be a string, not boolean true/,
});
check('template regex functions refuse nested repetition too', {
  spec: '  target:\n    template:\n      data:\n        m: "{{ regexMatch \\"(a+)+$\\" .v }}"\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  error: /regexp: error parsing regexp: nested repetition/,
});
check('template errors never show values', {
  spec: '  target:\n    template:\n      data:\n        a: "{{ .password | b64dec | fail }}"\n  dataFrom:\n    - extract: {key: db}\n',
  error: /could not execute template/,
});

Semantics('created-by is removed unless creationPolicy is Owner, even when a label sets it (ESO applyOwnership)', () => {
  const r = render({
    spec:
      '  target:\n    creationPolicy: Orphan\n    template:\n      metadata:\n        labels: {reconcile.external-secrets.io/created-by: forged, reconcile.external-secrets.io/managed: "no", team: a}\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  });
  assert.is(r.status, 0, r.stderr);
  const secret = parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Record<string, any>)
    .find((d) => d.kind === 'Secret' && d.metadata.name === 'es')!;
  assert.equal(secret.metadata.labels, { 'reconcile.external-secrets.io/managed': 'true', team: 'a' });
});

Semantics('template.metadata.finalizers are added once each, in order (ESO setMetadata: ContainsFinalizer before AddFinalizer)', () => {
  const r = render({
    spec: '  target:\n    template:\n      metadata:\n        finalizers: [example.com/a, example.com/b, example.com/a]\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  });
  assert.is(r.status, 0, r.stderr);
  const secret = parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Record<string, any>)
    .find((d) => d.kind === 'Secret' && d.metadata.name === 'es')!;
  assert.equal(secret.metadata.finalizers, ['example.com/a', 'example.com/b']);
});

check('a data-hash annotation from the template is not passed through (ESO overwrites it with the real hash; we emit none)', {
  spec: '  target:\n    template:\n      metadata:\n        annotations: {reconcile.external-secrets.io/data-hash: stale, note: kept}\n  data:\n    - secretKey: v\n      remoteRef: {key: plain}\n',
  annotations: { note: 'kept' },
});

check('deletionPolicy Delete with nothing fetched fails unless creationPolicy is Owner (ESO: "creationPolicy=Orphan is not Owner")', {
  spec: '  target:\n    creationPolicy: Orphan\n    deletionPolicy: Delete\n  data:\n    - secretKey: v\n      remoteRef: {key: absent}\n',
  error: /unable to delete secret es: creationPolicy=Orphan is not Owner/,
});

Semantics.run();

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { parsePolicy } from '../../src/policy/parse.js';
import { loadPluginConfig } from '../support/cmp-emulator.js';
import { ROOT } from '../support/plugin.js';

const Install = suite('install artefacts: plugin.yaml, argocd/ overlay, Dockerfile');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; bin: Record<string, string> };

Install('plugin.yaml is valid for cmp-server and named argocd-eso-plugin-v<package version>', async () => {
  const config = await loadPluginConfig(join(ROOT, 'plugin/plugin.yaml'));
  assert.is(config.identity, `argocd-eso-plugin-v${pkg.version}`);
  assert.equal(config.generate.command, ['argocd-eso-plugin', 'generate']);
  assert.is(config.discover, undefined, 'the default plugin must not discover');
  const discovery = await loadPluginConfig(join(ROOT, 'plugin/plugin-discovery.yaml'));
  assert.is(discovery.identity, config.identity);
  assert.ok(discovery.discover?.command?.command[0] === 'sh', 'discovery runs a shell grep, not node');
});

Install('argocd/plugin.yaml is the same file as plugin/plugin.yaml', () => {
  assert.is(read('argocd/plugin.yaml'), read('plugin/plugin.yaml'));
});

Install('the example Application names the plugin with its version', () => {
  const app = parse(read('argocd/examples/application.yaml')) as { spec: { source: { plugin: { name: string } } } };
  assert.is(app.spec.source.plugin.name, `argocd-eso-plugin-v${pkg.version}`);
});

Install('kubectl kustomize argocd/ builds offline into the sidecar patch', () => {
  const r = spawnSync('kubectl', ['kustomize', join(ROOT, 'argocd')], { encoding: 'utf8' });
  if (r.error) {
    console.log('  (skipped: kubectl not found)');
    return;
  }
  assert.is(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS()) as Array<Record<string, any>>;
  const deploy = docs.find((d) => d.kind === 'Deployment')!;
  assert.is(deploy.metadata.name, 'argocd-repo-server');
  assert.is(deploy.metadata.namespace, 'argocd');
  const pod = deploy.spec.template.spec;
  const c = pod.containers.find((x: { name: string }) => x.name === 'argocd-eso-plugin');
  assert.equal(c.command, ['/var/run/argocd/argocd-cmp-server']);
  assert.is(c.securityContext.runAsUser, 999);
  assert.is(c.securityContext.runAsNonRoot, true);
  assert.is(c.securityContext.readOnlyRootFilesystem, true);
  assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
  const mounts = Object.fromEntries(c.volumeMounts.map((m: { name: string; mountPath: string; subPath?: string }) => [m.mountPath, m]));
  assert.is(mounts['/var/run/argocd'].name, 'var-files');
  assert.is(mounts['/home/argocd/cmp-server/plugins'].name, 'plugins');
  assert.is(mounts['/home/argocd/cmp-server/config/plugin.yaml'].subPath, 'plugin.yaml');
  assert.ok(mounts['/tmp'], 'own /tmp');
  const cm = docs.find((d) => d.kind === 'ConfigMap' && String(d.metadata.name).startsWith('argocd-eso-plugin-cmp'))!;
  const vol = pod.volumes.find((v: { name: string }) => v.name === 'argocd-eso-plugin-cmp');
  assert.is(vol.configMap.name, cm.metadata.name, 'the volume follows the generated ConfigMap name');
  assert.is(cm.data['plugin.yaml'], read('plugin/plugin.yaml'));
  const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  assert.is(env.ESO_PLUGIN_CONFIG_DIR, '/etc/argocd-eso-plugin');
  const ann = deploy.spec.template.metadata.annotations;
  assert.ok(ann['eks.amazonaws.com/skip-containers'].includes('argocd-repo-server'));
  assert.ok(ann['azure.workload.identity/skip-containers'].includes('argocd-repo-server'));
  const policy = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'argocd-eso-plugin-config')!;
  assert.is(parse(policy.data['policy.yaml']), null, 'the shipped policy is empty: default deny');
  assert.ok(docs.some((d) => d.kind === 'Application'));
});

Install('Dockerfile: Node LTS base, multi-stage, user 999, and the binary plugin.yaml runs exists in the final stage', () => {
  const text = read('Dockerfile');
  const froms = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => m[1]!);
  assert.ok(froms.length >= 2, 'multi-stage');
  for (const image of froms.filter((f) => f.startsWith('node:'))) {
    const m = /^node:(\d+)[.-]/.exec(image);
    assert.ok(m, `${image} is an official node image with a pinned major`);
    const major = Number(m![1]);
    assert.ok(major % 2 === 0 && major >= 22, `${image}: an LTS major (even, >= 22)`);
  }
  const final = text.slice(text.lastIndexOf('\nFROM '));
  assert.match(final, /^USER 999$/m);
  assert.ok(final.includes('/usr/local/bin/argocd-eso-plugin'), 'argocd-eso-plugin is on PATH in the final stage');
  assert.ok(final.includes(`/opt/argocd-eso-plugin/${pkg.bin['argocd-eso-plugin']}`), 'the link points at the package bin');
  assert.match(final, /COPY --from=build \/src\/dist/);
  assert.not.match(final, /npm (ci|install)/, 'no dependency install in the runtime stage');
  assert.match(final, /COPY --from=tools \/usr\/local\/bin\/helm \/usr\/local\/bin\/kustomize/);
  for (const tool of ['helm-v4.2.4-linux-', 'kustomize_v5.8.1_linux_']) assert.ok(text.includes(tool), tool);
  assert.equal((text.match(/sha256sum -c/g) ?? []).length, 2, 'both downloads are checksum-verified');
  // The startup snapshot: the launcher on PATH, the blob built in the final stage by its own Node, in place.
  assert.match(final, /^COPY plugin\/argocd-eso-plugin \/usr\/local\/bin\/argocd-eso-plugin$/m);
  assert.match(final, /^WORKDIR \/opt\/argocd-eso-plugin$/m);
  assert.match(final, /node --snapshot-blob dist\/cli\.blob --build-snapshot dist\/snapshot\.cjs/);
  assert.ok(read('plugin/argocd-eso-plugin').includes('dist=${ESO_PLUGIN_DIST:-/opt/argocd-eso-plugin/dist}'), 'the launcher looks where the image puts dist');
  assert.match(text, /npm run build -- --no-snapshot/, 'no blob from the build stage’s Node');
});

Install('the discovery variant runs the same script docs/sources.md documents and tests', () => {
  const doc = read('docs/sources.md');
  const start = doc.indexOf('<!-- discover.sh -->\n```sh\n') + '<!-- discover.sh -->\n```sh\n'.length;
  const script = doc.slice(start, doc.indexOf('```', start));
  const yaml = parse(read('plugin/plugin-discovery.yaml')) as { spec: { discover: { find: { command: string[] } } } };
  assert.is(yaml.spec.discover.find.command[2], script);
  const announced = (f: string) => (parse(read(f)) as { spec: { parameters: { static: Array<{ name: string }> } } }).spec.parameters.static.map((p) => p.name);
  assert.equal(announced('plugin/plugin-discovery.yaml'), announced('plugin/plugin.yaml'));
});

Install('the shipped example policies are valid', () => {
  for (const file of ['argocd/admin-config.yaml', 'argocd/examples/policy-single-tenant.yaml', 'argocd/examples/policy-multi-tenant.yaml']) {
    const cm = parseAllDocuments(read(file))
      .map((d) => d.toJS())
      .find((d: { data?: Record<string, string> }) => d?.data?.['policy.yaml'] !== undefined) as { data: Record<string, string> };
    const { errors, policy } = parsePolicy(parse(cm.data['policy.yaml']!, { version: '1.1' }));
    assert.equal(errors, [], file);
    assert.ok(policy, file);
  }
  const multi = parsePolicy(parse((parse(read('argocd/examples/policy-multi-tenant.yaml')) as { data: Record<string, string> }).data['policy.yaml']!));
  assert.equal(multi.policy?.projects.payments?.stores, ['aws-prod']);
});

Install.run();

/**
 * Scenario 6 — template-heavy: (a) the engine in-process on 1k ESO-style templates (per-template
 * cost, warm JIT), and (b) whole `generate` processes on an app with 1k ExternalSecrets that use
 * template.data and a dataFrom rewrite, against the same app without templates, so the ratio is the
 * cost templates and rewrites add to a render.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { measure } from '../lib/process.js';
import { median } from '../lib/stats.js';
import type { BenchOptions, Scenario, ScenarioOutcome } from '../lib/types.js';
import { APP_ENV } from './cold-start.js';

type ExecuteTemplate = (text: string, data: ReadonlyMap<string, Uint8Array>, opts: { name: string; missingKey: 'error' | 'default' }) => Promise<Uint8Array>;

const TEMPLATE = `{{- $u := .username -}}
postgres://{{ $u }}:{{ .password | urlquery }}@{{ .host }}:5432/{{ .db | lower }}?sslmode=require
{{ range $k, $v := . }}{{ $k }}={{ $v | b64enc }};{{ end }}
{{ if eq .env "prod" }}strict{{ else }}lax{{ end }}`;

/** An app with `count` ExternalSecrets reading one fake store; `templated` adds template.data and a rewrite. */
function app(scratch: string, count: number, templated: boolean): string {
  const dir = join(scratch, `template-app-${templated ? 'templated' : 'plain'}-${count}`);
  mkdirSync(dir, { recursive: true });
  const entries = Array.from({ length: 50 }, (_, i) => `        - key: db-${i}\n          value: '{"username":"user${i}","password":"p@ss/${i}","host":"db-${i % 7}.internal"}'`).join('\n');
  writeFileSync(join(dir, 'store.yaml'), `apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake}\nspec:\n  provider:\n    fake:\n      data:\n${entries}\n`);
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const template = templated
      ? `  target:\n    template:\n      mergePolicy: Merge\n      data:\n        dsn: "postgres://{{ .DB_USERNAME }}:{{ .DB_PASSWORD | urlquery }}@{{ .DB_HOST }}:5432/app${i}"\n        check: "{{ .DB_PASSWORD | sha256sum | trunc 12 }}"\n`
      : '';
    const rewrite = templated ? `      rewrite:\n        - regexp: {source: "^(.*)$", target: "DB_$1"}\n        - transform: {template: "{{ .value | upper }}"}\n` : '';
    docs.push(`apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es-${i}}\nspec:\n  secretStoreRef: {name: fake}\n${template}  dataFrom:\n    - extract: {key: db-${i % 50}}\n${rewrite}`);
  }
  writeFileSync(join(dir, 'externalsecrets.yaml'), docs.join('---\n'));
  return dir;
}

export const templateHeavy: Scenario = {
  number: 6,
  id: 'template-heavy',
  title: 'template-heavy: 1k ExternalSecrets with templates and rewrites',
  async run(o: BenchOptions): Promise<ScenarioOutcome> {
    const mod = (await import(pathToFileURL(join(o.root, 'src', 'template', 'index.ts')).href)) as { executeTemplate: ExecuteTemplate };
    const enc = new TextEncoder();
    const count = 1000;
    const datas = Array.from({ length: count }, (_, i) => {
      const m = new Map<string, Uint8Array>();
      for (const [k, v] of Object.entries({ username: `user${i}`, password: `p@ss/${i}`, host: `db-${i % 7}.internal`, db: `App${i}`, env: i % 2 ? 'prod' : 'dev' })) {
        m.set(k, enc.encode(v));
      }
      return m;
    });
    const runs = o.quick ? 3 : o.runs;
    const ms: number[] = [];
    for (let r = 0; r < runs + 1; r++) {
      const t0 = performance.now();
      for (const d of datas) await mod.executeTemplate(TEMPLATE, d, { name: 'bench', missingKey: 'error' });
      if (r > 0) ms.push(performance.now() - t0); // first round warms the JIT
    }

    const cli = join(o.root, 'dist', 'cli.mjs');
    const node = process.execPath;
    const commands = [
      { name: `generate ${count} ES, templates + rewrites`, argv: [node, cli, 'generate', app(o.scratch, count, true)], env: APP_ENV },
      { name: `generate ${count} ES, no templates`, argv: [node, cli, 'generate', app(o.scratch, count, false)], env: APP_ENV },
    ];
    const wholeRuns = o.quick ? 3 : Math.max(3, Math.floor(o.runs / 2));
    const samples = measure(commands, wholeRuns, 1, o.scratch);
    const med = (name: string) => median(samples.get(name)!.map((s) => s.ms));
    const templated = med(commands[0]!.name);
    const plain = med(commands[1]!.name);
    return {
      status: 'ok',
      series: [{ name: `executeTemplate × ${count} (in-process, warm)`, ms }, ...commands.map((c) => ({ name: c.name, ms: samples.get(c.name)!.map((s) => s.ms) }))],
      ratios: [{ name: 'templates + rewrites / no templates (whole process)', numerator: commands[0]!.name, denominator: commands[1]!.name, value: templated / plain }],
      figures: {
        'time per template, in-process warm (µs)': (median(ms) / count) * 1000,
        'time per ExternalSecret, whole process with templates (ms)': templated / count,
        'added by templates + rewrites per ExternalSecret (ms)': (templated - plain) / count,
      },
      notes: ['the whole-process figures include start-up, the engine chunk load and its cold JIT'],
    };
  },
};

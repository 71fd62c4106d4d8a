/**
 * Scenario 6 — template-heavy. Waits for the template engine (src/template/index.ts, exporting
 * `executeTemplate(text, data, opts)`); until then it is skipped. When the module exists this
 * times the engine in-process on 1k ESO-style templates (per-ExternalSecret cost); the
 * whole-process variant (1k ExternalSecrets with templates and rewrites through `generate`)
 * belongs here once run.ts wires the engine into render.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median } from '../lib/stats.js';
import type { BenchOptions, Scenario, ScenarioOutcome } from '../lib/types.js';

type ExecuteTemplate = (text: string, data: ReadonlyMap<string, Uint8Array>, opts: Record<string, unknown>) => Promise<Uint8Array>;

const TEMPLATE = `{{- $u := .username -}}
postgres://{{ $u }}:{{ .password | urlquery }}@{{ .host }}:5432/{{ .db | lower }}?sslmode=require
{{ range $k, $v := . }}{{ $k }}={{ $v | b64enc }};{{ end }}
{{ if eq .env "prod" }}strict{{ else }}lax{{ end }}`;

export const templateHeavy: Scenario = {
  number: 6,
  id: 'template-heavy',
  title: 'template-heavy: 1k ExternalSecrets with templates',
  async run(o: BenchOptions): Promise<ScenarioOutcome> {
    const module = join(o.root, 'src', 'template', 'index.ts');
    if (!existsSync(module)) return { status: 'skipped', reason: 'the template engine (src/template/index.ts) has not landed yet' };
    const mod = (await import(pathToFileURL(module).href)) as { executeTemplate?: ExecuteTemplate };
    if (typeof mod.executeTemplate !== 'function') return { status: 'skipped', reason: 'src/template/index.ts does not export executeTemplate' };
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
    try {
      for (let r = 0; r < runs + 1; r++) {
        const t0 = performance.now();
        for (const d of datas) await mod.executeTemplate(TEMPLATE, d, {});
        if (r > 0) ms.push(performance.now() - t0); // first round warms the JIT
      }
    } catch (e) {
      return { status: 'skipped', reason: `the bench template does not run on the engine yet: ${(e as Error).message.split('\n')[0]}` };
    }
    return {
      status: 'ok',
      series: [{ name: `executeTemplate × ${count}`, ms }],
      ratios: [],
      figures: { 'time per ExternalSecret template (µs)': (median(ms) / count) * 1000 },
      notes: ['in-process, warm JIT; the whole-process variant awaits the engine being wired into render'],
    };
  },
};

/**
 * ApplyTemplate (eso-semantics.md §7.4): which data and metadata the Secret gets when
 * `target.template` is set. The template engine is plugged in through `TemplateRenderer`.
 */
import { PluginError } from '../errors/index.js';
import type { ExternalSecret, SecretTemplate } from '../model/types.js';
import type { SecretMetadata } from './secret.js';
import { inheritedMetadata } from './secret.js';

/** Renders one template over the data map (Go text/template + Sprig + ESO functions). */
export type TemplateRenderer = (text: string, data: ReadonlyMap<string, Uint8Array>, name: string) => Promise<Uint8Array>;

export interface Templated {
  readonly data: Map<string, Uint8Array>;
  readonly meta: SecretMetadata;
  readonly warnings: string[];
}

const utf8 = new TextDecoder();

export async function applyTemplate(es: ExternalSecret, dataMap: ReadonlyMap<string, Uint8Array>, render: TemplateRenderer | undefined): Promise<Templated> {
  const template = es.target.template;
  if (!template) {
    const inherited = inheritedMetadata(es);
    return { data: new Map(dataMap), meta: { labels: inherited.labels, annotations: inherited.annotations, finalizers: [], type: undefined }, warnings: inherited.warnings };
  }
  const needsEngine = hasTemplates(template);
  if (needsEngine && !render) {
    throw new PluginError('render', 'templates need the template engine, which this build does not include yet', {
      origin: es.origin,
      field: 'spec.target.template',
    });
  }
  const out = new Map<string, Uint8Array>();
  const noTemplate = Object.keys(template.data).length === 0 && template.templateFrom.length === 0;
  if (template.mergePolicy === 'Merge' || noTemplate) for (const [k, v] of dataMap) out.set(k, v);
  if (template.templateFrom.length > 0) {
    throw new PluginError('render', 'templateFrom is not supported yet', { origin: es.origin, field: 'spec.target.template.templateFrom' });
  }
  const run = async (text: string, name: string, field: string): Promise<Uint8Array> => {
    try {
      return await render!(text, dataMap, name);
    } catch (e) {
      throw new PluginError('render', (e as Error).message, { origin: es.origin, field });
    }
  };
  for (const key of Object.keys(template.data).sort()) {
    out.set(key, await run(template.data[key]!, key, `spec.target.template.data.${key}`));
  }
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(template.metadata.labels)) {
    labels[k] = v.includes('{{') ? utf8.decode(await run(v, k, `spec.target.template.metadata.labels.${k}`)) : v;
  }
  for (const [k, v] of Object.entries(template.metadata.annotations)) {
    annotations[k] = v.includes('{{') ? utf8.decode(await run(v, k, `spec.target.template.metadata.annotations.${k}`)) : v;
  }
  return { data: out, meta: { labels, annotations, finalizers: template.metadata.finalizers, type: template.type }, warnings: [] };
}

function hasTemplates(t: SecretTemplate): boolean {
  return (
    Object.keys(t.data).length > 0 ||
    t.templateFrom.length > 0 ||
    Object.values(t.metadata.labels).some((v) => v.includes('{{')) ||
    Object.values(t.metadata.annotations).some((v) => v.includes('{{'))
  );
}

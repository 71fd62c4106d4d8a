/**
 * ESO templates use the same `{{ }}` as Helm. Unescaped in a chart, `{{ .password }}` is evaluated
 * by Helm against the chart's values — where `.password` does not exist — and Helm's engine turns
 * the missing value into an empty string (helm/pkg/engine: "<no value>" is replaced by ""). The
 * ExternalSecret then renders a Secret with empty values and no error. We cannot see the chart's
 * source text after rendering, so we look for the traces: template values that are empty, or a
 * template that no longer refers to anything at all.
 */
import { parseAllDocuments } from 'yaml';

const ESCAPES = '{{ "{{ .password }}" }} or {{`{{ .password }}`}}';

export function helmEscapeWarnings(rendered: Uint8Array, file: string): string[] {
  const warnings: string[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(Buffer.from(rendered).toString('utf8'), { version: '1.1' });
  } catch {
    return warnings; // the manifest stage reports parse errors with their origin
  }
  if (!Array.isArray(docs)) return warnings;
  for (const doc of docs) {
    if (doc.errors.length) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    warnings.push(...externalSecretWarnings(value, file));
  }
  return warnings;
}

function externalSecretWarnings(value: unknown, file: string): string[] {
  if (!isObject(value) || value.kind !== 'ExternalSecret' || typeof value.apiVersion !== 'string' || !value.apiVersion.startsWith('external-secrets.io/')) return [];
  const name = isObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : '?';
  const spec = isObject(value.spec) ? value.spec : {};
  const target = isObject(spec.target) ? spec.target : {};
  const template = isObject(target.template) ? target.template : undefined;
  if (!template) return [];
  const data = isObject(template.data) ? template.data : {};
  const out: string[] = [];
  const where = `${file}: ExternalSecret ${name}`;
  const empty = Object.entries(data)
    .filter(([, v]) => v === null || (typeof v === 'string' && v.trim() === ''))
    .map(([k]) => k);
  for (const key of empty) {
    out.push(
      `${where}: spec.target.template.data.${key} is empty after helm template — if the chart had an ESO template there, Helm consumed it; escape it for Helm: ${ESCAPES} (see docs/sources.md)`,
    );
  }
  const values = Object.values(data).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const fetches = Array.isArray(spec.data) || Array.isArray(spec.dataFrom);
  const usesTemplateFrom = Array.isArray(template.templateFrom) && template.templateFrom.length > 0;
  if (empty.length === 0 && fetches && !usesTemplateFrom && values.length > 0 && !values.some((v) => v.includes('{{'))) {
    out.push(
      `${where}: spec.target.template.data uses none of the fetched values (no {{ }} left after helm template) — if the chart had ESO templates there, Helm consumed them; escape them for Helm: ${ESCAPES} (see docs/sources.md)`,
    );
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

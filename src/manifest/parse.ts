/**
 * Parses the app's files into documents, each keeping its origin (file, 1-based document index,
 * line) and its verbatim source text, so pass-through documents are printed exactly as written.
 * YAML 1.1 scalars, as Kubernetes' sigs.k8s.io/yaml reads them (`yes` is a bool there too).
 * Hostile input is bounded: alias expansion, nesting depth, document count, duplicate keys, non-UTF-8.
 */
import { isMap, LineCounter, parseAllDocuments } from 'yaml';
import { type Origin, PluginError } from '../errors/index.js';
import type { SourceFile } from '../source/directory.js';

export interface ManifestDoc {
  readonly origin: Origin;
  readonly value: Record<string, unknown>;
  /** The document's source text; undefined for items of a `kind: List` and JSON files. */
  readonly text: string | undefined;
}

export interface ManifestLimits {
  readonly maxDocumentsPerFile: number;
  readonly maxDocuments: number;
  readonly maxDepth: number;
  readonly maxAliasCount: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  maxDocumentsPerFile: 20_000,
  maxDocuments: 200_000,
  maxDepth: 64,
  maxAliasCount: 100,
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function parseFiles(files: readonly SourceFile[], limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const file of files) {
    for (const doc of parseFile(file, limits)) {
      out.push(doc);
      if (out.length > limits.maxDocuments) {
        throw new PluginError('input', `the app has more than ${limits.maxDocuments} documents`, {
          hint: 'split the app, or narrow it with the include/exclude parameters',
        });
      }
    }
  }
  return out;
}

export function parseFile(file: SourceFile, limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS): ManifestDoc[] {
  let source: string;
  try {
    source = strictUtf8.decode(file.bytes);
  } catch {
    throw new PluginError('input', `${file.path}: is not valid UTF-8`, { hint: 'save the file as UTF-8' });
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const isJson = file.path.endsWith('.json');
  const lines = new LineCounter();
  const docs = parseAllDocuments(source, { version: '1.1', uniqueKeys: true, lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  if (!Array.isArray(docs)) return []; // empty stream
  if (docs.length > limits.maxDocumentsPerFile) {
    throw new PluginError('input', `${file.path}: has ${docs.length} documents, over the limit of ${limits.maxDocumentsPerFile}`);
  }
  if (isJson && docs.filter((d) => d.contents !== null).length > 1) {
    throw new PluginError('input', `${file.path}: found multiple objects; only single objects are allowed in JSON files`);
  }

  const out: ManifestDoc[] = [];
  docs.forEach((doc, index) => {
    const origin: Origin = { file: file.path, doc: index + 1, line: lines.linePos(doc.contents?.range[0] ?? doc.range[0]).line };
    const problem = doc.errors[0];
    if (problem) {
      const line = lines.linePos(problem.pos[0]).line;
      throw new PluginError('input', `invalid YAML: ${firstLine(problem.message)}`, {
        origin: line ? { ...origin, line } : origin,
      });
    }
    if (doc.contents === null) return; // empty document
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      throw new PluginError('input', `invalid YAML: ${firstLine((e as Error).message)}`, {
        origin,
        hint: 'YAML aliases are limited to keep documents small; write the values out',
      });
    }
    if (value === null || value === undefined) return;
    const depth = depthOf(value, limits.maxDepth);
    if (depth > limits.maxDepth) {
      throw new PluginError('input', `document is nested deeper than ${limits.maxDepth} levels`, { origin });
    }
    if (!isMap(doc.contents) || typeof value !== 'object' || Array.isArray(value)) {
      throw new PluginError('input', 'document is not a mapping (a Kubernetes object)', {
        origin,
        hint: 'every document must be an object with apiVersion and kind; remove stray text or lists',
      });
    }
    const obj = value as Record<string, unknown>;
    if (typeof obj.kind !== 'string' || obj.kind === '') {
      throw new PluginError('input', "Object 'Kind' is missing", { origin, field: 'kind' });
    }
    const [start, , end] = doc.contents.range;
    const text = isJson ? undefined : source.slice(start, end).replace(/\s+$/, '');
    if (isList(obj)) {
      const items = obj.items as unknown[];
      items.forEach((item, i) => {
        const itemOrigin: Origin = { ...origin };
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new PluginError('input', 'list item is not an object', { origin: itemOrigin, field: `items[${i}]` });
        }
        const itemObj = item as Record<string, unknown>;
        if (typeof itemObj.kind !== 'string' || itemObj.kind === '') {
          throw new PluginError('input', "Object 'Kind' is missing", { origin: itemOrigin, field: `items[${i}].kind` });
        }
        out.push({ origin: { ...itemOrigin, file: `${file.path}`, doc: index + 1 }, value: itemObj, text: undefined });
      });
      return;
    }
    out.push({ origin, value: obj, text });
  });
  return out;
}

/** Argo flattens any object with an `items` array (unstructured IsList), whatever its kind. */
function isList(obj: Record<string, unknown>): boolean {
  return Array.isArray(obj.items);
}

function depthOf(value: unknown, cap: number, depth = 0): number {
  if (depth > cap || typeof value !== 'object' || value === null) return depth;
  let max = depth;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    max = Math.max(max, depthOf(child, cap, depth + 1));
    if (max > cap) return max;
  }
  return max;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

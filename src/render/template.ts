/**
 * ApplyTemplate (eso-semantics.md §7.4–7.5; ESO externalsecret_controller_template.go,
 * templating/parser.go, runtime/template/v2): which data and metadata the Secret gets when
 * `target.template` is set. Precedence, lowest first: fetched data (only with mergePolicy Merge or
 * a template without data/templateFrom) < templateFrom items in order (configMap, then secret, then
 * literal) < template.data. Label and annotation values are templates; keys are literal.
 * The engine (src/template) is loaded only when an ExternalSecret has something to render.
 */
import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import { PluginError } from '../errors/index.js';
import type { DecodingStrategy, ExternalSecret, SecretTemplate, TemplateFromItem } from '../model/types.js';
import type { SecretMetadata } from './secret.js';
import { inheritedMetadata } from './secret.js';
import { decode } from './strategies.js';

export interface RunOptions {
  readonly name: string;
  readonly missingKey: 'error' | 'default';
}

/** Runs one template over a data map; bound to the admin's template options. */
export type TemplateRunner = (text: string, data: ReadonlyMap<string, Uint8Array>, opts: RunOptions) => Promise<Uint8Array>;

/** Reads a ConfigMap or Secret of the render (templateFrom), as name → bytes; undefined when absent. */
export type ObjectLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => ReadonlyMap<string, Uint8Array> | undefined;

export interface Templated {
  readonly data: Map<string, Uint8Array>;
  readonly meta: SecretMetadata;
  readonly warnings: string[];
}

const utf8 = new TextDecoder();

export async function applyTemplate(
  es: ExternalSecret,
  namespace: string,
  dataMap: ReadonlyMap<string, Uint8Array>,
  run: TemplateRunner,
  lookup: ObjectLookup,
): Promise<Templated> {
  const template = es.target.template;
  if (!template) {
    const inherited = inheritedMetadata(es);
    return { data: new Map(dataMap), meta: { labels: inherited.labels, annotations: inherited.annotations, finalizers: [], type: undefined }, warnings: inherited.warnings };
  }
  const field = 'spec.target.template';
  const render = async (text: string, name: string, at: string): Promise<Uint8Array> => {
    try {
      return await run(text, dataMap, { name, missingKey: 'error' });
    } catch (e) {
      throw new PluginError('render', `could not execute template: ${(e as Error).message}`, { origin: es.origin, field: at });
    }
  };

  const data = new Map<string, Uint8Array>();
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const noTemplate = Object.keys(template.data).length === 0 && template.templateFrom.length === 0;
  if (template.mergePolicy === 'Merge' || noTemplate) for (const [k, v] of dataMap) data.set(k, v);

  const write = (target: TemplateFromItem['target'], key: string, value: Uint8Array) => {
    if (target === 'Data') data.set(key, value);
    else (target === 'Labels' ? labels : annotations)[key] = utf8.decode(value);
  };

  for (const [i, item] of template.templateFrom.entries()) {
    const at = `${field}.templateFrom[${i}]`;
    const sources: Array<['ConfigMap' | 'Secret', NonNullable<TemplateFromItem['configMap']>]> = [];
    if (item.configMap) sources.push(['ConfigMap', item.configMap]);
    if (item.secret) sources.push(['Secret', item.secret]);
    for (const [kind, ref] of sources) {
      const object = lookup(kind, namespace, ref.name);
      const what = kind === 'ConfigMap' ? 'configmap' : 'secret';
      if (!object) {
        throw new PluginError('render', `could not get ${kind} "${ref.name}" in namespace "${namespace}"`, {
          origin: es.origin,
          field: `${at}.${kind === 'ConfigMap' ? 'configMap' : 'secret'}.name`,
          hint: `templateFrom reads ${kind}s of the same app render; add it to the app`,
        });
      }
      for (const key of ref.items) {
        const value = object.get(key.key);
        if (value === undefined) throw new PluginError('render', `error in ${what} ${ref.name}: missing key ${key.key}`, { origin: es.origin, field: at });
        const text = utf8.decode(value);
        if (key.templateAs === 'Values') {
          write(item.target, key.key, decodeRendered(await render(text, key.key, at), item.valuesDecodingStrategy, key.key, es, at));
        } else {
          for (const [k, v] of await keysAndValues(await render(text, key.key, at), es, at)) write(item.target, k, decodeRendered(v, item.valuesDecodingStrategy, k, es, at));
        }
      }
    }
    if (item.literal !== undefined) {
      for (const [k, v] of await keysAndValues(await render(item.literal, 'literal', `${at}.literal`), es, `${at}.literal`)) {
        write(item.target, k, decodeRendered(v, item.valuesDecodingStrategy, k, es, at));
      }
    }
  }
  for (const key of Object.keys(template.data).sort()) data.set(key, await render(template.data[key]!, key, `${field}.data.${key}`));
  for (const [k, v] of Object.entries(template.metadata.labels)) labels[k] = utf8.decode(await render(v, k, `${field}.metadata.labels.${k}`));
  for (const [k, v] of Object.entries(template.metadata.annotations)) annotations[k] = utf8.decode(await render(v, k, `${field}.metadata.annotations.${k}`));
  return { data, meta: { labels, annotations, finalizers: template.metadata.finalizers, type: template.type }, warnings: [] };
}

/** Does this ExternalSecret need the template engine (template text, or a rewrite transform)? */
export function needsEngine(es: ExternalSecret): boolean {
  const t: SecretTemplate | undefined = es.target.template;
  const templated = t !== undefined && (Object.keys(t.data).length > 0 || t.templateFrom.length > 0 || Object.keys(t.metadata.labels).length > 0 || Object.keys(t.metadata.annotations).length > 0);
  return templated || es.dataFrom.some((d) => d.rewrite.length > 0);
}

function decodeRendered(value: Uint8Array, strategy: DecodingStrategy, key: string, es: ExternalSecret, at: string): Uint8Array {
  try {
    return decode(strategy, value);
  } catch (e) {
    throw new PluginError('render', `failed to decode rendered template value for key ${key}: ${(e as Error).message}`, { origin: es.origin, field: at });
  }
}

/**
 * go-yaml v2's implicit resolution (resolve.go), which sigs.k8s.io/yaml uses, differs from the
 * YAML 1.1 schema of the yaml library: a timestamp decoded into interface{} stays its original
 * string, base-60 numbers (`1:30`) are strings, and integers go through strconv.ParseInt base 0,
 * which also reads `0o17`/`0O17`, `0X1F` and `0B101`.
 */
const GO_INT_PREFIXED = /^[-+]?0(?:[oO][0-7_]+|X[0-9a-fA-F_]+|B[01_]+)$/;
function goYamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'));
  const goInt: ScalarTag = {
    tag: 'tag:yaml.org,2002:int',
    default: true,
    test: GO_INT_PREFIXED,
    resolve: (str) => {
      const plain = str.replaceAll('_', '');
      const neg = plain.startsWith('-');
      const digits = plain.replace(/^[-+]/, '');
      const v = BigInt(`0${digits[1]!.toLowerCase()}${digits.slice(2)}`);
      return neg ? -v : v;
    },
  };
  return [...kept, goInt];
}

/**
 * KeysAndValues output (k8s.io/apimachinery yaml.Unmarshal into map[string]string): YAML 1.1
 * scalars, resolved as go-yaml v2 does (goYamlTags), become strings the way sigs.k8s.io/yaml
 * converts them for string targets (ints in decimal, floats as float32 'g', booleans true/false,
 * null empty, !!binary decoded); nested values are an error.
 */
async function keysAndValues(rendered: Uint8Array, es: ExternalSecret, at: string): Promise<Array<[string, Uint8Array]>> {
  const fail = (why: string): never => {
    throw new PluginError('render', `could not unmarshal template to 'map[string][]byte': ${why}`, { origin: es.origin, field: at });
  };
  let doc: unknown;
  try {
    // go-yaml v2's Unmarshal decodes the first document only; later ones are ignored.
    const docs = parseAllDocuments(utf8.decode(rendered), { version: '1.1', intAsBigInt: true, uniqueKeys: false, customTags: goYamlTags });
    const first = Array.isArray(docs) ? docs[0] : undefined;
    const error = first?.errors[0];
    if (error) throw error;
    doc = first ? first.toJS({ maxAliasCount: 100 }) : null;
  } catch (e) {
    return fail((e as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== 'object' || Array.isArray(doc)) return fail('json: cannot unmarshal non-object into Go value of type map[string]string');
  const out: Array<[string, Uint8Array]> = [];
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    let s: string;
    if (v === null || v === undefined) s = '';
    else if (typeof v === 'string') s = v;
    else if (typeof v === 'bigint') s = v.toString();
    else if (typeof v === 'boolean') s = v ? 'true' : 'false';
    else if (typeof v === 'number') s = (await import('../go/fmt.js')).formatFloat(shortestFloat32(v), 'g', -1);
    else if (v instanceof Uint8Array) s = utf8.decode(v); // go-yaml v2 decodes !!binary into a string
    else return fail(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : 'object'} into Go struct field of type string`);
    out.push([k, new TextEncoder().encode(s)]);
  }
  return out;
}

/** The shortest decimal that reads back as the same float32 (strconv.FormatFloat(f, 'g', -1, 32)). */
function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  const target = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(target.toPrecision(p));
    if (Math.fround(candidate) === target) return candidate;
  }
  return target;
}

/**
 * Value semantics shared by every provider (ESO re-implements these per provider with small
 * divergences; we keep one module, parameterised where providers really differ):
 * - `selectProperty`: ESO's `remoteRef.property` lookup with tidwall/gjson path syntax
 *   and gjson's `Result.String()` rendering (eso-semantics.md §3).
 * - `jsonToSecretMap`: `esutils.JSONToSecretDataMap` used by `dataFrom.extract` (§5.2).
 */
import { fromBytes, fromText, toBytes } from '../go/bytes.js';
import { exists, type GjsonResult, GjsonUnsupportedError, get, resultString } from './gjson.js';
import { type JsonNode, JsonSyntaxError, parseJson } from './json.js';

const utf8 = new TextDecoder('utf-8');
/** Keeps a leading BOM: Go's json.Unmarshal rejects it ("invalid character 'ï'"); gjson skips it like any byte before the first `{`. */
const utf8KeepBom = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(value: Uint8Array): string {
  return utf8.decode(value);
}

/** Which lookup ESO's provider tries first for a property containing dots. */
export type PropertyOrder =
  /** AWS SM / SSM: the whole property as one literal key first, then the gjson path. */
  | 'literal-first'
  /** Azure KV: the gjson path first, then the literal key. */
  | 'path-first'
  /** fake: gjson path only. */
  | 'path-only';

export class UnsupportedPathError extends Error {}

/**
 * Returns the property's value rendered as gjson's Result.String(), or undefined when it does not exist.
 * Like gjson, the payload is scanned, not validated: text that is not strict JSON can still have
 * properties (see gjson.ts); text with no `{` or `[` has none.
 */
export function selectProperty(payload: Uint8Array, property: string, order: PropertyOrder): Uint8Array | undefined {
  const json = fromBytes(payload);
  const literal = () => (property.includes('.') ? gjsonGet(json, property.replaceAll('.', '\\.')) : undefined);
  const path = () => gjsonGet(json, property);
  let found: string | undefined;
  if (order === 'literal-first') found = literal() ?? path();
  else if (order === 'path-first') found = path() ?? literal();
  else found = path();
  return found === undefined ? undefined : toBytes(found);
}

/** gjson.Get(json, path).String() as bytes, or undefined when the result does not exist. */
function gjsonGet(json: string, path: string): string | undefined {
  if (path.startsWith('@') || /(^|[^\\])#\(/.test(path) || path.startsWith('[') || path.startsWith('{')) {
    throw new UnsupportedPathError(
      'gjson modifiers (@...), queries (#(...)) and multipaths are not supported in remoteRef.property',
    );
  }
  let result: GjsonResult;
  try {
    result = get(json, fromText(path));
  } catch (e) {
    if (e instanceof GjsonUnsupportedError) throw new UnsupportedPathError(`${e.message} in remoteRef.property`);
    throw e;
  }
  return exists(result) ? resultString(result) : undefined;
}

export class SecretMapError extends Error {}

/**
 * `esutils.JSONToSecretDataMap`: a JSON object's top-level fields; JSON strings unescaped,
 * `null` → empty, everything else (numbers, bools, objects, arrays) as its raw JSON text.
 * Duplicate keys: the last wins (Go map assignment).
 */
export function jsonToSecretMap(payload: Uint8Array): Map<string, Uint8Array> {
  let root: JsonNode;
  try {
    root = parseJson(utf8KeepBom.decode(payload));
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new SecretMapError(e.message);
    throw e;
  }
  // json.Unmarshal of `null` into a map is not an error: the map just stays empty.
  if (root.type === 'null') return new Map();
  if (root.type !== 'object') {
    throw new SecretMapError(`json: cannot unmarshal ${goJsonType(root)} into Go value of type map[string]json.RawMessage`);
  }
  const out = new Map<string, Uint8Array>();
  for (const [key, value] of root.entries) {
    if (value.type === 'string') out.set(key, bytes(value.value));
    else if (value.type === 'null') out.set(key, new Uint8Array());
    else out.set(key, bytes(value.raw));
  }
  return out;
}

function goJsonType(node: JsonNode): string {
  switch (node.type) {
    case 'array':
      return 'array';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    default:
      return node.type;
  }
}

export class KeyCollisionError extends Error {}

/**
 * `esutils.ConvertKeys` (eso-semantics.md §2.3): every rune that is not a Unicode letter or number,
 * `-`, `.` or `_` becomes `_` (Default) or `_U%04x_` (Unicode). Two keys converting to the same
 * result is an error.
 */
export function convertKeys(strategy: 'Default' | 'Unicode', map: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [key, value] of map) {
    const converted = convertKey(strategy, key);
    if (out.has(converted)) throw new KeyCollisionError(`secret name collision during conversion: ${converted}`);
    out.set(converted, value);
  }
  return out;
}

const KEEP = /^[\p{L}\p{N}._-]$/u;

export function convertKey(strategy: 'Default' | 'Unicode', key: string): string {
  let out = '';
  for (const ch of key) {
    if (KEEP.test(ch)) out += ch;
    else if (strategy === 'Unicode') out += `_U${ch.codePointAt(0)!.toString(16).padStart(4, '0')}_`;
    else out += '_';
  }
  return out;
}

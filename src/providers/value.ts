/**
 * Value semantics shared by every provider (ESO re-implements these per provider with small
 * divergences; we keep one module, parameterised where providers really differ):
 * - `selectProperty`: ESO's `remoteRef.property` lookup with tidwall/gjson path syntax
 *   and gjson's `Result.String()` rendering (eso-semantics.md §3).
 * - `jsonToSecretMap`: `esutils.JSONToSecretDataMap` used by `dataFrom.extract` (§5.2).
 */
import { formatFloatF } from '../go/strconv.js';
import { type JsonNode, JsonSyntaxError, parseJson } from './json.js';

const utf8 = new TextDecoder('utf-8');
/** Keeps a leading BOM: Go's json.Unmarshal rejects it ("invalid character 'ï'"), gjson skips it. */
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
 * Non-JSON payloads have no properties (gjson finds nothing in them).
 */
export function selectProperty(payload: Uint8Array, property: string, order: PropertyOrder): Uint8Array | undefined {
  let root: JsonNode;
  try {
    root = parseJson(text(payload));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  }
  const literal = () => (property.includes('.') ? gjsonGet(root, property.replaceAll('.', '\\.')) : undefined);
  const path = () => gjsonGet(root, property);
  let found: JsonNode | undefined;
  if (order === 'literal-first') found = literal() ?? path();
  else if (order === 'path-first') found = path() ?? literal();
  else found = path();
  return found === undefined ? undefined : bytes(gjsonString(found));
}

/** gjson `Result.String()`. */
export function gjsonString(node: JsonNode): string {
  switch (node.type) {
    case 'string':
      return node.value;
    case 'number':
      // Integers keep their raw digits; anything else is re-formatted like Go's FormatFloat(f,'f',-1,64).
      return /^-?\d+$/.test(node.raw) ? node.raw : formatFloatF(node.value);
    case 'bool':
      return node.raw;
    case 'null':
      return '';
    default:
      return node.raw;
  }
}

/** Splits a gjson path on an unescaped separator, keeping `\x` escapes in the parts. */
function splitUnescaped(path: string, separator: '|' | '.'): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      current += c + path[++i]!;
      continue;
    }
    if (c === separator) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

const isPattern = (segment: string) => /(^|[^\\])[*?]/.test(segment);
const unescapePath = (segment: string) => segment.replace(/\\(.)/g, '$1');

function wildcardMatch(pattern: string, key: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += escapeRegex(c);
  }
  return new RegExp(`${re}$`, 'u').test(key);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function gjsonGet(root: JsonNode, path: string): JsonNode | undefined {
  if (path.startsWith('@') || /(^|[^\\])#\(/.test(path) || path.startsWith('[') || path.startsWith('{')) {
    throw new UnsupportedPathError(
      'gjson modifiers (@...), queries (#(...)) and multipaths are not supported in remoteRef.property',
    );
  }
  // gjson: `a|b` is `a.b`, except that after a `#` projection the pipe ends it and applies to the array.
  let node: JsonNode | undefined = root;
  // `|` stages: each applies to the previous stage's result; `.` segments walk within a stage.
  for (const stage of splitUnescaped(path, '|')) {
    if (node === undefined) return undefined;
    node = walk(node, splitUnescaped(stage, '.'));
  }
  return node;
}

function walk(node: JsonNode, segments: readonly string[]): JsonNode | undefined {
  if (segments.length === 0) return node;
  const [segment, ...rest] = segments as [string, ...string[]];
  if (node.type === 'array') {
    if (segment === '#') {
      if (rest.length === 0) {
        const n = String(node.items.length);
        return { type: 'number', raw: n, value: node.items.length };
      }
      const results = node.items.map((item) => walk(item, rest)).filter((r): r is JsonNode => r !== undefined);
      const raw = `[${results.map((r) => r.raw).join(',')}]`;
      return { type: 'array', raw, items: results };
    }
    if (/^\d+$/.test(segment)) {
      const item = node.items[Number(segment)];
      return item === undefined ? undefined : walk(item, rest);
    }
    return undefined;
  }
  if (node.type !== 'object') return undefined;
  if (isPattern(segment)) {
    for (const [key, child] of node.entries) {
      if (wildcardMatch(segment, key)) return walk(child, rest);
    }
    return undefined;
  }
  const key = unescapePath(segment);
  // gjson returns the first matching key of an object.
  for (const [k, child] of node.entries) {
    if (k === key) return walk(child, rest);
  }
  return undefined;
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

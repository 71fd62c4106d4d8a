/**
 * ESO's dataFrom `rewrite` (runtime/esutils RewriteMap, eso-semantics.md §2.4): operations applied in
 * sequence, each over the previous one's output. `regexp` uses Go RE2 semantics (src/go/regexp
 * translates what JavaScript runs the same way and refuses the rest) with Go's `$1`/`${name}`
 * expansion; `transform` is a template over `{"value": key}` without missingkey=error; `merge`
 * combines JSON values with Go's JSON encoding.
 *
 * One deliberate difference: when two keys rewrite to the same key, ESO keeps one of them at random
 * (Go map order). A renderer must be deterministic, so the render fails instead, naming both keys.
 */
import { fromBytes, fromText, toBytes, toText } from '../go/bytes.js';
import { formatFloat } from '../go/fmt.js';
import { marshal, unmarshal } from '../go/json.js';
import { compileUntrusted } from '../go/untrusted.js';
import { type compile, replaceAll } from '../go/regexp.js';
import type { GoMap, GoValue } from '../go/value.js';
import type { Rewrite } from '../model/types.js';
import type { TemplateRunner } from './template.js';

export class RewriteError extends Error {}

export async function rewriteMap(rules: readonly Rewrite[], input: ReadonlyMap<string, Uint8Array>, run: TemplateRunner): Promise<Map<string, Uint8Array>> {
  let out = new Map(input);
  for (const [i, op] of rules.entries()) {
    try {
      if ('regexp' in op) out = rewriteKeys(out, regexpRewriter(op.regexp.source, op.regexp.target));
      else if ('transform' in op) {
        const rename = transformRewriter(op.transform.template, run);
        // ESO parses the template before looping over the keys: a broken one fails with no keys too.
        if (out.size === 0) await rename('').catch((e: unknown) => {
          if (e instanceof RewriteError && e.message.startsWith('transform failed with failed to parse template')) throw e;
        });
        out = await rewriteKeysAsync(out, rename);
      }
      else out = merge(op.merge, out);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new RewriteError(`error applying rewrite to keys: failed rewrite operation[${i}]: ${message}`);
    }
  }
  return out;
}

function regexpRewriter(source: string, target: string): (key: string) => string {
  let re: ReturnType<typeof compile>;
  try {
    re = compileUntrusted(source);
  } catch (e) {
    throw new RewriteError(`regexp failed with failed to compile: ${(e as Error).message}`);
  }
  return (key) => replaceAll(re, key, target, false);
}

function transformRewriter(template: string, run: TemplateRunner): (key: string) => Promise<string> {
  return async (key) => {
    try {
      const out = await run(template, new Map([['value', new TextEncoder().encode(key)]]), { name: 'transform', missingKey: 'default' });
      return new TextDecoder().decode(out);
    } catch (e) {
      const message = (e as Error).message;
      // Parse errors carry no "executing" frame; ESO words the two cases differently.
      if (!message.includes('executing "')) throw new RewriteError(`transform failed with failed to parse template: ${message}`);
      throw new RewriteError(`transform failed with failed to execute template for key ${JSON.stringify(key)}: ${message}`);
    }
  };
}

function rewriteKeys(input: ReadonlyMap<string, Uint8Array>, rename: (key: string) => string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const from = new Map<string, string>();
  for (const key of [...input.keys()].sort()) {
    const next = rename(key);
    collide(from, next, key);
    out.set(next, input.get(key)!);
  }
  return out;
}

async function rewriteKeysAsync(input: ReadonlyMap<string, Uint8Array>, rename: (key: string) => Promise<string>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const from = new Map<string, string>();
  for (const key of [...input.keys()].sort()) {
    const next = await rename(key);
    collide(from, next, key);
    out.set(next, input.get(key)!);
  }
  return out;
}

function collide(from: Map<string, string>, next: string, key: string): void {
  if (next === '') return; // empty keys are dropped by ValidateKeys, whichever value ESO kept
  const other = from.get(next);
  if (other !== undefined) {
    throw new RewriteError(
      `keys ${JSON.stringify(other)} and ${JSON.stringify(key)} both become ${JSON.stringify(next)}; ESO would keep one of them at random, so the render stops (make the rewrite map them to different keys)`,
    );
  }
  from.set(next, key);
}

type MergeOp = Extract<Rewrite, { merge: unknown }>['merge'];

function merge(op: MergeOp, input: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  const keys = [...[...input.keys()].filter((k) => !op.priority.includes(k)).sort(), ...op.priority];
  const merged: GoMap = new Map();
  const conflicts: string[] = [];
  for (const key of keys) {
    const value = input.get(key);
    if (value === undefined) {
      if (op.priorityPolicy === 'IgnoreNotFound') continue;
      throw new RewriteError(`merge failed with key ${JSON.stringify(key)} not found in input map`);
    }
    let parsed: GoValue;
    try {
      parsed = unmarshal(fromBytes(value));
    } catch (e) {
      throw new RewriteError(`merge failed with failed to unmarshal JSON: ${(e as Error).message}`);
    }
    if (parsed === null) continue; // json.Unmarshal of null into a map leaves it empty
    if (!(parsed instanceof Map)) {
      const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'boolean' ? 'bool' : 'number';
      throw new RewriteError(`merge failed with failed to unmarshal JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
    }
    // Go ranges over the map in random order; sort so the conflict list is stable.
    for (const k of [...parsed.keys()].sort()) {
      if (merged.has(k)) conflicts.push(toText(k));
      merged.set(k, parsed.get(k)!);
    }
  }
  if (op.conflictPolicy !== 'Ignore' && conflicts.length > 0) throw new RewriteError(`merge failed with conflicts: ${conflicts.join(', ')}`);
  if (op.strategy === 'JSON') {
    if (op.into === '') throw new RewriteError("merge failed with missing 'into' field");
    const out = new Map(input);
    out.set(op.into, toBytes(marshal(merged, false)));
    return out;
  }
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of merged) out.set(toText(k), byteValue(v));
  return out;
}

/** esutils.GetByteValue for values json.Unmarshal produces. */
function byteValue(v: GoValue): Uint8Array {
  if (v === null) return new Uint8Array();
  if (typeof v === 'string') return toBytes(v);
  if (typeof v === 'boolean') return toBytes(fromText(v ? 'true' : 'false'));
  if (typeof v === 'number') return toBytes(fromText(formatFloat(v, 'f', -1)));
  return toBytes(marshal(v, true));
}

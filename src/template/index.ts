// Public entry of the template engine: Go text/template + ESO's Sprig copy + ESO's functions.
// See README.md in this folder for the value model and the function table.
import { fromBytes, fromText, toBytes, toText } from '../go/bytes.js';
import { type GoMap, typedMap } from '../go/value.js';
import { ExecError, State } from './exec.js';
import { functionTable, needsBcrypt, needsForge } from './funcs/table.js';
import type { BcryptLib, CallContext } from './funcs/types.js';
import { ParseError, type Tree, parse } from './parse.js';

export interface TemplateOptions {
  /** Template name used in error messages (ESO uses the target key). */
  name: string;
  /** 'error' for target.template.data/templateFrom/metadata (ESO sets missingkey=error); 'default' for rewrite transform. */
  missingKey: 'error' | 'default';
  /** Allow now/rand*\/uuidv4/genPrivateKey/bcrypt/... (non-reproducible). Default false ⇒ clear error. */
  allowNonDeterministic?: boolean;
  /** Per-install HMAC key for deterministic PKCS#12 salt/IV. */
  hmacKey?: Uint8Array;
  /** Custom delimiters (ESO controller flags); default ['{{','}}']. */
  delims?: [string, string];
}

/**
 * Parsed templates by (delimiters, name, text). Parsing is pure and trees are never mutated by
 * execution, so this memo is invisible to callers; it exists because a render run repeats
 * templates (one dockerconfigjson template in many ExternalSecrets) and cold parsing dominates
 * the first thousand renders. Bounded: emptied when full.
 */
const parsed = new Map<string, Map<string, Tree>>();
const PARSE_CACHE_SIZE = 64;

/**
 * A parse or execution error in Go's shape, e.g.
 * `template: password:1:3: executing "password" at <.nope>: map has no entry for key "nope"`.
 * Messages name the template, position and the template's own text, never data values
 * (except a `fail` message, which the template author wrote).
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Executes one template over a map of byte values; returns the rendered bytes. Async only because node-forge (pkcs12 functions) and bcryptjs are lazy-loaded. */
export async function executeTemplate(
  text: string,
  data: ReadonlyMap<string, Uint8Array>,
  opts: TemplateOptions,
): Promise<Uint8Array> {
  const funcs = functionTable();
  const name = fromText(opts.name);
  const src = fromText(text);
  const delims: [string, string] = opts.delims ? [fromText(opts.delims[0]), fromText(opts.delims[1])] : ['{{', '}}'];
  if (delims[0] === '') delims[0] = '{{';
  if (delims[1] === '') delims[1] = '}}';
  const cacheKey = `${delims[0]}\u0000${delims[1]}\u0000${name}\u0000${src}`;
  let trees = parsed.get(cacheKey);
  if (!trees) {
    try {
      trees = parse(name, src, delims, (f) => funcs.has(f));
    } catch (e) {
      if (e instanceof ParseError) throw new TemplateError(toText(e.message));
      throw e;
    }
    // Clearing beats evicting one by one: V8 Maps keep deleted slots until they rehash.
    if (parsed.size >= PARSE_CACHE_SIZE) parsed.clear();
    parsed.set(cacheKey, trees);
  }
  const ctx: CallContext = {
    allowNonDeterministic: opts.allowNonDeterministic ?? false,
    hmacKey: opts.hmacKey,
    forge: undefined,
  };
  if (needsForge(src)) ctx.forge = await loadForge();
  if (needsBcrypt(src)) ctx.bcrypt = await loadBcrypt();
  const root: GoMap = typedMap(new Map(), 'string');
  for (const [k, v] of data) root.set(fromText(k), fromBytes(v));
  const tree = trees.get(name);
  if (!tree) throw new TemplateError(`template: ${opts.name}: "${opts.name}" is an incomplete or empty template`);
  const state = new State(name, src, name, trees, funcs, opts.missingKey === 'error', ctx, root);
  try {
    return toBytes(state.run(tree.root, root));
  } catch (e) {
    if (e instanceof ExecError) throw new TemplateError(toText(e.message));
    throw e;
  }
}

async function loadForge(): Promise<unknown> {
  const m = (await import('node-forge')) as { default?: unknown };
  return m.default ?? m;
}

async function loadBcrypt(): Promise<BcryptLib> {
  return await import('bcryptjs');
}

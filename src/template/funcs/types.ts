// Function table types: each template function declares its Go parameter types so the
// executor can apply text/template's argument checks (evalArg / validateType).
import type { GoValue } from '../../go/value.js';

/** The bcryptjs functions used (loaded with import() only when the template names bcrypt or htpasswd). */
export interface BcryptLib {
  hashSync(password: string, salt: string): string;
  encodeBase64(bytes: Uint8Array, length: number): string;
}

/**
 * Go parameter types the functions use:
 * - value: reflect.Value (builtins: anything, including nil)
 * - any: interface {}
 * - map: map[string]interface {}
 * - list: []interface {}
 */
export type ParamType =
  | 'string'
  | 'int'
  | 'int64'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'any'
  | 'value'
  | 'map'
  | 'list'
  | 'time'
  /** sprig.HashAlgorithm: a named string type, so only string literals convert to it. */
  | 'hashAlgorithm'
  /** sprig.certificate: the struct genCA & co. return (genSignedCert's CA argument). */
  | 'certificate';

export const goTypeName: Record<ParamType, string> = {
  string: 'string',
  int: 'int',
  int64: 'int64',
  uint32: 'uint32',
  float64: 'float64',
  bool: 'bool',
  any: 'interface {}',
  value: 'reflect.Value',
  map: 'map[string]interface {}',
  list: '[]interface {}',
  time: 'time.Time',
  hashAlgorithm: 'sprig.HashAlgorithm',
  certificate: 'sprig.certificate',
};

/** An error a Go function returns (text/template reports it as `error calling NAME: MSG`). */
export class FuncError extends Error {}

/** Options and lazily loaded modules functions may need. */
export interface CallContext {
  allowNonDeterministic: boolean;
  hmacKey: Uint8Array | undefined;
  forge: unknown;
  bcrypt?: BcryptLib;
  /** The argument text of the current `call` (Go 1.21+ names it in errors). */
  callee?: string;
}

export interface FuncDef {
  params: ParamType[];
  /** Element type of a trailing variadic parameter. */
  variadic?: ParamType;
  fn: (ctx: CallContext, ...args: GoValue[]) => GoValue;
  /** Set when the output is not reproducible; the value says why it changes. */
  nondeterministic?: string;
  /** Needs node-forge (loaded before execution when the template names this function). */
  needsForge?: boolean;
}

export type FuncTable = Map<string, FuncDef>;

/** Shorthand for a definition. */
export function def(params: ParamType[], fn: FuncDef['fn'], extra: Partial<FuncDef> = {}): FuncDef {
  return { params, fn, ...extra };
}

/** The refusal message for a non-reproducible function (the executor prefixes `error calling NAME: `). */
export function nonDeterministicMessage(name: string, why: string): string {
  return `${name} is not reproducible (${why}); rendering it in Git would change the Secret on every refresh and roll its consumers, so it is refused unless non-deterministic functions are allowed`;
}

/** Throws the refusal unless the options allow non-reproducible output. */
export function requireNonDeterministic(ctx: CallContext, name: string, why: string): void {
  if (!ctx.allowNonDeterministic) throw new FuncError(nonDeterministicMessage(name, why));
}

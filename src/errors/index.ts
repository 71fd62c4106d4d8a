/**
 * One error type for everything the plugin reports. Each error carries where it comes from
 * (file, document, line) and the field path inside the document, so a user can go straight
 * to the line that needs fixing. Errors are values: semantics collect them (so `check` reports
 * every problem at once) and the CLI renders them once, at the edge, through the redactor.
 */

/** Where a document came from: repo-relative file, 1-based document index, 1-based line. */
export interface Origin {
  readonly file: string;
  readonly doc: number;
  readonly line?: number;
}

export type ErrorKind =
  | 'usage' // bad command line: exit 2
  | 'input' // the repo's manifests are malformed or invalid
  | 'policy' // the admin policy forbids what the repo asks for
  | 'config' // the admin configuration itself is invalid
  | 'provider' // a provider call failed
  | 'render' // building the Secret failed (semantics, collisions, limits)
  | 'deadline' // the render ran out of time or was terminated
  | 'internal';

export interface ErrorDetails {
  readonly origin?: Origin | undefined;
  /** Field path inside the document, e.g. `spec.data[0].remoteRef.key`. */
  readonly field?: string | undefined;
  /** What to do about it. */
  readonly hint?: string | undefined;
}

export class PluginError extends Error {
  readonly kind: ErrorKind;
  readonly origin: Origin | undefined;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'PluginError';
    this.kind = kind;
    this.origin = details.origin;
    this.field = details.field;
    this.hint = details.hint;
  }

  /** The same error located at a document/field (keeps an existing origin). */
  at(origin: Origin | undefined, field?: string): PluginError {
    return new PluginError(this.kind, this.message, {
      origin: this.origin ?? origin,
      field: this.field ?? field,
      hint: this.hint,
    });
  }
}

/** Several errors at once; thrown when a stage has collected more than one problem. */
export class PluginErrors extends Error {
  readonly errors: readonly PluginError[];
  constructor(errors: readonly PluginError[]) {
    super(`${errors.length} problem(s)`);
    this.name = 'PluginErrors';
    this.errors = errors;
  }
}

export function location(origin: Origin | undefined, field?: string): string {
  const where = origin ? `${origin.file}#${origin.doc}` : '';
  return [where, field ?? ''].filter(Boolean).join(' ');
}

/** `apps/web/es.yaml#2 spec.data[0].remoteRef.key: message` (+ line and hint). */
export function formatError(error: PluginError): string {
  const where = location(error.origin, error.field);
  const line = error.origin?.line ? ` (line ${error.origin.line})` : '';
  const head = where ? `${where}${line}: ${error.message}` : error.message;
  return error.hint ? `${head}\n  hint: ${error.hint}` : head;
}

/** Flattens whatever was thrown into PluginErrors; unknown throwables become internal errors. */
export function toPluginErrors(thrown: unknown): PluginError[] {
  if (thrown instanceof PluginErrors) return [...thrown.errors];
  if (thrown instanceof PluginError) return [thrown];
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return [new PluginError('internal', `internal error: ${message}`, { hint: 'this is a bug in argocd-eso-plugin; please report it with the command that failed' })];
}

/** Field path builder: path('spec', 'data', 0, 'remoteRef') → `spec.data[0].remoteRef`. */
export function fieldPath(...parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part !== '') out += out ? `.${part}` : part;
  }
  return out;
}

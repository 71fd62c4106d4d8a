/**
 * Readers for untyped documents that record path-precise problems instead of throwing, so one
 * pass reports every problem of a document (`check` shows them all at once).
 */
export type Obj = Readonly<Record<string, unknown>>;

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly hint?: string;
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function join(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return field ? `${field}.${key}` : key;
}

export class FieldReader {
  readonly errors: FieldProblem[] = [];

  fail(field: string, message: string, hint?: string): undefined {
    this.errors.push(hint === undefined ? { field, message } : { field, message, hint });
    return undefined;
  }

  object(parent: Obj, key: string, field: string, required = false): Obj | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return required ? this.fail(field, 'is required') : undefined;
    if (!isObject(v)) return this.fail(field, 'must be an object');
    return v;
  }

  list(parent: Obj, key: string, field: string): readonly unknown[] {
    const v = parent[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fail(field, 'must be a list');
      return [];
    }
    return v;
  }

  string(parent: Obj, key: string, field: string, required = false): string | undefined {
    const v = parent[key];
    if (v === undefined || v === null || v === '') {
      return required ? this.fail(field, 'is required') : undefined;
    }
    if (typeof v !== 'string') return this.fail(field, `must be a string, not ${describe(v)}`, 'quote the value');
    return v;
  }

  /** A string that may legitimately be empty (ESO distinguishes "" from absent only rarely). */
  rawString(parent: Obj, key: string, field: string): string | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return this.fail(field, `must be a string, not ${describe(v)}`, 'quote the value');
    return v;
  }

  boolean(parent: Obj, key: string, field: string): boolean | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return this.fail(field, 'must be true or false');
    return v;
  }

  oneOf<T extends string>(parent: Obj, key: string, field: string, allowed: readonly T[], fallback: T): T {
    const v = parent[key];
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return v as T;
  }

  stringMap(parent: Obj, key: string, field: string): Record<string, string> {
    const v = parent[key];
    if (v === undefined || v === null) return {};
    if (!isObject(v)) {
      this.fail(field, 'must be a map of strings');
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== 'string') this.fail(join(field, k), `must be a string, not ${describe(val)}`, 'quote the value');
      else out[k] = val;
    }
    return out;
  }

  stringList(parent: Obj, key: string, field: string): string[] {
    const out: string[] = [];
    this.list(parent, key, field).forEach((v, i) => {
      if (typeof v !== 'string') this.fail(join(field, i), 'must be a string');
      else out.push(v);
    });
    return out;
  }

  /** Rejects keys the schema does not know, as the API server's strict field validation would. */
  known(parent: Obj, field: string, keys: readonly string[]): void {
    for (const k of Object.keys(parent)) {
      if (!keys.includes(k)) this.fail(join(field, k), 'unknown field', `known fields here: ${keys.join(', ')}`);
    }
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

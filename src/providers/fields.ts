/**
 * Small readers for provider store blocks: each returns the value or records a field error.
 * Providers parse `spec.provider.<name>` with these so their messages have one shape.
 */
import type { SecretKeyRef, ServiceAccountRef, StoreFieldError } from './types.js';

export type Obj = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class FieldReader {
  readonly errors: StoreFieldError[] = [];

  fail(field: string, message: string, hint?: string): undefined {
    this.errors.push(hint === undefined ? { field, message } : { field, message, hint });
    return undefined;
  }

  object(parent: Obj, key: string, field: string): Obj | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) return this.fail(field, 'must be an object');
    return v;
  }

  string(parent: Obj, key: string, field: string, required = false): string | undefined {
    const v = parent[key];
    if (v === undefined || v === null || v === '') {
      return required ? this.fail(field, 'is required') : undefined;
    }
    if (typeof v !== 'string') return this.fail(field, 'must be a string');
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

  /** Rejects keys the schema does not know, as the API server would (strict decoding). */
  known(parent: Obj, field: string, keys: readonly string[]): void {
    for (const k of Object.keys(parent)) {
      if (!keys.includes(k)) this.fail(field ? `${field}.${k}` : k, 'unknown field', `known fields here: ${keys.join(', ')}`);
    }
  }

  /** ESO SecretKeySelector `{name, key, namespace?}`. */
  secretKeyRef(parent: Obj, key: string, field: string, required = false): SecretKeyRef | undefined {
    const o = this.object(parent, key, field);
    if (!o) return required ? this.fail(field, 'is required') : undefined;
    this.known(o, field, ['name', 'key', 'namespace']);
    const name = this.string(o, 'name', `${field}.name`, true);
    const k = this.string(o, 'key', `${field}.key`, true);
    const namespace = this.string(o, 'namespace', `${field}.namespace`);
    if (name === undefined || k === undefined) return undefined;
    return { name, key: k, namespace, field };
  }

  /** ESO ServiceAccountSelector `{name, namespace?, audiences?}`. */
  serviceAccountRef(parent: Obj, key: string, field: string): ServiceAccountRef | undefined {
    const o = this.object(parent, key, field);
    if (!o) return undefined;
    this.known(o, field, ['name', 'namespace', 'audiences']);
    const name = this.string(o, 'name', `${field}.name`, true);
    const namespace = this.string(o, 'namespace', `${field}.namespace`);
    if (name === undefined) return undefined;
    return { name, namespace, field };
  }
}

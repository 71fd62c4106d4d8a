/**
 * Store-block readers for providers: the model's FieldReader plus ESO's credential selectors,
 * so every provider reports `spec.provider.<name>.<field>` problems in one shape.
 */
import { FieldReader as BaseReader, type Obj } from '../model/fields.js';
import type { SecretKeyRef, ServiceAccountRef } from './types.js';

export { isObject, type Obj } from '../model/fields.js';

export class FieldReader extends BaseReader {
  /** ESO SecretKeySelector `{name, key, namespace?}`. */
  secretKeyRef(parent: Obj, key: string, field: string, required = false): SecretKeyRef | undefined {
    const o = this.object(parent, key, field, required);
    if (!o) return undefined;
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

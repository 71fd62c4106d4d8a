// The Go value model shared by the template engine, fmt and json.
//
//   Go                      JS
//   string                  string (binary string: one code unit per byte, see bytes.ts)
//   int                     bigint
//   int64 / uint8 / ...     GoInt (bigint plus its Go type name)
//   float64                 number
//   bool                    boolean
//   nil / invalid           null
//   []T                     GoValue[] (element type in sliceElem, default interface {})
//   map[string]T            Map<string, GoValue> (element type in mapElem, default interface {})
//   anything else           GoObject (time.Time, *semver.Version, functions)

export type GoValue = string | bigint | number | boolean | null | GoInt | GoObject | GoValue[] | GoMap;
export type GoMap = Map<string, GoValue>;

/** An integer of a Go type other than `int` (int64 from Sprig arithmetic, uint8 from `index` on a string). */
export class GoInt {
  constructor(
    readonly v: bigint,
    readonly type: 'int64' | 'uint8' | 'int32' | 'uint32' | 'uint64',
  ) {}
}

/** Opaque Go values with a type name, optional fields/methods and their own %v form. */
export abstract class GoObject {
  abstract typeName(): string;
  /** reflect.Kind name (kindOf). */
  kind(): string {
    return 'struct';
  }
  /** %v / %s rendering. */
  abstract toString(): string;
  /** Field or niladic method lookup; undefined when absent. */
  field(_name: string): GoValue | undefined {
    return undefined;
  }
  /** Is this value nil (pointer-like objects)? */
  isNil(): boolean {
    return false;
  }
}

/** A Go function value (only `call` uses them). */
export class GoFunc extends GoObject {
  constructor(
    readonly name: string,
    readonly fn: (...args: GoValue[]) => GoValue,
  ) {
    super();
  }
  typeName(): string {
    return 'func(...interface {}) interface {}';
  }
  override kind(): string {
    return 'func';
  }
  toString(): string {
    return '0x0';
  }
}

// Go element types and typed-nil marks ride on the containers as symbol-keyed properties
// (cheaper than WeakMaps, which slow the GC down when every render allocates maps).
const ELEM = Symbol('goElem');
const NIL = Symbol('goNil');
type Tagged = { [ELEM]?: string; [NIL]?: boolean };

/** A typed nil slice ([]T(nil)): prints as [] but marshals to JSON null. */
export function nilSlice(elem = 'interface {}'): GoValue[] {
  const a: GoValue[] = [];
  (a as Tagged)[NIL] = true;
  return typedSlice(a, elem);
}
export function isNilSlice(a: GoValue[]): boolean {
  return (a as Tagged)[NIL] === true;
}

/** Marks a slice's Go element type (e.g. 'string' for []string). */
export function typedSlice<T extends GoValue[]>(a: T, elem: string): T {
  if (elem !== 'interface {}') (a as Tagged)[ELEM] = elem;
  return a;
}
export function sliceElem(a: GoValue[]): string {
  return (a as Tagged)[ELEM] ?? 'interface {}';
}
/** Marks a map's Go element type (e.g. 'string' for the template's map[string]string root). */
export function typedMap<T extends GoMap>(m: T, elem: string): T {
  if (elem !== 'interface {}') (m as Tagged)[ELEM] = elem;
  return m;
}
export function mapElem(m: GoMap): string {
  return (m as Tagged)[ELEM] ?? 'interface {}';
}

export function isInt(v: GoValue): v is bigint | GoInt {
  return typeof v === 'bigint' || v instanceof GoInt;
}
export function intOf(v: bigint | GoInt): bigint {
  return typeof v === 'bigint' ? v : v.v;
}

/** Go's %T of a value. */
export function typeName(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof GoInt) return v.type;
  if (v instanceof GoObject) return v.typeName();
  if (Array.isArray(v)) return `[]${sliceElem(v)}`;
  return `map[string]${mapElem(v)}`;
}

/** reflect.Kind string of a value (kindOf); nil → "invalid". */
export function kindName(v: GoValue): string {
  if (v === null) return 'invalid';
  if (v instanceof GoObject) return v.kind();
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Map) return 'map';
  return typeName(v);
}

/** Zero value for a Go element type name (what a missing map key yields). */
export function zeroOf(elem: string): GoValue {
  switch (elem) {
    case 'string':
      return '';
    case 'int':
      return 0n;
    case 'float64':
      return 0;
    case 'bool':
      return false;
    default:
      return null;
  }
}

/** Go's reflect.DeepEqual over our model. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeName(a) !== typeName(b)) return false;
  if (a instanceof GoInt && b instanceof GoInt) return a.v === b.v;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i] as GoValue));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !deepEqual(v, b.get(k) as GoValue)) return false;
    }
    return true;
  }
  if (a instanceof GoObject && b instanceof GoObject) return a.toString() === b.toString();
  return false;
}

/** Sorted keys of a map, as fmt and text/template range iterate them (byte order). */
export function sortedKeys(m: GoMap): string[] {
  return [...m.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

// Masterminds/semver v3 (NewVersion, NewConstraint, Check) as Sprig's semver/semverCompare use it.
import { GoObject, type GoValue } from '../../go/value.js';
import { FuncError, type FuncTable, def } from './types.js';

const versionRe = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export class Version extends GoObject {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
  ) {
    super();
  }
  typeName(): string {
    return '*semver.Version';
  }
  override kind(): string {
    return 'ptr';
  }
  /** Version.MarshalJSON: the String() form. */
  toJSONValue(): GoValue {
    return this.toString();
  }
  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre) s += `-${this.pre}`;
    if (this.metadata) s += `+${this.metadata}`;
    return s;
  }
  override field(name: string): GoValue | undefined {
    switch (name) {
      case 'Major':
        return this.major;
      case 'Minor':
        return this.minor;
      case 'Patch':
        return this.patch;
      case 'Prerelease':
        return this.pre;
      case 'Metadata':
        return this.metadata;
      case 'Original':
        return this.original;
      case 'String':
        return this.toString();
    }
    return undefined;
  }
}

export function newVersion(v: string): Version {
  const m = versionRe.exec(v);
  if (!m) throw new FuncError('Invalid Semantic Version');
  const pre = m[5] ?? '';
  for (const part of pre ? pre.split('.') : []) {
    if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) throw new FuncError('Version segment starts with 0');
  }
  const num = (x: string | undefined): bigint => (x ? BigInt(x.replace('.', '')) : 0n);
  return new Version(BigInt(m[1]!), num(m[2]), num(m[3]), pre, m[8] ?? '', v);
}

function cmpPre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return cmpPre(a.pre, b.pre);
}

interface Constraint {
  op: string;
  con: Version;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const wild = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = /^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*(v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)\s*$/.exec(c);
  if (!m) throw new FuncError("improper constraint (the constraint text is left out of errors)");
  const op = m[1] ?? '';
  const tail = (m[6] ?? '') + (m[7] ?? '');
  let ver = `${m[3]}${m[4] ?? ''}${m[5] ?? ''}${tail}`;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  const x = (s: string | undefined): boolean => s === undefined || wild(s.replace(/^\./, ''));
  if (wild(m[3])) {
    ver = `0.0.0${tail}`;
    dirty = true;
  } else if (x(m[4])) {
    minorDirty = true;
    dirty = true;
    ver = `${m[3]}.0.0${tail}`;
  } else if (x(m[5])) {
    dirty = true;
    patchDirty = true;
    ver = `${m[3]}${m[4]}.0${tail}`;
  }
  return { op, con: newVersion(ver), minorDirty, patchDirty, dirty };
}

function tilde(v: Version, c: Constraint, cmp: number): boolean {
  if (cmp < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: Version, c: Constraint): boolean {
  if (v.pre !== '' && c.con.pre === '') return false;
  const cmp = compare(v, c.con);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c, cmp) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return false;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c, cmp);
    case '^':
      if (cmp < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
  }
  return false;
}

function parseConstraints(s: string): Constraint[][] {
  return s.split('||').map((group) => {
    let g = group.trim();
    // hyphen ranges: "1.2 - 1.4.5"
    g = g.replace(/(\S+)\s+-\s+(\S+)/g, '>= $1, <= $2');
    const parts = g
      .split(',')
      .flatMap((p) => p.trim().replace(/([=<>!~^]+)\s+/g, '$1').split(/\s+/))
      .filter((p) => p !== '');
    if (parts.length === 0) throw new FuncError("improper constraint (the constraint text is left out of errors)");
    return parts.map(parseConstraint);
  });
}

export function semverFuncs(t: FuncTable): void {
  t.set('semver', def(['string'], (_c, v) => newVersion(v as string)));
  t.set(
    'semverCompare',
    def(['string', 'string'], (_c, c, v) => {
      const groups = parseConstraints(c as string);
      const ver = newVersion(v as string);
      return groups.some((g) => g.every((k) => check(ver, k)));
    }),
  );
}

/**
 * gjson v1.18.0 path syntax (gjson.go parseObjectPath, parseArrayPath, isDotPiperChar,
 * splitPossiblePipe, squash, execModifier/execStatic names). Paths are byte strings.
 */

export class GjsonUnsupportedError extends Error {}

export const MODIFIERS = new Set(['pretty', 'ugly', 'reverse', 'this', 'flatten', 'join', 'valid', 'keys', 'values', 'tostr', 'fromstr', 'group', 'dig']);

/** execModifier's name: up to the first ':', '|' or '.'. */
export function modifierName(path: string): string {
  for (let i = 1; i < path.length; i++) {
    if (path[i] === ':' || path[i] === '|' || path[i] === '.') return path.slice(1, i);
  }
  return path.slice(1);
}

/** execStatic's `ok`. */
export function isStatic(path: string): boolean {
  let name = path.slice(1);
  if (name.length > 0 && '{["+-0123456789'.includes(name[0]!)) return true;
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '|' || path[i] === '.') {
      name = path.slice(1, i);
      break;
    }
  }
  return ['true', 'false', 'null', 'nan', 'inf'].includes(name.toLowerCase());
}

/** isDotPiperChar: a `.` followed by a modifier or a multipath starts a pipe. */
function isDotPiperChar(s: string): boolean {
  const c = s[0];
  if (c === '@') {
    let i = 1;
    while (i < s.length && s[i] !== '.' && s[i] !== '|' && s[i] !== ':') i++;
    return MODIFIERS.has(s.slice(1, i));
  }
  return c === '[' || c === '{';
}

interface ObjectPath {
  part: string;
  path: string;
  pipe: string;
  piped: boolean;
  wild: boolean;
  more: boolean;
}

export function parseObjectPath(path: string): ObjectPath {
  const r: ObjectPath = { part: '', path: '', pipe: '', piped: false, wild: false, more: false };
  const split = (part: string, i: number): ObjectPath => {
    r.part = part;
    if (i < path.length - 1 && isDotPiperChar(path.slice(i + 1))) {
      r.pipe = path.slice(i + 1);
      r.piped = true;
    } else {
      r.path = path.slice(i + 1);
      r.more = true;
    }
    return r;
  };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') {
      r.part = path.slice(0, i);
      r.pipe = path.slice(i + 1);
      r.piped = true;
      return r;
    }
    if (ch === '.') return split(path.slice(0, i), i);
    if (ch === '*' || ch === '?') {
      r.wild = true;
      continue;
    }
    if (ch === '\\') {
      // Escape mode: the part loses its backslashes (an escaped * or ? stays in a wild pattern).
      let epart = path.slice(0, i);
      i++;
      if (i < path.length) {
        epart += path[i];
        i++;
        for (; i < path.length; i++) {
          const e = path[i]!;
          if (e === '\\') {
            i++;
            if (i < path.length) epart += path[i];
            continue;
          }
          if (e === '.') return split(epart, i);
          if (e === '|') {
            r.part = epart;
            r.pipe = path.slice(i + 1);
            r.piped = true;
            return r;
          }
          if (e === '*' || e === '?') r.wild = true;
          epart += e;
        }
      }
      r.part = epart;
      return r;
    }
  }
  r.part = path;
  return r;
}

export interface ArrayPath {
  part: string;
  path: string;
  pipe: string;
  piped: boolean;
  more: boolean;
  alogok: boolean;
  arrch: boolean;
  alogkey: string;
}

export function parseArrayPath(path: string): ArrayPath {
  const r: ArrayPath = { part: '', path: '', pipe: '', piped: false, more: false, alogok: false, arrch: false, alogkey: '' };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') {
      r.part = path.slice(0, i);
      r.pipe = path.slice(i + 1);
      r.piped = true;
      return r;
    }
    if (ch === '.') {
      r.part = path.slice(0, i);
      if (!r.arrch && i < path.length - 1 && isDotPiperChar(path.slice(i + 1))) {
        r.pipe = path.slice(i + 1);
        r.piped = true;
      } else {
        r.path = path.slice(i + 1);
        r.more = true;
      }
      return r;
    }
    if (ch === '#') {
      r.arrch = true;
      if (i === 0 && path.length > 1) {
        if (path[1] === '.') {
          r.alogok = true;
          r.alogkey = path.slice(2);
          r.path = path.slice(0, 1);
        } else if (path[1] === '[' || path[1] === '(') {
          throw new GjsonUnsupportedError('gjson queries (#(...)) are not supported');
        }
      }
    }
  }
  r.part = path;
  r.path = '';
  return r;
}

/** splitPossiblePipe: splits `a.b|c` at the first `|` outside escapes and `#[...]`/`#(...)` selectors. */
export function splitPossiblePipe(path: string): [string, string] | undefined {
  if (!path.includes('|')) return undefined;
  if (path[0] === '{') {
    const squashed = squash(path.slice(1));
    if (squashed.length < path.length - 1) {
      const left = path.slice(0, squashed.length + 1);
      const remain = path.slice(left.length);
      if (remain[0] === '|') return [left, remain.slice(1)];
    }
    return undefined;
  }
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\') {
      i++;
    } else if (path[i] === '.') {
      if (i === path.length - 1) return undefined;
      if (path[i + 1] === '#') {
        i += 2;
        if (i === path.length) return undefined;
        if (path[i] === '[' || path[i] === '(') {
          const start = path[i];
          const end = start === '[' ? ']' : ')';
          let depth = 1;
          for (i++; i < path.length; i++) {
            if (path[i] === '\\') i++;
            else if (path[i] === start) depth++;
            else if (path[i] === end) {
              depth--;
              if (depth === 0) break;
            } else if (path[i] === '"') {
              for (i++; i < path.length; i++) {
                if (path[i] === '\\') i++;
                else if (path[i] === '"') break;
              }
            }
          }
        }
      }
    } else if (path[i] === '|') {
      return [path.slice(0, i), path.slice(i + 1)];
    }
  }
  return undefined;
}

/** gjson `squash` (used only for a `{`-path in splitPossiblePipe). */
function squash(json: string): string {
  let i = 0;
  let depth = 0;
  if (json[0] !== '"') {
    i = 1;
    depth = 1;
  }
  for (; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const s2 = ++i;
      for (; i < json.length; i++) {
        if (json[i] !== '"') continue;
        if (json[i - 1] === '\\' && evenBackslashesBefore(json, i - 1, s2)) continue;
        break;
      }
      if (depth === 0) return i >= json.length ? json : json.slice(0, i + 1);
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return json.slice(0, i + 1);
    }
  }
  return json;
}

/** For a quote preceded by a backslash at `j`: are the backslashes in [floor, j) even in number (the quote is escaped)? */
export function evenBackslashesBefore(json: string, j: number, floor: number): boolean {
  let n = 0;
  for (let k = j - 1; k > floor - 1 && k >= 0; k--) {
    if (json[k] !== '\\') break;
    n++;
  }
  return n % 2 === 0;
}

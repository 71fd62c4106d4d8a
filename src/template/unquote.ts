// strconv.Unquote for template string literals, over Go byte strings.
import { encodeRune } from '../go/bytes.js';

/** Unquotes a Go "..." or `...` literal; null on invalid syntax. */
export function unquoteGo(q: string): string | null {
  if (q.length < 2) return null;
  if (q[0] === '`') {
    if (q[q.length - 1] !== '`') return null;
    return q.slice(1, -1).replace(/\r/g, '');
  }
  if (q[0] !== '"' || q[q.length - 1] !== '"') return null;
  const s = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '"' || c === '\n') return null;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'x': {
        const h = s.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
        out += String.fromCharCode(Number.parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const h = s.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return null;
        const r = Number.parseInt(h, 16);
        if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return null;
        out += encodeRune(r);
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const o = s.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(o)) return null;
          const v = Number.parseInt(o, 8);
          if (v > 255) return null;
          out += String.fromCharCode(v);
          i += 2;
          break;
        }
        return null;
      }
    }
  }
  return out;
}

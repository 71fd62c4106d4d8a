/**
 * Prints the output stream: a `---`-separated YAML stream (never starting with `{`, so Argo reads
 * it as YAML), pass-through documents verbatim, generated ones with a fixed key order.
 * Same inputs ⇒ same bytes.
 *
 * Generated Secrets hold only maps, strings, booleans and string lists, so they are written by a
 * small block-style writer with strings plain only when unambiguous and otherwise double-quoted in JSON syntax —
 * valid YAML 1.1 and 1.2, never misread (`yes`, `0777`, `~`, `2024-01-01` stay strings) — instead of yaml's stringify, whose first call
 * costs a cold process ~13 ms of compilation. Anything else (List items, JSON files) goes through yaml.
 */
import { stringify } from 'yaml';
import type { OutputDoc } from '../render/index.js';

export function emitStream(documents: readonly OutputDoc[]): string {
  let out = '';
  for (const doc of documents) {
    const body = 'text' in doc ? doc.text : (writeSimple(doc.object, '') ?? viaYaml(doc.object));
    out += `---\n${body}\n`;
  }
  return out;
}

function viaYaml(value: Record<string, unknown>): string {
  // No folding; !!binary is wrapped at 76 (0 would crash yaml's binary writer).
  return stringify(value, { version: '1.1', lineWidth: 0, minContentWidth: 76 }).replace(/\n+$/, '');
}

// Plain only when no YAML 1.1 reader can take it for anything but a string: starts with a letter or
// `_` (so never a number, date, octal or .inf), safe characters, not a bool/null word.
const PLAIN = /^[A-Za-z_][A-Za-z0-9._/=+-]*$/;
const SPECIAL = /^(y|n|yes|no|on|off|true|false|null)$/i;
const scalar = (s: string) => (PLAIN.test(s) && !SPECIAL.test(s) ? s : JSON.stringify(s));
const key = scalar;

/** Block YAML for maps of strings/booleans/string lists; undefined when the value has anything else. */
function writeSimple(value: Record<string, unknown>, indent: string): string | undefined {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') lines.push(`${indent}${key(k)}: ${scalar(v)}`);
    else if (typeof v === 'boolean') lines.push(`${indent}${key(k)}: ${v}`);
    else if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string')) return undefined;
      lines.push(v.length ? `${indent}${key(k)}:` : `${indent}${key(k)}: []`);
      for (const x of v) lines.push(`${indent}  - ${scalar(x)}`);
    } else if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.keys(v).length;
      if (entries === 0) {
        lines.push(`${indent}${key(k)}: {}`);
        continue;
      }
      const inner = writeSimple(v as Record<string, unknown>, `${indent}  `);
      if (inner === undefined) return undefined;
      lines.push(`${indent}${key(k)}:`, inner);
    } else return undefined;
  }
  return lines.join('\n');
}

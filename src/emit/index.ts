/**
 * Prints the output stream: a `---`-separated YAML stream (never starting with `{`, so Argo reads
 * it as YAML), pass-through documents verbatim, generated ones serialised with a fixed key order.
 * Same inputs ⇒ same bytes. Scalars are quoted for YAML 1.1 readers (Kubernetes reads `yes` as a bool).
 */
import { stringify } from 'yaml';
import type { OutputDoc } from '../render/index.js';

export function emitStream(documents: readonly OutputDoc[]): string {
  let out = '';
  for (const doc of documents) {
    const body = 'text' in doc ? doc.text : stringify(doc.object, { version: '1.1', lineWidth: 0, minContentWidth: 76 } /* no folding; !!binary is wrapped at 76 (0 crashes yaml's binary writer) */).replace(/\n+$/, '');
    out += `---\n${body}\n`;
  }
  return out;
}

/**
 * The one redactor at the output edge (design §4): every fetched value of 4 bytes or more is
 * registered with its common encodings, and everything written to stderr is scrubbed of them.
 */
const MIN_LENGTH = 4;

export class Redactor {
  private readonly needles = new Set<string>();
  private sorted: string[] | undefined;

  register(value: Uint8Array): void {
    if (value.byteLength < MIN_LENGTH) return;
    const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const text = buf.toString('utf8');
    const forms = [
      text,
      buf.toString('base64'),
      buf.toString('base64').replace(/=+$/, ''),
      buf.toString('base64url'),
      buf.toString('hex'),
      buf.toString('hex').toUpperCase(),
      encodeURIComponent(text),
      JSON.stringify(text).slice(1, -1),
    ];
    for (const line of text.split(/\r?\n/)) if (line.length >= 8) forms.push(line); // PEM bodies, multi-line values
    for (const f of forms) if (f.length >= MIN_LENGTH) this.needles.add(f);
    this.sorted = undefined;
  }

  /** Plain substring replacement, longest first: a RegExp alternation breaks on megabyte values. */
  scrub(message: string): string {
    if (this.needles.size === 0) return message;
    this.sorted ??= [...this.needles].sort((a, b) => b.length - a.length);
    let out = message;
    for (const needle of this.sorted) if (out.includes(needle)) out = out.replaceAll(needle, '[REDACTED]');
    return out;
  }
}

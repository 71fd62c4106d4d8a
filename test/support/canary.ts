/**
 * The leak check every suite uses: a canary value must not appear in stderr, nor in stdout of a
 * failing render, in any common encoding.
 */
import * as assert from 'uvu/assert';

export function canaryForms(canary: string): string[] {
  const buf = Buffer.from(canary, 'utf8');
  return [
    canary,
    buf.toString('base64'),
    buf.toString('base64').replace(/=+$/, ''),
    buf.toString('base64url'),
    buf.toString('hex'),
    buf.toString('hex').toUpperCase(),
    encodeURIComponent(canary),
    JSON.stringify(canary).slice(1, -1),
  ];
}

export function assertNoCanary(text: string, canary: string, where = 'output'): void {
  for (const form of canaryForms(canary)) {
    if (text.includes(form)) assert.unreachable(`canary leaked into ${where} (as ${JSON.stringify(form.slice(0, 6))}…)`);
  }
}

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Base64Error, decodeStd, decodeUrl } from '../../src/go/base64.js';

const b = (s: string) => new TextEncoder().encode(s);
const str = (u: Uint8Array) => new TextDecoder().decode(u);
const Base64 = suite('Go base64 decoding (ESO decodingStrategy)');

Base64('decodes padded standard base64', () => {
  assert.is(str(decodeStd(b('aGVsbG8='))), 'hello');
  assert.is(str(decodeStd(b('ZGVtby1zZXNzaW9uLWtleQ=='))), 'demo-session-key');
  assert.is(str(decodeStd(b(''))), '');
});

Base64('ignores CR and LF anywhere, as Go does', () => {
  assert.is(str(decodeStd(b('aGVs\r\nbG8='))), 'hello');
  assert.is(str(decodeStd(b('aGVsbG8=\n'))), 'hello');
});

Base64('rejects missing padding with the offset of the unfinished quantum', () => {
  assert.throws(() => decodeStd(b('aGVsbG8')), (e: unknown) => e instanceof Base64Error && e.message === 'illegal base64 data at input byte 4');
});

Base64('rejects the URL alphabet in standard mode and vice versa', () => {
  assert.throws(() => decodeStd(b('a-_b')), /illegal base64 data at input byte 1/);
  assert.is(str(decodeUrl(b('a-_b'))).length, 3);
  assert.throws(() => decodeUrl(b('a+/b')), /illegal base64 data at input byte 1/);
});

Base64('rejects data after padding and a lone padding symbol', () => {
  assert.throws(() => decodeStd(b('aGVsbG8=aGVs')), /illegal base64 data at input byte 8/);
  assert.throws(() => decodeStd(b('aGVsb===')), /illegal base64 data/);
  assert.throws(() => decodeStd(b('test test')), /illegal base64 data at input byte 4/);
});

Base64('decodes text that merely looks like base64 (the Auto pitfall)', () => {
  assert.is(decodeStd(b('test')).length, 3);
});

Base64.run();

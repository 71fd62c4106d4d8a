// Sprig's crypto, random and UUID functions. Reproducible ones (hashes, derivePassword,
// decryptAES, buildCustomCert, htpasswd "sha") run normally; the others are refused unless
// allowNonDeterministic is set (see README).
import { createCipheriv, createDecipheriv, createHash, createHmac, generateKeyPairSync, randomBytes, randomInt, randomUUID, scryptSync, X509Certificate } from 'node:crypto';
import { base64Decode, base64Encode } from '../../go/base64.js';
import { toText } from '../../go/bytes.js';
import { CertError, type CertPair, generateCA, generateDsaKeyPem, generateSelfSigned, generateSigned, parsePrivateKeyPEM } from './certs.js';
import { GoObject, type GoValue } from '../../go/value.js';
import { type CallContext, FuncError, type FuncTable, def, requireNonDeterministic } from './types.js';

/** Sprig's certificate struct {Cert, Key string}. */
export class Certificate extends GoObject {
  constructor(
    readonly cert: string,
    readonly key: string,
  ) {
    super();
  }
  typeName(): string {
    return 'sprig.certificate';
  }
  toString(): string {
    return `{${this.cert} ${this.key}}`;
  }
  override field(name: string): GoValue | undefined {
    if (name === 'Cert') return this.cert;
    if (name === 'Key') return this.key;
    return undefined;
  }
}

const random = 'it returns random output';

function randString(ctx: CallContext, name: string, count: number, chars: string): string {
  requireNonDeterministic(ctx, name, random);
  let out = '';
  for (let i = 0; i < count; i++) out += chars[randomInt(chars.length)];
  return out;
}

const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const asciiChars = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';

const passwordTypeTemplates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const templateCharacters: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Sprig derivePassword (Master Password algorithm). */
function derivePassword(counter: bigint, type: string, password: string, user: string, site: string): string {
  const templates = passwordTypeTemplates[type];
  if (!templates) return `cannot find password template ${type}`;
  const seed = Buffer.from('com.lyndir.masterpassword', 'latin1');
  const salt = Buffer.concat([seed, u32(user.length), Buffer.from(user, 'latin1')]);
  const key = scryptSync(Buffer.from(password, 'latin1'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 32768 * 8 * 2 + (1 << 20) });
  const msg = Buffer.concat([seed, u32(site.length), Buffer.from(site, 'latin1'), u32(Number(BigInt.asUintN(32, counter)))]);
  const hseed = createHmac('sha256', key).update(msg).digest();
  const temp = templates[hseed[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = templateCharacters[temp[i]!]!;
    out += chars[hseed[i + 1]! % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 32);
  return key;
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const r = base64Decode(crypt64);
  if (!r.ok) throw new FuncError(`illegal base64 data at input byte ${r.offset}`);
  const crypt = Buffer.from(r.value, 'latin1');
  if (crypt.length < 16) throw new FuncError('runtime error: slice bounds out of range');
  if ((crypt.length - 16) % 16 !== 0) throw new FuncError('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const dec = Buffer.concat([d.update(crypt.subarray(16)), d.final()]);
  if (dec.length === 0) throw new FuncError('runtime error: index out of range [-1]');
  const pad = dec[dec.length - 1]!;
  if (pad > dec.length) throw new FuncError(`runtime error: slice bounds out of range [:${dec.length - pad}]`);
  return dec.subarray(0, dec.length - pad).toString('latin1');
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(plaintext, 'latin1');
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

function pemDecodeFirst(s: string): { type: string } | null {
  const m = /-----BEGIN ([^-\n]*)-----/.exec(s);
  return m ? { type: m[1]! } : null;
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const c = base64Decode(b64cert);
  if (!c.ok) throw new FuncError('unable to decode base64 certificate');
  const k = base64Decode(b64key);
  if (!k.ok) throw new FuncError('unable to decode base64 private key');
  if (!pemDecodeFirst(c.value)) throw new FuncError('unable to decode certificate');
  try {
    new X509Certificate(Buffer.from(c.value, 'latin1'));
  } catch {
    throw new FuncError('error parsing certificate: decodedCert.Bytes: x509: malformed certificate');
  }
  try {
    parsePrivateKeyPEM(k.value);
  } catch (e) {
    if (e instanceof CertError) throw new FuncError(`error parsing private key: ${e.message}`);
    throw e;
  }
  return new Certificate(c.value, k.value);
}

const bcryptWhy = 'bcrypt salts are random';

/** Sprig bcrypt: Go's bcrypt.GenerateFromPassword(pw, DefaultCost); Go's error becomes the output text. */
function bcrypt(ctx: CallContext, pw: string): string {
  const lib = ctx.bcrypt;
  if (!lib) throw new FuncError('bcryptjs was not loaded');
  if (pw.length > 72) return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  // bcryptjs takes text and hashes its UTF-8 bytes, so only passwords that are valid UTF-8 reach it byte-exact.
  const text = toText(pw);
  if (Buffer.from(text, 'utf8').toString('latin1') !== pw) throw new FuncError('bcrypt of a password that is not valid UTF-8 is not supported by this renderer');
  // Go's salt: 16 random bytes in bcrypt's base64; Go writes the 2a prefix (bcryptjs would write 2b, same hash).
  return lib.hashSync(text, `$2a$10$${lib.encodeBase64(randomBytes(16), 16)}`);
}

function generatePrivateKey(ctx: CallContext, typ: string): string {
  requireNonDeterministic(ctx, 'genPrivateKey', 'it generates a new random key');
  switch (typ) {
    case '':
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    case 'dsa':
      return generateDsaKeyPem();
    default:
      return `Unknown type ${typ}`;
  }
}

/** A certificate generator behind the non-determinism gate; Sprig's errors become FuncErrors. */
const generator = (name: string, make: (...args: GoValue[]) => CertPair) => (ctx: CallContext, ...args: GoValue[]): Certificate => {
  requireNonDeterministic(ctx, name, 'it generates new random keys and certificates');
  try {
    const { cert, key } = make(...args);
    return new Certificate(cert, key);
  } catch (e) {
    if (e instanceof CertError) throw new FuncError(e.message);
    throw e;
  }
};

export function cryptoFuncs(t: FuncTable): void {
  const S = 'string' as const;
  const I = 'int' as const;
  const L = 'list' as const;
  const str = (v: GoValue | undefined): string => v as string;
  t.set('bcrypt', def([S], (ctx, pw) => {
    requireNonDeterministic(ctx, 'bcrypt', bcryptWhy);
    return bcrypt(ctx, str(pw));
  }));
  t.set(
    'htpasswd',
    def([S, S, 'hashAlgorithm'], (ctx, user, pw, algo) => {
      if (str(user).includes(':')) return `invalid username: ${str(user)}`;
      if (str(algo) === 'sha') return `${str(user)}:{SHA}${createHash('sha1').update(str(pw), 'latin1').digest('base64')}`;
      // Sprig: every other algorithm name means bcrypt.
      requireNonDeterministic(ctx, 'htpasswd', `${bcryptWhy}; use the "sha" algorithm for reproducible output`);
      return `${str(user)}:${bcrypt(ctx, str(pw))}`;
    }),
  );
  t.set('genPrivateKey', def([S], (ctx, typ) => generatePrivateKey(ctx, str(typ))));
  t.set('derivePassword', def(['uint32', S, S, S, S], (_c, n, type, pw, user, site) => derivePassword((n as { v: bigint }).v, str(type), str(pw), str(user), str(site))));
  t.set('buildCustomCert', def([S, S], (_c, c, k) => buildCustomCert(str(c), str(k))));
  const C = 'certificate' as const;
  const days = (v: GoValue): bigint => v as bigint;
  const ca = (v: GoValue): CertPair => v as Certificate;
  t.set('genCA', def([S, I], generator('genCA', (cn, d) => generateCA(str(cn), days(d)))));
  t.set('genCAWithKey', def([S, I, S], generator('genCAWithKey', (cn, d, k) => generateCA(str(cn), days(d), str(k)))));
  t.set('genSelfSignedCert', def([S, L, L, I], generator('genSelfSignedCert', (cn, ips, dns, d) => generateSelfSigned(str(cn), ips, dns, days(d)))));
  t.set(
    'genSelfSignedCertWithKey',
    def([S, L, L, I, S], generator('genSelfSignedCertWithKey', (cn, ips, dns, d, k) => generateSelfSigned(str(cn), ips, dns, days(d), str(k)))),
  );
  t.set('genSignedCert', def([S, L, L, I, C], generator('genSignedCert', (cn, ips, dns, d, c) => generateSigned(str(cn), ips, dns, days(d), ca(c)))));
  t.set(
    'genSignedCertWithKey',
    def([S, L, L, I, C, S], generator('genSignedCertWithKey', (cn, ips, dns, d, c, k) => generateSigned(str(cn), ips, dns, days(d), ca(c), str(k)))),
  );
  t.set('encryptAES', def([S, S], (ctx, k, p) => {
    requireNonDeterministic(ctx, 'encryptAES', 'its IV is random');
    return encryptAES(str(k), str(p));
  }));
  t.set('decryptAES', def([S, S], (_c, k, c) => decryptAES(str(k), str(c))));
  t.set('randBytes', def([I], (ctx, n) => {
    requireNonDeterministic(ctx, 'randBytes', random);
    return base64Encode(randomBytes(Number(n)).toString('latin1'));
  }));
  t.set('uuidv4', def([], (ctx) => {
    requireNonDeterministic(ctx, 'uuidv4', random);
    return randomUUID();
  }));
  t.set('randAlphaNum', def([I], (ctx, n) => randString(ctx, 'randAlphaNum', Number(n), alpha + digits)));
  t.set('randAlpha', def([I], (ctx, n) => randString(ctx, 'randAlpha', Number(n), alpha)));
  t.set('randAscii', def([I], (ctx, n) => randString(ctx, 'randAscii', Number(n), asciiChars)));
  t.set('randNumeric', def([I], (ctx, n) => randString(ctx, 'randNumeric', Number(n), digits)));
  t.set('shuffle', def([S], (ctx, s) => {
    requireNonDeterministic(ctx, 'shuffle', random);
    const a = [...str(s)];
    for (let i = a.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.join('');
  }));
}

// ESO's own template functions (runtime/template/v2: pem.go, pem_chain.go, pkcs12.go, jwk.go,
// yaml.go, decrypt.go). PKCS#12 goes through node-forge (loaded before execution when a
// template names a pkcs12 function); everything else uses node:crypto.
import { constants, createHash, createHmac, createPrivateKey, createPublicKey, type KeyObject, privateDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import { base64Encode } from '../../go/base64.js';
import { fromText, toText } from '../../go/bytes.js';
import { type GoValue, typedSlice } from '../../go/value.js';
import { type CertInfo, ipString, parseCert } from './der.js';
import { fromYaml, toYaml } from './yaml.js';
import { pemBlocks, pemDecode, pemEncode } from './pem.js';
import { type CallContext, FuncError, type FuncTable, def } from './types.js';

const CERT = 'CERTIFICATE';

// ---------- PEM filtering and chains ----------

function trimJunk(s: string): string {
  const i = s.indexOf('-----BEGIN');
  return i < 0 ? s : s.slice(i);
}

function filterPEM(pemType: string, input: string): string {
  let data = trimJunk(input);
  let out = '';
  let rest = data;
  for (;;) {
    const [block, r] = pemDecode(data);
    rest = r;
    data = r;
    if (!block) break;
    if (block.type.toLowerCase() !== pemType.toLowerCase()) continue;
    out += pemEncode(block.type, block.bytes, block.headers);
  }
  if (out === '' && rest.length !== 0) throw new FuncError('error filtering pem: found junk');
  return out;
}

function parseX509(bytes: string): CertInfo {
  try {
    new X509Certificate(Buffer.from(bytes, 'latin1'));
    return parseCert(Buffer.from(bytes, 'latin1'));
  } catch {
    throw new FuncError('x509: malformed certificate');
  }
}

const eqBytes = (a: Buffer | null, b: Buffer | null): boolean => (a ?? Buffer.alloc(0)).equals(b ?? Buffer.alloc(0));

/** pem_chain.go fetchX509CertChains: order leaf → root by AKI/SKI (bytes.Equal treats nil as empty). */
function certChain(data: string): CertInfo[] {
  const nodes = pemBlocks(data).map((b) => ({ cert: parseX509(b.bytes), parent: null as null | { cert: CertInfo }, isParent: false }));
  for (let i = 0; i < nodes.length; i++) {
    for (let j = 0; j < nodes.length; j++) {
      if (i === j) continue;
      if (eqBytes(nodes[i]!.cert.authorityKeyId, nodes[j]!.cert.subjectKeyId)) {
        nodes[j]!.isParent = true;
        nodes[i]!.parent = nodes[j]!;
        break;
      }
    }
  }
  let leaf: (typeof nodes)[number] | null = null;
  for (const n of nodes) {
    if (!n.isParent) {
      if (leaf) throw new FuncError('found multiple leaf or disjunct certificates');
      leaf = n;
    }
  }
  if (!leaf) throw new FuncError('no leaf certificate found');
  const chain: CertInfo[] = [];
  let cur: (typeof nodes)[number] | null = leaf;
  let processed = 0;
  while (cur) {
    processed++;
    if (processed > nodes.length) throw new FuncError('constructing chain resulted in cycle');
    chain.push(cur.cert);
    cur = cur.parent as (typeof nodes)[number] | null;
  }
  return chain;
}

const isRoot = (c: CertInfo): boolean => c.authorityKeyId === null || eqBytes(c.authorityKeyId, c.subjectKeyId);
const certPem = (c: CertInfo): string => pemEncode(CERT, c.raw.toString('latin1'));

function filterCertChain(certType: string, input: string): string {
  const ordered = certChain(input);
  switch (certType) {
    case 'leaf': {
      const c = ordered[0]!;
      if (c.authorityKeyId !== null && !eqBytes(c.authorityKeyId, c.subjectKeyId)) return certPem(c);
      break;
    }
    case 'intermediate': {
      if (ordered.length < 2) return '';
      let out = '';
      for (const c of ordered.slice(1)) {
        if (isRoot(c)) break;
        out += certPem(c);
      }
      return out;
    }
    case 'root': {
      const c = ordered[ordered.length - 1]!;
      if (isRoot(c)) return certPem(c);
      break;
    }
  }
  return '';
}

function certSANs(input: string): GoValue[] {
  const [block] = pemDecode(trimJunk(input));
  if (!block) throw new FuncError('failed to decode PEM block');
  let c: CertInfo;
  try {
    new X509Certificate(Buffer.from(block.bytes, 'latin1'));
    c = parseCert(Buffer.from(block.bytes, 'latin1'));
  } catch {
    throw new FuncError('failed to parse certificate: x509: malformed certificate');
  }
  return typedSlice([...c.dns, ...c.ips.map(ipString), ...c.emails, ...c.uris], 'string');
}

// ---------- keys ----------

/** decrypt.go parsePrivateKey: PKCS#1, PKCS#8 or SEC1 EC DER. */
function parsePrivateKeyDer(der: string): KeyObject {
  const buf = Buffer.from(der, 'latin1');
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: buf, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new FuncError('unable to parse private key type');
}

function pkcs8Pem(k: KeyObject): string {
  return fromText(k.export({ type: 'pkcs8', format: 'pem' }).toString());
}

type Jwk = Record<string, unknown>;
const allowedJwk = (j: Jwk): boolean =>
  j.kty === 'RSA' || (j.kty === 'EC' && ['P-256', 'P-384', 'P-521'].includes(String(j.crv))) || (j.kty === 'OKP' && j.crv === 'Ed25519');

function parseJwk(input: string): Jwk {
  let j: unknown;
  try {
    j = JSON.parse(toText(input));
  } catch {
    throw new FuncError('failed to unmarshal JSON into key hint');
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new FuncError('failed to unmarshal JSON into key hint');
  const k = j as Jwk;
  if (typeof k.kty !== 'string') throw new FuncError('failed to parse key: missing "kty" field');
  if (!allowedJwk(k)) throw new FuncError(`failed to parse key: unsupported key type or curve (kty ${JSON.stringify(k.kty)})`);
  return k;
}

function jwkPublicKeyPem(input: string): string {
  const k = parseJwk(input);
  if ('d' in k) throw new FuncError('x509: unsupported public key type: private key given');
  try {
    return fromText(createPublicKey({ key: k as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString());
  } catch {
    throw new FuncError('failed to parse key');
  }
}

function jwkPrivateKeyPem(input: string): string {
  const k = parseJwk(input);
  if (!('d' in k)) throw new FuncError('x509: unknown key type while marshaling PKCS#8: public key given');
  try {
    return pkcs8Pem(createPrivateKey({ key: k as never, format: 'jwk' }));
  } catch {
    throw new FuncError('failed to parse key');
  }
}

function rsaDecrypt(scheme: string, hash: string, input: string, privateKey: string): string {
  switch (scheme) {
    case 'None':
      return input;
    case 'RSA-OAEP': {
      const [block] = pemDecode(privateKey);
      if (!block) throw new FuncError('failed to decode PEM block');
      let key: KeyObject;
      try {
        key = parsePrivateKeyDer(block.bytes);
      } catch (e) {
        throw new FuncError(`could not parse private key: ${(e as Error).message}`);
      }
      if (key.asymmetricKeyType !== 'rsa') throw new FuncError('could not parse RSA private key');
      const oaepHash = hash === 'SHA1' ? 'sha1' : hash === 'SHA512' ? 'sha512' : 'sha256';
      try {
        return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, Buffer.from(input, 'latin1')).toString('latin1');
      } catch {
        throw new FuncError('error decrypting data with RSA: crypto/rsa: decryption error');
      }
    }
    default:
      // Go prints the scheme; it may come from data, so we name the accepted ones instead.
      throw new FuncError('decryption scheme is not supported (expected None or RSA-OAEP)');
  }
}

// ---------- PKCS#12 ----------

/* The subset of node-forge used here (typed locally; @types/node-forge covers it loosely). */
interface ForgeLike {
  asn1: {
    fromDer(bytes: string, strict?: boolean): unknown;
    toDer(obj: unknown): { getBytes(): string };
  };
  pkcs12: {
    pkcs12FromAsn1(obj: unknown, strict: boolean, password: string): {
      getBags(filter: { bagType: string }): Record<string, { key?: unknown; cert?: unknown; asn1: unknown }[] | undefined>;
      safeContents: { safeBags: { type: string; key?: unknown; cert?: unknown; asn1: unknown }[] }[];
    };
    toPkcs12Asn1(key: unknown, certs: unknown[], password: string, options: Record<string, unknown>): unknown;
  };
  pki: {
    oids: Record<string, string>;
    certificateToAsn1(c: unknown): unknown;
    certificateFromAsn1(a: unknown): unknown;
    privateKeyToAsn1(k: unknown): unknown;
    wrapRsaPrivateKey(a: unknown): unknown;
    privateKeyInfoToPem?(a: unknown): string;
  };
  random: { getBytes(n: number): string; getBytesSync(n: number): string };
}

function forgeOf(ctx: CallContext): ForgeLike {
  if (!ctx.forge) throw new FuncError('node-forge was not loaded');
  return ctx.forge as ForgeLike;
}

interface Decoded {
  keys: string[]; // PKCS#8 DER byte strings
  certs: string[]; // DER byte strings, bag order
}

function decodePkcs12(ctx: CallContext, input: string, pass: string): Decoded {
  const forge = forgeOf(ctx);
  let p12: ReturnType<ForgeLike['pkcs12']['pkcs12FromAsn1']>;
  try {
    const asn = forge.asn1.fromDer(input, false);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, pass);
  } catch (e) {
    const msg = e instanceof Error ? e.message : '';
    if (/MAC could not be verified|Invalid password/i.test(msg)) throw new Error('pkcs12: decryption password incorrect');
    throw new Error('pkcs12: error reading P12 data: asn1: structure error');
  }
  const out: Decoded = { keys: [], certs: [] };
  for (const sc of p12.safeContents) {
    for (const bag of sc.safeBags) {
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const asn = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        out.keys.push(forge.asn1.toDer(asn).getBytes());
      } else if (bag.type === forge.pki.oids.certBag) {
        const asn = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        out.certs.push(forge.asn1.toDer(asn).getBytes());
      }
    }
  }
  return out;
}

/** go-pkcs12 DecodeChain's checks: one key bag, a certificate, a key; `what` words ESO's error. */
function decodeOneKey(ctx: CallContext, input: string, pass: string, what: string): Decoded {
  try {
    const d = decodePkcs12(ctx, input, pass);
    if (d.keys.length > 1) throw new Error('pkcs12: expected exactly one key bag');
    if (d.certs.length === 0) throw new Error('pkcs12: certificate missing');
    if (d.keys.length === 0) throw new Error('pkcs12: private key missing');
    return d;
  } catch (e) {
    throw new FuncError(`unable to decode pkcs12${what} with password: ${(e as Error).message}`);
  }
}

function pkcs12keyPass(ctx: CallContext, pass: string, input: string): string {
  const d = decodeOneKey(ctx, input, pass, '');
  return pkcs8Pem(createPrivateKey({ key: Buffer.from(d.keys[0]!, 'latin1'), format: 'der', type: 'pkcs8' }));
}

function pkcs12certPass(ctx: CallContext, pass: string, input: string): string {
  const d = decodeOneKey(ctx, input, pass, ' certificate');
  const pemData = d.certs.map((c) => pemEncode(CERT, c)).join('');
  try {
    return certChain(pemData).map(certPem).join('');
  } catch {
    return pemData;
  }
}

/** A deterministic byte source: HMAC-SHA256(seed, counter) blocks, seeded from the per-install key and the inputs. */
function drbg(key: Uint8Array, inputs: string[]): (n: number) => string {
  const h = createHmac('sha256', key).update('argocd-eso-plugin/pkcs12/v1');
  for (const s of inputs) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(s.length));
    h.update(len).update(Buffer.from(s, 'latin1'));
  }
  const seed = h.digest();
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n: number) => {
    while (pool.length < n) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(BigInt(counter++));
      pool = Buffer.concat([pool, createHmac('sha256', seed).update(c).digest()]);
    }
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return out.toString('latin1');
  };
}

/* node-forge pieces used to assemble a PFX (typed locally). */
interface Asn1Obj {
  value: unknown;
}
interface ForgeBuild {
  asn1: {
    create(tagClass: number, type: number, constructed: boolean, value: unknown): Asn1Obj;
    fromDer(bytes: string): Asn1Obj;
    toDer(obj: Asn1Obj): { getBytes(): string };
    oidToDer(oid: string): { getBytes(): string };
    integerToDer(n: number): { getBytes(): string };
    Class: { UNIVERSAL: number; CONTEXT_SPECIFIC: number };
    Type: { SEQUENCE: number; SET: number; OID: number; OCTETSTRING: number; INTEGER: number; NULL: number; BMPSTRING: number };
  };
  pki: {
    oids: Record<string, string>;
    encryptPrivateKeyInfo(obj: Asn1Obj, password: string, options: Record<string, unknown>): Asn1Obj;
  };
  pkcs12: { generateKey(password: string, salt: unknown, id: number, iter: number, n: number, md: unknown): { getBytes(): string } };
  util: { ByteBuffer: new (bytes: string) => unknown };
  md: { sha256: { create(): unknown }; sha1: { create(): unknown } };
  hmac: { create(): { start(md: unknown, key: unknown): void; update(bytes: string): void; digest(): { getBytes(): string } } };
  random: { getBytes(n: number): string; getBytesSync(n: number): string };
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  javaTrustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  sha256: '2.16.840.1.101.3.4.2.1',
};

/** pkix.Name.String() for the friendly name of trust-store entries (RDNs last to first). */
function subjectString(der: string): string {
  const subject = new X509Certificate(Buffer.from(der, 'latin1')).subject;
  return subject.split('\n').reverse().join(',');
}

/**
 * Builds a PFX shaped like go-pkcs12's Modern encoder (as ESO uses it): certificates in a
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations) encrypted SafeContents, the key as a
 * PBES2 shrouded key bag, an HMAC-SHA256 MAC; trust-store entries carry Java's trusted-key-usage
 * attribute and a friendly name. Salts and IVs come from an HMAC of the inputs with the
 * per-install key, so the same inputs give the same bytes.
 */
function encodePkcs12(ctx: CallContext, name: string, keyDer: string | null, certs: string[], password: string): string {
  const forge = forgeOf(ctx) as unknown as ForgeBuild;
  let rand: (n: number) => string;
  if (ctx.hmacKey && ctx.hmacKey.length > 0) rand = drbg(ctx.hmacKey, [name, keyDer ?? '', ...certs, password]);
  else if (ctx.allowNonDeterministic) rand = (n) => randomBytes(n).toString('latin1');
  else throw new FuncError(`${name} needs the per-install HMAC key to derive a reproducible salt and IV (or non-deterministic functions to be allowed)`);
  const { asn1 } = forge;
  const U = asn1.Class.UNIVERSAL;
  const C = asn1.Class.CONTEXT_SPECIFIC;
  const T = asn1.Type;
  const seq = (...v: Asn1Obj[]): Asn1Obj => asn1.create(U, T.SEQUENCE, true, v);
  const set = (...v: Asn1Obj[]): Asn1Obj => asn1.create(U, T.SET, true, v);
  const oid = (o: string): Asn1Obj => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
  const octets = (b: string): Asn1Obj => asn1.create(U, T.OCTETSTRING, false, b);
  const explicit0 = (v: Asn1Obj): Asn1Obj => asn1.create(C, 0, true, [v]);
  const attr = (id: string, v: Asn1Obj): Asn1Obj => seq(oid(id), set(v));
  const pbes2 = { algorithm: 'aes256', prfAlgorithm: 'sha256', count: 2048, saltSize: 16 };

  const random = forge.random;
  const saved = { getBytes: random.getBytes, getBytesSync: random.getBytesSync };
  try {
    random.getBytes = rand;
    random.getBytesSync = rand;
    const localKeyId = keyDer !== null && certs[0] ? hashSha1(certs[0]) : null;
    const certBags = certs.map((der, i) => {
      const attrs: Asn1Obj[] = [];
      if (keyDer === null) {
        attrs.push(attr(OID.javaTrustedKeyUsage, oid(OID.anyExtendedKeyUsage)));
        const fn = subjectString(der);
        if (fn) attrs.push(attr(OID.friendlyName, asn1.create(U, T.BMPSTRING, false, `${toText(fn)}\u0000`)));
      } else if (i === 0 && localKeyId) attrs.push(attr(OID.localKeyId, octets(localKeyId)));
      const bag = [oid(OID.certBag), explicit0(seq(oid(OID.x509Certificate), explicit0(octets(der))))];
      if (attrs.length > 0) bag.push(set(...attrs));
      return seq(...bag);
    });
    const contentInfos: Asn1Obj[] = [];
    // Certificates: an EncryptedData content with PBES2 (encryptPrivateKeyInfo encrypts any DER).
    const enc = forge.pki.encryptPrivateKeyInfo(seq(...certBags), password, pbes2).value as Asn1Obj[];
    const encryptedContent = asn1.create(C, 0, false, (enc[1] as Asn1Obj).value);
    contentInfos.push(
      seq(oid(OID.encryptedData), explicit0(seq(asn1.create(U, T.INTEGER, false, asn1.integerToDer(0).getBytes()), seq(oid(OID.data), enc[0] as Asn1Obj, encryptedContent)))),
    );
    if (keyDer !== null) {
      const shrouded = forge.pki.encryptPrivateKeyInfo(asn1.fromDer(keyDer), password, pbes2);
      const keyBag = [oid(OID.shroudedKeyBag), explicit0(shrouded)];
      if (localKeyId) keyBag.push(set(attr(OID.localKeyId, octets(localKeyId))));
      contentInfos.push(seq(oid(OID.data), explicit0(octets(asn1.toDer(seq(seq(...keyBag))).getBytes()))));
    }
    const authSafe = asn1.toDer(seq(...contentInfos)).getBytes();
    const macSalt = rand(16);
    const macKey = forge.pkcs12.generateKey(password, new forge.util.ByteBuffer(macSalt), 3, 2048, 32, forge.md.sha256.create());
    const mac = createHmac('sha256', Buffer.from(macKey.getBytes(), 'latin1')).update(Buffer.from(authSafe, 'latin1')).digest().toString('latin1');
    const pfx = seq(
      asn1.create(U, T.INTEGER, false, asn1.integerToDer(3).getBytes()),
      seq(oid(OID.data), explicit0(octets(authSafe))),
      seq(seq(seq(oid(OID.sha256), asn1.create(U, T.NULL, false, '')), octets(mac)), octets(macSalt), asn1.create(U, T.INTEGER, false, asn1.integerToDer(2048).getBytes())),
    );
    return base64Encode(asn1.toDer(pfx).getBytes());
  } finally {
    random.getBytes = saved.getBytes;
    random.getBytesSync = saved.getBytesSync;
  }
}

function hashSha1(der: string): string {
  return createHash('sha1').update(Buffer.from(der, 'latin1')).digest().toString('latin1');
}

function firstCertDer(cert: string): [string, string] {
  const [block, rest] = pemDecode(cert);
  if (!block) throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  parseX509(block.bytes);
  return [block.bytes, rest];
}

function parseCaCerts(data: string): string[] {
  const out: string[] = [];
  let rest = data;
  while (rest.length > 0) {
    const [block, r] = pemDecode(rest);
    if (!block) throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
    parseX509(block.bytes);
    out.push(block.bytes);
    rest = r;
  }
  return out;
}

function keyToPkcs8Der(key: string): string {
  const [block] = pemDecode(key);
  if (!block) throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  const k = parsePrivateKeyDer(block.bytes);
  return k.export({ type: 'pkcs8', format: 'der' }).toString('latin1');
}

export function esoFuncs(t: FuncTable): void {
  const S = 'string' as const;
  const A = 'any' as const;
  const str = (v: GoValue | undefined): string => v as string;
  const forge = { needsForge: true };
  t.set('pkcs12key', def([S], (ctx, i) => pkcs12keyPass(ctx, '', str(i)), forge));
  t.set('pkcs12keyPass', def([S, S], (ctx, p, i) => pkcs12keyPass(ctx, str(p), str(i)), forge));
  t.set('pkcs12cert', def([S], (ctx, i) => pkcs12certPass(ctx, '', str(i)), forge));
  t.set('pkcs12certPass', def([S, S], (ctx, p, i) => pkcs12certPass(ctx, str(p), str(i)), forge));
  const toP12 = (name: string, full: boolean) =>
    def(
      [S, S, S],
      (ctx, cert, key, pass) => {
        const [leaf, rest] = firstCertDer(str(cert));
        const cas = full ? parseCaCerts(rest) : [];
        return encodePkcs12(ctx, name, keyToPkcs8Der(str(key)), [leaf, ...cas], str(pass ?? ''));
      },
      forge,
    );
  const p = toP12('pemToPkcs12Pass', false);
  t.set('pemToPkcs12', { ...p, params: [S, S], fn: (ctx, c, k) => p.fn(ctx, c ?? null, k ?? null, '') });
  t.set('pemToPkcs12Pass', p);
  const f = toP12('fullPemToPkcs12Pass', true);
  t.set('fullPemToPkcs12', { ...f, params: [S, S], fn: (ctx, c, k) => f.fn(ctx, c ?? null, k ?? null, '') });
  t.set('fullPemToPkcs12Pass', f);
  const ts = def([S, S], (ctx, certs, pass) => encodePkcs12(ctx, 'pemTruststoreToPKCS12Pass', null, parseCaCerts(str(certs)), str(pass)), forge);
  t.set('pemTruststoreToPKCS12', { ...ts, params: [S], fn: (ctx, c) => ts.fn(ctx, c ?? null, '') });
  t.set('pemTruststoreToPKCS12Pass', ts);
  t.set('filterPEM', def([S, S], (_c, type, input) => filterPEM(str(type), str(input))));
  t.set('filterCertChain', def([S, S], (_c, type, input) => filterCertChain(str(type), str(input))));
  t.set('certSANs', def([S], (_c, input) => certSANs(str(input))));
  t.set('jwkPublicKeyPem', def([S], (_c, j) => jwkPublicKeyPem(str(j))));
  t.set('jwkPrivateKeyPem', def([S], (_c, j) => jwkPrivateKeyPem(str(j))));
  t.set('toYaml', def([A], (_c, v) => toYaml(v ?? null)));
  t.set('fromYaml', def([S], (_c, s) => fromYaml(str(s))));
  t.set('rsaDecrypt', def([S, S, S, S], (_c, scheme, hash, input, key) => rsaDecrypt(str(scheme), str(hash), str(input), str(key))));
}


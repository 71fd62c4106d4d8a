// Sprig's certificate generators (crypto.go: genCA, genSelfSignedCert, genSignedCert and their
// *WithKey variants) with its parsePrivateKeyPEM and pemBlockForKey. Errors carry Sprig's text;
// crypto.ts registers the functions behind the non-determinism gate.
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import type { GoValue } from '../../go/value.js';
import { parseCert } from './der.js';
import { pemDecode, pemEncode } from './pem.js';
import {
  type CertTemplate,
  createCertificate,
  ExtKeyUsageClientAuth,
  ExtKeyUsageServerAuth,
  KeyUsageCertSign,
  KeyUsageDigitalSignature,
  KeyUsageKeyEncipherment,
  type ParentCert,
  type PrivateKey,
  X509Error,
} from './x509.js';

/** Sprig's certificate struct as plain strings (PEM). */
export interface CertPair {
  cert: string;
  key: string;
}

/** An error Sprig returns; the message is Go's text (values from data left out). */
export class CertError extends Error {}

// --- parsePrivateKeyPEM -------------------------------------------------------------------

type DerType = 'pkcs1' | 'sec1' | 'pkcs8';

/** Tag of the second element of the outer SEQUENCE: INTEGER (n) in PKCS#1, OCTET STRING in SEC1, SEQUENCE in PKCS#8. */
const secondTag: Record<DerType, number> = { pkcs1: 0x02, sec1: 0x04, pkcs8: 0x30 };

function tlvEnd(der: Buffer, p: number): number {
  const l = der[p + 1] ?? 0;
  if (!(l & 0x80)) return p + 2 + l;
  let len = 0;
  for (let i = 0; i < (l & 0x7f); i++) len = len * 256 + (der[p + 2 + i] ?? 0);
  return p + 2 + (l & 0x7f) + len;
}

/** The elements inside [start, end): [tag offset, content start, content end]. */
function elements(der: Buffer, start: number, end: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let p = start; p < end; ) {
    const e = tlvEnd(der, p);
    const l = der[p + 1]!;
    out.push([p, p + 2 + (l & 0x80 ? l & 0x7f : 0), e]);
    p = e;
  }
  return out;
}

function tryParse(der: Buffer, type: DerType): KeyObject | null {
  // OpenSSL reads some formats under another's name (PKCS#8 as "pkcs1"); Go's parsers do not.
  if (der[0] !== 0x30) return null;
  const [, start, end] = elements(der, 0, der.length)[0]!;
  const fields = elements(der, start, end);
  if (der[fields[0]?.[0] ?? end] !== 0x02 || der[fields[1]?.[0] ?? end] !== secondTag[type]) return null;
  try {
    return createPrivateKey({ key: der, format: 'der', type });
  } catch {
    return null;
  }
}

/** Go's "use ParseXxx instead" hints when the DER is another key format; else a generic text. */
function parseFailure(der: Buffer, tried: DerType): string {
  const hint: Record<DerType, string> = { pkcs1: 'ParsePKCS1PrivateKey', sec1: 'ParseECPrivateKey', pkcs8: 'ParsePKCS8PrivateKey' };
  const order: DerType[] = tried === 'pkcs1' ? ['sec1', 'pkcs8'] : tried === 'sec1' ? ['pkcs8', 'pkcs1'] : ['sec1', 'pkcs1'];
  for (const other of order) {
    if (tryParse(der, other)) return `x509: failed to parse private key (use ${hint[other]} instead for this key format)`;
  }
  return 'x509: failed to parse private key';
}

const goCurves = new Set(['secp224r1', 'prime256v1', 'secp384r1', 'secp521r1']);
const pkcs8Oids: Record<string, string> = {
  'rsa-pss': '1.2.840.113549.1.1.10',
  dsa: '1.2.840.10040.4.1',
  dh: '1.2.840.113549.1.3.1',
  ed448: '1.3.101.113',
  x448: '1.3.101.111',
};

function fromPkcs8(k: KeyObject): PrivateKey {
  switch (k.asymmetricKeyType) {
    case 'rsa':
      return { kind: 'rsa', key: k };
    case 'ec':
      if (!goCurves.has(k.asymmetricKeyDetails?.namedCurve ?? '')) throw new CertError('decoding PEM as PKCS#8: x509: failed to parse EC private key embedded in PKCS#8: x509: unknown elliptic curve');
      return { kind: 'ecdsa', key: k };
    case 'ed25519':
      return { kind: 'ed25519', key: k };
    case 'x25519':
      return { kind: 'x25519', key: k };
    default:
      throw new CertError(`decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: ${pkcs8Oids[k.asymmetricKeyType ?? ''] ?? 'unknown'}`);
  }
}

/** Go's DSAKeyFormat {Version, P, Q, G, Y, X}: a SEQUENCE of six INTEGERs (checked, not used). */
function isDsaKeyFormat(der: Buffer): boolean {
  if (der[0] !== 0x30 || tlvEnd(der, 0) > der.length) return false;
  const [, start, end] = elements(der, 0, der.length)[0]!;
  const ints = elements(der, start, end);
  return ints.length === 6 && ints.every(([p, , e]) => der[p] === 0x02 && e <= end);
}

/** Sprig's parsePrivateKeyPEM: the first PEM block, read by its type as Go does. */
export function parsePrivateKeyPEM(pem: string): PrivateKey {
  const [block] = pemDecode(pem);
  if (!block) throw new CertError('no PEM data in input');
  const der = Buffer.from(block.bytes, 'latin1');
  if (block.type === 'PRIVATE KEY') {
    const k = tryParse(der, 'pkcs8');
    if (!k) throw new CertError(`decoding PEM as PKCS#8: ${parseFailure(der, 'pkcs8')}`);
    return fromPkcs8(k);
  }
  if (!block.type.endsWith(' PRIVATE KEY')) throw new CertError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA': {
      const k = tryParse(der, 'pkcs1');
      if (!k) throw new CertError(`parsing RSA private key from PEM: ${parseFailure(der, 'pkcs1')}`);
      return { kind: 'rsa', key: k };
    }
    case 'EC': {
      const k = tryParse(der, 'sec1');
      if (!k) throw new CertError(`parsing EC private key from PEM: ${parseFailure(der, 'sec1')}`);
      if (!goCurves.has(k.asymmetricKeyDetails?.namedCurve ?? '')) throw new CertError('parsing EC private key from PEM: x509: unknown elliptic curve');
      return { kind: 'ecdsa', key: k };
    }
    case 'DSA':
      if (!isDsaKeyFormat(der)) throw new CertError('parsing DSA private key from PEM: asn1: structure error');
      return { kind: 'dsa' };
    default:
      throw new CertError(`invalid private key type ${block.type}`);
  }
}

/**
 * genPrivateKey "dsa": dsa.GenerateParameters(L2048N256) + GenerateKey, written as Sprig's
 * pemBlockForKey does (DSAKeyFormat {0, P, Q, G, Y, X} as "DSA PRIVATE KEY"). The INTEGERs are
 * copied from node's PKCS#8 (P, Q, G, X) and SPKI (Y) encodings, which are DER like Go's.
 */
export function generateDsaKeyPem(): string {
  const { privateKey, publicKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
  const p8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const [, p8Start, p8End] = elements(p8, 0, p8.length)[0]!;
  const [, alg, keyOctets] = elements(p8, p8Start, p8End) as [unknown, [number, number, number], [number, number, number]];
  const params = elements(p8, alg[1], alg[2])[1]!; // AlgorithmIdentifier { OID, Dss-Parms { p, q, g } }
  const pqg = p8.subarray(params[1], params[2]);
  const x = p8.subarray(keyOctets[1], keyOctets[2]); // OCTET STRING { INTEGER x }
  const [, spkiStart, spkiEnd] = elements(spki, 0, spki.length)[0]!;
  const bits = elements(spki, spkiStart, spkiEnd)[1]!;
  const y = spki.subarray(bits[1] + 1, bits[2]); // BIT STRING { unused-bits byte, INTEGER y }
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), pqg, y, x]);
  const len = body.length < 0x80 ? [body.length] : body.length < 0x100 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return pemEncode('DSA PRIVATE KEY', Buffer.concat([Buffer.from([0x30, ...len]), body]).toString('latin1'));
}

/** Sprig's pemBlockForKey, PEM-encoded: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 otherwise. */
function pemForKey(k: PrivateKey): string {
  const key = k.key!;
  if (k.kind === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  if (k.kind === 'ecdsa') return key.export({ type: 'sec1', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

// --- getBaseCertTemplate ------------------------------------------------------------------

/** net.ParseIP (netip.ParseAddr without zones), as marshalSANs writes it: IPv4 (and v4-mapped) as 4 bytes. */
export function parseIP(s: string): Buffer | null {
  const v4 = (t: string): number[] | null => {
    const parts = t.split('.');
    if (parts.length !== 4) return null;
    const out: number[] = [];
    for (const p of parts) {
      if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
      out.push(Number(p));
    }
    return out;
  };
  if (!s.includes(':')) {
    const b = v4(s);
    return b ? Buffer.from(b) : null;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (const [i, f] of fields.entries()) {
      if (last && i === fields.length - 1 && f.includes('.')) {
        const b = v4(f);
        if (!b) return null;
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(f)) out.push(Number.parseInt(f, 16));
      else return null;
    }
    return out;
  };
  const left = groups(halves[0]!, halves.length === 1);
  const right = halves.length === 2 ? groups(halves[1]!, true) : [];
  if (!left || !right) return null;
  const n = left.length + right.length;
  if (halves.length === 1 ? n !== 8 : n > 7) return null;
  const all = [...left, ...new Array<number>(8 - n).fill(0), ...right];
  const ip = Buffer.alloc(16);
  for (const [i, g] of all.entries()) ip.writeUInt16BE(g, i * 2);
  if (ip.subarray(0, 10).every((x) => x === 0) && ip[10] === 0xff && ip[11] === 0xff) return ip.subarray(12);
  return ip;
}

/** Sprig's getBaseCertTemplate. Go prints the offending list element; it is left out here. */
function baseTemplate(cn: string, ips: GoValue, dns: GoValue, daysValid: bigint): CertTemplate {
  const ipAddresses: Buffer[] = [];
  for (const ip of (ips as GoValue[] | null) ?? []) {
    if (typeof ip !== 'string') throw new CertError('error parsing ip: a list element is not a string');
    const b = parseIP(ip);
    if (!b) throw new CertError('error parsing ip: a list element is not an IP address');
    ipAddresses.push(b);
  }
  const dnsNames: string[] = [];
  for (const d of (dns as GoValue[] | null) ?? []) {
    if (typeof d !== 'string') throw new CertError('error processing alternate dns name: a list element is not a string');
    dnsNames.push(d);
  }
  const serial = BigInt(`0x${randomBytes(16).toString('hex')}`);
  // time.Now().Add(time.Hour * 24 * time.Duration(daysValid)): int64 nanoseconds, wrapping like Go.
  const nowMs = Date.now();
  const addNs = BigInt.asIntN(64, 86_400_000_000_000n * BigInt.asIntN(64, daysValid));
  const afterNs = BigInt(nowMs) * 1_000_000n + addNs;
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  return {
    serial,
    commonName: cn,
    notBefore: Math.floor(nowMs / 1000),
    notAfter: Number(floorDiv(afterNs, 1_000_000_000n)),
    keyUsage: KeyUsageKeyEncipherment | KeyUsageDigitalSignature,
    extKeyUsage: [ExtKeyUsageServerAuth, ExtKeyUsageClientAuth],
    basicConstraintsValid: true,
    isCA: false,
    dnsNames,
    ipAddresses,
  };
}

// --- the generators -----------------------------------------------------------------------

function newRsaKey(): PrivateKey {
  return { kind: 'rsa', key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
}

function withKey(privPEM: string): PrivateKey {
  try {
    return parsePrivateKeyPEM(privPEM);
  } catch (e) {
    if (e instanceof CertError) throw new CertError(`parsing private key: ${e.message}`);
    throw e;
  }
}

/** Sprig's getCertAndKey: CreateCertificate, then both PEMs. */
function certAndKey(t: CertTemplate, signee: PrivateKey, parent: ParentCert | null, signer: PrivateKey): CertPair {
  let der: Buffer;
  try {
    der = createCertificate(t, signee, parent, signer);
  } catch (e) {
    if (e instanceof X509Error) throw new CertError(`error creating certificate: ${e.message}`);
    throw e;
  }
  return { cert: pemEncode('CERTIFICATE', der.toString('latin1')), key: pemForKey(signee) };
}

/** genCA / genCAWithKey (privPEM given). */
export function generateCA(cn: string, daysValid: bigint, privPEM?: string): CertPair {
  const priv = privPEM === undefined ? newRsaKey() : withKey(privPEM);
  const t = baseTemplate(cn, null, null, daysValid);
  t.keyUsage |= KeyUsageCertSign;
  t.isCA = true;
  return certAndKey(t, priv, null, priv);
}

/** genSelfSignedCert / genSelfSignedCertWithKey. */
export function generateSelfSigned(cn: string, ips: GoValue, dns: GoValue, daysValid: bigint, privPEM?: string): CertPair {
  const priv = privPEM === undefined ? newRsaKey() : withKey(privPEM);
  return certAndKey(baseTemplate(cn, ips, dns, daysValid), priv, null, priv);
}

/** genSignedCert / genSignedCertWithKey. */
export function generateSigned(cn: string, ips: GoValue, dns: GoValue, daysValid: bigint, ca: CertPair, privPEM?: string): CertPair {
  const priv = privPEM === undefined ? newRsaKey() : withKey(privPEM);
  const [block] = pemDecode(ca.cert);
  if (!block) throw new CertError('unable to decode certificate');
  let parent: ParentCert;
  try {
    const der = Buffer.from(block.bytes, 'latin1');
    const x = new X509Certificate(der);
    const info = parseCert(der);
    let publicKeySpki: Buffer | null = null;
    try {
      publicKeySpki = x.publicKey.export({ type: 'spki', format: 'der' });
    } catch {
      // Go leaves PublicKey nil for key algorithms it does not know; no match check then.
    }
    parent = { rawSubject: info.rawSubject, subjectKeyId: info.subjectKeyId, publicKeySpki };
  } catch {
    throw new CertError('error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate');
  }
  let signer: PrivateKey;
  try {
    signer = parsePrivateKeyPEM(ca.key);
  } catch (e) {
    if (e instanceof CertError) throw new CertError(`error parsing private key: ${e.message}`);
    throw e;
  }
  return certAndKey(baseTemplate(cn, ips, dns, daysValid), priv, parent, signer);
}

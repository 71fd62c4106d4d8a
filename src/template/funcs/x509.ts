// Go's x509.CreateCertificate, reduced to the template fields Sprig's certificate functions set:
// a small DER writer builds the TBSCertificate byte for byte as Go's encoding/asn1 does, and
// node:crypto signs it. node:crypto can parse certificates but has no API to build one.
import { createHash, createPublicKey, type KeyObject, sign } from 'node:crypto';

// --- DER writer ---------------------------------------------------------------------------

function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let head: number[];
  if (n < 0x80) head = [tag, n];
  else {
    const len: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
    head = [tag, 0x80 | len.length, ...len];
  }
  return Buffer.concat([Buffer.from(head), content]);
}

const seq = (...parts: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(parts));
const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/** INTEGER: minimal two's complement (serials here are never negative). */
function int(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const groups: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING with Go's asn1BitLength: trailing zero bits of the last byte are unused bits. */
function bitString(bytes: Uint8Array, trimTrailingZeros: boolean): Buffer {
  let unused = 0;
  const last = bytes[bytes.length - 1];
  if (trimTrailingZeros && last !== undefined && last !== 0) while (!((last >> unused) & 1)) unused++;
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** encoding/asn1 time: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds, UTC. */
function time(unixSeconds: number): Buffer {
  const d = new Date(unixSeconds * 1000);
  const year = d.getUTCFullYear();
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${p2(year % 100)}${rest}`, 'latin1'));
  return tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'latin1'));
}

/** encoding/asn1's isPrintable with rejectAsterisk and rejectAmpersand (how Marshal picks a string type). */
const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A Go string (byte string) with no explicit ASN.1 type: PrintableString if it can be, else UTF8String. */
function goString(s: string): Buffer {
  if (printable.test(s)) return tlv(0x13, Buffer.from(s, 'latin1'));
  const bytes = Buffer.from(s, 'latin1');
  if (Buffer.from(bytes.toString('utf8'), 'utf8').compare(bytes) !== 0) throw new X509Error('asn1: string not valid UTF-8');
  return tlv(0x0c, bytes);
}

// --- Go's CreateCertificate ---------------------------------------------------------------

/** An error with the text Go's x509 (or encoding/asn1) returns. */
export class X509Error extends Error {}

// x509.KeyUsage bits (Go numbering: bit 0 is digitalSignature).
export const KeyUsageDigitalSignature = 1;
export const KeyUsageKeyEncipherment = 4;
export const KeyUsageCertSign = 32;
export const ExtKeyUsageServerAuth = '1.3.6.1.5.5.7.3.1';
export const ExtKeyUsageClientAuth = '1.3.6.1.5.5.7.3.2';

/** The x509.Certificate template fields Sprig sets. Strings are Go byte strings. */
export interface CertTemplate {
  serial: bigint;
  commonName: string;
  /** Unix seconds (Go encodes whole seconds). */
  notBefore: number;
  notAfter: number;
  keyUsage: number;
  extKeyUsage: string[];
  basicConstraintsValid: boolean;
  isCA: boolean;
  dnsNames: string[];
  /** 4 bytes (IPv4) or 16 (IPv6), as marshalSANs writes them. */
  ipAddresses: Buffer[];
}

/** The fields of a parsed parent certificate CreateCertificate reads. */
export interface ParentCert {
  rawSubject: Buffer;
  subjectKeyId: Buffer | null;
  /** SubjectPublicKeyInfo DER, or null when Go could not parse the key. */
  publicKeySpki: Buffer | null;
}

/** Private key kinds Sprig's parsePrivateKeyPEM can return; only the first three are crypto.Signers. */
export type KeyKind = 'rsa' | 'ecdsa' | 'ed25519' | 'x25519' | 'dsa';
export interface PrivateKey {
  kind: KeyKind;
  /** Absent for DSA (node cannot use Go's DSA key format, and Go's x509 refuses DSA anyway). */
  key?: KeyObject;
}

const goKeyType: Record<KeyKind, string> = {
  rsa: '*rsa.PublicKey',
  ecdsa: '*ecdsa.PublicKey',
  ed25519: 'ed25519.PublicKey',
  x25519: '*ecdh.PublicKey',
  dsa: '*dsa.PublicKey',
};

/** signingParamsForKey: the signature AlgorithmIdentifier and digest Go picks for the signer. */
function signingParams(signer: PrivateKey): { algId: Buffer; digest: string | null } {
  switch (signer.kind) {
    case 'rsa':
      return { algId: seq(oid('1.2.840.113549.1.1.11'), NULL), digest: 'sha256' };
    case 'ecdsa': {
      const curve = signer.key!.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp224r1' || curve === 'prime256v1') return { algId: seq(oid('1.2.840.10045.4.3.2')), digest: 'sha256' };
      if (curve === 'secp384r1') return { algId: seq(oid('1.2.840.10045.4.3.3')), digest: 'sha384' };
      if (curve === 'secp521r1') return { algId: seq(oid('1.2.840.10045.4.3.4')), digest: 'sha512' };
      throw new X509Error('x509: unknown elliptic curve');
    }
    case 'ed25519':
      return { algId: seq(oid('1.3.101.112')), digest: null };
    default:
      throw new X509Error('x509: certificate private key does not implement crypto.Signer');
  }
}

/** The subjectPublicKey BIT STRING contents of an SPKI (what Go hashes for SubjectKeyId). */
function subjectPublicKeyBytes(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header and the algorithm.
  const skipHeader = (p: number): [number, number] => {
    const l = spki[p + 1]!;
    if (!(l & 0x80)) return [p + 2, l];
    let n = 0;
    for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + spki[p + 2 + i]!;
    return [p + 2 + (l & 0x7f), n];
  };
  const [algStart] = skipHeader(0);
  const [algBody, algLen] = skipHeader(algStart);
  const [bitsBody, bitsLen] = skipHeader(algBody + algLen);
  return spki.subarray(bitsBody + 1, bitsBody + bitsLen);
}

/** pkix.Name{CommonName: cn}.ToRDNSequence(), marshalled (an empty name is an empty SEQUENCE). */
export function subjectDer(commonName: string): Buffer {
  if (commonName === '') return seq();
  return seq(set(seq(oid('2.5.4.3'), goString(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

/** marshalKeyUsage: bits reversed per byte, one byte unless the second is needed. */
function keyUsageValue(ku: number): Buffer {
  const rev = (b: number): number => {
    let r = 0;
    for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i;
    return r;
  };
  const a = [rev(ku & 0xff), rev((ku >> 8) & 0xff)];
  return bitString(Buffer.from(a[1] ? a : [a[0]!]), true);
}

/** buildCertExtensions for the fields Sprig sets, in Go's order. */
function extensions(t: CertTemplate, subjectIsEmpty: boolean, authorityKeyId: Buffer | null, subjectKeyId: Buffer | null): Buffer[] {
  const out: Buffer[] = [];
  if (t.keyUsage !== 0) out.push(extension('2.5.29.15', true, keyUsageValue(t.keyUsage)));
  if (t.extKeyUsage.length > 0) out.push(extension('2.5.29.37', false, seq(...t.extKeyUsage.map(oid))));
  // basicConstraints{IsCA `optional`, MaxPathLen `optional,default:-1`}: false and -1 are left out.
  if (t.basicConstraintsValid) out.push(extension('2.5.29.19', true, t.isCA ? seq(TRUE) : seq()));
  if (subjectKeyId) out.push(extension('2.5.29.14', false, octets(subjectKeyId)));
  if (authorityKeyId) out.push(extension('2.5.29.35', false, seq(tlv(0x80, authorityKeyId))));
  if (t.dnsNames.length > 0 || t.ipAddresses.length > 0) {
    const names: Buffer[] = [];
    for (const dns of t.dnsNames) {
      // isIA5String: any byte >= 0x80 is a non-ASCII or invalid rune. Go quotes the name, which
      // may come from data; it is left out here.
      if (/[^\x00-\x7f]/.test(dns)) throw new X509Error('x509: a DNS name cannot be encoded as an IA5String');
      names.push(tlv(0x82, Buffer.from(dns, 'latin1')));
    }
    for (const ip of t.ipAddresses) names.push(tlv(0x87, ip));
    out.push(extension('2.5.29.17', subjectIsEmpty, seq(...names)));
  }
  return out;
}

/**
 * x509.CreateCertificate(rand, template, parent, pub, priv) for Sprig's templates; `parent`
 * null means the template is its own parent (self-signed, as Sprig passes it). Returns DER.
 * Checks run in Go's order so the first failure is the one Go reports.
 */
export function createCertificate(t: CertTemplate, subject: PrivateKey, parent: ParentCert | null, signer: PrivateKey): Buffer {
  const { algId, digest } = signingParams(signer);
  if (subject.kind === 'dsa' || !subject.key) throw new X509Error(`x509: unsupported public key type: ${goKeyType[subject.kind]}`);
  const spki = createPublicKey(subject.key).export({ type: 'spki', format: 'der' });
  const asn1Subject = subjectDer(t.commonName);
  const asn1Issuer = parent ? parent.rawSubject : asn1Subject;
  let authorityKeyId: Buffer | null = null;
  if (parent?.subjectKeyId && parent.subjectKeyId.length > 0 && !asn1Issuer.equals(asn1Subject)) authorityKeyId = parent.subjectKeyId;
  // Go 1.25+: the leftmost 160 bits of SHA-256 of the subjectPublicKey (RFC 7093 method 1).
  const subjectKeyId = t.isCA ? createHash('sha256').update(subjectPublicKeyBytes(spki)).digest().subarray(0, 20) : null;
  const signerSpki = createPublicKey(signer.key!).export({ type: 'spki', format: 'der' });
  if (parent?.publicKeySpki && !parent.publicKeySpki.equals(signerSpki)) throw new X509Error("x509: provided PrivateKey doesn't match parent's PublicKey");
  const exts = extensions(t, asn1Subject.equals(seq()), authorityKeyId, subjectKeyId);
  const tbs = seq(
    explicit(0, int(2n)),
    int(t.serial),
    algId,
    asn1Issuer,
    seq(time(t.notBefore), time(t.notAfter)),
    asn1Subject,
    spki,
    explicit(3, seq(...exts)),
  );
  // Go 1.24+ crypto/rsa refuses to sign with keys under 1024 bits.
  const bits = signer.kind === 'rsa' ? (signer.key!.asymmetricKeyDetails?.modulusLength ?? 0) : 1024;
  if (bits < 1024) throw new X509Error(`crypto/rsa: ${bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`);
  const signature = sign(digest, tbs, signer.key!);
  return seq(tbs, algId, bitString(signature, false));
}

// Just enough DER to read what ESO's certificate helpers need from an X.509 certificate:
// subject/authority key identifiers and subject alternative names.

interface TLV {
  tag: number;
  start: number; // offset of the value
  end: number; // end of the value
  hdr: number; // offset of the tag byte
}

function readTLV(b: Buffer, pos: number): TLV {
  const tag = b[pos]!;
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  if (p + len > b.length) throw new Error('x509: malformed certificate');
  return { tag, start: p, end: p + len, hdr: pos };
}

function children(b: Buffer, t: TLV): TLV[] {
  const out: TLV[] = [];
  for (let p = t.start; p < t.end; ) {
    const c = readTLV(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(b: Buffer, t: TLV): string {
  const bytes = b.subarray(t.start, t.end);
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export interface CertInfo {
  raw: Buffer;
  /** The DER of the subject Name (Go's RawSubject). */
  rawSubject: Buffer;
  subjectKeyId: Buffer | null;
  authorityKeyId: Buffer | null;
  dns: string[];
  emails: string[];
  ips: Buffer[];
  uris: string[];
}

/** Parses the extensions Go's x509.Certificate exposes as SubjectKeyId, AuthorityKeyId and SANs. */
export function parseCert(der: Buffer): CertInfo {
  const cert = readTLV(der, 0);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new Error('x509: malformed certificate');
  const tbs = children(der, cert)[0];
  if (tbs?.tag !== 0x30) throw new Error('x509: malformed tbs certificate');
  const fields = children(der, tbs);
  // [0] version (optional), serial, signature, issuer, validity, subject
  const subject = fields[fields[0]?.tag === 0xa0 ? 5 : 4];
  if (subject?.tag !== 0x30) throw new Error('x509: malformed tbs certificate');
  const info: CertInfo = { raw: der, rawSubject: der.subarray(subject.hdr, subject.end), subjectKeyId: null, authorityKeyId: null, dns: [], emails: [], ips: [], uris: [] };
  const ext = fields.find((c) => c.tag === 0xa3);
  if (!ext) return info;
  const seq = children(der, ext)[0];
  if (!seq) return info;
  for (const e of children(der, seq)) {
    const parts = children(der, e);
    const id = oid(der, parts[0]!);
    const value = parts[parts.length - 1]!; // OCTET STRING
    if (id === '2.5.29.14') {
      const inner = readTLV(der, value.start);
      info.subjectKeyId = der.subarray(inner.start, inner.end);
    } else if (id === '2.5.29.35') {
      const inner = readTLV(der, value.start);
      const k = children(der, inner).find((c) => c.tag === 0x80);
      if (k) info.authorityKeyId = der.subarray(k.start, k.end);
    } else if (id === '2.5.29.17') {
      const names = readTLV(der, value.start);
      for (const n of children(der, names)) {
        const v = der.subarray(n.start, n.end);
        switch (n.tag) {
          case 0x81:
            info.emails.push(v.toString('latin1'));
            break;
          case 0x82:
            info.dns.push(v.toString('latin1'));
            break;
          case 0x86:
            info.uris.push(v.toString('latin1'));
            break;
          case 0x87:
            info.ips.push(Buffer.from(v));
            break;
        }
      }
    }
  }
  return info;
}

/** net.IP.String */
export function ipString(ip: Buffer): string {
  if (ip.length === 4) return [...ip].join('.');
  if (ip.length !== 16) return `?${ip.toString('hex')}`;
  if (ip.subarray(0, 10).every((x) => x === 0) && ip[10] === 0xff && ip[11] === 0xff) return [...ip.subarray(12)].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(ip.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

// Minimal DER (ASN.1) encoder and X.509 v3 certificate builder: node:crypto verifies certificates
// (X509Certificate) but cannot create them. Enough for an RSA CA and a device certificate it signs
// (RFC 5280 §4.1: TBSCertificate, sha256WithRSAEncryption, basicConstraints, keyUsage).
import { generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const der = {
  tlv(tag: number, content: Uint8Array): Buffer {
    return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
  },
  seq: (...items: Uint8Array[]) => der.tlv(0x30, Buffer.concat(items)),
  set: (...items: Uint8Array[]) => der.tlv(0x31, Buffer.concat(items)),
  null: () => Buffer.from([0x05, 0x00]),
  bool: (v: boolean) => der.tlv(0x01, Buffer.from([v ? 0xff : 0x00])),
  /** Non-negative integer from a bigint or big-endian bytes (a leading 0 keeps it positive). */
  int(value: bigint | Uint8Array): Buffer {
    let bytes: Buffer;
    if (typeof value === 'bigint') {
      let hex = value.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      bytes = Buffer.from(hex, 'hex');
    } else bytes = Buffer.from(value);
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1]! < 0x80) i++;
    bytes = bytes.subarray(i);
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return der.tlv(0x02, bytes);
  },
  oid(dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number);
    const out: number[] = [40 * arcs[0]! + arcs[1]!];
    for (const arc of arcs.slice(2)) {
      const chunk: number[] = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
      out.push(...chunk);
    }
    return der.tlv(0x06, Buffer.from(out));
  },
  utf8: (s: string) => der.tlv(0x0c, Buffer.from(s, 'utf8')),
  bitString: (bytes: Uint8Array) => der.tlv(0x03, Buffer.concat([Buffer.from([0]), bytes])),
  octetString: (bytes: Uint8Array) => der.tlv(0x04, bytes),
  /** UTCTime for years 1950–2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
  time(d: Date): Buffer {
    const p = (n: number) => String(n).padStart(2, '0');
    const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
    const y = d.getUTCFullYear();
    return y < 2050 ? der.tlv(0x17, Buffer.from(`${p(y % 100)}${body}`)) : der.tlv(0x18, Buffer.from(`${y}${body}`));
  },
  explicit: (n: number, content: Uint8Array) => der.tlv(0xa0 | n, content),
};

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
};

export interface CertName {
  commonName: string;
  organization?: string;
}

function encodeName(name: CertName): Buffer {
  const rdns = [der.set(der.seq(der.oid(OID.commonName), der.utf8(name.commonName)))];
  if (name.organization) rdns.unshift(der.set(der.seq(der.oid(OID.organization), der.utf8(name.organization))));
  return der.seq(...rdns);
}

export interface CertificateSpec {
  subject: CertName;
  issuer: CertName;
  subjectPublicKey: KeyObject;
  /** Signs the certificate (the issuer's key; the subject's own key for a self-signed CA). */
  issuerPrivateKey: KeyObject;
  isCa: boolean;
  notBefore?: Date;
  notAfter?: Date;
  serial?: bigint;
}

export function createCertificate(spec: CertificateSpec): Buffer {
  const algorithm = der.seq(der.oid(OID.sha256WithRSA), der.null());
  const notBefore = spec.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = spec.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const serial = spec.serial ?? BigInt(`0x${randomBytes(12).toString('hex')}`) + 1n;
  const basicConstraints = der.seq(der.oid(OID.basicConstraints), der.bool(true), der.octetString(spec.isCa ? der.seq(der.bool(true)) : der.seq()));
  // keyUsage bits: digitalSignature (0) for devices; keyCertSign (5) and cRLSign (6) for the CA.
  const usage = spec.isCa ? Buffer.from([0x01, 0x06]) : Buffer.from([0x07, 0x80]);
  const keyUsage = der.seq(der.oid(OID.keyUsage), der.bool(true), der.octetString(der.tlv(0x03, usage)));
  const tbs = der.seq(
    der.explicit(0, der.int(2n)),
    der.int(serial),
    algorithm,
    encodeName(spec.issuer),
    der.seq(der.time(notBefore), der.time(notAfter)),
    encodeName(spec.subject),
    spec.subjectPublicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.seq(basicConstraints, keyUsage)),
  );
  const signature = sign('sha256', tbs, spec.issuerPrivateKey);
  return der.seq(tbs, algorithm, der.bitString(signature));
}

export interface DeviceIdentity {
  ca: X509Certificate;
  caKey: KeyObject;
  device: X509Certificate;
  deviceKey: KeyObject;
  /** x5c chain (base64 DER): device certificate first, then the CA. */
  x5c: string[];
}

/** A fresh RSA CA and a device certificate it signs (what a device provider's factory would do). */
export function generateDeviceIdentity(options: { provider?: string; serialNo?: string; modulusLength?: number } = {}): DeviceIdentity {
  const modulusLength = options.modulusLength ?? 2048;
  const caPair = generateKeyPairSync('rsa', { modulusLength });
  const devPair = generateKeyPairSync('rsa', { modulusLength });
  const caName = { commonName: `${options.provider ?? 'Emulated Device Provider'} Root CA`, organization: options.provider ?? 'Emulated Device Provider' };
  const caDer = createCertificate({ subject: caName, issuer: caName, subjectPublicKey: caPair.publicKey, issuerPrivateKey: caPair.privateKey, isCa: true });
  const devDer = createCertificate({
    subject: { commonName: `SBI device ${options.serialNo ?? 'EMU-0001'}`, organization: caName.organization },
    issuer: caName,
    subjectPublicKey: devPair.publicKey,
    issuerPrivateKey: caPair.privateKey,
    isCa: false,
  });
  return {
    ca: new X509Certificate(caDer),
    caKey: caPair.privateKey,
    device: new X509Certificate(devDer),
    deviceKey: devPair.privateKey,
    x5c: [devDer.toString('base64'), caDer.toString('base64')],
  };
}


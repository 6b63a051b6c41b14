// The packet format: opens only with the registry's private key; any modification is caught with a typed error.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  PacketDecryptFailedError,
  canonicalJson,
  decryptFromRegistry,
  encryptToRegistry,
  generateRegistryKeyPair,
  openPacket,
  sealPacket,
} from '../../../sync/packet/index.js';

const kiosk = generateKeyPairSync('ed25519');
const registry = generateRegistryKeyPair();
const face = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
const finger = new Uint8Array(288 * 384).map((_, i) => (i * 13) & 0xff);

function seal() {
  return sealPacket({
    manifest: { recordId: '01HZX3', rid: 'C-1.K-1.20260101.000001.11', kioskId: 'K-1', centreId: 'C-1', sealedAt: '2026-01-01T00:00:00.000Z', record: { demographics: { givenNameLatin: 'Ahmed' } } },
    parts: [
      { name: 'face.jpg', mediaType: 'image/jpeg', data: face },
      { name: 'finger.1.raw', mediaType: 'application/x-grey8', data: finger },
    ],
    kioskPrivateKey: kiosk.privateKey,
    registryPublicKey: registry.publicKeyRaw,
  });
}

describe('enrollment packet', () => {
  it('round-trips with the registry key and verifies the kiosk signature and part hashes', () => {
    const sealed = seal();
    expect(sealed.bytes.includes(Buffer.from('Ahmed'))).toBe(false);
    const opened = openPacket(sealed.bytes, registry.privateKey, kiosk.publicKey);
    expect(opened.manifest.record).toEqual({ demographics: { givenNameLatin: 'Ahmed' } });
    expect(opened.parts.get('finger.1.raw')!.equals(Buffer.from(finger))).toBe(true);
    expect(opened.manifest.parts.map((p) => p.sha256)).toHaveLength(2);
    expect(opened.signerVerifiedAgainstExpected).toBe(true);
  });

  it('does not open with any key the kiosk holds (its own signing key or another X25519 key)', () => {
    const sealed = seal();
    const other = generateRegistryKeyPair();
    expect(() => openPacket(sealed.bytes, other.privateKey)).toThrow(PacketDecryptFailedError);
    expect(() => openPacket(sealed.bytes, kiosk.privateKey)).toThrowError(expect.objectContaining({ code: 'PACKET_DECRYPT_FAILED' }));
  });

  it('a modified packet fails: any flipped byte → PACKET_DECRYPT_FAILED', () => {
    const sealed = seal();
    for (const at of [3, 10, 60, sealed.bytes.length >> 1, sealed.bytes.length - 1]) {
      const bad = Buffer.from(sealed.bytes);
      bad[at]! ^= 0x80;
      expect(() => openPacket(bad, registry.privateKey, kiosk.publicKey)).toThrowError(expect.objectContaining({ code: at < 4 ? 'PACKET_MALFORMED' : 'PACKET_DECRYPT_FAILED' }));
    }
  });

  it('re-encrypted with a changed part → PACKET_PART_HASH_MISMATCH; changed manifest → PACKET_SIGNATURE_INVALID', () => {
    const sealed = seal();
    const inner = decryptFromRegistry(sealed.bytes, registry.privateKey);
    const partTampered = Buffer.from(inner);
    partTampered[partTampered.length - 10]! ^= 0xff;
    expect(() => openPacket(encryptToRegistry([partTampered], registry.publicKey), registry.privateKey, kiosk.publicKey)).toThrowError(
      expect.objectContaining({ code: 'PACKET_PART_HASH_MISMATCH', details: { part: 'finger.1.raw' } }),
    );
    const manifestTampered = Buffer.from(inner.toString('latin1').replace('Ahmed', 'Ahmad'), 'latin1');
    expect(() => openPacket(encryptToRegistry([manifestTampered], registry.publicKey), registry.privateKey, kiosk.publicKey)).toThrowError(
      expect.objectContaining({ code: 'PACKET_SIGNATURE_INVALID' }),
    );
    const otherKiosk = generateKeyPairSync('ed25519');
    expect(() => openPacket(sealed.bytes, registry.privateKey, otherKiosk.publicKey)).toThrowError(expect.objectContaining({ code: 'PACKET_SIGNATURE_INVALID' }));
  });

  it('canonical JSON sorts keys at every depth and rejects non-finite numbers', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ a: NaN })).toThrow();
  });
});

// Synthetic sealed packets shaped like the kiosk's (face JPEG + embedding, optional raw finger bytes), for tests
// and benchmarks. Not used by production code.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sealPacket, type PacketPart } from '../packet/index.js';
import type { KioskIdentity } from '../engine/identity.js';

export function newIdentity(kioskId = `K-${randomBytes(3).toString('hex')}`, centreId = 'C-01'): KioskIdentity {
  return { kioskId, centreId, privateKey: generateKeyPairSync('ed25519').privateKey };
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

export function makePacket(identity: KioskIdentity, registryEncryptionKey: string, n: number, opts: { nationalNumber?: string; bytes?: number; recordId?: string; rid?: string; programmes?: string[] } = {}): { packetId: string; bytes: Buffer } {
  const recordId = opts.recordId ?? `R${String(n).padStart(6, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
  const parts: PacketPart[] = [
    { name: 'face.jpg', mediaType: 'image/jpeg', data: JPEG },
    { name: 'face.embedding', mediaType: 'application/x-float32le', data: new Uint8Array(new Float32Array(8).fill(n).buffer) },
  ];
  if (opts.bytes) parts.push({ name: 'finger.1.raw', mediaType: 'application/x-grey8', data: randomBytes(opts.bytes) });
  const sealed = sealPacket({
    manifest: {
      recordId,
      rid: opts.rid ?? `RID-${recordId}`,
      kioskId: identity.kioskId,
      centreId: identity.centreId,
      sealedAt: new Date().toISOString(),
      record: { schemaVersion: 1, demographics: { nationalNumber: opts.nationalNumber ?? `2900101${String(n).padStart(7, '0')}`, name: 'Synthetic' }, ...(opts.programmes ? { programmes: opts.programmes } : {}) },
    },
    parts,
    kioskPrivateKey: identity.privateKey,
    registryPublicKey: registryEncryptionKey,
  });
  return { packetId: recordId, bytes: sealed.bytes };
}

// sealPacket / openPacket: signed, hashed, and encrypted to the registry (ephemeral X25519 ECDH + HKDF-SHA-256 +
// AES-256-GCM). Once sealed, only the registry's private key opens a packet — not the kiosk that made it.
import { createCipheriv, createDecipheriv, createHash, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { PacketDecryptFailedError, PacketMalformedError, PacketPartHashMismatchError, PacketSignatureInvalidError } from './errors.js';
import {
  HKDF_INFO,
  INNER_MAGIC,
  MANIFEST_VERSION,
  MANIFEST_VERSIONS,
  NONCE_BYTES,
  OUTER_HEADER_BYTES,
  OUTER_MAGIC,
  PACKET_FORMAT,
  PACKET_VERSION,
  TAG_BYTES,
  type PacketManifest,
  type PacketManifestInput,
  type PacketPart,
} from './format.js';
import { publicKeyFingerprint, publicKeyOf, rawPublicKeyOf, type KeyInput } from './keys.js';

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function packetKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), HKDF_INFO, 32));
}

/** Outer layer: encrypts the inner container to the registry's X25519 public key. */
export function encryptToRegistry(inner: Uint8Array[], registryPublicKey: KeyInput): Buffer {
  const recipient = publicKeyOf(registryPublicKey, 'X25519');
  const recipientRaw = rawPublicKeyOf(recipient);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawPublicKeyOf(ephemeral.publicKey);
  const key = packetKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), ephemeralRaw, recipientRaw);
  const header = Buffer.concat([OUTER_MAGIC, Buffer.from([PACKET_VERSION]), ephemeralRaw]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(header);
  const body = inner.map((chunk) => cipher.update(chunk));
  body.push(cipher.final());
  const bytes = Buffer.concat([header, nonce, ...body, cipher.getAuthTag()]);
  key.fill(0);
  return bytes;
}

export interface SealPacketInput {
  manifest: PacketManifestInput;
  parts: PacketPart[];
  /** The kiosk's Ed25519 private key. */
  kioskPrivateKey: KeyObject;
  /** The registry's X25519 public key. */
  registryPublicKey: KeyInput;
  /** Manifest layout version (default MANIFEST_VERSION; 1 only to produce packets for older registries in tests). */
  manifestVersion?: 1 | 2;
}

export interface SealedPacket {
  bytes: Buffer;
  sha256: string;
  manifest: PacketManifest;
}

export function sealPacket(input: SealPacketInput): SealedPacket {
  const names = new Set<string>();
  for (const p of input.parts) {
    if (names.has(p.name)) throw new PacketMalformedError(`duplicate part ${p.name}`);
    names.add(p.name);
  }
  const kioskPublicRaw = rawPublicKeyOf(input.kioskPrivateKey);
  const manifest: PacketManifest = {
    ...input.manifest,
    format: PACKET_FORMAT,
    version: input.manifestVersion ?? MANIFEST_VERSION,
    kioskKeyFingerprint: publicKeyFingerprint(kioskPublicRaw),
    parts: input.parts.map((p) => ({ name: p.name, mediaType: p.mediaType, length: p.data.byteLength, sha256: sha256Hex(p.data) })),
  };
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const signature = sign(null, manifestBytes, input.kioskPrivateKey);
  const head = Buffer.alloc(9);
  INNER_MAGIC.copy(head, 0);
  head.writeUInt8(PACKET_VERSION, 4);
  head.writeUInt32BE(manifestBytes.length, 5);
  const inner = [head, manifestBytes, signature, kioskPublicRaw, ...input.parts.map((p) => p.data)];

  const bytes = encryptToRegistry(inner, input.registryPublicKey);
  return { bytes, sha256: sha256Hex(bytes), manifest };
}

/** Outer layer: decrypts with the registry's X25519 private key; returns the inner container. */
export function decryptFromRegistry(packet: Uint8Array, registryPrivateKey: KeyObject): Buffer {
  const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  if (buf.length < OUTER_HEADER_BYTES + NONCE_BYTES + TAG_BYTES || !buf.subarray(0, 4).equals(OUTER_MAGIC)) throw new PacketMalformedError('not a packet');
  if (buf[4] !== PACKET_VERSION) throw new PacketMalformedError(`unsupported version ${buf[4]}`);
  const header = buf.subarray(0, OUTER_HEADER_BYTES);
  const ephemeralRaw = Buffer.from(buf.subarray(5, OUTER_HEADER_BYTES));
  let inner: Buffer;
  try {
    const ephemeral = publicKeyOf(ephemeralRaw, 'X25519');
    const recipientRaw = rawPublicKeyOf(registryPrivateKey);
    const key = packetKey(diffieHellman({ privateKey: registryPrivateKey, publicKey: ephemeral }), ephemeralRaw, recipientRaw);
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(OUTER_HEADER_BYTES, OUTER_HEADER_BYTES + NONCE_BYTES));
    decipher.setAAD(header);
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    inner = Buffer.concat([decipher.update(buf.subarray(OUTER_HEADER_BYTES + NONCE_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    key.fill(0);
  } catch {
    throw new PacketDecryptFailedError('authentication failed (wrong key or modified packet)');
  }
  return inner;
}

export interface OpenedPacket {
  manifest: PacketManifest;
  parts: Map<string, Buffer>;
  /** Raw Ed25519 key that signed the manifest (the one embedded in the packet). */
  signerPublicKey: Buffer;
  /** True when the caller supplied the expected kiosk public key and it matched. */
  signerVerifiedAgainstExpected: boolean;
}

/** Decrypts with the registry's X25519 private key, verifies the kiosk signature and every part hash. */
export function openPacket(packet: Uint8Array, registryPrivateKey: KeyObject, kioskPublicKey?: KeyInput): OpenedPacket {
  const inner = decryptFromRegistry(packet, registryPrivateKey);
  if (inner.length < 9 || !inner.subarray(0, 4).equals(INNER_MAGIC)) throw new PacketMalformedError('bad inner container');
  const manifestLength = inner.readUInt32BE(5);
  let offset = 9;
  const manifestBytes = inner.subarray(offset, (offset += manifestLength));
  const signature = inner.subarray(offset, (offset += 64));
  const signerPublicKey = Buffer.from(inner.subarray(offset, (offset += 32)));
  if (offset > inner.length) throw new PacketMalformedError('truncated inner container');
  const expected = kioskPublicKey === undefined ? null : rawPublicKeyOf(publicKeyOf(kioskPublicKey, 'Ed25519'));
  if (expected && !expected.equals(signerPublicKey)) throw new PacketSignatureInvalidError('signed by a different kiosk key');
  if (!verify(null, manifestBytes, publicKeyOf(signerPublicKey, 'Ed25519'), signature)) throw new PacketSignatureInvalidError('signature does not verify');
  let manifest: PacketManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as PacketManifest;
  } catch {
    throw new PacketMalformedError('manifest is not JSON');
  }
  if (manifest.format !== PACKET_FORMAT || !MANIFEST_VERSIONS.includes(manifest.version) || !Array.isArray(manifest.parts)) throw new PacketMalformedError('unknown manifest format');
  if (manifest.kioskKeyFingerprint !== publicKeyFingerprint(signerPublicKey)) throw new PacketSignatureInvalidError('manifest names a different kiosk key');
  const parts = new Map<string, Buffer>();
  for (const p of manifest.parts) {
    const data = inner.subarray(offset, offset + p.length);
    offset += p.length;
    if (data.length !== p.length || sha256Hex(data) !== p.sha256) throw new PacketPartHashMismatchError(p.name);
    parts.set(p.name, Buffer.from(data));
  }
  if (offset !== inner.length) throw new PacketMalformedError('trailing bytes after the last part');
  return { manifest, parts, signerPublicKey, signerVerifiedAgainstExpected: expected !== null };
}

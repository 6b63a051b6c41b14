// Enrollment packet format: envelope and inner container v1, manifest v2 (see docs/STORE.md, "Sealing format", and
// docs/REGISTRY.md, "Packet contents"). Manifest v2 (this version): finger images travel as WSQ (`finger.<n>.wsq`,
// image/x-wsq, ~0.75 bpp) instead of raw grey8, the face as its ISO token JPEG; openers accept v1 and v2 manifests.
//
// Inner (signed) container, plaintext only inside the encryption:
//   "KEPI" | u8 version=1 | u32be manifestLength | manifest (canonical JSON, UTF-8)
//   | signature (64 bytes, Ed25519 over the manifest bytes) | kiosk public key (32 bytes raw Ed25519)
//   | part bytes, concatenated in manifest order (lengths and SHA-256 hashes in the manifest)
// Outer (encrypted to the registry):
//   "KEPK" | u8 version=1 | ephemeral X25519 public key (32) | nonce (12) | AES-256-GCM ciphertext | tag (16)
//   key = HKDF-SHA-256(ikm = X25519(ephemeral, registry), salt = ephemeralPub || registryPub, info = INFO, 32)
//   AAD = the 37 header bytes ("KEPK", version, ephemeral public key)
export const PACKET_FORMAT = 'kiosk-enrollment-packet';
/** Version of the outer envelope and the inner container (byte 4 of "KEPK" / "KEPI"). */
export const PACKET_VERSION = 1;
/** Version of the manifest layout written by sealPacket. */
export const MANIFEST_VERSION = 2;
/** Manifest versions openPacket accepts (1: raw grey8 fingers only). */
export const MANIFEST_VERSIONS: readonly number[] = [1, 2];
export const OUTER_MAGIC = Buffer.from('KEPK', 'ascii');
export const INNER_MAGIC = Buffer.from('KEPI', 'ascii');
export const HKDF_INFO = Buffer.from('kiosk-enrollment-packet/v1', 'utf8');
export const OUTER_HEADER_BYTES = 4 + 1 + 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface PacketPart {
  name: string;
  mediaType: string;
  data: Uint8Array;
}

export interface PacketPartEntry {
  name: string;
  mediaType: string;
  length: number;
  sha256: string;
}

export interface PacketManifest {
  format: typeof PACKET_FORMAT;
  version: 1 | 2;
  recordId: string;
  rid: string;
  kioskId: string;
  centreId: string;
  kioskKeyFingerprint: string;
  sealedAt: string;
  /** The record's JSON (demographics, consent, capture metadata). */
  record: Record<string, unknown>;
  parts: PacketPartEntry[];
}

export type PacketManifestInput = Omit<PacketManifest, 'format' | 'version' | 'parts' | 'kioskKeyFingerprint'>;

/** Media types of finger image parts. */
export const FINGER_MEDIA = { wsq: 'image/x-wsq', raw: 'application/x-grey8' } as const;

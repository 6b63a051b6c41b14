// The kiosk's identity for sync and what registration returned. Persisted by the caller (see registration-file.ts).
import type { KeyObject } from 'node:crypto';
import type { SignedDoc } from '../protocol/signed-doc.js';
import type { CertificatePayload } from '../protocol/schemas.js';

export interface KioskIdentity {
  kioskId: string;
  centreId: string;
  /** Ed25519 private key (the same key that signs sealed packets). */
  privateKey: KeyObject;
}

export interface Registration {
  registryUrl: string;
  kioskId: string;
  centreId: string;
  /** Raw 32-byte keys, base64. */
  encryptionPublicKey: string;
  signingPublicKey: string;
  certificate: SignedDoc<CertificatePayload>;
  registeredAt: string;
}

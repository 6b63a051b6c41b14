// Wire schemas of the registry API v1 (docs/registry-api.yaml).
import { z } from 'zod';
import type { SignedDoc } from './signed-doc.js';

export const API_PREFIX = '/v1';
// Ids name folders and files on the registry (blobs/<kioskId>/…): they start with a letter or digit, so "." and ".."
// (and hidden names) are never ids.
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$/;
export const idSchema = z.string().regex(ID_PATTERN);
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
export const base64Key32 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);

export const registerRequestSchema = z.strictObject({ token: z.string().min(16).max(256), kioskId: idSchema, centreId: idSchema, publicKey: base64Key32 });
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const createUploadSchema = z.strictObject({ packetId: idSchema, sha256: sha256Schema, size: z.number().int().positive() });
export type CreateUpload = z.infer<typeof createUploadSchema>;

export const PACKET_STATUSES = ['received', 'validated', 'deduplicated', 'accepted', 'rejected', 'duplicate'] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];
export const FINAL_STATUSES: readonly PacketStatus[] = ['accepted', 'rejected', 'duplicate'];

export const DOWNLOAD_KINDS = ['config', 'id-schema', 'locations', 'operators', 'revocations', 'gallery-delta'] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

export interface CertificatePayload {
  type: 'kiosk-certificate';
  kioskId: string;
  centreId: string;
  publicKey: string;
  serial: string;
  issuedAt: string;
}

export interface ReceiptPayload {
  type: 'receipt';
  packetId: string;
  kioskId: string;
  sha256: string;
  size: number;
  receivedAt: string;
  via: 'online' | 'usb';
}

export interface StatusPayload {
  type: 'packet-status';
  packetId: string;
  kioskId: string;
  status: PacketStatus;
  reason: string | null;
  duplicateOf: string | null;
  rid: string | null;
  updatedAt: string;
  /** Per-modality dedup evidence (sync/registry/biometrics/matcher-dedup.ts DedupEvidence); absent without biometric dedup. */
  evidence?: Record<string, unknown>;
}

export interface DownloadPayload {
  type: 'download';
  kind: DownloadKind;
  version: number;
  issuedAt: string;
  data: unknown;
}

export interface RegistrationResponse {
  registry: { encryptionPublicKey: string; signingPublicKey: string };
  certificate: SignedDoc<CertificatePayload>;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

// Row mapping shared by the SQLite and PostgreSQL stores.
import type { PacketStatus } from '../../protocol/schemas.js';
import type { PacketDbRow } from './schema-sql.js';
import type { AuditRow, GalleryRow, KioskRow, PacketRow, UploadRow } from './types.js';

export function packetFromDb(r: PacketDbRow): PacketRow {
  return {
    packetId: r.packet_id,
    kioskId: r.kiosk_id,
    sha256: r.sha256,
    size: Number(r.size),
    receivedAt: r.received_at,
    via: r.via === 'usb' ? 'usb' : 'online',
    receipt: r.receipt,
    status: r.status as PacketStatus,
    reason: r.reason,
    duplicateOf: r.duplicate_of,
    rid: r.rid,
    updatedAt: r.updated_at,
  };
}

export function packetToParams(p: PacketRow): unknown[] {
  return [p.packetId, p.kioskId, p.sha256, p.size, p.receivedAt, p.via, p.receipt, p.status, p.reason, p.duplicateOf, p.rid, p.updatedAt];
}

export function kioskFromDb(r: { kiosk_id: string; centre_id: string; public_key: string; registered_at: string; revoked_at: string | null; certificate: string }): KioskRow {
  return { kioskId: r.kiosk_id, centreId: r.centre_id, publicKey: r.public_key, registeredAt: r.registered_at, revokedAt: r.revoked_at, certificate: r.certificate };
}

export function uploadFromDb(r: { upload_id: string; kiosk_id: string; packet_id: string; sha256: string; size: number | string; created_at: string }): UploadRow {
  return { uploadId: r.upload_id, kioskId: r.kiosk_id, packetId: r.packet_id, sha256: r.sha256, size: Number(r.size), createdAt: r.created_at };
}

export function auditFromDb(r: { seq: number | string; at: string; event: string; kiosk_id: string | null; code: string | null; details: string }): AuditRow {
  return { seq: Number(r.seq), at: r.at, event: r.event, kioskId: r.kiosk_id, code: r.code, details: JSON.parse(r.details) as Record<string, unknown> };
}

export function galleryFromDb(r: { seq: number | string; rid: string; centre_id: string; packet_id: string; embedding: string | null }): GalleryRow {
  return { seq: Number(r.seq), rid: r.rid, centreId: r.centre_id, packetId: r.packet_id, embedding: r.embedding };
}

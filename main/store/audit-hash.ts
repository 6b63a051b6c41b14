// Audit hash chain: hash_n = SHA-256(hash_{n-1} || JSON[seq, at, actor, action, objectId]); hash_0's predecessor is 32 zero bytes.
import { createHash } from 'node:crypto';
import type { AuditInput } from './protocol.js';

export const GENESIS_HASH = new Uint8Array(32);

export function auditEntryHash(prevHash: Uint8Array, seq: number, entry: AuditInput): Buffer {
  return createHash('sha256')
    .update(prevHash)
    .update(JSON.stringify([seq, entry.at, entry.actor, entry.action, entry.objectId]), 'utf8')
    .digest();
}

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(headSeq: number, headHash: Uint8Array, at: number): Buffer {
  return Buffer.from(`kiosk-audit-checkpoint/v1|${headSeq}|${Buffer.from(headHash).toString('hex')}|${at}`, 'utf8');
}

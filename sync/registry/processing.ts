// Processing stage: received → validated → deduplicated → accepted | rejected (reason) | duplicate (of RID).
import { KioskError } from '../../main/contract/errors.js';
import { PacketStoreError } from '../errors.js';
import { wsq } from '../../models/formats/index.js';
import { openPacket, type OpenedPacket } from '../packet/index.js';
import type { Registry } from './registry.js';
import type { PacketRow } from './store/types.js';

/** Result of a biometric 1:N search: the RID to flag as duplicate_of (null: none) and per-modality evidence. */
export interface BiometricHit {
  duplicateOf: string | null;
  /** Fused score of the best candidate (LLR for MatcherDedup). */
  score: number;
  /** JSON-safe evidence, stored with the packet and returned in its signed status. */
  evidence?: object;
}

/** Biometric dedup (face + finger 1:N). MatcherDedup (biometrics/matcher-dedup.ts) runs the project's matchers. */
export interface BiometricDedup {
  search(candidate: { rid: string; centreId: string; packet: OpenedPacket }): Promise<BiometricHit | null>;
  enroll(entry: { rid: string; centreId: string; packet: OpenedPacket }): Promise<void>;
  /** Drops anything prepared for a RID that will not be enrolled (optional). */
  forget?(rid: string): void;
  /**
   * Several processes: loads the persons other processes enrolled since this gallery's sequence number. Called
   * under the enrollment lock with the RID about to be enrolled: returns how far the gallery moved since that RID's
   * search (> 0: search again); on the change feed's NOTIFY without one.
   */
  catchUp?(sinceSearchOf?: string): Promise<number>;
  /** Several processes: this gallery's sequence number and how far it is behind the store. */
  galleryPosition?(): Promise<{ seq: number; lag: number }>;
}

/**
 * Several processes: the writes of a pass run only while its claim is the packet's current one (fencing token), so
 * that a pass whose lease expired mid-work cannot write over the pass that took the packet over (LeaseLostError).
 */
export interface PassFence {
  /** Writes of an intermediate stage. */
  step<T>(fn: () => Promise<T>): Promise<T>;
  /** The final writes; the packet leaves the claim queue in the same transaction. */
  commit<T>(fn: () => Promise<T>): Promise<T>;
}

const unfenced: PassFence = { step: (fn) => fn(), commit: (fn) => fn() };

const PART_NAME = /^(face\.jpg|face\.embedding|finger\.(?:[1-9]|10)\.(?:raw|wsq|template)|exception\.(?:face|finger\.(?:[1-9]|10))\.jpg|questionnaire\.photo\.[1-9][0-9]{0,2}\.jpg)$/;

class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function validate(p: OpenedPacket, row: PacketRow): void {
  const m = p.manifest;
  if (m.recordId !== row.packetId) throw new Rejection('PACKET_ID_MISMATCH');
  if (m.kioskId !== row.kioskId) throw new Rejection('KIOSK_ID_MISMATCH');
  // RIDs are CENTRE.KIOSK.YYYYMMDD.SEQUENCE.CHECK (main/enrollment/rid.ts): letters, digits, dashes and dots.
  if (typeof m.rid !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9.-]{3,63}$/.test(m.rid)) throw new Rejection('RID_INVALID');
  if (typeof m.record !== 'object' || m.record === null || typeof m.record.demographics !== 'object' || m.record.demographics === null) throw new Rejection('RECORD_INVALID');
  if (Number.isNaN(Date.parse(m.sealedAt))) throw new Rejection('SEALED_AT_INVALID');
  for (const part of m.parts) {
    if (!PART_NAME.test(part.name)) throw new Rejection(`PART_UNKNOWN:${part.name}`);
    const data = p.parts.get(part.name)!;
    if (part.name.endsWith('.jpg') && !(data[0] === 0xff && data[1] === 0xd8)) throw new Rejection(`PART_NOT_JPEG:${part.name}`);
    if (part.name.endsWith('.wsq')) {
      if (m.version < 2) throw new Rejection(`PART_UNKNOWN:${part.name}`);
      try {
        wsq.inspectWsq(data);
      } catch {
        throw new Rejection(`PART_NOT_WSQ:${part.name}`);
      }
    }
    if (part.name === 'face.embedding' && (data.length === 0 || data.length % 4 !== 0)) throw new Rejection('EMBEDDING_INVALID');
  }
}

export async function processPacket(registry: Registry, row: PacketRow, fence: PassFence = unfenced): Promise<void> {
  const store = registry.store;
  const now = () => new Date().toISOString();
  const current = await store.getPacket(row.packetId);
  if (!current || !['received', 'validated', 'deduplicated'].includes(current.status)) return;
  const kiosk = await store.getKiosk(row.kioskId);
  let opened: OpenedPacket;
  try {
    if (!kiosk) throw new Rejection('KIOSK_UNKNOWN');
    opened = openPacket(await registry.blobs.getPacket(row.kioskId, row.packetId, row.sha256), registry.keys.encryptionPrivateKey, kiosk.publicKey);
    validate(opened, row);
  } catch (e) {
    // A packet store that cannot answer now (network, credentials) fails this pass (retried), never rejects.
    if (e instanceof PacketStoreError && e.retryable) throw e;
    const reason = e instanceof Rejection ? e.reason : e instanceof KioskError ? e.code : 'PACKET_UNREADABLE';
    await fence.commit(async () => {
      await store.setPacketStatus(row.packetId, 'rejected', { reason }, now());
      await store.audit('packet.rejected', row.kioskId, reason, { packetId: row.packetId }, now());
    });
    return;
  }
  const rid = opened.manifest.rid;
  await fence.step(() => store.setPacketStatus(row.packetId, 'validated', { rid }, now()));

  const demographics = opened.manifest.record.demographics as Record<string, unknown>;
  const nn = demographics.nationalNumber;
  let duplicateOf: string | null = null;
  if (typeof nn === 'string' && nn.length > 0) {
    const holder = await store.claimDedupKey(`nn:${registry.blindIndex(nn)}`, rid);
    if (holder !== rid) duplicateOf = holder;
  }
  const dedup = registry.biometricDedup;
  let searched = false;
  const search = async () => {
    if (duplicateOf || !dedup) return;
    const hit = await dedup.search({ rid, centreId: opened.manifest.centreId, packet: opened });
    if (hit?.evidence) await fence.step(() => store.putEvidence(row.packetId, JSON.stringify(hit.evidence)));
    if (hit?.duplicateOf && hit.duplicateOf !== rid) duplicateOf = hit.duplicateOf;
    const ev = hit?.evidence as { decision?: string; templates?: { mismatched?: number[] } } | undefined;
    const decision = ev?.decision;
    if (!searched && ev?.templates?.mismatched?.length) {
      // The kiosk's finger templates disagree with its images (kiosk-templates.ts): the registry searched with its
      // own; the kiosk is worth a look.
      await store.audit('packet.kiosk-templates-mismatch', row.kioskId, null, { packetId: row.packetId, rid, templates: ev.templates }, now());
    }
    searched = true;
    if (!duplicateOf && decision === 'possible_duplicate') {
      await store.audit('packet.possible-duplicate', row.kioskId, null, { packetId: row.packetId, rid, evidence: hit!.evidence }, now());
    }
  };
  // The expensive search (extraction, 1:N over the whole gallery) runs outside the lock.
  await search();
  // Persons enrolled (here or by other processes) while that search ran are searched now, still outside the lock, so
  // that under it only what arrives in the last few milliseconds is left to search.
  const enrolledMeanwhile = !duplicateOf && dedup?.catchUp ? await dedup.catchUp(rid) : 0;
  if (enrolledMeanwhile > 0) {
    await search();
    await store.audit('packet.researched', row.kioskId, null, { packetId: row.packetId, enrolledMeanwhile, duplicateOf, underLock: false }, now());
  }
  const finish = async () => {
    // Several processes: two copies of one person processed at the same moment must not both pass. Under the
    // registry-wide enrollment lock, load the persons enrolled elsewhere since this gallery's sequence and search
    // again when there are any (the prepared probe is reused: no second extraction).
    const added = !duplicateOf && dedup?.catchUp ? await dedup.catchUp(rid) : 0;
    if (added > 0) {
      await search();
      await store.audit('packet.researched', row.kioskId, null, { packetId: row.packetId, enrolledMeanwhile: added, duplicateOf, underLock: true }, now());
    }
    await store.setPacketStatus(row.packetId, 'deduplicated', {}, now());
    if (duplicateOf) {
      dedup?.forget?.(rid);
      await store.setPacketStatus(row.packetId, 'duplicate', { duplicateOf }, now());
      await store.audit('packet.duplicate', row.kioskId, null, { packetId: row.packetId, duplicateOf }, now());
      return;
    }
    const emb = opened.parts.get('face.embedding');
    await store.addGallery(rid, opened.manifest.centreId, row.packetId, emb ? emb.toString('base64') : null);
    await dedup?.enroll({ rid, centreId: opened.manifest.centreId, packet: opened });
    const household = await registry.households?.ingest(opened, rid, row.packetId, now());
    if (household) await store.audit('household.linked', row.kioskId, null, { packetId: row.packetId, rid, ...household }, now());
    await store.setPacketStatus(row.packetId, 'accepted', {}, now());
  };
  // Lock order: the enrollment lock, then the fenced queue row (claims skip locked rows, so nothing waits in a cycle).
  if (dedup && store.shared) await store.shared.withEnrollLock(() => fence.commit(finish));
  else await fence.commit(finish);
}

// The sync engine's Outbox over the enrollment store: sealed packets are the outbox; upload receipts and final
// registry statuses move records sealed → uploaded → acknowledged → purged through the lifecycle (assertTransition).
// A final status "rejected" keeps the record acknowledged with registry state "rejected", never purged automatically.
import { createHash } from 'node:crypto';
import { OutboxError } from '../../sync/errors.js';
import type { Outbox, OutboxEntry, OutboxState } from '../../sync/engine/outbox.js';
import { FINAL_STATUSES, type ReceiptPayload, type StatusPayload } from '../../sync/protocol/schemas.js';
import type { SignedDoc } from '../../sync/protocol/signed-doc.js';
import type { AuditService } from '../store/audit-service.js';
import type { StoreClient } from '../store/client.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import type { OutboxRow } from '../store/protocol.js';
import { assertTransition, type Actor } from './lifecycle.js';

const SYSTEM: Actor = { operatorId: 'system', role: 'system' };

/** A processing outcome the supervisor must act on: a central duplicate, or a rejection (re-enrollment needed). */
export interface RegistryOutcome {
  recordId: string;
  sealedAt: string;
  acknowledgedAt: string | null;
  /** Verified signed status from the registry. */
  status: StatusPayload;
}

export class StoreOutbox implements Outbox {
  constructor(
    private readonly d: { store: StoreClient; cipher: FieldCipher; audit: AuditService; clock: () => number },
  ) {}

  private doc<T>(row: OutboxRow, field: 'outbox.receipt' | 'outbox.status', data: Uint8Array | null): SignedDoc<T> | null {
    return data ? this.d.cipher.decryptJson<SignedDoc<T>>(row.id, field, data) : null;
  }

  private entry(row: OutboxRow): OutboxEntry {
    const state: OutboxState =
      row.status === 'purged' ? 'purged' : row.registryState === 'rejected' ? 'rejected' : row.status === 'acknowledged' ? 'acknowledged' : row.status === 'uploaded' ? 'uploaded' : 'sealed';
    return {
      packetId: row.id,
      sha256: row.sha256 ?? '',
      size: row.size ?? 0,
      sealedAt: new Date(row.sealedAt ?? 0).toISOString(),
      state,
      receipt: this.doc<ReceiptPayload>(row, 'outbox.receipt', row.receipt),
      status: this.doc<StatusPayload>(row, 'outbox.status', row.statusDoc),
      uploadedAt: row.uploadedAt === null ? null : new Date(row.uploadedAt).toISOString(),
      acknowledgedAt: row.acknowledgedAt === null ? null : new Date(row.acknowledgedAt).toISOString(),
    };
  }

  private async row(packetId: string): Promise<OutboxRow> {
    const row = await this.d.store.call('outbox.get', { id: packetId });
    if (!row || row.sealedAt === null) throw new OutboxError('NOT_FOUND', `No sealed packet ${packetId}`, { details: { packetId } });
    return row;
  }

  async pending(): Promise<OutboxEntry[]> {
    return (await this.d.store.call('outbox.list', { statuses: ['sealed', 'uploaded'], limit: 10_000 })).map((r) => this.entry(r));
  }

  async get(packetId: string): Promise<OutboxEntry | undefined> {
    const row = await this.d.store.call('outbox.get', { id: packetId });
    return row && row.sealedAt !== null ? this.entry(row) : undefined;
  }

  async read(packetId: string): Promise<Uint8Array> {
    const row = await this.row(packetId);
    if (row.status === 'purged') throw new OutboxError('NOT_FOUND', `Packet ${packetId} was purged`, { details: { packetId } });
    const p = await this.d.store.call('packet.get', { id: packetId });
    if (!p) throw new OutboxError('NOT_FOUND', `Packet ${packetId} was purged`, { details: { packetId } });
    if (createHash('sha256').update(p.packet).digest('hex') !== p.sha256) throw new OutboxError('TAMPER_DETECTED', `Outbox packet ${packetId} does not match its hash`, { details: { packetId } });
    return p.packet;
  }

  async markUploaded(packetId: string, receipt: SignedDoc<ReceiptPayload>): Promise<void> {
    const row = await this.row(packetId);
    if (receipt.payload.sha256 !== row.sha256 || receipt.payload.packetId !== packetId) throw new OutboxError('CONFLICT', `Receipt does not match outbox packet ${packetId}`, { details: { packetId } });
    if (row.status !== 'sealed') return;
    assertTransition(row.status, 'uploaded', SYSTEM, packetId);
    await this.d.store.call('outbox.advance', {
      id: packetId,
      expectRev: row.rev,
      status: 'uploaded',
      at: this.d.clock(),
      registryState: 'uploaded',
      receipt: this.d.cipher.encryptJson(packetId, 'outbox.receipt', receipt),
      audit: this.d.audit.entry('system', 'enrollment.uploaded', packetId),
    });
  }

  async markAcknowledged(packetId: string, status: SignedDoc<StatusPayload>): Promise<void> {
    const row = await this.row(packetId);
    if (row.status === 'sealed' || !row.receipt) throw new OutboxError('CONFLICT', `Packet ${packetId} has no receipt yet`, { details: { packetId } });
    if (!FINAL_STATUSES.includes(status.payload.status)) throw new OutboxError('VALIDATION_FAILED', 'status is not final', { details: { packetId } });
    if (row.status !== 'uploaded') return;
    assertTransition(row.status, 'acknowledged', SYSTEM, packetId);
    const rejected = status.payload.status === 'rejected';
    await this.d.store.call('outbox.advance', {
      id: packetId,
      expectRev: row.rev,
      status: 'acknowledged',
      at: this.d.clock(),
      registryState: rejected ? 'rejected' : 'acknowledged',
      statusDoc: this.d.cipher.encryptJson(packetId, 'outbox.status', status),
      audit: this.d.audit.entry('system', rejected ? 'enrollment.registry-rejected' : 'enrollment.acknowledged', packetId),
    });
  }

  /**
   * Final registry statuses that need the supervisor (duplicate, rejected), newest first. Status documents stay in
   * outbox_state after the record is purged, so duplicates remain listed after retention.
   */
  async outcomes(limit = 200): Promise<RegistryOutcome[]> {
    const rows = await this.d.store.call('outbox.list', { statuses: ['acknowledged', 'purged'], limit: 100_000 });
    const out: RegistryOutcome[] = [];
    for (let i = rows.length - 1; i >= 0 && out.length < limit; i--) {
      const row = rows[i]!;
      const doc = this.doc<StatusPayload>(row, 'outbox.status', row.statusDoc);
      if (!doc || (doc.payload.status !== 'duplicate' && doc.payload.status !== 'rejected')) continue;
      out.push({
        recordId: row.id,
        sealedAt: new Date(row.sealedAt ?? 0).toISOString(),
        acknowledgedAt: row.acknowledgedAt === null ? null : new Date(row.acknowledgedAt).toISOString(),
        status: doc.payload,
      });
    }
    return out;
  }

  async purge(acknowledgedBefore: number): Promise<string[]> {
    const purged: string[] = [];
    for (const { id, rev } of await this.d.store.call('outbox.purgeable', { before: acknowledgedBefore })) {
      assertTransition('acknowledged', 'purged', SYSTEM, id);
      // Purge only what the registry verifiably holds: the stored (authenticated) receipt names this packet's hash.
      const row = await this.d.store.call('outbox.get', { id });
      const receipt = row ? this.doc<ReceiptPayload>(row, 'outbox.receipt', row.receipt) : null;
      const status = row ? this.doc<StatusPayload>(row, 'outbox.status', row.statusDoc) : null;
      if (!row || !receipt || !status || receipt.payload.packetId !== id || receipt.payload.sha256 !== row.sha256 || status.payload.packetId !== id) {
        await this.d.audit.append('system', 'enrollment.purge.refused', id);
        continue;
      }
      await this.d.store.call('enrollment.purge', { id, expectRev: rev, at: this.d.clock(), audit: this.d.audit.entry('system', 'enrollment.purge', id) });
      purged.push(id);
    }
    return purged;
  }
}

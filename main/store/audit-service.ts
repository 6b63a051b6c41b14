// The audit log service: appends (inside the same transaction as the change when the store method takes `audit`),
// signs periodic checkpoints with the kiosk key, and verifies the chain plus every checkpoint signature.
import type { KeyObject } from 'node:crypto';
import { AuditChainBrokenError } from './errors.js';
import { checkpointMessage } from './audit-hash.js';
import { signBytes, verifyBytes, type KioskIdentity } from './crypto/identity.js';
import type { StoreClient } from './client.js';
import type { AuditInput } from './protocol.js';

export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  headSeq: number;
  checkpoints: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** Verifies the chain from a worker report against the kiosk public key. Needs no secret. */
export async function verifyAudit(store: StoreClient, publicKey: KeyObject): Promise<AuditVerifyReport> {
  const chain = await store.call('audit.verify', {});
  const problems: { seq: number; reason: string }[] = chain.firstBroken ? [chain.firstBroken] : [];
  for (const cp of chain.checkpoints) {
    if (!verifyBytes(publicKey, checkpointMessage(cp.headSeq, cp.headHash, cp.at), cp.signature)) problems.push({ seq: cp.headSeq, reason: 'checkpoint signature invalid' });
    else if (!cp.entryHash) problems.push({ seq: cp.headSeq, reason: 'entries covered by a signed checkpoint are missing (log truncated)' });
    else if (!Buffer.from(cp.entryHash).equals(Buffer.from(cp.headHash))) problems.push({ seq: cp.headSeq, reason: 'entry differs from the signed checkpoint' });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const firstBroken = problems[0] ?? null;
  return { ok: firstBroken === null, entries: chain.entries, headSeq: chain.headSeq, checkpoints: chain.checkpoints.length, firstBroken };
}

export class AuditService {
  private lastCheckpointSeq = -1;

  constructor(
    private readonly store: StoreClient,
    private readonly identity: KioskIdentity,
    private readonly clock: () => number,
    private readonly checkpointEvery = 100,
  ) {}

  entry(actor: string, action: string, objectId: string | null): AuditInput {
    return { at: this.clock(), actor, action, objectId };
  }

  async append(actor: string, action: string, objectId: string | null): Promise<void> {
    await this.store.call('audit.append', this.entry(actor, action, objectId));
  }

  /** Signs the current head. */
  async checkpoint(): Promise<{ headSeq: number } | null> {
    const head = await this.store.call('audit.head', {});
    if (!head || head.seq === this.lastCheckpointSeq) return null;
    const at = this.clock();
    const signature = signBytes(this.identity, checkpointMessage(head.seq, head.hash, at));
    try {
      await this.store.call('audit.checkpoint', { headSeq: head.seq, headHash: head.hash, at, signature });
    } catch (error) {
      if ((error as { code?: string }).code !== 'CONFLICT') throw error; // already checkpointed at this head
    }
    this.lastCheckpointSeq = head.seq;
    return { headSeq: head.seq };
  }

  private writes = 0;

  /** Call after each audited write; signs a checkpoint every `checkpointEvery` writes (one store query per call otherwise avoided). */
  async maybeCheckpoint(): Promise<void> {
    if (++this.writes % Math.max(1, Math.floor(this.checkpointEvery / 4)) !== 0) return;
    const head = await this.store.call('audit.head', {});
    if (!head) return;
    if (this.lastCheckpointSeq < 0) {
      const last = await this.store.call('meta.get', { key: 'audit.lastCheckpoint' });
      this.lastCheckpointSeq = last ? Number(last) : 0;
    }
    if (head.seq - this.lastCheckpointSeq >= this.checkpointEvery) {
      await this.checkpoint();
      await this.store.call('meta.set', { key: 'audit.lastCheckpoint', value: String(this.lastCheckpointSeq) });
    }
  }

  async verify(publicKey: KeyObject): Promise<AuditVerifyReport> {
    return verifyAudit(this.store, publicKey);
  }

  async verifyOrThrow(publicKey: KeyObject): Promise<AuditVerifyReport> {
    const report = await this.verify(publicKey);
    if (report.firstBroken) throw new AuditChainBrokenError(report.firstBroken.seq, report.firstBroken.reason);
    return report;
  }
}

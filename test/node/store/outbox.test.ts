// The sync engine's Outbox over the store: sealed → uploaded (receipt) → acknowledged (final status) → purged.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { signDoc } from '../../../sync/protocol/signed-doc.js';
import type { ReceiptPayload, StatusPayload } from '../../../sync/protocol/schemas.js';
import type { StoreServices } from '../../../main/store/index.js';
import { clerk, fullPatch, openTest, supervisorCreds, tempDataDir } from './helpers.js';

const registrySigning = generateKeyPairSync('ed25519').privateKey;

describe('StoreOutbox', () => {
  let s: StoreServices | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await s?.dispose();
    cleanup?.();
    s = undefined;
  });

  async function sealed(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await s!.enrollment.createDraft(clerk, fullPatch(i + 1));
      await s!.enrollment.transition(clerk, r.id, 'captured');
      await s!.enrollment.transition(clerk, r.id, 'pending_approval');
      await s!.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds });
      ids.push(r.id);
    }
    return ids;
  }

  it('drives records through the lifecycle with verified documents, keeps registry rejections, purges acknowledged', async () => {
    const t = tempDataDir();
    cleanup = t.cleanup;
    let now = Date.UTC(2026, 1, 1);
    s = await openTest(t.dir, { clock: () => now });
    const [a, b] = await sealed(2);
    const outbox = s.outbox;
    const pending = await outbox.pending();
    expect(pending.map((e) => [e.packetId, e.state])).toEqual([
      [a, 'sealed'],
      [b, 'sealed'],
    ]);
    const bytes = await outbox.read(a!);
    expect(bytes.byteLength).toBe(pending[0]!.size);

    const receipt = (id: string, sha256: string) =>
      signDoc<ReceiptPayload>({ type: 'receipt', packetId: id, kioskId: 'K-TEST-01', sha256, size: 1, receivedAt: new Date(now).toISOString(), via: 'online' }, registrySigning);
    const status = (id: string, st: 'accepted' | 'rejected' | 'processing') =>
      signDoc<StatusPayload>({ type: 'packet-status', packetId: id, kioskId: 'K-TEST-01', status: st as StatusPayload['status'], reason: null, duplicateOf: null, rid: null, updatedAt: new Date(now).toISOString() }, registrySigning);

    await expect(outbox.markUploaded(a!, receipt(a!, 'f'.repeat(64)))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(outbox.markAcknowledged(a!, status(a!, 'accepted'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await outbox.markUploaded(a!, receipt(a!, pending[0]!.sha256));
    await outbox.markUploaded(a!, receipt(a!, pending[0]!.sha256)); // idempotent
    await outbox.markUploaded(b!, receipt(b!, pending[1]!.sha256));
    expect((await outbox.get(a!))).toMatchObject({ state: 'uploaded', receipt: { payload: { packetId: a } } });
    await expect(outbox.markAcknowledged(a!, status(a!, 'processing'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    now += 1000;
    await outbox.markAcknowledged(a!, status(a!, 'accepted'));
    await outbox.markAcknowledged(b!, status(b!, 'rejected'));
    expect((await outbox.get(a!))?.state).toBe('acknowledged');
    expect((await outbox.get(b!))?.state).toBe('rejected');
    expect(await outbox.pending()).toEqual([]);
    expect((await s.enrollment.list(clerk)).map((r) => r.status).sort()).toEqual(['acknowledged', 'acknowledged']);

    expect(await outbox.purge(now - 1)).toEqual([]);
    expect(await outbox.purge(now)).toEqual([a]);
    expect((await outbox.get(a!))?.state).toBe('purged');
    await expect(outbox.read(a!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.enrollment.galleryEntry(a!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await outbox.read(b!)).byteLength).toBeGreaterThan(0);
    expect((await s.verifyAudit()).ok).toBe(true);
  });
});

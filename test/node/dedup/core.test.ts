// Dedup inside a real kiosk core with a real encrypted store: an approved (sealed) enrollment joins the gallery and a
// second enrollment of the same person is flagged through kiosk:dedup.search; the gallery is encrypted under the store's
// key ring (no key file next to it), survives a restart, is rebuilt from the store when its files are lost, and loses the
// record when the outbox purges it.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import type { DedupOutcomeView } from '../../../main/contract/channels/dedup.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import type { CallContext } from '../../../main/core/handlers.js';
import { signDoc } from '../../../sync/protocol/signed-doc.js';
import type { ReceiptPayload, StatusPayload } from '../../../sync/protocol/schemas.js';
import { approvalEvidence, clerk, fakeCtx, fullPatch, supervisorCreds, tempDataDir, testProtector } from '../store/helpers.js';
import { faces, fingerTemplate } from './helpers.js';
import type { FingerPos } from '../../../models/dedup/types.js';

const b64 = (a: Uint8Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** A full synthetic enrollment whose face and finger templates come from dedup subject `s`, capture `k`. */
function patchOf(s: number, k: number) {
  const p = fullPatch(s, 7);
  const face = { ...p.face!, embedding: faces.capture(s, k) };
  const fingers = p.fingers!.map((f) => ({ ...f, template: fingerTemplate(s, f.position as FingerPos, k), templateFormat: 'kiosk-kft1' }));
  return { ...p, face, fingers, workflow: approvalEvidence({ face, fingers, exceptions: [] }) };
}

function probeOf(s: number, k: number, positions: FingerPos[] = [1, 2, 6, 7]) {
  return { embeddingBase64: b64(faces.capture(s, k)), fingers: positions.map((position) => ({ position, templateBase64: b64(fingerTemplate(s, position, k)) })) };
}

describe('dedup in the kiosk core', () => {
  const data = tempDataDir('kiosk-dedup-core-');
  let core: KioskCore;
  let ctx: CallContext;
  let enrolled = '';

  const open = async () => {
    core = await createKioskCore({ config: parseConfig({ dataDir: data.dir }), shell: 'browser', protector: testProtector(), sync: false, devices: false, logToFile: false });
    ctx = fakeCtx();
    const r = await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx);
    expect(r.ok).toBe(true);
  };
  const search = async (req: unknown): Promise<DedupOutcomeView> => {
    const r = await core.router.dispatch('kiosk:dedup.search', req, ctx);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as DedupOutcomeView;
  };

  beforeAll(async () => {
    await open();
  }, 60_000);
  afterAll(async () => {
    await core?.dispose();
    data.cleanup();
  });

  it('adds an approved enrollment to the gallery and flags the same person enrolling again', async () => {
    const s = core.store!;
    expect((await core.dedup!.stats()).entries).toBe(0);
    const r = await s.enrollment.createDraft(clerk, patchOf(1, 0));
    await s.enrollment.transition(clerk, r.id, 'captured');
    await s.enrollment.transition(clerk, r.id, 'pending_approval');
    const other = await s.enrollment.createDraft(clerk, patchOf(2, 0));
    await s.enrollment.transition(clerk, other.id, 'captured');
    await s.enrollment.transition(clerk, other.id, 'pending_approval');
    expect((await s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds })).status).toBe('sealed');
    enrolled = r.id;
    await vi.waitFor(async () => expect((await core.dedup!.stats()).local).toBe(1), { timeout: 10_000 });

    const dup = await search(probeOf(1, 1));
    expect(dup.decision).toBe('duplicate');
    expect(dup.candidates[0]).toMatchObject({ id: r.id, source: 'local', decision: 'duplicate' });
    expect(dup.candidates[0]!.matchedFingers.length).toBeGreaterThanOrEqual(2);
    expect((await search(probeOf(3, 0))).decision).toBe('no_match');

    // a rejection of the pending record changes nothing in the gallery (it was never sealed)
    await s.enrollment.transition(clerk, other.id, 'rejected', { supervisor: supervisorCreds });
    expect((await core.dedup!.stats()).local).toBe(1);
  });

  it('checks roles on the channels and reports the gallery in stats', async () => {
    const anon = await core.router.dispatch('kiosk:dedup.search', probeOf(1, 1), fakeCtx('c2'));
    expect(anon.ok).toBe(false);
    const st = await core.router.dispatch('kiosk:dedup.stats', {}, ctx);
    expect(st.ok && st.value).toMatchObject({ entries: 1, local: 1, faces: 1, fingers: 10, shards: 2 });
  });

  it('flags a match with the signed-in operator from the operator fingers enrolled in the store', async () => {
    const me = { operatorId: 'clerk', role: 'clerk' as const };
    for (const position of [2, 7] as FingerPos[]) await core.store!.auth.enrolFinger(me, 'clerk', { position, template: fingerTemplate(900, position, 0), format: 'kiosk-kft1', quality: 80 });
    // each enrolled finger resyncs the operator gallery in the background: wait for the second one to land
    let r: DedupOutcomeView | undefined;
    await vi.waitFor(
      async () => {
        r = await search(probeOf(900, 1, [2, 7]));
        expect(r.operatorMatches.map((m) => [m.operatorId, m.signedIn])).toEqual([['clerk', true]]);
      },
      { timeout: 10_000 },
    );
    expect((await core.dedup!.stats()).operatorEntries).toBe(1);
    expect(r!.operatorMatches[0]!.candidate.matchedFingers).toEqual([2, 7]);
    expect((await search(probeOf(1, 1))).operatorMatches).toEqual([]);
  });

  it('keeps the gallery encrypted under the store key ring, across a restart, and rebuilds it from the store', async () => {
    const dir = path.join(data.dir, 'dedup');
    const files = readdirSync(dir);
    expect(files.some((f) => /key/i.test(f))).toBe(false);
    const log = readFileSync(path.join(dir, 'gallery.log'));
    expect(log.includes(Buffer.from(enrolled))).toBe(false);
    await core.dedup!.checkpoint();
    expect(readFileSync(path.join(dir, 'gallery.snap')).includes(Buffer.from(enrolled))).toBe(false);

    await core.dispose();
    await open();
    expect((await core.dedup!.stats())).toMatchObject({ local: 1, operatorEntries: 1 });
    expect((await search(probeOf(1, 2))).candidates[0]!.id).toBe(enrolled);

    // gallery files lost: the start-up reconcile rebuilds it from the store's sealed gallery entries
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
    await open();
    expect(existsSync(path.join(dir, 'gallery.log'))).toBe(true);
    expect((await core.dedup!.stats()).local).toBe(1);
    expect((await search(probeOf(1, 3))).candidates[0]).toMatchObject({ id: enrolled, decision: 'duplicate' });

    // damaged gallery files: moved aside (kept for inspection) and rebuilt from the store instead of blocking the kiosk
    await core.dispose();
    const logFile = path.join(dir, 'gallery.log');
    const b = readFileSync(logFile);
    b[b.length - 20] = b[b.length - 20]! ^ 0xff;
    writeFileSync(logFile, b);
    await open();
    expect(readdirSync(data.dir).some((f) => f.startsWith('dedup.corrupt-'))).toBe(true);
    expect((await core.dedup!.stats()).local).toBe(1);
    expect((await search(probeOf(1, 4))).candidates[0]!.id).toBe(enrolled);
  }, 90_000);

  it('removes the record from the gallery when the outbox purges it', async () => {
    const s = core.store!;
    const signer = generateKeyPairSync('ed25519').privateKey;
    const now = new Date().toISOString();
    const entry = (await s.outbox.get(enrolled))!;
    await s.outbox.markUploaded(enrolled, signDoc<ReceiptPayload>({ type: 'receipt', packetId: enrolled, kioskId: core.config.kioskId, sha256: entry.sha256, size: 1, receivedAt: now, via: 'online' }, signer));
    await s.outbox.markAcknowledged(
      enrolled,
      signDoc<StatusPayload>({ type: 'packet-status', packetId: enrolled, kioskId: core.config.kioskId, status: 'accepted' as StatusPayload['status'], reason: null, duplicateOf: null, rid: null, updatedAt: now }, signer),
    );
    expect(await s.outbox.purge(Date.now() + 1000)).toEqual([enrolled]);
    await vi.waitFor(async () => expect((await core.dedup!.stats()).local).toBe(0), { timeout: 10_000 });
    expect((await search(probeOf(1, 1))).decision).toBe('no_match');
  });
});

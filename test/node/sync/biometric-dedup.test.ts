// Registry processing with the project's matchers: two packets of the same synthetic subject (new face capture, new
// finger impressions, WSQ in the packet) → the second is a duplicate of the first RID with per-modality evidence;
// a different subject is accepted. Real kiosk packet parts (main/enrollment/packet-parts.ts), real HTTP upload,
// registry-side WSQ decode + extraction + dedup worker. The gallery survives a registry restart. Fingers carry the
// kiosk's own templates (KFT1 from the capture's pixels, as main/capture does); the registry spot-checks one of them
// against its image (verifyFingers 1): a packet whose templates belong to someone else is caught, searched with the
// registry's own templates (still found as the duplicate it is) and audited.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packetParts } from '../../../main/enrollment/packet-parts.js';
import { placeholderJpeg } from '../../../main/enrollment/synthetic.js';
import { FINGER_TEMPLATE_FORMAT } from '../../../main/capture/draft.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import type { FingerCapture, FingerPosition } from '../../../main/enrollment/model.js';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { SyntheticFaces } from '../../../models/dedup/synthetic.js';
import { RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import type { KioskIdentity } from '../../../sync/engine/identity.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { sealPacket } from '../../../sync/packet/index.js';
import type { DedupEvidence } from '../../../sync/registry/biometrics/matcher-dedup.js';
import { BACKENDS, backendStore, registerNew, startTestRegistry, tempDir, type TestRegistry } from './harness.js';
import { afterAll } from 'vitest';

const FINGERS: FingerPosition[] = [2, 7];
const faces = new SyntheticFaces(undefined, 7);

interface Capture {
  face: Float32Array;
  fingers: FingerCapture[];
}

/** A capture as the kiosk makes it; `templatesOf`: a dishonest kiosk sending another subject's templates. */
function capture(subject: number, n: number, templatesOf = subject): Capture {
  const at = new Date().toISOString();
  return {
    face: faces.capture(subject, n),
    fingers: FINGERS.map((position) => {
      const imp = synthesizeImpression({ subject: `S${subject}`, finger: position, impression: n });
      const t = templatesOf === subject ? imp : synthesizeImpression({ subject: `S${templatesOf}`, finger: position, impression: 0 });
      const template = serializeTemplate(extractTemplate({ width: t.width, height: t.height, ppi: 500, pixels: t.pixels }));
      return { position, image: { width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels }, template, templateFormat: FINGER_TEMPLATE_FORMAT, quality: 60, attempts: 1, capturedAt: at };
    }),
  };
}

async function sealed(identity: KioskIdentity, registryKey: string, id: string, c: Capture, nationalNumber: string) {
  const parts = await packetParts({ face: { image: placeholderJpeg(1, 4000), quality: {}, embedding: c.face, capturedAt: new Date().toISOString() }, fingers: c.fingers, exceptions: [] });
  const s = sealPacket({
    manifest: {
      recordId: id,
      rid: `C-01.K-1.20261123.${id}`,
      kioskId: identity.kioskId,
      centreId: identity.centreId,
      sealedAt: new Date().toISOString(),
      record: { schemaVersion: 1, demographics: { nationalNumber }, fingers: c.fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: 500 })) },
    },
    parts,
    kioskPrivateKey: identity.privateKey,
    registryPublicKey: registryKey,
  });
  return { id, bytes: s.bytes, rid: s.manifest.rid, parts: s.manifest.parts };
}

describe.each(BACKENDS)('registry biometric dedup with the project matchers (%s)', (backend) => {
  const tmp = tempDir('sync-biodedup-');
  let reg: TestRegistry;
  let release: () => Promise<void>;
  let a0: Capture, a1: Capture, b0: Capture, a2: Capture, a3forged: Capture;

  beforeAll(async () => {
    const b = await backendStore(backend);
    release = b.release;
    reg = await startTestRegistry(b, path.join(tmp.dir, 'registry'), { matchers: { extractors: 2, verifyFingers: 1 } });
    [a0, a1, b0, a2, a3forged] = [capture(1, 0), capture(1, 1), capture(2, 0), capture(1, 2), capture(1, 3, 3)];
  }, 120_000);
  afterAll(async () => {
    await reg?.close();
    await release?.();
    tmp.cleanup();
  });

  it('flags the same subject as duplicate_of the first RID with face and finger evidence, and accepts another subject', async () => {
    const { identity, registration } = await registerNew(reg);
    const p1 = await sealed(identity, registration.encryptionPublicKey, 'A0', a0, '29001011111111');
    const p2 = await sealed(identity, registration.encryptionPublicKey, 'A1', a1, '29001012222222');
    const p3 = await sealed(identity, registration.encryptionPublicKey, 'B0', b0, '29001013333333');
    // Fingers travel as WSQ, the face as JPEG.
    expect(p1.parts.map((p) => p.name)).toEqual(expect.arrayContaining(['face.jpg', 'face.embedding', 'finger.2.wsq', 'finger.7.wsq']));
    expect(p1.parts.some((p) => p.name.endsWith('.raw'))).toBe(false);

    const outbox = new FileOutbox(path.join(tmp.dir, `kiosk-${backend}`));
    await outbox.add(p1.id, p1.bytes);
    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { backoffBaseMs: 250 });
    const statuses = new Map<string, { status: string; duplicateOf: string | null; evidence?: Record<string, unknown> }>();
    engine.on('outcome', (e) => statuses.set(e.packetId, e.status));
    await engine.syncUntilIdle(400);
    // Sequential uploads so that "first" is well defined.
    await outbox.add(p2.id, p2.bytes);
    await outbox.add(p3.id, p3.bytes);
    await engine.syncUntilIdle(400);
    await engine.dispose();

    expect(statuses.get('A0')?.status).toBe('accepted');
    const dup = statuses.get('A1')!;
    expect(dup.status).toBe('duplicate');
    expect(dup.duplicateOf).toBe(p1.rid);
    const ev = dup.evidence as unknown as DedupEvidence;
    expect(ev.decision).toBe('duplicate');
    expect(ev.candidateRid).toBe(p1.rid);
    expect(ev.llr).toBeGreaterThanOrEqual(ev.thresholds.duplicateLlr);
    expect(ev.face?.available).toBe(true);
    expect(ev.face!.score!).toBeGreaterThan(0.4);
    expect(ev.fingers.map((f) => f.position).sort()).toEqual([2, 7]);
    expect(ev.matchedFingers.length).toBeGreaterThanOrEqual(1);
    // Searched with the kiosk's templates after one of them matched its image.
    expect(ev.templates.source).toBe('kiosk');
    expect(ev.templates.checked).toHaveLength(1);
    expect(ev.templates.checked[0]!.score!).toBeGreaterThanOrEqual(40);
    expect(ev.templates.mismatched).toEqual([]);

    const other = statuses.get('B0')!;
    expect(other.status).toBe('accepted');
    expect(other.duplicateOf).toBeNull();
    expect((other.evidence as unknown as DedupEvidence).decision).toBe('no_match');
    // The registry audits the duplicate.
    const audit = await reg.running.registry.store.listAudit(50);
    expect(audit.some((r) => r.event === 'packet.duplicate' && r.details.duplicateOf === p1.rid)).toBe(true);
  }, 240_000);

  it('reloads the gallery from the store after a restart and still finds the subject', async () => {
    await reg.restart();
    const { identity, registration } = await registerNew(reg);
    const p4 = await sealed(identity, registration.encryptionPublicKey, 'A2', a2, '29001014444444');
    const outbox = new FileOutbox(path.join(tmp.dir, `kiosk2-${backend}`));
    await outbox.add(p4.id, p4.bytes);
    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { backoffBaseMs: 250 });
    let status: { status: string; duplicateOf: string | null } | undefined;
    engine.on('outcome', (e) => (status = e.status));
    await engine.syncUntilIdle(400);
    await engine.dispose();
    expect(status?.status).toBe('duplicate');
    expect(status?.duplicateOf).toBe('C-01.K-1.20261123.A0');
  }, 240_000);

  it('catches a kiosk whose templates are not of the fingers in its images: searched with its own, still a duplicate, audited', async () => {
    const { identity, registration } = await registerNew(reg);
    const p5 = await sealed(identity, registration.encryptionPublicKey, 'A3', a3forged, '29001015555555');
    const outbox = new FileOutbox(path.join(tmp.dir, `kiosk3-${backend}`));
    await outbox.add(p5.id, p5.bytes);
    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { backoffBaseMs: 250 });
    let status: { status: string; duplicateOf: string | null; evidence?: Record<string, unknown> } | undefined;
    engine.on('outcome', (e) => (status = e.status));
    await engine.syncUntilIdle(400);
    await engine.dispose();
    expect(status?.status).toBe('duplicate');
    expect(status?.duplicateOf).toBe('C-01.K-1.20261123.A0');
    const ev = status!.evidence as unknown as DedupEvidence;
    expect(ev.templates.source).toBe('registry');
    expect(ev.templates.mismatched).toHaveLength(1);
    expect(ev.templates.checked[0]!.score ?? 0).toBeLessThan(40);
    expect(ev.matchedFingers.length).toBeGreaterThanOrEqual(1);
    const audit = await reg.running.registry.store.listAudit(100);
    expect(audit.some((r) => r.event === 'packet.kiosk-templates-mismatch' && r.details.packetId === 'A3')).toBe(true);
  }, 240_000);
});

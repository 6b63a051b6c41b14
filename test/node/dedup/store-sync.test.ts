// StoreGallerySync against a real DedupService and a scripted GallerySource (the store's part is covered by core.test.ts):
// reconcile adds missing and drops stale local entries and survives bad records; committed store calls drive updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { StoreGallerySync, kft1Template, type GallerySource } from '../../../main/dedup/store-sync.js';
import type { StoreMethod } from '../../../main/store/protocol.js';
import { deserializeTemplate, encodeIso19794_2 } from '../../../models/finger/index.js';
import { mulberry32, randomMinutiae } from '../../../models/dedup/synthetic.js';
import { faces, fingerTemplate, startHarness, tempDir, type Harness } from './helpers.js';

type Stored = Awaited<ReturnType<GallerySource['galleryEntry']>>;

describe('StoreGallerySync', () => {
  const tmp = tempDir();
  let h: Harness;
  const records = new Map<string, Stored>();
  const operators: { operatorId: string; position: number; format: string; template: Uint8Array }[] = [];
  let listener: ((method: StoreMethod, params: unknown) => void) | null = null;
  const source: GallerySource = {
    galleryIds: async () => [...records.keys()],
    galleryEntry: async (id) => records.get(id)!,
    onCommitted: (l) => {
      listener = l;
      return () => (listener = null);
    },
    operatorFingerTemplates: async () => operators,
  };
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  const stored = (s: number): Stored => ({ embedding: faces.capture(s, 0), templates: [2, 7].map((position) => ({ position, format: 'kiosk-kft1', data: fingerTemplate(s, position as 2 | 7, 0) })) });

  beforeAll(async () => {
    h = await startHarness(tmp.dir);
  });
  afterAll(async () => {
    await h.dispose();
    tmp.cleanup();
  });

  it('reconciles: adds what the store has, removes stale local entries, skips bad records without failing', async () => {
    await h.service.addEnrollment({ id: 'STALE', face: faces.capture(77, 0), fingers: [] });
    await h.service.applyRegionalDelta({ upserts: [{ id: 'R1', source: 'regional', face: faces.capture(78, 0), fingers: [] }], removals: [] });
    for (let s = 1; s <= 5; s++) records.set(`E${s}`, stored(s));
    records.set('BAD-FACE', { embedding: new Float32Array(512).fill(1), templates: [] });
    records.set('ODD-FORMAT', { embedding: faces.capture(9, 0), templates: [{ position: 3, format: 'vendor-x', data: new Uint8Array(40) }] });
    const sync = new StoreGallerySync(h.service, source, logger);
    expect(await sync.reconcile()).toEqual({ added: 6, removed: 1 });
    expect((await h.service.localIds()).sort()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'ODD-FORMAT']);
    expect((await h.service.stats()).regional).toBe(1); // regional entries are not the store's business
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(await sync.reconcile()).toEqual({ added: 0, removed: 0 });
    await sync.dispose();
  });

  it('follows committed seal, purge and rejection calls, and rebuilds the operator gallery', async () => {
    const sync = new StoreGallerySync(h.service, source, logger);
    records.set('E6', stored(6));
    listener!('enrollment.seal', { id: 'E6' });
    listener!('enrollment.purge', { id: 'E1' });
    listener!('enrollment.update', { id: 'E2', set: { status: 'rejected' } });
    listener!('enrollment.update', { id: 'E3', set: { status: 'draft' } });
    await sync.idle();
    expect((await h.service.localIds()).sort()).toEqual(['E3', 'E4', 'E5', 'E6', 'ODD-FORMAT']);
    operators.push(...[2, 7].map((position) => ({ operatorId: 'op1', position, format: 'kiosk-kft1', template: fingerTemplate(500, position as 2 | 7, 0) })));
    listener!('operator.fingerprint.put', { row: { operatorId: 'op1' } });
    await sync.idle();
    expect((await h.service.stats()).operatorEntries).toBe(1);
    const r = await h.service.search({ face: null, fingers: [2, 7].map((position) => ({ position: position as 2 | 7, template: fingerTemplate(500, position as 2 | 7, 1) })) }, { signedInOperatorId: 'op2' });
    expect(r.operatorMatches.map((m) => [m.operatorId, m.signedIn])).toEqual([['op1', false]]);
    operators.length = 0; // deactivated
    listener!('operator.setActive', { id: 'op1', active: false });
    await sync.idle();
    expect((await h.service.stats()).operatorEntries).toBe(0);
    await sync.dispose();
    expect(listener).toBeNull();
  });

  it('converts ISO 19794-2 templates and refuses unknown formats with a typed error', () => {
    expect(() => kft1Template('vendor-x', new Uint8Array(4))).toThrow(expect.objectContaining({ code: 'DEDUP_INPUT_INVALID' }));
    const kft = fingerTemplate(1, 2, 0);
    expect(kft1Template('kiosk-kft1', kft)).toBe(kft);
    const minutiae = randomMinutiae(mulberry32(5), 30);
    const iso = encodeIso19794_2({ captureEquipmentCompliance: 0, captureEquipmentId: 0, width: 400, height: 500, resolutionX: 197, resolutionY: 197, views: [{ fingerPosition: 2, viewNumber: 0, impressionType: 0, fingerQuality: 80, minutiae, extendedData: new Uint8Array(0) }] });
    const converted = deserializeTemplate(kft1Template('iso-19794-2', iso));
    expect(converted.count).toBe(30);
    expect(() => kft1Template('iso-19794-2', new Uint8Array(10))).toThrow(expect.objectContaining({ code: expect.any(String) }));
  });
});

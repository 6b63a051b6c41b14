// ISO/IEC 19794-2:2005 minutia records and the compact internal template.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FingerTemplateInvalidError } from '../../../models/finger/errors.js';
import { decodeIso19794_2, encodeIso19794_2, type IsoMinutiaRecord } from '../../../models/finger/iso19794-2.js';
import { compareTemplates, MATCH_THRESHOLD } from '../../../models/finger/matcher.js';
import { mccSimilarity } from '../../../models/finger/mcc.js';
import { createTemplate, deserializeTemplate, serializeTemplate, TEMPLATE_VERSION, templateMinutiae, type TemplateMinutia } from '../../../models/finger/template.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

function someMinutiae(n: number, seed = 7): TemplateMinutia[] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => ({ x: 20 + r() * 260, y: 20 + r() * 340, direction: r() * 2 * Math.PI, type: r() < 0.5 ? 'ending' : 'bifurcation', quality: Math.round(r() * 100) }));
}

describe('ISO 19794-2 codec', () => {
  it('encodes and decodes minutiae within the format quantisation', () => {
    const ms = someMinutiae(40);
    const rec: IsoMinutiaRecord = { captureEquipmentCompliance: 0, captureEquipmentId: 0, width: 300, height: 400, resolutionX: 197, resolutionY: 197, views: [{ fingerPosition: 2, viewNumber: 0, impressionType: 0, fingerQuality: 60, minutiae: ms, extendedData: new Uint8Array(0) }] };
    const bytes = encodeIso19794_2(rec);
    expect(Buffer.from(bytes.subarray(0, 8)).toString('latin1')).toBe('FMR\0 20\0');
    expect(bytes.length).toBe(24 + 4 + 40 * 6 + 2);
    const back = decodeIso19794_2(bytes);
    expect(back.width).toBe(300);
    expect(back.views[0]!.fingerPosition).toBe(2);
    back.views[0]!.minutiae.forEach((m, i) => {
      const o = ms[i]!;
      expect(Math.abs(m.x - o.x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(m.y - o.y)).toBeLessThanOrEqual(0.5);
      const d = Math.abs(((m.direction - o.direction + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      expect(d).toBeLessThanOrEqual(Math.PI / 256 + 1e-9);
      expect(m.type).toBe(o.type);
    });
  });

  it('rejects malformed records with FINGER_TEMPLATE_INVALID', () => {
    const good = encodeIso19794_2({ captureEquipmentCompliance: 0, captureEquipmentId: 0, width: 300, height: 400, resolutionX: 197, resolutionY: 197, views: [{ fingerPosition: 0, viewNumber: 0, impressionType: 0, fingerQuality: 0, minutiae: someMinutiae(5), extendedData: new Uint8Array(0) }] });
    expect(() => decodeIso19794_2(good.subarray(0, 30))).toThrow(FingerTemplateInvalidError);
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x58;
    expect(() => decodeIso19794_2(wrongMagic)).toThrow(FingerTemplateInvalidError);
    const liar = good.slice();
    liar[27] = 200; // minutia count beyond the record
    expect(() => decodeIso19794_2(liar)).toThrow(FingerTemplateInvalidError);
    expect(() => decodeIso19794_2(new Uint8Array(3))).toThrow(FingerTemplateInvalidError);
  });

  describe.skipIf(!hasFixture('fingers', 'sourceafis', 'iso-probe.dat'))('SourceAFIS ISO fixtures', () => {
    const load = (n: string) => new Uint8Array(readFileSync(fixturePath('fingers', 'sourceafis', `iso-${n}.dat`)));

    it('decode → encode reproduces each record byte for byte', () => {
      for (const n of ['probe', 'matching', 'nonmatching']) {
        const raw = load(n);
        const rec = decodeIso19794_2(raw);
        expect(rec.views.length).toBe(1);
        expect(rec.resolutionX).toBe(197);
        expect(rec.views[0]!.minutiae.length).toBeGreaterThan(30);
        const len = new DataView(raw.buffer, raw.byteOffset).getUint32(8);
        expect(Buffer.from(encodeIso19794_2(rec)).equals(Buffer.from(raw.subarray(0, len)))).toBe(true);
      }
    });

    it('decoded templates match as named (probe and matching are the same record in the fixtures)', () => {
      const t = (n: string) => {
        const r = decodeIso19794_2(load(n));
        return createTemplate(r.views[0]!.minutiae, r.width, r.height);
      };
      const probe = t('probe');
      expect(compareTemplates(probe, t('matching'))).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
      expect(compareTemplates(probe, t('nonmatching'))).toBeLessThan(MATCH_THRESHOLD);
    });
  });
});

describe('compact template', () => {
  it('serialises and deserialises to the same minutiae and scores', () => {
    const ms = someMinutiae(35, 3);
    const t = createTemplate(ms, 300, 400);
    const bytes = serializeTemplate(t);
    expect(bytes.length).toBe(16 + 35 * 8);
    const back = deserializeTemplate(bytes);
    expect(back.count).toBe(35);
    templateMinutiae(back).forEach((m, i) => {
      expect(Math.abs(m.x - ms[i]!.x)).toBeLessThanOrEqual(0.125);
      expect(m.type).toBe(ms[i]!.type);
    });
    expect(Math.abs(mccSimilarity(t, back).raw - mccSimilarity(t, t).raw)).toBeLessThan(0.05);
    expect(() => deserializeTemplate(bytes.subarray(0, 20))).toThrow(FingerTemplateInvalidError);
    const bad = bytes.slice();
    bad[4] = 99;
    expect(() => deserializeTemplate(bad)).toThrow(FingerTemplateInvalidError);
  });

  it('version 2 carries the orientation grid; version 1 bytes (no grid) are still read', () => {
    const ms = someMinutiae(30, 5);
    const gw = 19, gh = 25;
    const code = Uint8Array.from({ length: gw * gh }, (_, i) => (i % 7 === 0 ? 0 : 1 + ((i * 13) % 180)));
    const t = createTemplate(ms, 300, 400, { cell: 16, gw, gh, code });
    expect(t.version).toBe(TEMPLATE_VERSION);
    const bytes = serializeTemplate(t);
    expect(bytes.length).toBe(16 + 30 * 8 + gw * gh);
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(2);
    const back = deserializeTemplate(bytes);
    expect(back.orientation).not.toBeNull();
    expect(Array.from(back.orientation!.code)).toEqual(Array.from(code));
    expect([back.orientation!.gw, back.orientation!.gh, back.orientation!.cell]).toEqual([gw, gh, 16]);
    expect(back.orientationVectors!.cells.length).toBe(code.filter((k) => k > 0).length);
    // The same minutiae without a grid are written as version 1 (what older kiosks and ISO imports produce) and read.
    const v1 = serializeTemplate(createTemplate(ms, 300, 400));
    expect(new DataView(v1.buffer).getUint16(4, true)).toBe(1);
    expect(v1.length).toBe(16 + 30 * 8);
    const old = deserializeTemplate(v1);
    expect(old.orientation).toBeNull();
    expect(old.count).toBe(30);
    // A truncated grid or a code beyond 180 is a typed error.
    expect(() => deserializeTemplate(bytes.subarray(0, bytes.length - 1))).toThrow(FingerTemplateInvalidError);
    const badCode = bytes.slice();
    badCode[16 + 30 * 8 + 1] = 200;
    expect(() => deserializeTemplate(badCode)).toThrow(FingerTemplateInvalidError);
  });

  it('MCC similarity is invariant to rotation and translation and degrades gracefully with missing minutiae', () => {
    const ms = someMinutiae(40, 11);
    const a = createTemplate(ms, 300, 400);
    const ang = 0.6, c = Math.cos(ang), s = Math.sin(ang);
    const moved = ms.map((m) => ({ ...m, x: c * (m.x - 150) - s * (m.y - 200) + 180, y: s * (m.x - 150) + c * (m.y - 200) + 210, direction: m.direction + ang }));
    const self = mccSimilarity(a, a).raw;
    expect(self).toBeGreaterThan(0.9);
    expect(Math.abs(mccSimilarity(a, createTemplate(moved, 400, 450)).raw - self)).toBeLessThan(0.05);
    const partial = createTemplate(moved.filter((_, i) => i % 4 !== 0), 400, 450);
    const other = createTemplate(someMinutiae(40, 99), 300, 400);
    expect(mccSimilarity(a, partial).raw).toBeGreaterThan(3 * mccSimilarity(a, other).raw);
  });
});

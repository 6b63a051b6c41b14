// The kiosk's finger templates as the registry reads them (sync/registry/biometrics/kiosk-templates.ts): the kiosk's
// KFT1 taken as is, an ISO/IEC 19794-2 record converted to the same minutiae, anything else refused (null → the
// registry extracts that finger itself); the spot-check choice is uniform and without repeats.
import { describe, expect, it } from 'vitest';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { compareTemplates, createTemplate, deserializeTemplate, encodeIso19794_2, extractTemplate, serializeTemplate, templateMinutiae } from '../../../models/finger/index.js';
import type { OpenedPacket } from '../../../sync/packet/index.js';
import { kioskTemplateOf, pickRandom } from '../../../sync/registry/biometrics/kiosk-templates.js';

const packet = (parts: Record<string, Uint8Array>) => ({ parts: new Map(Object.entries(parts).map(([k, v]) => [k, Buffer.from(v)])) }) as unknown as OpenedPacket;

describe('kiosk finger templates at the registry', () => {
  const imp = synthesizeImpression({ subject: 'KT', finger: 2, impression: 0 });
  const tpl = extractTemplate({ width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels });
  const kft1 = serializeTemplate(tpl);

  it('takes the kiosk KFT1 template as is', () => {
    const got = kioskTemplateOf(packet({ 'finger.2.template': kft1 }), 2);
    expect(got).toEqual(kft1);
    expect(kioskTemplateOf(packet({ 'finger.2.template': kft1 }), 3)).toBeNull();
    // Version 2 (with the orientation grid) from today's kiosks, version 1 (minutiae only) from older ones.
    expect(kft1[4]).toBe(2);
    const v1 = serializeTemplate(createTemplate(templateMinutiae(tpl), tpl.width, tpl.height));
    expect(v1[4]).toBe(1);
    expect(kioskTemplateOf(packet({ 'finger.2.template': v1 }), 2)).toEqual(v1);
  });

  it('converts an ISO 19794-2 record (500 ppi and 1000 ppi) into a template that matches the original', () => {
    const minutiae = templateMinutiae(tpl);
    const iso = (ppcm: number, scale: number) =>
      encodeIso19794_2({ captureEquipmentCompliance: 0, captureEquipmentId: 0, width: Math.round(tpl.width * scale), height: Math.round(tpl.height * scale), resolutionX: ppcm, resolutionY: ppcm, views: [{ fingerPosition: 2, viewNumber: 0, impressionType: 0, fingerQuality: 60, minutiae: minutiae.map((m) => ({ ...m, x: m.x * scale, y: m.y * scale })), extendedData: new Uint8Array(0) }] });
    for (const [ppcm, scale] of [[197, 1], [394, 2]] as const) {
      const got = kioskTemplateOf(packet({ 'finger.2.template': iso(ppcm, scale) }), 2)!;
      expect(got).not.toBeNull();
      const t = deserializeTemplate(got);
      expect(t.count).toBe(tpl.count);
      expect(compareTemplates(t, tpl)).toBeGreaterThan(100);
    }
  });

  it('refuses what it cannot read (the registry extracts that finger itself)', () => {
    const badVersion = kft1.slice();
    badVersion[4] = 9;
    const truncated = kft1.slice(0, kft1.length - 3);
    for (const data of [badVersion, truncated, new Uint8Array(40), Buffer.from('FMR\0 20\0 not really an ISO record')]) {
      expect(kioskTemplateOf(packet({ 'finger.2.template': data }), 2)).toBeNull();
    }
  });

  it('spot-checks k distinct fingers, each position as likely as any other', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const pick = pickRandom([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2);
      expect(new Set(pick).size).toBe(2);
      for (const p of pick) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (let p = 1; p <= 10; p++) expect(counts.get(p)!).toBeGreaterThan(300); // expected 400 each
    expect(pickRandom([1, 2], 5).sort()).toEqual([1, 2]);
    expect(pickRandom([1, 2], 0)).toEqual([]);
  });
});

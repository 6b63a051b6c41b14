// Arabic in the receipt PDF: WOFF decoding, shaping (contextual forms, lam-alef ligature, visual order), embedding.
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { arabicFontBytes, embedArabic, hasArabic, shapeText } from '../../../main/receipt/arabic-text.js';
import { woffToSfnt } from '../../../main/receipt/woff.js';

describe('receipt Arabic text', () => {
  const font = fontkit.create(arabicFontBytes());

  it('decodes the bundled WOFF into a TrueType font with Arabic glyphs', () => {
    expect(arabicFontBytes().readUInt32BE(0)).toBe(0x00010000); // TrueType flavour
    expect(font.numGlyphs).toBeGreaterThan(500);
    expect(font.hasGlyphForCodePoint(0x0645)).toBe(true); // meem
  });

  it('refuses a truncated or foreign font file with a typed error', () => {
    expect(() => woffToSfnt(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'FONT_INVALID' }));
    const sfnt = arabicFontBytes();
    expect(() => woffToSfnt(sfnt)).toThrow(expect.objectContaining({ code: 'FONT_INVALID' }));
  });

  it('shapes contextual forms and draws right-to-left runs in visual order', () => {
    const nominal = (cp: number) => font.glyphForCodePoint(cp).id;
    // "محمد": meem (initial), hah (medial), meem (medial), dal (final). Visual order starts with the final dal.
    const run = shapeText(font, 'محمد');
    expect(run.direction).toBe('rtl');
    expect(run.glyphs).toHaveLength(4);
    expect(run.glyphs[3]!.id).not.toBe(nominal(0x0645)); // initial meem is not the isolated form
    expect(run.glyphs[1]!.id).not.toBe(nominal(0x062d)); // medial hah
    expect(run.advance).toBeGreaterThan(0);
    // lam + alef take their lam-alef forms (this font composes the ligature from two contextual glyphs).
    const lamAlef = shapeText(font, 'لا').glyphs.map((g) => g.id);
    expect(lamAlef).not.toContain(nominal(0x0644));
    expect(lamAlef).not.toContain(nominal(0x0627));
    expect(hasArabic('محمد')).toBe(true);
    expect(hasArabic('Mohamed 123')).toBe(false);
  });

  it('embeds the font and draws the shaped glyph ids into the page content', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([298, 420]);
    const writer = await embedArabic(doc);
    const width = writer.drawRightAligned(page, 'محمد', { xRight: 280, y: 300, size: 12, color: [0, 0, 0] });
    expect(width).toBeGreaterThan(10);
    const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(bytes.includes(Buffer.from('/FontFile2'))).toBe(true);
    // Find the page content stream (Flate) and check each shaped glyph is shown in visual order.
    const shown: string[] = [];
    for (let at = bytes.indexOf('stream\n'); at !== -1; at = bytes.indexOf('stream\n', at + 1)) {
      const end = bytes.indexOf('endstream', at);
      try {
        const text = inflateSync(bytes.subarray(at + 7, end)).toString('latin1');
        for (const m of text.matchAll(/<([0-9A-Fa-f]{4})> Tj/g)) shown.push(m[1]!.toLowerCase());
      } catch {
        // not a Flate stream (font program, etc.)
      }
    }
    const expected = shapeText(font, 'محمد').glyphs.map((g) => g.id.toString(16).padStart(4, '0'));
    expect(shown).toEqual(expected);
  });
});

// Arabic text in the receipt PDF. pdf-lib draws a custom font's glyphs in the order and at the advances of the
// font's default widths, without OpenType positioning; Arabic needs contextual shaping (GSUB init/medi/fina, lam-alef
// ligatures), mark positioning (GPOS) and right-to-left order. fontkit's layout engine does all three; this file
// draws its glyph run glyph by glyph at the positions it computed (Identity-H: the CID of each glyph is its id).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { PDFHexString, beginText, endText, popGraphicsState, pushGraphicsState, setFillingRgbColor, setFontAndSize, setTextMatrix, showText, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { woffToSfnt } from './woff.js';

const ARABIC_FONT = '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff';

/** Noto Sans Arabic Regular as TrueType bytes (decoded from the offline WOFF once per process). */
let cachedSfnt: Buffer | null = null;
export function arabicFontBytes(): Buffer {
  cachedSfnt ??= woffToSfnt(readFileSync(createRequire(import.meta.url).resolve(ARABIC_FONT)));
  return cachedSfnt;
}

/** Whether a string has Arabic letters (which need shaping). */
export function hasArabic(text: string): boolean {
  return /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/u.test(text);
}

export interface ShapedGlyph {
  id: number;
  /** Font units. */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** The run in visual (left-to-right drawing) order: fontkit reverses right-to-left runs after shaping. */
export function shapeText(font: FontkitFont, text: string): { glyphs: ShapedGlyph[]; advance: number; direction: string } {
  const run = font.layout(text);
  const glyphs = run.glyphs.map((g, i) => {
    const p = run.positions[i]!;
    return { id: g.id, xAdvance: p.xAdvance, xOffset: p.xOffset, yOffset: p.yOffset };
  });
  return { glyphs, advance: glyphs.reduce((sum, g) => sum + g.xAdvance, 0), direction: run.direction ?? 'ltr' };
}

export interface ArabicWriter {
  /** Draws `text` right-aligned so that it ends at `xRight`; returns its width in points. */
  drawRightAligned(page: PDFPage, text: string, at: { xRight: number; y: number; size: number; color: [number, number, number] }): number;
}

/** Embeds the Arabic font in full (fontkit's subsetter drops composite glyphs of this font) and returns a writer. */
export async function embedArabic(doc: PDFDocument): Promise<ArabicWriter> {
  doc.registerFontkit(fontkit);
  const bytes = arabicFontBytes();
  const pdfFont: PDFFont = await doc.embedFont(bytes, { subset: false });
  const shaper = fontkit.create(bytes);
  const scale = 1 / shaper.unitsPerEm;
  return {
    drawRightAligned(page, text, { xRight, y, size, color }) {
      const run = shapeText(shaper, text);
      const width = run.advance * scale * size;
      const key = page.node.newFontDictionary(pdfFont.name, pdfFont.ref);
      const ops = [pushGraphicsState(), beginText(), setFontAndSize(key, size), setFillingRgbColor(...color)];
      let x = xRight - width;
      for (const g of run.glyphs) {
        ops.push(setTextMatrix(1, 0, 0, 1, x + g.xOffset * scale * size, y + g.yOffset * scale * size));
        ops.push(showText(PDFHexString.of(g.id.toString(16).padStart(4, '0'))));
        x += g.xAdvance * scale * size;
      }
      ops.push(endText(), popGraphicsState());
      page.pushOperators(...ops);
      return width;
    },
  };
}


// Arabic text in the receipt PDF. pdf-lib draws a custom font's glyphs in the order and at the advances of the
// font's default widths, without OpenType positioning; Arabic needs contextual shaping (GSUB init/medi/fina, lam-alef
// ligatures), mark positioning (GPOS) and right-to-left order. fontkit's layout engine does all three; this file
// draws its glyph run glyph by glyph at the positions it computed (Identity-H: the CID of each glyph is its id).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { PDFHexString, rgb, beginText, endText, popGraphicsState, pushGraphicsState, setFillingRgbColor, setFontAndSize, setTextMatrix, showText, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
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
  /**
   * Draws `text` right-aligned so that it ends at `xRight`; returns its width in points. Numbers (Arabic-Indic or
   * Latin digits, with / : . - between them) read left to right inside the right-to-left line, as the Unicode
   * bidirectional algorithm shows them on screen.
   */
  drawRightAligned(page: PDFPage, text: string, at: { xRight: number; y: number; size: number; color: [number, number, number] }): number;
  /** Width in points of `text` at `size`. */
  widthOf(text: string, size: number): number;
}

const DIGIT = '0-9\u0660-\u0669\u06f0-\u06f9';
/** Logical segments of a right-to-left line: number runs (drawn left to right) and everything else. */
export function rtlSegments(text: string): { text: string; number: boolean }[] {
  const clean = text.replace(/[\u200e\u200f\u061c]/gu, '');
  const re = new RegExp(`[${DIGIT}]+(?:[/:.,\u066b\u066c-][${DIGIT}]+)*|[^${DIGIT}]+`, 'gu');
  return (clean.match(re) ?? []).map((t) => ({ text: t, number: new RegExp(`^[${DIGIT}]`, 'u').test(t) }));
}

/**
 * Embeds the Arabic font in full (fontkit's subsetter drops composite glyphs of this font) and returns a writer.
 * Characters the Arabic font lacks (Latin letters, ASCII punctuation such as ":" and ".") are drawn with `fallback`.
 */
export async function embedArabic(doc: PDFDocument, fallback?: PDFFont): Promise<ArabicWriter> {
  doc.registerFontkit(fontkit);
  const bytes = arabicFontBytes();
  const pdfFont: PDFFont = await doc.embedFont(bytes, { subset: false });
  const shaper = fontkit.create(bytes);
  const scale = 1 / shaper.unitsPerEm;
  const covered = (ch: string) => ch === ' ' || shaper.hasGlyphForCodePoint(ch.codePointAt(0)!);
  /** Runs of characters the Arabic font has (shaped) and runs it lacks (fallback font), in logical order. */
  const runsOf = (text: string) => {
    const runs: { text: string; arabicFont: boolean }[] = [];
    for (const ch of text) {
      const arabicFont = !fallback || covered(ch);
      const last = runs[runs.length - 1];
      if (last && last.arabicFont === arabicFont) last.text += ch;
      else runs.push({ text: ch, arabicFont });
    }
    return runs;
  };
  const fallbackText = (t: string) => t.replace(/[^\x20-\x7e\u00a0-\u00ff]/gu, '?');
  const runWidth = (r: { text: string; arabicFont: boolean }, size: number) =>
    r.arabicFont ? shapeText(shaper, r.text).advance * scale * size : fallback!.widthOfTextAtSize(fallbackText(r.text), size);
  const segmentWidth = (text: string, size: number) => runsOf(text).reduce((w, r) => w + runWidth(r, size), 0);
  return {
    drawRightAligned(page, text, { xRight, y, size, color }) {
      const key = page.node.newFontDictionary(pdfFont.name, pdfFont.ref);
      const drawShaped = (t: string, xLeft: number, number: boolean) => {
        const run = shapeText(shaper, t);
        const glyphs = number && run.direction === 'rtl' ? [...run.glyphs].reverse() : run.glyphs;
        const ops = [pushGraphicsState(), beginText(), setFontAndSize(key, size), setFillingRgbColor(...color)];
        let x = xLeft;
        for (const g of glyphs) {
          ops.push(setTextMatrix(1, 0, 0, 1, x + g.xOffset * scale * size, y + g.yOffset * scale * size));
          ops.push(showText(PDFHexString.of(g.id.toString(16).padStart(4, '0'))));
          x += g.xAdvance * scale * size;
        }
        ops.push(endText(), popGraphicsState());
        page.pushOperators(...ops);
      };
      // Segments in logical order, the first at the right; a number keeps its digits left to right, and so does a
      // run in the fallback font (a Latin word inside Arabic text).
      let right = xRight;
      for (const seg of rtlSegments(text)) {
        const runs = runsOf(seg.text);
        const width = runs.reduce((w, r) => w + runWidth(r, size), 0);
        if (seg.number) {
          let x = right - width;
          for (const r of runs) {
            if (r.arabicFont) drawShaped(r.text, x, true);
            else page.drawText(fallbackText(r.text), { x, y, size, font: fallback!, color: rgb(...color) });
            x += runWidth(r, size);
          }
        } else {
          let runRight = right;
          for (const r of runs) {
            const w = runWidth(r, size);
            if (r.arabicFont) drawShaped(r.text, runRight - w, false);
            else page.drawText(fallbackText(r.text), { x: runRight - w, y, size, font: fallback!, color: rgb(...color) });
            runRight -= w;
          }
        }
        right -= width;
      }
      return xRight - right;
    },
    widthOf(text, size) {
      return rtlSegments(text).reduce((w, seg) => w + segmentWidth(seg.text, size), 0);
    },
  };
}

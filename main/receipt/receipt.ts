// Enrollment receipts: the signed receipt data (canonical JSON, kiosk Ed25519 signature), the QR code of the RID,
// and a printable PDF (pdf-lib) in one language throughout (receipt-text.ts), times in the kiosk's time zone. Latin
// text uses the standard fonts; Arabic is shaped by fontkit and drawn with the embedded Noto Sans Arabic
// (arabic-text.ts). See docs/WORKFLOW.md.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import QRCode from 'qrcode';
import { KioskError } from '../contract/errors.js';
import type { Locale } from '../contract/ipc.js';
import { embedArabic, hasArabic } from './arabic-text.js';
import { DEFAULT_RECEIPT_OPTIONS, RECEIPT_LABELS, receiptDateTime, receiptInfo, type ReceiptOptions } from './receipt-text.js';

export class ReceiptPhotoInvalidError extends KioskError {
  override name = 'ReceiptPhotoInvalidError';
  constructor(cause: unknown) {
    super('RECEIPT_PHOTO_INVALID', 'The face token is not a JPEG the receipt writer can embed', { cause });
  }
}

export interface ReceiptData {
  rid: string;
  nameAr: string | null;
  nameLatin: string | null;
  enrolledAt: string;
  approvedAt: string;
  centreId: string;
  kioskId: string;
  /** SHA-256 (hex) of the token photo printed on the receipt. */
  photoSha256: string | null;
}

export interface SignedReceipt {
  data: ReceiptData;
  signature: Uint8Array;
  kioskPublicKeyFingerprint: string;
}

/** Canonical JSON (keys sorted, no whitespace): the exact bytes the signature covers. */
export function canonicalReceiptBytes(data: ReceiptData): Buffer {
  const keys = Object.keys(data).sort() as (keyof ReceiptData)[];
  return Buffer.from(`{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(data[k])}`).join(',')}}`, 'utf8');
}

export function signReceipt(data: ReceiptData, signingKey: KeyObject, kioskPublicKeyFingerprint: string): SignedReceipt {
  return { data, signature: sign(null, canonicalReceiptBytes(data), signingKey), kioskPublicKeyFingerprint };
}

export function verifyReceipt(r: SignedReceipt, publicKey: KeyObject): boolean {
  try {
    return verify(null, canonicalReceiptBytes(r.data), publicKey, r.signature);
  } catch {
    return false;
  }
}

export function photoSha256(jpeg: Uint8Array | null): string | null {
  return jpeg ? createHash('sha256').update(jpeg).digest('hex') : null;
}

/** QR code (PNG) encoding the RID only: scanning it reveals no personal data. */
export async function ridQrPng(rid: string): Promise<Uint8Array> {
  return new Uint8Array(await QRCode.toBuffer(rid, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }));
}

/** Characters WinAnsi (the standard fonts) can draw; anything else is replaced so the PDF never fails to render. */
function winAnsi(s: string): string {
  return s.replace(/[^\x20-\x7e\u00a0-\u00ff]/gu, '?');
}

export interface ReceiptPdfInput {
  receipt: SignedReceipt;
  photoJpeg: Uint8Array | null;
  qrPng: Uint8Array;
  /** The language of every word on the receipt (default Arabic). */
  language?: Locale;
  /** Time zone, centre name, contact and next steps (config `receipt`); default: the OS time zone, built-in texts. */
  options?: ReceiptOptions;
}

export interface ReceiptPdf {
  pdf: Uint8Array;
  /** The Arabic name was drawn (shaped) on the receipt. */
  hasArabic: boolean;
}

/** Splits `text` into lines no wider than `max` points (by words). */
function wrap(text: string, max: number, widthOf: (s: string) => number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/u).filter(Boolean)) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && widthOf(next) > max) {
      lines.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * A6 portrait receipt, every word in the chosen language (Arabic right to left, shaped): title, photo, QR code of the
 * RID, RID, names, dates in the kiosk's time zone, centre and kiosk, what happens next, whom to ask, the signature.
 */
export async function renderReceiptPdf(input: ReceiptPdfInput): Promise<ReceiptPdf> {
  const { data } = input.receipt;
  const language: Locale = input.language ?? 'ar';
  const o = input.options ?? DEFAULT_RECEIPT_OPTIONS;
  const L = RECEIPT_LABELS[language];
  const rtl = language === 'ar';
  const doc = await PDFDocument.create();
  doc.setTitle(`${L.title} ${data.rid}`);
  doc.setLanguage(language);
  doc.setProducer('enrollment-kiosk');
  doc.setCreationDate(new Date(data.approvedAt));
  doc.setModificationDate(new Date(data.approvedAt));
  const page = doc.addPage([298, 420]); // A6 in points
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const arabic = await embedArabic(doc, font);
  const ink: [number, number, number] = [0.1, 0.1, 0.12];
  const grey: [number, number, number] = [0.35, 0.35, 0.4];
  const LEFT = 18;
  const RIGHT = 280;
  const VALUE_AT = 96; // distance of the value column from the start edge

  /** Draws a piece of text at the start edge + `indent` (the right edge in Arabic), in the font its script needs. */
  const put = (text: string, y: number, wanted: number, opts: { indent?: number; f?: PDFFont; color?: [number, number, number] } = {}) => {
    const color = opts.color ?? ink;
    const indent = opts.indent ?? 0;
    // A long value (a RID, a long name) is set smaller rather than run off the page.
    const room = RIGHT - LEFT - indent;
    const natural = hasArabic(text) || (rtl && /[\u0660-\u0669]/u.test(text)) ? arabic.widthOf(text, wanted) : (opts.f ?? font).widthOfTextAtSize(winAnsi(text), wanted);
    const size = natural > room ? (wanted * room) / natural : wanted;
    if (hasArabic(text) || (rtl && /[\u0660-\u0669]/u.test(text))) {
      if (rtl) arabic.drawRightAligned(page, text, { xRight: RIGHT - indent, y, size, color });
      else arabic.drawRightAligned(page, text, { xRight: LEFT + indent + arabic.widthOf(text, size), y, size, color });
      return;
    }
    const f = opts.f ?? font;
    const t = winAnsi(text);
    const x = rtl ? RIGHT - indent - f.widthOfTextAtSize(t, size) : LEFT + indent;
    page.drawText(t, { x, y, size, font: f, color: rgb(...color) });
  };
  const widthOf = (text: string, size: number, f: PDFFont = font) => (hasArabic(text) || rtl ? arabic.widthOf(text, size) : f.widthOfTextAtSize(winAnsi(text), size));

  let y = 396;
  put(L.title, y, 13, { f: bold });
  y -= 10;
  page.drawLine({ start: { x: LEFT, y }, end: { x: RIGHT, y }, thickness: 0.8, color: rgb(...ink) });
  const top = y - 6;
  const IMG = 92;
  if (input.photoJpeg) {
    let photo;
    try {
      photo = await doc.embedJpg(input.photoJpeg);
    } catch (error) {
      throw new ReceiptPhotoInvalidError(error);
    }
    const w = Math.min((photo.width / photo.height) * IMG, 80);
    page.drawImage(photo, { x: rtl ? RIGHT - w : LEFT, y: top - IMG, width: w, height: IMG });
  }
  const qr = await doc.embedPng(input.qrPng);
  page.drawImage(qr, { x: rtl ? LEFT : RIGHT - IMG, y: top - IMG, width: IMG, height: IMG });
  y = top - IMG - 16;

  const row = (label: string, value: string, f: PDFFont = font, size = 9) => {
    put(label, y, 7.5, { color: grey });
    put(value, y, size, { indent: VALUE_AT, f });
    y -= 14;
  };
  const nameAr = data.nameAr !== null && hasArabic(data.nameAr) ? data.nameAr : null;
  const info = receiptInfo(language, o, data.centreId);
  row(L.rid, data.rid, mono, 10);
  if (rtl && nameAr) row(L.name, nameAr, font, 10);
  if (data.nameLatin) row(rtl && nameAr ? '' : L.name, data.nameLatin, bold, 10);
  if (!rtl && nameAr) row(data.nameLatin ? '' : L.name, nameAr, font, 10);
  row(L.enrolled, receiptDateTime(data.enrolledAt, language, o.timeZone));
  row(L.approved, receiptDateTime(data.approvedAt, language, o.timeZone));
  row(L.timeZone, o.timeZone, font, 7.5);
  row(L.centre, info.centre);
  row(L.kiosk, data.kioskId);

  const paragraph = (title: string, text: string) => {
    y -= 2;
    put(title, y, 8.5, { f: bold });
    y -= 11;
    for (const line of wrap(text, RIGHT - LEFT, (s) => widthOf(s, 7.5))) {
      put(line, y, 7.5);
      y -= 10;
    }
  };
  paragraph(L.nextStepsTitle, info.nextSteps);
  paragraph(L.contactTitle, info.contact);
  if (o.contactPhone) {
    put(o.contactPhone, y, 8, { f: bold });
    y -= 11;
  }

  y -= 4;
  page.drawLine({ start: { x: LEFT, y: y + 8 }, end: { x: RIGHT, y: y + 8 }, thickness: 0.4, color: rgb(...grey) });
  put(L.signature, y, 6.5, { color: grey });
  y -= 9;
  const sig = Buffer.from(input.receipt.signature).toString('base64');
  page.drawText(`${input.receipt.kioskPublicKeyFingerprint}`, { x: LEFT, y, size: 5.5, font: mono, color: rgb(...ink) });
  y -= 7;
  for (let i = 0; i < sig.length; i += 66) {
    page.drawText(sig.slice(i, i + 66), { x: LEFT, y, size: 5.5, font: mono, color: rgb(...ink) });
    y -= 7;
  }
  return { pdf: await doc.save({ useObjectStreams: false }), hasArabic: nameAr !== null || rtl };
}

// Enrollment receipts: the signed receipt data (canonical JSON, kiosk Ed25519 signature), the QR code of the RID,
// and a printable PDF (pdf-lib). Latin text uses the standard fonts; the Arabic name and labels are shaped by
// fontkit and drawn with the embedded Noto Sans Arabic (arabic-text.ts). See docs/WORKFLOW.md.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { KioskError } from '../contract/errors.js';
import { embedArabic, hasArabic } from './arabic-text.js';

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
  title?: string;
}

export interface ReceiptPdf {
  pdf: Uint8Array;
  /** The Arabic name was drawn (shaped) on the receipt. */
  hasArabic: boolean;
}

/** A6 portrait receipt: bilingual title, photo, RID (text + QR), Arabic and Latin name, dates, centre/kiosk, signature. */
export async function renderReceiptPdf(input: ReceiptPdfInput): Promise<ReceiptPdf> {
  const { data } = input.receipt;
  const doc = await PDFDocument.create();
  doc.setTitle(`Enrollment receipt ${data.rid}`);
  doc.setProducer('enrollment-kiosk');
  doc.setCreationDate(new Date(data.approvedAt));
  doc.setModificationDate(new Date(data.approvedAt));
  const page = doc.addPage([298, 420]); // A6 in points
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const ink = rgb(0.1, 0.1, 0.12);
  let y = 392;
  const arabic = await embedArabic(doc);
  const inkRgb: [number, number, number] = [0.1, 0.1, 0.12];
  const greyRgb: [number, number, number] = [0.35, 0.35, 0.4];
  page.drawText(winAnsi(input.title ?? 'Enrollment receipt'), { x: 18, y, size: 12, font: bold, color: ink });
  arabic.drawRightAligned(page, 'إيصال التسجيل', { xRight: 280, y, size: 12, color: inkRgb });
  y -= 14;
  page.drawLine({ start: { x: 18, y }, end: { x: 280, y }, thickness: 0.8, color: ink });
  const top = y - 8;
  if (input.photoJpeg) {
    let photo;
    try {
      photo = await doc.embedJpg(input.photoJpeg);
    } catch (error) {
      throw new ReceiptPhotoInvalidError(error);
    }
    const h = 120;
    const w = (photo.width / photo.height) * h;
    page.drawImage(photo, { x: 18, y: top - h, width: Math.min(w, 100), height: h });
  }
  const qr = await doc.embedPng(input.qrPng);
  page.drawImage(qr, { x: 170, y: top - 110, width: 110, height: 110 });
  y = top - 136;
  const line = (label: string, value: string, f = font, size = 10) => {
    page.drawText(winAnsi(label), { x: 18, y, size: 8, font, color: rgb(0.35, 0.35, 0.4) });
    y -= 12;
    page.drawText(winAnsi(value), { x: 18, y, size, font: f, color: ink, maxWidth: 262 });
    y -= 16;
  };
  line('Registration ID (RID)', data.rid, mono, 11);
  const nameAr = data.nameAr !== null && hasArabic(data.nameAr) ? data.nameAr : null;
  if (nameAr) {
    arabic.drawRightAligned(page, 'الاسم', { xRight: 280, y, size: 8, color: greyRgb });
    y -= 14;
    arabic.drawRightAligned(page, nameAr, { xRight: 280, y, size: 12, color: inkRgb });
    y -= 16;
  }
  line('Name', data.nameLatin ?? '-', bold, 11);
  line('Enrolled', data.enrolledAt.slice(0, 10));
  line('Approved', data.approvedAt.replace('T', ' ').slice(0, 16) + ' UTC');
  line('Centre / kiosk', `${data.centreId} / ${data.kioskId}`);
  const sig = Buffer.from(input.receipt.signature).toString('base64');
  page.drawText(winAnsi(`Kiosk key ${input.receipt.kioskPublicKeyFingerprint}`), { x: 18, y, size: 6, font: mono, color: ink });
  y -= 9;
  for (let i = 0; i < sig.length; i += 58) {
    page.drawText(sig.slice(i, i + 58), { x: 18, y, size: 6, font: mono, color: ink });
    y -= 8;
  }
  page.drawText('Ed25519 signature over the canonical receipt data', { x: 18, y: y - 2, size: 6, font, color: rgb(0.35, 0.35, 0.4) });
  return { pdf: await doc.save({ useObjectStreams: false }), hasArabic: nameAr !== null };
}

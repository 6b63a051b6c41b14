// Receipt files: DATA_DIR/receipts/<record id>.receipt, the signed receipt + photo + PDF sealed with the store's
// field cipher (AAD binds the record id), so a receipt holds no readable personal data at rest and a reprint
// needs the unlocked store. Written atomically; removed when the record is purged.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import { writeFileAtomic } from '../store/crypto/atomic.js';
import type { SignedReceipt } from './receipt.js';

export const RECEIPTS_DIR = 'receipts';
const FIELD = 'receipt.file';

export interface StoredReceipt {
  receipt: SignedReceipt;
  photoJpeg: Uint8Array | null;
  qrPng: Uint8Array;
  pdf: Uint8Array;
  pdfHasArabic: boolean;
  /**
   * Not part of the signed receipt: what a supervisor needs to compare a new enrollment with this sealed one
   * (the kiosk keeps no demographics after sealing). Absent in receipts written before issue 17.
   */
  holder?: { dateOfBirth: string | null; nationalNumber: string | null };
}

interface FileJson {
  data: SignedReceipt['data'];
  signature: string;
  fingerprint: string;
  photo: string | null;
  qr: string;
  pdf: string;
  pdfHasArabic: boolean;
  holder?: { dateOfBirth: string | null; nationalNumber: string | null };
}

export class ReceiptNotFoundError extends KioskError {
  override name = 'ReceiptNotFoundError';
  constructor(id: string) {
    super('RECEIPT_NOT_FOUND', `No receipt for enrollment ${id}`, { details: { id } });
  }
}

export class ReceiptStore {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly cipher: FieldCipher,
  ) {
    this.dir = path.join(dataDir, RECEIPTS_DIR);
  }

  private file(id: string): string {
    if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw new KioskError('VALIDATION_FAILED', 'Receipt id must be a ULID', { details: { id: id.slice(0, 40) } });
    return path.join(this.dir, `${id}.receipt`);
  }

  has(id: string): boolean {
    return existsSync(this.file(id));
  }

  save(id: string, r: StoredReceipt): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const json: FileJson = {
      data: r.receipt.data,
      signature: Buffer.from(r.receipt.signature).toString('base64'),
      fingerprint: r.receipt.kioskPublicKeyFingerprint,
      photo: r.photoJpeg ? Buffer.from(r.photoJpeg).toString('base64') : null,
      qr: Buffer.from(r.qrPng).toString('base64'),
      pdf: Buffer.from(r.pdf).toString('base64'),
      pdfHasArabic: r.pdfHasArabic,
      ...(r.holder ? { holder: r.holder } : {}),
    };
    writeFileAtomic(this.file(id), this.cipher.encryptJson(id, FIELD, json), 0o600);
  }

  load(id: string): StoredReceipt {
    const file = this.file(id);
    if (!existsSync(file)) throw new ReceiptNotFoundError(id);
    const j = this.cipher.decryptJson<FileJson>(id, FIELD, new Uint8Array(readFileSync(file)));
    const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
    return {
      receipt: { data: j.data, signature: b(j.signature), kioskPublicKeyFingerprint: j.fingerprint },
      photoJpeg: j.photo ? b(j.photo) : null,
      qrPng: b(j.qr),
      pdf: b(j.pdf),
      pdfHasArabic: j.pdfHasArabic,
      ...(j.holder ? { holder: j.holder } : {}),
    };
  }

  remove(id: string): boolean {
    const file = this.file(id);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }

  ids(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.receipt'))
      .map((f) => f.slice(0, -'.receipt'.length))
      .filter((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id));
  }
}

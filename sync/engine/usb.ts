// Kiosk side of USB transfer: export sealed packets with a signed manifest written last; import the registry's
// signed receipts. A drive pulled out mid-export has no manifest (or files that fail their size/hash check).
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { readRegularJson, UnsafeFileError } from '../../main/platform/safe-read.js';
import path from 'node:path';
import { UsbExportInvalidError } from '../errors.js';
import { signDoc, verifyDoc, type SignedDoc } from '../protocol/signed-doc.js';
import { USB_LIMITS, USB_MANIFEST, USB_PACKETS_DIR, USB_RECEIPTS, usbReceiptsPayloadSchema, type UsbManifestPayload, type UsbReceiptsPayload } from '../protocol/usb.js';
import { isFinalStatus, RegistryClient } from './client.js';
import type { KioskIdentity, Registration } from './identity.js';
import type { Outbox } from './outbox.js';

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // FAT/exFAT drivers may refuse directory fsync; file fsync + rename order still holds.
  }
}

/** Writes `data` as `<file>.partial`, fsyncs it, renames it into place. */
export function writeDurably(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.partial`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export async function exportToUsb(outbox: Outbox, identity: KioskIdentity, dir: string, clock: () => number = Date.now): Promise<SignedDoc<UsbManifestPayload>> {
  mkdirSync(path.join(dir, USB_PACKETS_DIR), { recursive: true });
  const files: UsbManifestPayload['files'] = [];
  for (const e of await outbox.pending()) {
    const bytes = await outbox.read(e.packetId);
    const file = `${USB_PACKETS_DIR}/${e.packetId}.pkt`;
    writeDurably(path.join(dir, file), bytes);
    files.push({ packetId: e.packetId, file, size: e.size, sha256: e.sha256 });
  }
  const manifest = signDoc<UsbManifestPayload>({ type: 'usb-export', exportId: randomUUID(), kioskId: identity.kioskId, createdAt: new Date(clock()).toISOString(), files }, identity.privateKey);
  writeDurably(path.join(dir, USB_MANIFEST), JSON.stringify(manifest, null, 1));
  return manifest;
}

export interface ReceiptImportReport {
  uploaded: number;
  acknowledged: number;
  rejected: number;
  unknown: number;
}

export async function importReceiptsFromUsb(outbox: Outbox, identity: KioskIdentity, registration: Registration, dir: string): Promise<ReceiptImportReport> {
  const file = path.join(dir, USB_RECEIPTS);
  let read: { value: unknown; ok: boolean };
  try {
    read = readRegularJson(file, USB_LIMITS.receiptsBytes);
  } catch (e) {
    if (!(e instanceof UnsafeFileError)) throw e;
    const reason = (e.details as { reason: string }).reason;
    if (reason === 'missing') throw new UsbExportInvalidError('receipts.json missing (registry has not exported receipts to this drive)');
    throw new UsbExportInvalidError(`receipts.json refused: ${reason.replace('_', ' ')}`, { file: USB_RECEIPTS, problem: reason });
  }
  if (!read.ok) throw new UsbExportInvalidError('receipts.json is not JSON (truncated?)');
  const doc = read.value;
  const client = new RegistryClient(identity, registration);
  if (!verifyDoc(doc, client.signingKey)) throw new UsbExportInvalidError('receipts.json is not signed by the registry');
  const parsed = usbReceiptsPayloadSchema.safeParse(doc.payload);
  if (!parsed.success) throw new UsbExportInvalidError('receipts.json does not match the receipts schema', { issues: parsed.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)') });
  const p = parsed.data as unknown as UsbReceiptsPayload;
  if (p.kioskId !== identity.kioskId) throw new UsbExportInvalidError('receipts.json is for another kiosk', { kioskId: p.kioskId });
  const report: ReceiptImportReport = { uploaded: 0, acknowledged: 0, rejected: 0, unknown: 0 };
  for (const r of p.receipts) {
    if (typeof r.payload?.packetId !== 'string') throw new UsbExportInvalidError('a receipt has no packet id');
    const e = await outbox.get(r.payload.packetId);
    if (!e) {
      report.unknown++;
      continue;
    }
    const receipt = client.verifyReceipt(r, { packetId: e.packetId, sha256: e.sha256 });
    if (e.state === 'sealed') {
      await outbox.markUploaded(e.packetId, receipt);
      report.uploaded++;
    }
  }
  for (const s of p.statuses) {
    if (typeof s.payload?.packetId !== 'string') throw new UsbExportInvalidError('a status has no packet id');
    const e = await outbox.get(s.payload.packetId);
    if (!e || e.state !== 'uploaded') continue;
    const status = client.verifyStatus(s, e.packetId);
    if (!isFinalStatus(status.payload.status)) continue;
    await outbox.markAcknowledged(e.packetId, status);
    if (status.payload.status === 'rejected') report.rejected++;
    else report.acknowledged++;
  }
  return report;
}

// Registry side of USB transfer: verify the kiosk-signed manifest and every file, ingest exactly once,
// process, and write signed receipts back to the drive.
import path from 'node:path';
import { readRegularFile, readRegularJson, UnsafeFileError } from '../../main/platform/safe-read.js';
import { publicKeyOf } from '../packet/keys.js';
import { UsbExportInvalidError } from '../errors.js';
import { signDoc, verifyDoc, type SignedDoc } from '../protocol/signed-doc.js';
import { ID_PATTERN } from '../protocol/schemas.js';
import { USB_LIMITS, USB_MANIFEST, USB_RECEIPTS, usbManifestPayloadSchema, type UsbManifestPayload, type UsbReceiptsPayload } from '../protocol/usb.js';
import { writeDurably } from '../engine/usb.js';
import type { Registry } from './registry.js';
import type { KioskRow } from './store/types.js';

function readDriveFile<T>(read: () => T, name: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnsafeFileError) {
      const reason = (e.details as { reason: string }).reason;
      throw new UsbExportInvalidError(reason === 'missing' ? `${name} missing: the export did not finish (drive removed early?)` : `${name} refused: ${reason.replace('_', ' ')}`, { file: name, problem: reason });
    }
    throw e;
  }
}

async function readManifest(registry: Registry, dir: string): Promise<{ manifest: UsbManifestPayload; kiosk: KioskRow }> {
  const { value: doc, ok } = readDriveFile(() => readRegularJson(path.join(dir, USB_MANIFEST), USB_LIMITS.manifestBytes), USB_MANIFEST);
  if (!ok) throw new UsbExportInvalidError('manifest.json is not JSON (truncated?)');
  const kioskId = (doc as { payload?: { kioskId?: unknown } } | null)?.payload?.kioskId;
  const validId = typeof kioskId === 'string' && ID_PATTERN.test(kioskId);
  const kiosk = validId ? await registry.store.getKiosk(kioskId) : undefined;
  if (!kiosk) throw new UsbExportInvalidError('manifest names an unknown kiosk', { kioskId: validId ? kioskId : null });
  if (kiosk.revokedAt) throw new UsbExportInvalidError('kiosk is revoked', { kioskId: kiosk.kioskId });
  if (!verifyDoc(doc, publicKeyOf(kiosk.publicKey, 'Ed25519'))) throw new UsbExportInvalidError('manifest signature does not verify with the kiosk key', { kioskId: kiosk.kioskId });
  // Signed by the kiosk is not well-formed: a stolen kiosk key can sign anything.
  const parsed = usbManifestPayloadSchema.safeParse(doc.payload);
  if (!parsed.success) throw new UsbExportInvalidError('manifest does not match the export schema', { kioskId: kiosk.kioskId, issues: parsed.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)') });
  if (parsed.data.kioskId !== kiosk.kioskId) throw new UsbExportInvalidError('manifest names another kiosk', { kioskId: kiosk.kioskId });
  return { manifest: parsed.data, kiosk };
}

export interface UsbImportReport {
  kioskId: string;
  exportId: string;
  packets: number;
  newlyReceived: number;
}

export async function importFromUsb(registry: Registry, dir: string): Promise<UsbImportReport> {
  let kioskId: string | null = null;
  try {
    const { manifest, kiosk } = await readManifest(registry, dir);
    kioskId = kiosk.kioskId;
    const bad: { packetId: string; problem: string }[] = [];
    const data = new Map<string, Buffer>();
    for (const f of manifest.files) {
      const file = path.resolve(dir, f.file);
      if (!file.startsWith(path.resolve(dir) + path.sep)) {
        bad.push({ packetId: f.packetId, problem: 'bad path' });
        continue;
      }
      try {
        // Regular files only, never more than the declared size read, hashed while read.
        const { bytes, sha256 } = readRegularFile(file, f.size);
        if (bytes.length !== f.size) bad.push({ packetId: f.packetId, problem: 'size mismatch' });
        else if (sha256 !== f.sha256) bad.push({ packetId: f.packetId, problem: 'hash mismatch' });
        else data.set(f.packetId, bytes);
      } catch (e) {
        if (!(e instanceof UnsafeFileError)) throw e;
        const reason = (e.details as { reason: string }).reason;
        bad.push({ packetId: f.packetId, problem: reason === 'too_large' ? 'size mismatch' : reason });
      }
    }
    if (bad.length) throw new UsbExportInvalidError(`${bad.length} packet file(s) incomplete or altered`, { kioskId: kiosk.kioskId, bad: bad.slice(0, 20) });
    let newly = 0;
    for (const f of manifest.files) {
      const before = await registry.store.getPacket(f.packetId);
      await registry.storePacket(kiosk, f.packetId, data.get(f.packetId)!, 'usb');
      if (!before) newly++;
    }
    await registry.processPending();
    await registry.store.audit('usb.imported', kiosk.kioskId, null, { exportId: manifest.exportId, packets: manifest.files.length, newlyReceived: newly }, new Date().toISOString());
    return { kioskId: kiosk.kioskId, exportId: manifest.exportId, packets: manifest.files.length, newlyReceived: newly };
  } catch (e) {
    if (e instanceof UsbExportInvalidError) {
      const named = (e.details as { kioskId?: unknown } | undefined)?.kioskId;
      await registry.store.audit('usb.refused', kioskId ?? (typeof named === 'string' ? named : null), e.code, e.details ?? {}, new Date().toISOString());
    }
    throw e;
  }
}

export async function exportReceiptsToUsb(registry: Registry, dir: string): Promise<SignedDoc<UsbReceiptsPayload>> {
  const { manifest, kiosk } = await readManifest(registry, dir);
  const receipts: UsbReceiptsPayload['receipts'] = [];
  const statuses: UsbReceiptsPayload['statuses'] = [];
  for (const f of manifest.files) {
    const p = await registry.store.getPacket(f.packetId);
    if (!p || p.kioskId !== kiosk.kioskId) continue;
    receipts.push(JSON.parse(p.receipt) as UsbReceiptsPayload['receipts'][number]);
    statuses.push(await registry.statusDoc(p));
  }
  const doc = signDoc<UsbReceiptsPayload>({ type: 'usb-receipts', exportId: manifest.exportId, kioskId: kiosk.kioskId, createdAt: new Date().toISOString(), receipts, statuses }, registry.keys.signingPrivateKey);
  writeDurably(path.join(dir, USB_RECEIPTS), JSON.stringify(doc));
  return doc;
}

// Registry side of USB transfer: verify the kiosk-signed manifest and every file, ingest exactly once,
// process, and write signed receipts back to the drive.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { publicKeyOf } from '../packet/keys.js';
import { UsbExportInvalidError } from '../errors.js';
import { signDoc, verifyDoc, type SignedDoc } from '../protocol/signed-doc.js';
import { USB_MANIFEST, USB_RECEIPTS, type UsbManifestPayload, type UsbReceiptsPayload } from '../protocol/usb.js';
import { writeDurably } from '../engine/usb.js';
import { sha256Hex } from './blobs.js';
import type { Registry } from './registry.js';
import type { KioskRow } from './store/types.js';

async function readManifest(registry: Registry, dir: string): Promise<{ manifest: UsbManifestPayload; kiosk: KioskRow }> {
  const file = path.join(dir, USB_MANIFEST);
  if (!existsSync(file)) throw new UsbExportInvalidError('manifest.json missing: the export did not finish (drive removed early?)');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UsbExportInvalidError('manifest.json is not JSON (truncated?)');
  }
  const kioskId = (doc as { payload?: { kioskId?: unknown } }).payload?.kioskId;
  const kiosk = typeof kioskId === 'string' ? await registry.store.getKiosk(kioskId) : undefined;
  if (!kiosk) throw new UsbExportInvalidError('manifest names an unknown kiosk', { kioskId: typeof kioskId === 'string' ? kioskId : null });
  if (kiosk.revokedAt) throw new UsbExportInvalidError('kiosk is revoked', { kioskId: kiosk.kioskId });
  if (!verifyDoc(doc, publicKeyOf(kiosk.publicKey, 'Ed25519'))) throw new UsbExportInvalidError('manifest signature does not verify with the kiosk key', { kioskId: kiosk.kioskId });
  const manifest = doc.payload as unknown as UsbManifestPayload;
  if (manifest.type !== 'usb-export' || !Array.isArray(manifest.files)) throw new UsbExportInvalidError('not a kiosk export manifest');
  return { manifest, kiosk };
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
      if (!file.startsWith(path.resolve(dir) + path.sep) || !/^[A-Za-z0-9_.:-]{1,128}$/.test(f.packetId)) {
        bad.push({ packetId: String(f.packetId), problem: 'bad path' });
        continue;
      }
      if (!existsSync(file)) bad.push({ packetId: f.packetId, problem: 'missing' });
      else if (statSync(file).size !== f.size) bad.push({ packetId: f.packetId, problem: `size ${statSync(file).size} != ${f.size}` });
      else {
        const bytes = readFileSync(file);
        if (sha256Hex(bytes) !== f.sha256) bad.push({ packetId: f.packetId, problem: 'hash mismatch' });
        else data.set(f.packetId, bytes);
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
    if (e instanceof UsbExportInvalidError) await registry.store.audit('usb.refused', kioskId, e.code, e.details ?? {}, new Date().toISOString());
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

// USB transfer layout (docs/REGISTRY_API.md, "USB transfer"):
//   DIR/packets/<packetId>.pkt   sealed packets, each written as .partial, fsynced, renamed
//   DIR/manifest.json            written last: signed (kiosk Ed25519) list of files with sizes and SHA-256
//   DIR/receipts.json            written by the registry: signed receipts and statuses for the manifest's packets
import type { SignedDoc } from './signed-doc.js';
import type { ReceiptPayload, StatusPayload } from './schemas.js';

export const USB_MANIFEST = 'manifest.json';
export const USB_RECEIPTS = 'receipts.json';
export const USB_PACKETS_DIR = 'packets';

export interface UsbManifestPayload {
  type: 'usb-export';
  exportId: string;
  kioskId: string;
  createdAt: string;
  files: { packetId: string; file: string; size: number; sha256: string }[];
}

export interface UsbReceiptsPayload {
  type: 'usb-receipts';
  exportId: string;
  kioskId: string;
  createdAt: string;
  receipts: SignedDoc<ReceiptPayload>[];
  statuses: SignedDoc<StatusPayload>[];
}

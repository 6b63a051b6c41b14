// USB transfer layout (docs/REGISTRY_API.md, "USB transfer"):
//   DIR/packets/<packetId>.pkt   sealed packets, each written as .partial, fsynced, renamed
//   DIR/manifest.json            written last: signed (kiosk Ed25519) list of files with sizes and SHA-256
//   DIR/receipts.json            written by the registry: signed receipts and statuses for the manifest's packets
import { z } from 'zod';
import type { SignedDoc } from './signed-doc.js';
import { idSchema, sha256Schema, type ReceiptPayload, type StatusPayload } from './schemas.js';

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

/** Caps on what a reader accepts from a drive, checked before a byte is parsed (main/platform/safe-read.ts). */
export const USB_LIMITS = {
  manifestBytes: 4 * 1024 * 1024,
  receiptsBytes: 32 * 1024 * 1024,
  packetBytes: 64 * 1024 * 1024,
  files: 10_000,
} as const;

const iso = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'ISO time');

/** Strict schema of a kiosk's signed export manifest: a signature proves who wrote it, not that it is well-formed. */
export const usbManifestPayloadSchema = z.strictObject({
  type: z.literal('usb-export'),
  exportId: z.string().uuid(),
  kioskId: idSchema,
  createdAt: iso,
  files: z
    .array(
      z.strictObject({
        packetId: idSchema,
        file: z.string().regex(/^packets\/[A-Za-z0-9_.:-]{1,128}\.pkt$/),
        size: z.number().int().positive().max(USB_LIMITS.packetBytes),
        sha256: sha256Schema,
      }),
    )
    .max(USB_LIMITS.files)
    .refine((fs) => new Set(fs.map((f) => f.packetId)).size === fs.length, 'duplicate packetId'),
});

const signedDocShape = z.strictObject({ payload: z.record(z.string(), z.unknown()), alg: z.literal('ed25519'), keyId: z.string().max(128), signature: z.string().max(200) });

/** Strict schema of the registry's signed receipts document (each receipt and status is verified again on its own). */
export const usbReceiptsPayloadSchema = z.strictObject({
  type: z.literal('usb-receipts'),
  exportId: z.string().max(64),
  kioskId: idSchema,
  createdAt: iso,
  receipts: z.array(signedDocShape).max(USB_LIMITS.files),
  statuses: z.array(signedDocShape).max(USB_LIMITS.files),
});

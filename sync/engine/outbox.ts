// What the sync engine needs from the kiosk store. The kiosk implements it over its SQLite store (lead);
// FileOutbox (file-outbox.ts) is the file-backed implementation used by tests, the CLI and USB export.
import type { SignedDoc } from '../protocol/signed-doc.js';
import type { ReceiptPayload, StatusPayload } from '../protocol/schemas.js';

/**
 * sealed → uploaded (registry receipt verified) → acknowledged (final status accepted/duplicate) → purged.
 * A final status "rejected" moves to `rejected`, which is kept for an operator and never purged automatically.
 */
export type OutboxState = 'sealed' | 'uploaded' | 'acknowledged' | 'rejected' | 'purged';

export interface OutboxEntry {
  packetId: string;
  sha256: string;
  size: number;
  sealedAt: string;
  state: OutboxState;
  receipt: SignedDoc<ReceiptPayload> | null;
  status: SignedDoc<StatusPayload> | null;
  uploadedAt: string | null;
  acknowledgedAt: string | null;
}

export interface Outbox {
  /** Entries in state sealed or uploaded (work left for the engine), oldest first. */
  pending(): Promise<OutboxEntry[]>;
  get(packetId: string): Promise<OutboxEntry | undefined>;
  /** The sealed packet bytes (throws when purged). */
  read(packetId: string): Promise<Uint8Array>;
  /** Records the verified registry receipt (idempotent). */
  markUploaded(packetId: string, receipt: SignedDoc<ReceiptPayload>): Promise<void>;
  /** Records a verified final status; only allowed after markUploaded. */
  markAcknowledged(packetId: string, status: SignedDoc<StatusPayload>): Promise<void>;
  /** Deletes the sealed bytes of entries acknowledged before `acknowledgedBefore` (ms); returns their ids. */
  purge(acknowledgedBefore: number): Promise<string[]>;
}

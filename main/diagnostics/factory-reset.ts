// Factory reset by a technician: crypto-erase first (the key ring — the only copy of the data key — is overwritten
// and deleted, so every encrypted field left anywhere on the disk is unreadable), then the data dir is wiped.
// The reset is audited twice: in the store's chain (until it is wiped) and in `factory-reset.json`, a record signed
// with the kiosk key that is then destroyed (its public key is in the record, so support can verify who/when).
import { sign } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../store/crypto/atomic.js';
import { eraseKeyring } from '../store/crypto/keyring.js';
import type { StoreServices } from '../enrollment/services.js';
import { ForbiddenRoleError, type Actor } from '../enrollment/lifecycle.js';
import { FactoryResetConfirmationError } from './errors.js';

export const FACTORY_RESET_RECORD = 'factory-reset.json';

export interface FactoryResetRecord {
  event: 'factory-reset';
  kioskId: string;
  operatorId: string;
  at: string;
  /** The destroyed kiosk key (null when no store was open). */
  kioskKeyFingerprint: string | null;
  kioskPublicKeyPem: string | null;
  /** Ed25519 over the JSON of the fields above, base64. */
  signature: string | null;
  /** Entries that could not be removed (e.g. a file held open on Windows); wipe them by hand. */
  leftovers: string[];
}

export interface FactoryResetOptions {
  dataDir: string;
  kioskId: string;
  actor: Actor;
  /** Must equal the kiosk id, typed by the technician. */
  confirm: string;
  /** The open store; it is closed before the wipe. */
  store: StoreServices | null;
  logger: Pick<Logger, 'warn' | 'error'>;
  clock?: () => number;
}

export async function factoryReset(options: FactoryResetOptions): Promise<FactoryResetRecord> {
  const { actor, store, dataDir } = options;
  if (actor.role !== 'technician') throw new ForbiddenRoleError(actor.role, 'factory-reset the kiosk');
  if (options.confirm.trim() !== options.kioskId) throw new FactoryResetConfirmationError();
  const at = new Date((options.clock ?? Date.now)()).toISOString();
  const body = { event: 'factory-reset' as const, kioskId: options.kioskId, operatorId: actor.operatorId, at, kioskKeyFingerprint: store?.kiosk.fingerprint ?? null, kioskPublicKeyPem: store?.kiosk.publicKeyPem ?? null };
  let signature: string | null = null;
  if (store) {
    await store.audit.append(actor.operatorId, 'kiosk.factoryReset', null);
    signature = sign(null, Buffer.from(JSON.stringify(body), 'utf8'), store.kiosk.signingKey).toString('base64');
    await store.dispose();
  }
  options.logger.warn({ kioskId: options.kioskId, event: 'factory-reset' }, 'factory reset: crypto-erasing the key ring and wiping the data dir');
  eraseKeyring(dataDir);
  const leftovers: string[] = [];
  for (const entry of readdirSync(dataDir)) {
    if (entry === FACTORY_RESET_RECORD) continue;
    try {
      rmSync(path.join(dataDir, entry), { recursive: true, force: true, maxRetries: 3 });
    } catch {
      leftovers.push(entry);
    }
  }
  const record: FactoryResetRecord = { ...body, signature, leftovers };
  writeFileAtomic(path.join(dataDir, FACTORY_RESET_RECORD), Buffer.from(JSON.stringify(record, null, 2) + '\n', 'utf8'), 0o600);
  return record;
}

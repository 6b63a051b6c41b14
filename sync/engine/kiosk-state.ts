// Kiosk sync state in DATA_DIR/sync/: identity.json (Ed25519 key, 0600), registration.json, outbox/.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';
import { NotRegisteredError } from '../errors.js';
import { FileOutbox } from './file-outbox.js';
import type { KioskIdentity, Registration } from './identity.js';

export function syncDir(dataDir: string): string {
  return path.join(dataDir, 'sync');
}

export function loadOrCreateIdentity(dataDir: string, ids: { kioskId: string; centreId: string }): KioskIdentity {
  const dir = syncDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'identity.json');
  if (!existsSync(file)) {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileAtomic(file, JSON.stringify({ kioskId: ids.kioskId, centreId: ids.centreId, privateKeyPem: pem }));
  }
  return loadIdentity(dataDir)!;
}

export function loadIdentity(dataDir: string): KioskIdentity | undefined {
  const file = path.join(syncDir(dataDir), 'identity.json');
  if (!existsSync(file)) return undefined;
  const j = JSON.parse(readFileSync(file, 'utf8')) as { kioskId: string; centreId: string; privateKeyPem: string };
  return { kioskId: j.kioskId, centreId: j.centreId, privateKey: createPrivateKey(j.privateKeyPem) };
}

export function saveRegistration(dataDir: string, r: Registration): void {
  writeFileAtomic(path.join(syncDir(dataDir), 'registration.json'), JSON.stringify(r, null, 1));
}

export function loadRegistration(dataDir: string): Registration {
  const file = path.join(syncDir(dataDir), 'registration.json');
  if (!existsSync(file)) throw new NotRegisteredError();
  return JSON.parse(readFileSync(file, 'utf8')) as Registration;
}

export function openFileOutbox(dataDir: string): FileOutbox {
  return new FileOutbox(path.join(syncDir(dataDir), 'outbox'));
}

// Kiosk sync state in DATA_DIR/sync/: registration.json, the registry's public answer (its keys and the signed kiosk
// certificate). The kiosk's private key is never here: it is the store's identity key, encrypted under the KEK.
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';
import { NotRegisteredError } from '../errors.js';
import type { Registration } from './identity.js';

export function syncDir(dataDir: string): string {
  return path.join(dataDir, 'sync');
}

export function saveRegistration(dataDir: string, r: Registration): void {
  mkdirSync(syncDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(path.join(syncDir(dataDir), 'registration.json'), JSON.stringify(r, null, 1));
}

export function loadRegistration(dataDir: string): Registration {
  const file = path.join(syncDir(dataDir), 'registration.json');
  if (!existsSync(file)) throw new NotRegisteredError();
  return JSON.parse(readFileSync(file, 'utf8')) as Registration;
}

export function isRegistered(dataDir: string): boolean {
  return existsSync(path.join(syncDir(dataDir), 'registration.json'));
}

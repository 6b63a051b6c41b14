// Picks the key protector for the CLI, the browser shell and the demo (Electron passes ElectronSafeStorageProtector):
//   1. an existing key ring decides the mode it was created with;
//   2. otherwise KIOSK_PASSPHRASE (≥ 8 chars) → passphrase mode; else a random KEK in <dataDir>/kek.key (0600, WEAK).
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { keyringExists, readKeyring } from './crypto/keyring.js';
import { KeyFileProtector, PassphraseProtector, type KeyProtector } from './crypto/protectors.js';

export const KEK_FILE = 'kek.key';
export const PASSPHRASE_ENV = 'KIOSK_PASSPHRASE';

export function selectProtector(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyProtector {
  const passphrase = env[PASSPHRASE_ENV];
  const mode = keyringExists(dataDir) ? readKeyring(dataDir).wrapped.mode : passphrase ? 'passphrase' : 'key-file';
  if (mode === 'passphrase') {
    if (!passphrase) throw new KioskError('PASSPHRASE_REQUIRED', `This store is protected by a passphrase: set ${PASSPHRASE_ENV}`);
    return new PassphraseProtector(passphrase);
  }
  if (mode === 'key-file') return new KeyFileProtector(path.join(dataDir, KEK_FILE));
  throw new KioskError('KEYSTORE_REQUIRED', 'This store is protected by the OS key store; open it from the Electron app');
}

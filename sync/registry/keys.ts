// The registry's long-term keys: X25519 (packets are encrypted to it), Ed25519 (receipts, downloads, certificates),
// and the dedup blind-index secret. Created on first start in DATA_DIR/registry-keys.json (0600).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';
import { publicKeyRawOf } from '../packet/keys.js';

export interface RegistryKeys {
  encryptionPrivateKey: KeyObject;
  encryptionPublicKey: string;
  signingPrivateKey: KeyObject;
  signingPublicKey: string;
  signingPublicKeyObject: KeyObject;
  dedupSecret: Buffer;
}

interface KeyFile {
  x25519: string;
  ed25519: string;
  dedupSecret: string;
}

export const REGISTRY_KEYS_FILE = 'registry-keys.json';

export function loadOrCreateRegistryKeys(dataDir: string): RegistryKeys {
  const file = path.join(dataDir, REGISTRY_KEYS_FILE);
  if (!existsSync(file)) {
    const x = generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const e = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const kf: KeyFile = { x25519: x, ed25519: e, dedupSecret: randomBytes(32).toString('base64') };
    writeFileAtomic(file, JSON.stringify(kf));
  }
  const kf = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const enc = createPrivateKey(kf.x25519);
  const sig = createPrivateKey(kf.ed25519);
  return {
    encryptionPrivateKey: enc,
    encryptionPublicKey: publicKeyRawOf(enc).toString('base64'),
    signingPrivateKey: sig,
    signingPublicKey: publicKeyRawOf(sig).toString('base64'),
    signingPublicKeyObject: createPublicKey(sig),
    dedupSecret: Buffer.from(kf.dedupSecret, 'base64'),
  };
}

// The registry's long-term keys: X25519 (packets are encrypted to it), Ed25519 (receipts, downloads, certificates),
// and the dedup blind-index secret. Created on first start in DATA_DIR/registry-keys.json (0600).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { rawPublicKeyOf } from '../packet/keys.js';

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
    // Several registry processes may start at once on a fresh shared folder: the first link() wins, the others
    // read the winner's keys (a rename would let the last writer replace keys another process already uses).
    const tmp = `${file}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(kf));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const kf = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const enc = createPrivateKey(kf.x25519);
  const sig = createPrivateKey(kf.ed25519);
  return {
    encryptionPrivateKey: enc,
    encryptionPublicKey: rawPublicKeyOf(enc).toString('base64'),
    signingPrivateKey: sig,
    signingPublicKey: rawPublicKeyOf(sig).toString('base64'),
    signingPublicKeyObject: createPublicKey(sig),
    dedupSecret: Buffer.from(kf.dedupSecret, 'base64'),
  };
}

// The key ring file (<dataDir>/keyring.json, 0600): the kiosk public key in clear, and the KEK-wrapped key bundle
// { data key (AES-256-GCM fields), index key (HMAC blind indexes, PIN pepper), kiosk Ed25519 private key }.
// Crypto-erase = destroy this file: every field ciphertext in the database becomes unreadable.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync, fsyncSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KioskError } from '../../contract/errors.js';
import { KeyUnwrapError } from '../errors.js';
import { writeFileAtomic, fsyncDir } from './atomic.js';
import { identityFromPkcs8, generateIdentity, privateKeyPkcs8, publicKeyRaw, keyFingerprint, type KioskIdentity } from './identity.js';
import type { KeyMode, KeyProtector } from './protectors.js';

export const KEYRING_FILE = 'keyring.json';

const keyringSchema = z.object({
  format: z.literal('kiosk-keyring'),
  version: z.literal(1),
  createdAt: z.string(),
  kioskId: z.string(),
  kioskPublicKey: z.string(),
  wrapped: z.object({
    mode: z.enum(['os-keystore', 'passphrase', 'key-file', 'tpm2']),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    ciphertext: z.string(),
  }),
});
export type KeyringFile = z.infer<typeof keyringSchema>;

export interface KeyMaterial {
  dataKey: Buffer;
  indexKey: Buffer;
  identity: KioskIdentity;
  publicKeyRaw: Buffer;
  mode: KeyMode;
}

export class KeyringInvalidError extends KioskError {
  override name = 'KeyringInvalidError';
  constructor(file: string, cause?: unknown) {
    super('KEYRING_INVALID', `Key ring ${file} is unreadable or malformed`, { cause, details: { file } });
  }
}

export function keyringPath(dataDir: string): string {
  return path.join(dataDir, KEYRING_FILE);
}

export function keyringExists(dataDir: string): boolean {
  return existsSync(keyringPath(dataDir));
}

/** Reads the clear part of the key ring (mode, public key) without unwrapping anything. */
export function readKeyring(dataDir: string): KeyringFile {
  const file = keyringPath(dataDir);
  try {
    return keyringSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (cause) {
    throw new KeyringInvalidError(file, cause);
  }
}

function bundleBytes(dataKey: Buffer, indexKey: Buffer, identity: KioskIdentity): Buffer {
  return Buffer.from(
    JSON.stringify({ v: 1, dataKey: dataKey.toString('base64'), indexKey: indexKey.toString('base64'), identity: privateKeyPkcs8(identity).toString('base64') }),
    'utf8',
  );
}

export async function createKeyring(dataDir: string, kioskId: string, protector: KeyProtector): Promise<KeyMaterial> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dataKey = randomBytes(32);
  const indexKey = randomBytes(32);
  const identity = generateIdentity();
  const bundle = bundleBytes(dataKey, indexKey, identity);
  const wrapped = await protector.wrap(bundle);
  bundle.fill(0);
  const raw = publicKeyRaw(identity.publicKey);
  const file: KeyringFile = { format: 'kiosk-keyring', version: 1, createdAt: new Date().toISOString(), kioskId, kioskPublicKey: raw.toString('base64'), wrapped };
  writeFileAtomic(keyringPath(dataDir), Buffer.from(JSON.stringify(file, null, 2), 'utf8'), 0o600);
  return { dataKey, indexKey, identity, publicKeyRaw: raw, mode: protector.mode };
}

export async function unlockKeyring(dataDir: string, protector: KeyProtector): Promise<KeyMaterial> {
  const ring = readKeyring(dataDir);
  const bundle = Buffer.from(await protector.unwrap(ring.wrapped));
  let parsed: { dataKey: string; indexKey: string; identity: string };
  try {
    parsed = JSON.parse(bundle.toString('utf8')) as typeof parsed;
  } catch (cause) {
    throw new KeyUnwrapError(protector.mode, { cause });
  } finally {
    bundle.fill(0);
  }
  const identity = identityFromPkcs8(Buffer.from(parsed.identity, 'base64'));
  const raw = publicKeyRaw(identity.publicKey);
  if (raw.toString('base64') !== ring.kioskPublicKey) throw new KeyringInvalidError(keyringPath(dataDir), new Error('public key does not match the wrapped private key'));
  return { dataKey: Buffer.from(parsed.dataKey, 'base64'), indexKey: Buffer.from(parsed.indexKey, 'base64'), identity, publicKeyRaw: raw, mode: ring.wrapped.mode };
}

export function kioskKeyFingerprint(ring: KeyringFile): string {
  return keyFingerprint(Buffer.from(ring.kioskPublicKey, 'base64'));
}

/**
 * Crypto-erase: overwrites the key ring with random bytes, fsyncs, and deletes it. Afterwards every encrypted field in
 * the store is permanently unreadable (the data key existed nowhere else).
 */
export function eraseKeyring(dataDir: string): void {
  const file = keyringPath(dataDir);
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, randomBytes(Math.max(size, 1)), 0, Math.max(size, 1), 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  rmSync(file);
  fsyncDir(dataDir);
}

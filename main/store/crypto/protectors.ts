// Key protectors: where the key-encryption key (KEK) that wraps the store's key bundle comes from.
//   os-keystore  Electron safeStorage (DPAPI / Keychain / libsecret), injected — strong when a real backend is used.
//   passphrase   scrypt(passphrase) — as strong as the passphrase; used by the browser shell, tests and the demo.
//   key-file     a random KEK in a 0600 file next to the data — WEAK: a stolen disk carries its own key.
import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import { KeyModeMismatchError, KeyUnwrapError } from '../errors.js';
import { open, seal } from './aead.js';
import { writeFileAtomic } from './atomic.js';

export type KeyMode = 'os-keystore' | 'passphrase' | 'key-file' | 'tpm2';

export interface KeyModeReport {
  mode: KeyMode;
  /** True for modes that do not protect a stolen kiosk on their own. */
  weak: boolean;
  description: string;
}

export interface WrappedKey {
  mode: KeyMode;
  params: Record<string, string | number>;
  /** base64 */
  ciphertext: string;
}

export interface KeyProtector {
  readonly mode: KeyMode;
  report(): KeyModeReport;
  wrap(secret: Uint8Array): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey): Promise<Uint8Array>;
}

const WRAP_AAD = Buffer.from('kiosk-keyring/v1', 'utf8');

function scrypt(password: string | Buffer, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

function checkMode(expected: KeyMode, wrapped: WrappedKey): void {
  if (wrapped.mode !== expected) throw new KeyModeMismatchError(wrapped.mode, expected);
}

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** Passphrase KEK parameters: N=2^15, r=8, p=1 → 32 MiB, ~0.1–0.3 s per unlock on kiosk hardware. */
export const PASSPHRASE_SCRYPT: ScryptCost = { N: 1 << 15, r: 8, p: 1 };

export class PassphraseProtector implements KeyProtector {
  readonly mode = 'passphrase' as const;
  private readonly passphrase: string;

  constructor(
    passphrase: string,
    private readonly options: { cost?: ScryptCost; weakReason?: string } = {},
  ) {
    if (passphrase.length < 8) throw new KioskError('PASSPHRASE_TOO_SHORT', 'The store passphrase must have at least 8 characters');
    this.passphrase = passphrase.normalize('NFKC');
  }

  report(): KeyModeReport {
    return {
      mode: this.mode,
      weak: this.options.weakReason !== undefined,
      description: this.options.weakReason ?? 'KEK derived from an operator-entered passphrase with scrypt',
    };
  }

  private async kek(salt: Buffer, cost: ScryptCost): Promise<Buffer> {
    return scrypt(this.passphrase, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
  }

  async wrap(secret: Uint8Array): Promise<WrappedKey> {
    const cost = this.options.cost ?? PASSPHRASE_SCRYPT;
    const salt = randomBytes(16);
    const kek = await this.kek(salt, cost);
    return {
      mode: this.mode,
      params: { kdf: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64') },
      ciphertext: Buffer.from(seal(kek, secret, WRAP_AAD)).toString('base64'),
    };
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    checkMode(this.mode, wrapped);
    const { N, r, p, salt } = wrapped.params;
    if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number' || typeof salt !== 'string') throw new KeyUnwrapError(this.mode);
    const kek = await this.kek(Buffer.from(salt, 'base64'), { N, r, p });
    const out = open(kek, Buffer.from(wrapped.ciphertext, 'base64'), WRAP_AAD);
    if (!out) throw new KeyUnwrapError(this.mode);
    return out;
  }
}

export class KeyFilePermissionsError extends KioskError {
  override name = 'KeyFilePermissionsError';
  constructor(file: string, mode: number) {
    super('KEY_FILE_PERMISSIONS', `Key file ${file} is readable by other users (mode ${mode.toString(8)}); expected 0600`, { details: { file, mode } });
  }
}

/** A random 32-byte KEK in a 0600 file. Weak: protects against other local users, not against disk theft. */
export class KeyFileProtector implements KeyProtector {
  readonly mode = 'key-file' as const;

  constructor(readonly file: string) {}

  report(): KeyModeReport {
    return { mode: this.mode, weak: true, description: 'WEAK: KEK stored in a 0600 file on the same disk; a stolen disk carries its own key' };
  }

  private readKek(create: boolean): Buffer {
    if (!existsSync(this.file)) {
      if (!create) throw new KioskError('KEY_FILE_MISSING', `Key file ${this.file} is missing`, { details: { file: this.file } });
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.file, Buffer.from(randomBytes(32).toString('base64') + '\n', 'utf8'), 0o600);
    }
    const st = statSync(this.file);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw new KeyFilePermissionsError(this.file, st.mode & 0o777);
    const kek = Buffer.from(readFileSync(this.file, 'utf8').trim(), 'base64');
    if (kek.length !== 32) throw new KioskError('KEY_FILE_INVALID', `Key file ${this.file} does not hold a 32-byte key`, { details: { file: this.file } });
    return kek;
  }

  async wrap(secret: Uint8Array): Promise<WrappedKey> {
    const kek = this.readKek(true);
    if (process.platform !== 'win32') chmodSync(this.file, 0o600);
    return { mode: this.mode, params: { file: path.basename(this.file) }, ciphertext: Buffer.from(seal(kek, secret, WRAP_AAD)).toString('base64') };
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    checkMode(this.mode, wrapped);
    const out = open(this.readKek(false), Buffer.from(wrapped.ciphertext, 'base64'), WRAP_AAD);
    if (!out) throw new KeyUnwrapError(this.mode);
    return out;
  }
}

/** The subset of Electron's `safeStorage` the adapter needs; main/electron passes the real object. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; 'basic_text' means a hard-coded password, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export class KeystoreUnavailableError extends KioskError {
  override name = 'KeystoreUnavailableError';
  constructor() {
    super('KEYSTORE_UNAVAILABLE', 'The OS key store (safeStorage) is not available on this machine');
  }
}

export class ElectronSafeStorageProtector implements KeyProtector {
  readonly mode = 'os-keystore' as const;

  constructor(private readonly safeStorage: SafeStorageLike) {}

  report(): KeyModeReport {
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    const weak = backend === 'basic_text' || backend === 'unknown' || !this.safeStorage.isEncryptionAvailable();
    return {
      mode: this.mode,
      weak,
      description: weak
        ? `WEAK: OS key store backend ${backend ?? 'unavailable'} does not protect the key`
        : `KEK held by the OS key store${backend ? ` (${backend})` : ''}`,
    };
  }

  async wrap(secret: Uint8Array): Promise<WrappedKey> {
    if (!this.safeStorage.isEncryptionAvailable()) throw new KeystoreUnavailableError();
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    return {
      mode: this.mode,
      params: backend ? { backend } : {},
      ciphertext: this.safeStorage.encryptString(Buffer.from(secret).toString('base64')).toString('base64'),
    };
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    checkMode(this.mode, wrapped);
    if (!this.safeStorage.isEncryptionAvailable()) throw new KeystoreUnavailableError();
    try {
      return Buffer.from(this.safeStorage.decryptString(Buffer.from(wrapped.ciphertext, 'base64')), 'base64');
    } catch (cause) {
      throw new KeyUnwrapError(this.mode, { cause });
    }
  }
}

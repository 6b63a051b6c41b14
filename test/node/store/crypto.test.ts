// Key protectors, key ring, blind index, field cipher AAD binding.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../../main/store/crypto/aead.js';
import { BlindIndexer } from '../../../main/store/crypto/blind-index.js';
import { createKeyring, eraseKeyring, unlockKeyring, keyringPath } from '../../../main/store/crypto/keyring.js';
import { ElectronSafeStorageProtector, KeyFileProtector, PassphraseProtector, type SafeStorageLike } from '../../../main/store/crypto/protectors.js';
import { signBytes, verifyBytes } from '../../../main/store/crypto/identity.js';
import { TamperDetectedError } from '../../../main/store/errors.js';
import { FAST_SCRYPT, tempDataDir } from './helpers.js';

const t = tempDataDir('kiosk-crypto-');
afterAll(() => t.cleanup());

function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike & { calls: number } {
  const secret = 0x5c;
  return {
    calls: 0,
    isEncryptionAvailable: () => true,
    encryptString(s) {
      this.calls++;
      return Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ secret));
    },
    decryptString(b) {
      return Buffer.from(b.map((x) => x ^ secret)).toString('utf8');
    },
    getSelectedStorageBackend: () => backend,
  };
}

describe('key protectors and key ring', () => {
  it('passphrase: wraps the bundle, unlocks with the same passphrase, refuses another', async () => {
    const dir = path.join(t.dir, 'p');
    const made = await createKeyring(dir, 'K-1', new PassphraseProtector('a long passphrase', { cost: FAST_SCRYPT }));
    expect(statSync(keyringPath(dir)).mode & 0o777).toBe(0o600);
    const ring = readFileSync(keyringPath(dir), 'utf8');
    expect(ring).not.toContain(made.dataKey.toString('base64'));
    const back = await unlockKeyring(dir, new PassphraseProtector('a long passphrase'));
    expect(back.dataKey.equals(made.dataKey)).toBe(true);
    expect(back.indexKey.equals(made.indexKey)).toBe(true);
    expect(verifyBytes(made.identity.publicKey, Buffer.from('x'), signBytes(back.identity, Buffer.from('x')))).toBe(true);
    await expect(unlockKeyring(dir, new PassphraseProtector('another passphrase'))).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    await expect(unlockKeyring(dir, new KeyFileProtector(path.join(dir, 'kek.key')))).rejects.toMatchObject({ code: 'KEY_MODE_MISMATCH' });
    expect(() => new PassphraseProtector('short')).toThrow(/at least 8/);
  });

  it('key file: 0600, reported WEAK, refused when group/other readable', async () => {
    const dir = path.join(t.dir, 'k');
    const p = new KeyFileProtector(path.join(dir, 'kek.key'));
    expect(p.report()).toMatchObject({ mode: 'key-file', weak: true });
    const made = await createKeyring(dir, 'K-1', p);
    expect(statSync(path.join(dir, 'kek.key')).mode & 0o777).toBe(0o600);
    expect((await unlockKeyring(dir, p)).dataKey.equals(made.dataKey)).toBe(true);
    chmodSync(path.join(dir, 'kek.key'), 0o644);
    await expect(unlockKeyring(dir, p)).rejects.toMatchObject({ code: 'KEY_FILE_PERMISSIONS' });
  });

  it('Electron safeStorage adapter: uses the injected object; basic_text backend is reported WEAK', async () => {
    const dir = path.join(t.dir, 's');
    const ss = fakeSafeStorage();
    const p = new ElectronSafeStorageProtector(ss);
    expect(p.report()).toMatchObject({ mode: 'os-keystore', weak: false });
    expect(new ElectronSafeStorageProtector(fakeSafeStorage('basic_text')).report()).toMatchObject({ weak: true });
    const made = await createKeyring(dir, 'K-1', p);
    expect(ss.calls).toBe(1);
    expect((await unlockKeyring(dir, p)).dataKey.equals(made.dataKey)).toBe(true);
    const unavailable = new ElectronSafeStorageProtector({ ...fakeSafeStorage(), isEncryptionAvailable: () => false });
    await expect(unlockKeyring(dir, unavailable)).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
  });

  it('erasing the key ring leaves nothing to unwrap', async () => {
    const dir = path.join(t.dir, 'e');
    mkdirSync(dir, { recursive: true });
    await createKeyring(dir, 'K-1', new PassphraseProtector('a long passphrase', { cost: FAST_SCRYPT }));
    eraseKeyring(dir);
    await expect(unlockKeyring(dir, new PassphraseProtector('a long passphrase'))).rejects.toMatchObject({ code: 'KEYRING_INVALID' });
    writeFileSync(path.join(dir, 'keyring.json'), '{}');
    await expect(unlockKeyring(dir, new PassphraseProtector('a long passphrase'))).rejects.toMatchObject({ code: 'KEYRING_INVALID' });
  });
});

describe('field cipher and blind index', () => {
  const key = Buffer.alloc(32, 7);
  const c = new FieldCipher(key, 1);
  it('binds ciphertext to record, field and schema version', () => {
    const ct = c.encrypt('R1', 'demographics', Buffer.from('secret'));
    expect(c.decrypt('R1', 'demographics', ct).toString()).toBe('secret');
    expect(() => c.decrypt('R2', 'demographics', ct)).toThrow(TamperDetectedError);
    expect(() => c.decrypt('R1', 'details', ct)).toThrow(/record R1, field details/);
    expect(() => c.decrypt('R1', 'demographics', ct, 2)).toThrow(TamperDetectedError);
    expect(Buffer.from(c.encrypt('R1', 'demographics', Buffer.from('secret'))).equals(Buffer.from(ct))).toBe(false);
  });
  it('blind index: equal for equal normalised values, differs by key and kind', () => {
    const a = new BlindIndexer(Buffer.alloc(32, 1));
    const b = new BlindIndexer(Buffer.alloc(32, 2));
    expect(a.index('national-number', '2870615 0101234').equals(a.index('national-number', '28706150101234'))).toBe(true);
    expect(a.index('national-number', '28706150101234').equals(b.index('national-number', '28706150101234'))).toBe(false);
    expect(a.index('rid', 'X').equals(a.index('national-number', 'X'))).toBe(false);
  });
});

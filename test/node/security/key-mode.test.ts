// Finding 9 (selection): without KIOSK_PASSPHRASE the key-encryption key used to be a file next to the data. Now a
// new store outside demo mode gets a passphrase (refused when weak), a TPM, or — only with an explicit flag — the
// WEAK key file; otherwise it refuses to start with a typed error naming the options.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passphraseStrength, selectProtector } from '../../../main/store/protector-select.js';

describe('key mode selection', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sec-keymode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('outside demo mode the key file needs KIOSK_ALLOW_KEY_FILE=1; demo mode keeps it (reported weak)', () => {
    expect(() => selectProtector(dir, {}, { demo: false })).toThrow(expect.objectContaining({ code: 'KEY_PROTECTION_REQUIRED' }));
    expect(selectProtector(dir, { KIOSK_ALLOW_KEY_FILE: '1' }, { demo: false }).report()).toMatchObject({ mode: 'key-file', weak: true });
    expect(selectProtector(dir, {}, { demo: true }).mode).toBe('key-file');
  });

  it('a weak passphrase is refused for a new store; a strong one is taken', () => {
    for (const weak of ['12345678', 'password1234', 'aaaaaaaaaaaaaaaa', 'kiosk']) {
      expect(() => selectProtector(dir, { KIOSK_PASSPHRASE: weak }, { demo: false }), weak).toThrow(expect.objectContaining({ code: expect.stringMatching(/PASSPHRASE_TOO_(WEAK|SHORT)/) }));
    }
    expect(passphraseStrength('correct horse battery staple').problem).toBeNull();
    expect(selectProtector(dir, { KIOSK_PASSPHRASE: 'Olive-Tram-42-Quartz' }, { demo: false }).mode).toBe('passphrase');
  });

  it('a named TPM (KIOSK_TPM_TCTI) is chosen over the key file', () => {
    expect(selectProtector(dir, { KIOSK_TPM_TCTI: 'swtpm:port=1' }, { demo: false }).report()).toMatchObject({ mode: 'tpm2', weak: false });
  });
});

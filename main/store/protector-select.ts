// Picks the key protector for the CLI, the browser shell and the demo (Electron passes ElectronSafeStorageProtector):
//   1. an existing key ring decides the mode it was created with;
//   2. otherwise KIOSK_PASSPHRASE → passphrase mode (refused unless strong enough: passphraseStrength());
//   3. otherwise a TPM 2.0 (KIOSK_TPM_TCTI, or /dev/tpmrm0 with tpm2-tools installed) → the KEK is sealed to it;
//   4. otherwise a random KEK in <dataDir>/kek.key — WEAK (a stolen disk carries its key): only in demo mode or with
//      KIOSK_ALLOW_KEY_FILE=1, reported loudly (the store logs it as WEAK; `kiosk doctor` and the store status show it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { keyringExists, readKeyring } from './crypto/keyring.js';
import { KeyFileProtector, PassphraseProtector, type KeyProtector } from './crypto/protectors.js';
import { DEFAULT_TCTI, TpmProtector } from './crypto/tpm.js';

export const KEK_FILE = 'kek.key';
export const PASSPHRASE_ENV = 'KIOSK_PASSPHRASE';
export const TPM_TCTI_ENV = 'KIOSK_TPM_TCTI';
export const ALLOW_KEY_FILE_ENV = 'KIOSK_ALLOW_KEY_FILE';

/**
 * Rough strength of a passphrase in bits (length × log2 of the character classes it uses), and why it is refused.
 * A store passphrase needs ≥ 12 characters and ≥ 70 bits: scrypt makes each guess cost ~0.1 s, not enough for less.
 */
export function passphraseStrength(p: string): { bits: number; problem: string | null } {
  const s = p.normalize('NFKC');
  let pool = 0;
  if (/[a-z]/.test(s)) pool += 26;
  if (/[A-Z]/.test(s)) pool += 26;
  if (/[0-9]/.test(s)) pool += 10;
  if (/[^A-Za-z0-9]/.test(s)) pool += 33;
  const distinct = new Set(s).size;
  const bits = Math.round(Math.min(s.length, distinct * 2) * Math.log2(Math.max(pool, 2)));
  if (s.length < 12) return { bits, problem: 'shorter than 12 characters' };
  if (distinct < 6) return { bits, problem: 'too few different characters' };
  if (bits < 70) return { bits, problem: `about ${bits} bits; use a longer passphrase (several words) or more kinds of characters` };
  return { bits, problem: null };
}

export class WeakPassphraseError extends KioskError {
  override name = 'WeakPassphraseError';
  constructor(problem: string, bits: number) {
    super('PASSPHRASE_TOO_WEAK', `${PASSPHRASE_ENV} is too weak for a new store: ${problem}`, { details: { bits } });
  }
}

function tpmConfigured(env: NodeJS.ProcessEnv): string | null {
  if (env[TPM_TCTI_ENV]) return env[TPM_TCTI_ENV]!;
  const tools = ['/usr/bin/tpm2_createprimary', '/usr/local/bin/tpm2_createprimary'].some((p) => existsSync(p));
  return tools && existsSync(DEFAULT_TCTI.slice('device:'.length)) ? DEFAULT_TCTI : null;
}

export function selectProtector(dataDir: string, env: NodeJS.ProcessEnv = process.env, opts: { demo: boolean } = { demo: false }): KeyProtector {
  const passphrase = env[PASSPHRASE_ENV];
  const existing = keyringExists(dataDir) ? readKeyring(dataDir).wrapped.mode : null;
  // Demo mode uses a TPM only when one is named explicitly (a developer machine's /dev/tpmrm0 is usually root-only).
  const tcti = opts.demo && !env[TPM_TCTI_ENV] ? null : tpmConfigured(env);
  const mode = existing ?? (passphrase ? 'passphrase' : tcti ? 'tpm2' : 'key-file');
  if (mode === 'passphrase') {
    if (!passphrase) throw new KioskError('PASSPHRASE_REQUIRED', `This store is protected by a passphrase: set ${PASSPHRASE_ENV}`);
    if (!existing) {
      const { bits, problem } = passphraseStrength(passphrase);
      if (problem) throw new WeakPassphraseError(problem, bits);
    }
    return new PassphraseProtector(passphrase);
  }
  if (mode === 'tpm2') return new TpmProtector({ tcti: tcti ?? env[TPM_TCTI_ENV] ?? DEFAULT_TCTI });
  if (mode === 'key-file') {
    if (!opts.demo && env[ALLOW_KEY_FILE_ENV] !== '1') {
      throw new KioskError(
        'KEY_PROTECTION_REQUIRED',
        `No key protection for the store outside demo mode: set ${PASSPHRASE_ENV}, provide a TPM 2.0 (${TPM_TCTI_ENV} or /dev/tpmrm0 with tpm2-tools), run the Electron app (OS key store), or accept the WEAK key file explicitly with ${ALLOW_KEY_FILE_ENV}=1`,
        { details: { existing: existing !== null } },
      );
    }
    return new KeyFileProtector(path.join(dataDir, KEK_FILE));
  }
  throw new KioskError('KEYSTORE_REQUIRED', 'This store is protected by the OS key store; open it from the Electron app');
}

// Shared helpers for the store tests: temp data dirs, fast test protector, full synthetic enrollments, fake IPC contexts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { CallContext, OperatorSession } from '../../../main/core/handlers.js';
import { openStoreServices, type OpenStoreServicesOptions, type StoreServices } from '../../../main/enrollment/services.js';
import { demoPerson } from '../../../main/enrollment/demo-people.js';
import type { Actor } from '../../../main/enrollment/lifecycle.js';
import { FINGER_POSITIONS, type DraftPatch } from '../../../main/enrollment/model.js';
import { proceduralFingerCapture, syntheticFace } from '../../../main/enrollment/synthetic.js';
import { PassphraseProtector } from '../../../main/store/crypto/protectors.js';
import { supervisorDedupDecision } from '../../../main/enrollment/evidence.js';

export const silentLogger = pino({ level: 'silent' });
/** Low scrypt cost for tests only (production default is PASSPHRASE_SCRYPT). */
export const FAST_SCRYPT = { N: 1 << 12, r: 8, p: 1 };
export const PASSPHRASE = 'correct horse battery staple';

export const clerk: Actor = { operatorId: 'clerk', role: 'clerk' };
export const supervisor: Actor = { operatorId: 'supervisor', role: 'supervisor' };
export const technician: Actor = { operatorId: 'technician', role: 'technician' };
export const supervisorCreds = { operatorId: 'supervisor', pin: '2222' };

export function tempDataDir(prefix = 'kiosk-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testProtector(passphrase = PASSPHRASE): PassphraseProtector {
  return new PassphraseProtector(passphrase, { cost: FAST_SCRYPT });
}

export function testConfig(dataDir: string, overrides: Partial<OpenStoreServicesOptions['config']> = {}): OpenStoreServicesOptions['config'] {
  return {
    dataDir,
    kioskId: 'K-TEST-01',
    centreId: 'C-TEST',
    demo: true,
    security: { idleTimeoutSeconds: 300, pinMaxAttempts: 3, lockoutMinutes: 15 },
    registry: { url: null, publicKeyFingerprint: null },
    ...overrides,
  };
}

export function openTest(dataDir: string, extra: Partial<OpenStoreServicesOptions> = {}): Promise<StoreServices> {
  return openStoreServices({ config: testConfig(dataDir), logger: silentLogger, protector: testProtector(), ...extra });
}

/**
 * The approval evidence the workflow would have written (main/enrollment/evidence.ts) for store-level tests that move
 * a record along the lifecycle without the wizard: the duplicate search could not run and a supervisor decided "not
 * a duplicate" — over exactly these biometrics (a later biometric edit makes it stale).
 */
export function approvalEvidence(patch: Pick<DraftPatch, 'face' | 'fingers' | 'exceptions'>, supervisorId = 'supervisor'): NonNullable<DraftPatch['workflow']> {
  return supervisorDedupDecision({ face: patch.face ?? null, fingers: patch.fingers ?? [], exceptions: patch.exceptions ?? [] }, supervisorId, 'store test', '2026-01-02T03:04:06.000Z');
}

export function fullPatch(index: number, seed = 1): DraftPatch {
  const subject = `subject-${seed}-${index}`;
  const at = '2026-01-02T03:04:05.000Z';
  const patch: DraftPatch = {
    demographics: demoPerson(index, seed),
    consent: { textVersion: 'v1', timestamp: at, method: 'signed_paper' },
    face: syntheticFace(subject, at),
    fingers: FINGER_POSITIONS.map((p) => proceduralFingerCapture(subject, p, at)),
    exceptions: [],
    geo: { lat: 30.0444, lon: 31.2357 },
  };
  return { ...patch, workflow: approvalEvidence(patch) };
}

export function fakeCtx(connectionId = 'c1'): CallContext & { current(): OperatorSession | null } {
  let session: OperatorSession | null = null;
  return {
    connectionId,
    get session() {
      return session;
    },
    setSession(s) {
      session = s;
    },
    current: () => session,
  };
}

/** Every occurrence of `needle` in `hay`. */
export function contains(hay: Buffer, needle: Buffer): boolean {
  return needle.length > 0 && hay.indexOf(needle) >= 0;
}

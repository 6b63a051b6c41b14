// Operators, sign-in with lockout, idle sessions and role checks. Role checks run in main on every privileged call.
import { randomBytes, randomUUID } from 'node:crypto';
import { KioskError } from '../contract/errors.js';
import type { CallContext, OperatorSession, Role } from '../core/handlers.js';
import { ForbiddenRoleError, type Actor } from '../enrollment/lifecycle.js';
import type { AuditService } from '../store/audit-service.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import type { BlindIndexer } from '../store/crypto/blind-index.js';
import type { StoreClient } from '../store/client.js';
import type { OperatorFingerprintRow, OperatorRow } from '../store/protocol.js';
import { OperatorExistsError, OperatorLockedError, PinChangeRequiredError, ScreenLockedError, UnauthorizedError } from './errors.js';
import { PIN_PATTERN, PIN_SCRYPT, dummyVerify, hashPin, verifyPin, type Pepper } from './pin.js';

export interface SecuritySettings {
  idleTimeoutSeconds: number;
  pinMaxAttempts: number;
  lockoutMinutes: number;
}

export interface OperatorInfo {
  id: string;
  role: Role;
  displayName: string;
  active: boolean;
  locked: boolean;
}

export const OPERATOR_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export type PinState = 'set' | 'temporary' | 'unset';

export interface OnboardingInfo extends OperatorInfo {
  pinState: PinState;
  fingerprints: number;
}

/** The PIN's state rides in its (non-secret) hash parameters: `temp` until the operator chose their own PIN. */
export function pinStateOf(pinParams: string): PinState {
  try {
    const p = JSON.parse(pinParams) as { temp?: unknown; unset?: unknown };
    return p.unset === true ? 'unset' : p.temp === true ? 'temporary' : 'set';
  } catch {
    return 'set';
  }
}

/** PINs anyone would try first: one repeated digit, or a run up or down (1234, 9876). */
export function isTrivialPin(pin: string): boolean {
  const d = [...pin].map(Number);
  const steps = new Set(d.slice(1).map((v, i) => v - d[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

/** Demo-mode operators (documented in docs/STORE.md). Never seeded outside demo mode. */
export const DEMO_OPERATORS: readonly { id: string; role: Role; displayName: string; pin: string }[] = [
  { id: 'clerk', role: 'clerk', displayName: 'Demo Clerk', pin: '1111' },
  { id: 'supervisor', role: 'supervisor', displayName: 'Demo Supervisor', pin: '2222' },
  { id: 'technician', role: 'technician', displayName: 'Demo Technician', pin: '3333' },
];

export class AuthService {
  private readonly pepper: Pepper;
  /** Deactivated or revoked in this process: their open sessions end at the next call. */
  private readonly deactivatedIds = new Set<string>();
  /**
   * Wrong PINs for ids that are not operators here, counted like real ones (attempts left, lockout) so that the answer
   * never tells whether an id exists. In memory only, bounded: nothing to protect behind them.
   */
  private readonly phantomAttempts = new Map<string, { failed: number; lockedUntil: number | null }>();
  private serviceGate: (() => boolean) | null = null;

  /** Until `inService()` is true only technicians pass requireRole (the core sets this from provisioning, non-demo). */
  setServiceGate(inService: () => boolean): void {
    this.serviceGate = inService;
  }

  constructor(
    private readonly deps: {
      store: StoreClient;
      cipher: FieldCipher;
      indexer: BlindIndexer;
      audit: AuditService;
      security: SecuritySettings;
      clock: () => number;
    },
  ) {
    this.pepper = (operatorId, pin) => deps.indexer.pepper('pin', `${operatorId}\u0000${pin}`);
  }

  get idleTimeoutSeconds(): number {
    return this.deps.security.idleTimeoutSeconds;
  }

  /** Technicians manage operators; `bootstrap` is the CLI/demo seeding path (no session exists yet). */
  async createOperator(actor: Actor | 'bootstrap', input: { id: string; role: Role; displayName: string; pin: string; temporary?: boolean }): Promise<OperatorInfo> {
    if (actor !== 'bootstrap') this.requireManage(actor, input.role, 'create operators');
    if (!OPERATOR_ID_PATTERN.test(input.id)) throw new KioskError('VALIDATION_FAILED', 'Operator id: 2–32 lower-case letters, digits, . _ -', { details: { field: 'id' } });
    if (!PIN_PATTERN.test(input.pin)) throw new KioskError('VALIDATION_FAILED', 'PIN must be 4–8 digits', { details: { field: 'pin' } });
    if (await this.deps.store.call('operator.get', { id: input.id })) throw new OperatorExistsError(input.id);
    const { hash, params } = await this.hashWith(input.id, input.pin, input.temporary ? { temp: true } : {});
    const now = this.deps.clock();
    await this.deps.store.call('operator.insert', {
      row: {
        id: input.id,
        role: input.role,
        displayName: this.deps.cipher.encryptJson(`operator:${input.id}`, 'displayName', input.displayName),
        pinHash: hash,
        pinParams: params,
        failedAttempts: 0,
        lockedUntil: null,
        active: true,
        createdAt: now,
      },
      audit: this.deps.audit.entry(actor === 'bootstrap' ? 'system' : actor.operatorId, `operator.create:${input.role}`, input.id),
    });
    return { id: input.id, role: input.role, displayName: input.displayName, active: true, locked: false };
  }

  async listOperators(): Promise<OperatorInfo[]> {
    const now = this.deps.clock();
    return (await this.deps.store.call('operator.list', {})).map((r) => this.info(r, now));
  }

  private info(r: OperatorRow, now: number): OperatorInfo {
    return { id: r.id, role: r.role, displayName: this.deps.cipher.decryptJson<string>(`operator:${r.id}`, 'displayName', r.displayName), active: r.active, locked: (r.lockedUntil ?? 0) > now };
  }

  async hasOperators(): Promise<boolean> {
    return (await this.deps.store.call('operator.list', {})).length > 0;
  }

  /** Checks an operator's PIN, counting failures toward the lockout. Returns the operator's role. */
  async verifyCredentials(operatorId: string, pin: string): Promise<{ operatorId: string; role: Role; pinChangeRequired: boolean }> {
    const now = this.deps.clock();
    const row = OPERATOR_ID_PATTERN.test(operatorId) ? await this.deps.store.call('operator.get', { id: operatorId }) : null;
    // An operator downloaded from the registry has no PIN until a supervisor or technician gives a temporary one.
    if (!row || !row.active || pinStateOf(row.pinParams) === 'unset') {
      await dummyVerify(this.pepper, pin);
      this.phantomFailure(operatorId, now);
    }
    if (row.lockedUntil !== null && row.lockedUntil > now) throw new OperatorLockedError(row.lockedUntil);
    const ok = PIN_PATTERN.test(pin) && (await verifyPin(this.pepper, operatorId, pin, row.pinHash, row.pinParams));
    const { pinMaxAttempts, lockoutMinutes } = this.deps.security;
    const after = await this.deps.store.call('operator.recordAttempt', {
      id: operatorId,
      success: ok,
      at: now,
      maxAttempts: pinMaxAttempts,
      lockoutMs: lockoutMinutes * 60_000,
      audit: this.deps.audit.entry(operatorId, ok ? 'auth.pin.ok' : 'auth.pin.failed', operatorId),
    });
    if (ok) return { operatorId, role: row.role, pinChangeRequired: pinStateOf(row.pinParams) === 'temporary' };
    if (after.lockedUntil !== null && after.lockedUntil > now) {
      await this.deps.audit.append('system', 'auth.locked', operatorId);
      throw new OperatorLockedError(after.lockedUntil);
    }
    throw new UnauthorizedError('bad_credentials', { attemptsLeft: pinMaxAttempts - after.failedAttempts });
  }

  /** Counts a failure for an id that cannot sign in, and answers exactly as for a real operator's wrong PIN. */
  private phantomFailure(operatorId: string, now: number): never {
    const { pinMaxAttempts, lockoutMinutes } = this.deps.security;
    const key = operatorId.slice(0, 64);
    const cur = this.phantomAttempts.get(key) ?? { failed: 0, lockedUntil: null };
    if (cur.lockedUntil !== null && cur.lockedUntil > now) throw new OperatorLockedError(cur.lockedUntil);
    const failed = cur.failed + 1;
    const next = failed >= pinMaxAttempts ? { failed: 0, lockedUntil: now + lockoutMinutes * 60_000 } : { failed, lockedUntil: null };
    this.phantomAttempts.delete(key);
    this.phantomAttempts.set(key, next);
    if (this.phantomAttempts.size > 1000) this.phantomAttempts.delete(this.phantomAttempts.keys().next().value!);
    if (next.lockedUntil !== null) throw new OperatorLockedError(next.lockedUntil);
    throw new UnauthorizedError('bad_credentials', { attemptsLeft: pinMaxAttempts - failed });
  }

  /**
   * Lifts a lockout before it runs out (e.g. a supervisor's PIN mistyped in a co-sign box on a clerk's screen):
   * technicians for anyone, supervisors for clerks and other supervisors; never one's own. Audited.
   */
  async unlockOperator(actor: Actor, id: string): Promise<OnboardingInfo> {
    const row = await this.existing(id);
    if (!(actor.role === 'technician' || (actor.role === 'supervisor' && row.role !== 'technician'))) throw new ForbiddenRoleError(actor.role, 'unlock operators');
    if (id === actor.operatorId) throw new KioskError('VALIDATION_FAILED', 'You cannot unlock yourself', { details: { field: 'id' } });
    const { pinMaxAttempts, lockoutMinutes } = this.deps.security;
    const after = await this.deps.store.call('operator.recordAttempt', {
      id,
      success: true,
      at: this.deps.clock(),
      maxAttempts: pinMaxAttempts,
      lockoutMs: lockoutMinutes * 60_000,
      audit: this.deps.audit.entry(actor.operatorId, 'operator.unlock', id),
    });
    return this.onboardingInfo(after);
  }

  async signIn(operatorId: string, pin: string): Promise<OperatorSession> {
    const { role, pinChangeRequired } = await this.verifyCredentials(operatorId, pin);
    const now = this.deps.clock();
    await this.deps.audit.append(operatorId, 'auth.signIn', null);
    return { sessionId: randomUUID(), operatorId, role, signedInAt: now, lastActivityAt: now, ...(pinChangeRequired ? { pinChangeRequired } : {}) };
  }

  async signOut(session: OperatorSession | null): Promise<void> {
    if (session) await this.deps.audit.append(session.operatorId, 'auth.signOut', null);
  }

  /** Returns the live session with refreshed activity time, or throws UNAUTHORIZED (idle timeout clears it). */
  touch(ctx: CallContext): OperatorSession {
    const s = ctx.session;
    if (!s) throw new UnauthorizedError('not_signed_in');
    if (this.deactivatedIds.has(s.operatorId)) {
      ctx.setSession(null);
      throw new UnauthorizedError('inactive');
    }
    const now = this.deps.clock();
    if (now - s.lastActivityAt > this.deps.security.idleTimeoutSeconds * 1000) {
      ctx.setSession(null);
      throw new UnauthorizedError('idle_timeout');
    }
    if (s.locked) throw new ScreenLockedError();
    if (s.pinChangeRequired) throw new PinChangeRequiredError();
    const refreshed = { ...s, lastActivityAt: now };
    ctx.setSession(refreshed);
    return refreshed;
  }

  /** Locks the screen: the session (and the operator's open draft) stays, every privileged call waits for the PIN. */
  async lock(ctx: CallContext): Promise<OperatorSession> {
    const s = ctx.session?.locked ? ctx.session : this.touch(ctx);
    if (!s.locked) await this.deps.audit.append(s.operatorId, 'auth.lock', null);
    const locked = { ...s, locked: true };
    ctx.setSession(locked);
    return locked;
  }

  /**
   * Unlocks with the signed-in operator's PIN (wrong PINs count toward the lockout like sign-in). The idle timeout
   * still applies while locked: a lock left past it ends the session (the draft stays saved in the store).
   */
  async unlock(ctx: CallContext, pin: string): Promise<OperatorSession> {
    const s = this.peek(ctx);
    if (!s) throw new UnauthorizedError('not_signed_in');
    if (!s.locked) return s;
    await this.verifyCredentials(s.operatorId, pin);
    await this.deps.audit.append(s.operatorId, 'auth.unlock', null);
    const unlocked = { ...s, locked: false, lastActivityAt: this.deps.clock() };
    ctx.setSession(unlocked);
    return unlocked;
  }

  /** The role gate every privileged handler goes through. */
  requireRole(ctx: CallContext, roles: readonly Role[], action: string): Actor {
    const s = this.touch(ctx);
    if (!roles.includes(s.role)) throw new ForbiddenRoleError(s.role, action);
    if (this.serviceGate && s.role !== 'technician' && !this.serviceGate()) {
      throw new KioskError('NOT_IN_SERVICE', 'This kiosk is not in service yet: a technician must complete its set-up', { details: { reason: 'not_in_service' } });
    }
    return { operatorId: s.operatorId, role: s.role };
  }

  /** Reads the session without refreshing it (for kiosk:auth.session); expired sessions read as null. */
  peek(ctx: CallContext): OperatorSession | null {
    const s = ctx.session;
    if (!s) return null;
    if (this.deps.clock() - s.lastActivityAt > this.deps.security.idleTimeoutSeconds * 1000) {
      ctx.setSession(null);
      return null;
    }
    return s;
  }

  // --- operator onboarding ----------------------------------------------------------------------------------------

  private async hashWith(id: string, pin: string, flags: { temp?: true; unset?: true }): Promise<{ hash: Buffer; params: string }> {
    const { hash, params } = await hashPin(this.pepper, id, pin);
    return { hash, params: JSON.stringify({ ...(JSON.parse(params) as object), ...flags }) };
  }

  /** Technicians manage every role; supervisors manage clerks. */
  private requireManage(actor: Actor, targetRole: Role, action: string): void {
    if (actor.role === 'technician' || (actor.role === 'supervisor' && targetRole === 'clerk')) return;
    throw new ForbiddenRoleError(actor.role, `${action} (${targetRole})`);
  }

  private async existing(id: string): Promise<OperatorRow> {
    const row = OPERATOR_ID_PATTERN.test(id) ? await this.deps.store.call('operator.get', { id }) : null;
    if (!row) throw new KioskError('NOT_FOUND', `Operator ${id} not found`, { details: { id } });
    return row;
  }

  private async onboardingInfo(r: OperatorRow): Promise<OnboardingInfo> {
    const fingers = await this.deps.store.call('operator.fingerprint.list', { operatorId: r.id });
    return { ...this.info(r, this.deps.clock()), pinState: pinStateOf(r.pinParams), fingerprints: fingers.length };
  }

  async listOnboarding(): Promise<OnboardingInfo[]> {
    const rows = await this.deps.store.call('operator.list', {});
    const fingers = await this.deps.store.call('operator.fingerprint.list', { operatorId: null });
    const now = this.deps.clock();
    return rows.map((r) => ({ ...this.info(r, now), pinState: pinStateOf(r.pinParams), fingerprints: fingers.filter((f) => f.operatorId === r.id).length }));
  }

  /** A new operator with a temporary PIN: they choose their own at first sign-in. */
  async createWithTemporaryPin(actor: Actor, input: { id: string; role: Role; displayName: string; temporaryPin: string }): Promise<OnboardingInfo> {
    await this.createOperator(actor, { id: input.id, role: input.role, displayName: input.displayName, pin: input.temporaryPin, temporary: true });
    return this.onboardingInfo(await this.existing(input.id));
  }

  /** Forgotten PIN, or first PIN of an operator from the registry: a temporary PIN, changed at next sign-in. */
  async resetPin(actor: Actor, id: string, temporaryPin: string): Promise<OnboardingInfo> {
    const row = await this.existing(id);
    this.requireManage(actor, row.role, 'reset PINs');
    if (!PIN_PATTERN.test(temporaryPin)) throw new KioskError('VALIDATION_FAILED', 'PIN must be 4–8 digits', { details: { field: 'temporaryPin' } });
    const { hash, params } = await this.hashWith(id, temporaryPin, { temp: true });
    const after = await this.deps.store.call('operator.setPin', { id, pinHash: hash, pinParams: params, audit: this.deps.audit.entry(actor.operatorId, 'operator.resetPin', id) });
    return this.onboardingInfo(after);
  }

  /** The signed-in operator replaces their (temporary) PIN; the current one is checked like a sign-in. */
  async setOwnPin(ctx: CallContext, currentPin: string, newPin: string): Promise<void> {
    const s = this.peek(ctx);
    if (!s) throw new UnauthorizedError('not_signed_in');
    if (!PIN_PATTERN.test(newPin)) throw new KioskError('VALIDATION_FAILED', 'PIN must be 4–8 digits', { details: { field: 'newPin' } });
    if (newPin === currentPin) throw new KioskError('PIN_UNCHANGED', 'The new PIN must differ from the temporary one', { details: { field: 'newPin' } });
    if (isTrivialPin(newPin)) throw new KioskError('PIN_TOO_SIMPLE', 'Choose a PIN that is not one repeated digit or a run like 1234', { details: { field: 'newPin' } });
    await this.verifyCredentials(s.operatorId, currentPin);
    const { hash, params } = await this.hashWith(s.operatorId, newPin, {});
    await this.deps.store.call('operator.setPin', { id: s.operatorId, pinHash: hash, pinParams: params, audit: this.deps.audit.entry(s.operatorId, 'operator.setOwnPin', s.operatorId) });
    const { pinChangeRequired: _done, ...rest } = s;
    ctx.setSession({ ...rest, lastActivityAt: this.deps.clock() });
  }

  async deactivate(actor: Actor, id: string): Promise<OnboardingInfo> {
    const row = await this.existing(id);
    this.requireManage(actor, row.role, 'deactivate operators');
    if (id === actor.operatorId) throw new KioskError('VALIDATION_FAILED', 'You cannot deactivate yourself', { details: { field: 'id' } });
    this.deactivatedIds.add(id);
    return this.onboardingInfo(await this.deps.store.call('operator.setActive', { id, active: false, audit: this.deps.audit.entry(actor.operatorId, 'operator.deactivate', id) }));
  }

  /** Operators from the registry's operators download: created without a PIN (pinState `unset`). */
  async importOperators(list: { id: string; role: Role; displayName: string }[], actor: string): Promise<{ created: number }> {
    let created = 0;
    for (const op of list) {
      if (!OPERATOR_ID_PATTERN.test(op.id) || (await this.deps.store.call('operator.get', { id: op.id }))) continue;
      // No PIN yet: random bytes no PIN can hash to (sign-in refuses `unset` before verifying; no scrypt needed).
      const { N, r, p } = PIN_SCRYPT;
      const hash = randomBytes(PIN_SCRYPT.keyLength);
      const params = JSON.stringify({ v: 1, N, r, p, salt: randomBytes(16).toString('base64'), unset: true });
      await this.deps.store.call('operator.insert', {
        row: { id: op.id, role: op.role, displayName: this.deps.cipher.encryptJson(`operator:${op.id}`, 'displayName', op.displayName.slice(0, 80)), pinHash: hash, pinParams: params, failedAttempts: 0, lockedUntil: null, active: true, createdAt: this.deps.clock() },
        audit: this.deps.audit.entry(actor, `operator.import:${op.role}`, op.id),
      });
      created++;
    }
    return { created };
  }

  /** Registry revocations: the operators are deactivated here too (their next sign-in fails). */
  async applyRevocations(operatorIds: string[], actor: string): Promise<{ deactivated: number }> {
    let deactivated = 0;
    for (const id of operatorIds) {
      const row = OPERATOR_ID_PATTERN.test(id) ? await this.deps.store.call('operator.get', { id }) : null;
      if (!row?.active) continue;
      await this.deps.store.call('operator.setActive', { id, active: false, audit: this.deps.audit.entry(actor, 'operator.revoked', id) });
      this.deactivatedIds.add(id);
      deactivated++;
    }
    return { deactivated };
  }

  /** Stores an operator finger template (sealed) for fingerprint sign-in and the dedup operator gallery. */
  async enrolFinger(actor: Actor, id: string, finger: { position: number; template: Uint8Array; format: string; quality: number }): Promise<OnboardingInfo> {
    const row = await this.existing(id);
    if (actor.operatorId !== id) this.requireManage(actor, row.role, 'enrol operator fingerprints');
    if (!Number.isInteger(finger.position) || finger.position < 1 || finger.position > 10) throw new KioskError('VALIDATION_FAILED', 'Finger position must be 1–10', { details: { field: 'position' } });
    await this.deps.store.call('operator.fingerprint.put', {
      row: { operatorId: id, position: finger.position, template: this.deps.cipher.encrypt(`operator:${id}`, `finger:${finger.position}`, finger.template), format: finger.format, quality: Math.round(finger.quality), createdAt: this.deps.clock() },
      audit: this.deps.audit.entry(actor.operatorId, `operator.enrolFinger:${finger.position}`, id),
    });
    return this.onboardingInfo(row);
  }

  /**
   * Sign-in with an enrolled finger instead of the PIN: `verify` compares a live capture with the operator's templates.
   * Failures count toward the same lockout as wrong PINs.
   */
  async signInWithFinger(operatorId: string, verify: (templates: Uint8Array[]) => Promise<boolean>): Promise<OperatorSession> {
    const now = this.deps.clock();
    const row = OPERATOR_ID_PATTERN.test(operatorId) ? await this.deps.store.call('operator.get', { id: operatorId }) : null;
    if (!row || !row.active || pinStateOf(row.pinParams) === 'unset') throw new UnauthorizedError('bad_credentials');
    if (row.lockedUntil !== null && row.lockedUntil > now) throw new OperatorLockedError(row.lockedUntil);
    const rows = await this.deps.store.call('operator.fingerprint.list', { operatorId });
    if (rows.length === 0) throw new KioskError('NO_OPERATOR_FINGERPRINT', 'No finger is enrolled for this operator: sign in with the PIN', { details: { reason: 'no_fingerprint' } });
    const ok = await verify(rows.map((r) => new Uint8Array(this.deps.cipher.decrypt(`operator:${operatorId}`, `finger:${r.position}`, r.template))));
    const { pinMaxAttempts, lockoutMinutes } = this.deps.security;
    const after = await this.deps.store.call('operator.recordAttempt', { id: operatorId, success: ok, at: now, maxAttempts: pinMaxAttempts, lockoutMs: lockoutMinutes * 60_000, audit: this.deps.audit.entry(operatorId, ok ? 'auth.finger.ok' : 'auth.finger.failed', operatorId) });
    if (!ok) {
      if (after.lockedUntil !== null && after.lockedUntil > now) throw new OperatorLockedError(after.lockedUntil);
      throw new UnauthorizedError('bad_credentials', { attemptsLeft: pinMaxAttempts - after.failedAttempts });
    }
    await this.deps.audit.append(operatorId, 'auth.signIn', 'finger');
    const temporary = pinStateOf(row.pinParams) === 'temporary';
    return { sessionId: randomUUID(), operatorId, role: row.role, signedInAt: now, lastActivityAt: now, ...(temporary ? { pinChangeRequired: true } : {}) };
  }

  /** Decrypted finger templates of active operators (the dedup operator gallery and fingerprint sign-in read these). */
  async operatorFingerTemplates(): Promise<{ operatorId: string; position: number; format: string; template: Uint8Array }[]> {
    const active = new Set((await this.deps.store.call('operator.list', {})).filter((r) => r.active).map((r) => r.id));
    const rows: OperatorFingerprintRow[] = await this.deps.store.call('operator.fingerprint.list', { operatorId: null });
    return rows.filter((r) => active.has(r.operatorId)).map((r) => ({ operatorId: r.operatorId, position: r.position, format: r.format, template: new Uint8Array(this.deps.cipher.decrypt(`operator:${r.operatorId}`, `finger:${r.position}`, r.template)) }));
  }

  async seedDemoOperators(): Promise<void> {
    for (const op of DEMO_OPERATORS) if (!(await this.deps.store.call('operator.get', { id: op.id }))) await this.createOperator('bootstrap', op);
  }
}

// Operators, sign-in with lockout, idle sessions and role checks. Role checks run in main on every privileged call.
import { randomUUID } from 'node:crypto';
import { KioskError } from '../contract/errors.js';
import type { CallContext, OperatorSession, Role } from '../core/handlers.js';
import { ForbiddenRoleError, type Actor } from '../enrollment/lifecycle.js';
import type { AuditService } from '../store/audit-service.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import type { BlindIndexer } from '../store/crypto/blind-index.js';
import type { StoreClient } from '../store/client.js';
import type { OperatorRow } from '../store/protocol.js';
import { OperatorExistsError, OperatorLockedError, ScreenLockedError, UnauthorizedError } from './errors.js';
import { PIN_PATTERN, dummyVerify, hashPin, verifyPin, type Pepper } from './pin.js';

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

/** Demo-mode operators (documented in docs/STORE.md). Never seeded outside demo mode. */
export const DEMO_OPERATORS: readonly { id: string; role: Role; displayName: string; pin: string }[] = [
  { id: 'clerk', role: 'clerk', displayName: 'Demo Clerk', pin: '1111' },
  { id: 'supervisor', role: 'supervisor', displayName: 'Demo Supervisor', pin: '2222' },
  { id: 'technician', role: 'technician', displayName: 'Demo Technician', pin: '3333' },
];

export class AuthService {
  private readonly pepper: Pepper;

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
  async createOperator(actor: Actor | 'bootstrap', input: { id: string; role: Role; displayName: string; pin: string }): Promise<OperatorInfo> {
    if (actor !== 'bootstrap' && actor.role !== 'technician') throw new ForbiddenRoleError(actor.role, 'create operators');
    if (!OPERATOR_ID_PATTERN.test(input.id)) throw new KioskError('VALIDATION_FAILED', 'Operator id: 2–32 lower-case letters, digits, . _ -', { details: { field: 'id' } });
    if (!PIN_PATTERN.test(input.pin)) throw new KioskError('VALIDATION_FAILED', 'PIN must be 4–8 digits', { details: { field: 'pin' } });
    if (await this.deps.store.call('operator.get', { id: input.id })) throw new OperatorExistsError(input.id);
    const { hash, params } = await hashPin(this.pepper, input.id, input.pin);
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
  async verifyCredentials(operatorId: string, pin: string): Promise<{ operatorId: string; role: Role }> {
    const now = this.deps.clock();
    const row = OPERATOR_ID_PATTERN.test(operatorId) ? await this.deps.store.call('operator.get', { id: operatorId }) : null;
    if (!row || !row.active) {
      await dummyVerify(this.pepper, pin);
      throw new UnauthorizedError('bad_credentials');
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
    if (ok) return { operatorId, role: row.role };
    if (after.lockedUntil !== null && after.lockedUntil > now) {
      await this.deps.audit.append('system', 'auth.locked', operatorId);
      throw new OperatorLockedError(after.lockedUntil);
    }
    throw new UnauthorizedError('bad_credentials', { attemptsLeft: pinMaxAttempts - after.failedAttempts });
  }

  async signIn(operatorId: string, pin: string): Promise<OperatorSession> {
    const { role } = await this.verifyCredentials(operatorId, pin);
    const now = this.deps.clock();
    await this.deps.audit.append(operatorId, 'auth.signIn', null);
    return { sessionId: randomUUID(), operatorId, role, signedInAt: now, lastActivityAt: now };
  }

  async signOut(session: OperatorSession | null): Promise<void> {
    if (session) await this.deps.audit.append(session.operatorId, 'auth.signOut', null);
  }

  /** Returns the live session with refreshed activity time, or throws UNAUTHORIZED (idle timeout clears it). */
  touch(ctx: CallContext): OperatorSession {
    const s = ctx.session;
    if (!s) throw new UnauthorizedError('not_signed_in');
    const now = this.deps.clock();
    if (now - s.lastActivityAt > this.deps.security.idleTimeoutSeconds * 1000) {
      ctx.setSession(null);
      throw new UnauthorizedError('idle_timeout');
    }
    if (s.locked) throw new ScreenLockedError();
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

  async seedDemoOperators(): Promise<void> {
    for (const op of DEMO_OPERATORS) if (!(await this.deps.store.call('operator.get', { id: op.id }))) await this.createOperator('bootstrap', op);
  }
}

// The enrollment lifecycle. Every state change in the kiosk goes through assertTransition — the ONE place where
// legal transitions and the roles allowed to make them are defined.
//
//   draft → captured → pending_approval → approved → sealed → uploaded → acknowledged → purged
//                                       ↘ rejected → draft | purged
//   captured → draft (recapture); draft → purged (abandoned)
import { KioskError } from '../contract/errors.js';
import type { Role } from '../core/handlers.js';

export const ENROLLMENT_STATUSES = ['draft', 'captured', 'pending_approval', 'approved', 'rejected', 'sealed', 'uploaded', 'acknowledged', 'purged'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** `system` is the kiosk itself (sealing after approval) and the sync engine (upload, acknowledgement, purge). */
export type Actor = { operatorId: string; role: Role } | { operatorId: 'system'; role: 'system' };
export type ActorRole = Actor['role'];

const staff: ActorRole[] = ['clerk', 'supervisor'];

export const TRANSITIONS: Readonly<Record<EnrollmentStatus, Readonly<Partial<Record<EnrollmentStatus, readonly ActorRole[]>>>>> = {
  draft: { captured: staff, purged: staff },
  captured: { pending_approval: staff, draft: staff },
  pending_approval: { approved: ['supervisor'], rejected: ['supervisor'] },
  approved: { sealed: ['system', 'supervisor'] },
  rejected: { draft: staff, purged: ['supervisor', 'system'] },
  // Only the sync outbox (system) moves a sealed record, on a verified registry receipt and status.
  sealed: { uploaded: ['system'] },
  uploaded: { acknowledged: ['system'] },
  acknowledged: { purged: ['system'] },
  purged: {},
};

export class IllegalTransitionError extends KioskError {
  override name = 'IllegalTransitionError';
  constructor(
    readonly from: EnrollmentStatus,
    readonly to: EnrollmentStatus,
    recordId?: string,
  ) {
    super('ILLEGAL_TRANSITION', `Illegal enrollment transition ${from} → ${to}`, { details: { from, to, ...(recordId ? { recordId } : {}) } });
  }
}

export class ForbiddenRoleError extends KioskError {
  override name = 'ForbiddenRoleError';
  constructor(role: string, action: string) {
    super('FORBIDDEN_ROLE', `Role ${role} may not ${action}`, { details: { role, action } });
  }
}

export function canTransition(from: EnrollmentStatus, to: EnrollmentStatus): boolean {
  return TRANSITIONS[from][to] !== undefined;
}

/** Throws IllegalTransitionError for an illegal edge, ForbiddenRoleError when the actor's role may not take it. */
export function assertTransition(from: EnrollmentStatus, to: EnrollmentStatus, actor: Actor, recordId?: string): void {
  const roles = TRANSITIONS[from][to];
  if (!roles) throw new IllegalTransitionError(from, to, recordId);
  if (!roles.includes(actor.role)) throw new ForbiddenRoleError(actor.role, `move an enrollment from ${from} to ${to}`);
}

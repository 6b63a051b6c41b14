// The enrollment wizard's state machine: a pure transition function over facts derived from the record. Every
// step has a guard (what must hold before leaving it); every event names who may send it and in which status.
//
//   consent → demographics → face → fingers → dedup → review → approval → receipt
//   (draft ·····················································) (pending_approval) (approved/sealed/…)
//
// Going back is always allowed while the record is a draft (and from a rejected record, which reopens it as a draft);
// going forward by goTo only to a step already reached whose earlier steps are all complete.
import { KioskError } from '../contract/errors.js';
import { WORKFLOW_STEPS, type WorkflowAction, type WorkflowMessage, type WorkflowStep } from '../contract/channels/workflow.js';
import type { EnrollmentStatus } from '../enrollment/lifecycle.js';

export type FaceFact = 'none' | 'pass' | 'failed' | 'overridden' | 'excepted';
export type DedupFact = 'not_run' | 'unavailable' | 'clear' | 'possible_duplicate' | 'duplicate' | 'adjudicated_not_duplicate' | 'adjudicated_duplicate';

/** What the guards look at; built from the decrypted record + workflow state (service.ts: factsOf). */
export interface WorkflowFacts {
  status: EnrollmentStatus;
  step: WorkflowStep;
  /** Furthest step reached. */
  reached: WorkflowStep;
  role: 'clerk' | 'supervisor';
  consent: 'none' | 'current' | 'outdated';
  consentVersion: string;
  demographicsErrors: number;
  face: FaceFact;
  faceFailedChecks: string[];
  padSuspected: boolean;
  fingersMissing: number[];
  fingerSequenceMismatches: number[];
  /** The finger capture service is wired (otherwise the fingers step is blocked with an explanation). */
  fingerCaptureAvailable: boolean;
  dedup: DedupFact;
  possibleDuplicates: number;
  operatorMatch: string | null;
  rejectedReason: string | null;
  /** A household member under the configured age: the face may be skipped (no fingerprints: fingersMissing is empty). */
  faceOptional?: boolean;
}

export type WorkflowEvent =
  | { type: 'consent.submit' }
  | { type: 'demographics.save' }
  | { type: 'demographics.submit' }
  | { type: 'face.bind' }
  | { type: 'face.override' }
  | { type: 'face.exception' }
  | { type: 'fingers.bind' }
  | { type: 'dedup.run' }
  | { type: 'dedup.adjudicate'; decision: 'not_duplicate' | 'duplicate' }
  | { type: 'review.confirm' }
  | { type: 'approval.approve' }
  | { type: 'approval.reject' }
  | { type: 'receipt.get' }
  | { type: 'goTo'; step: WorkflowStep }
  | { type: 'abandon' };

export interface TransitionResult {
  step: WorkflowStep;
  reached: WorkflowStep;
  /** Lifecycle status changes the service must make (in order) for this event. */
  statusChanges: EnrollmentStatus[];
}

export class WorkflowBlockedError extends KioskError {
  override name = 'WorkflowBlockedError';
  constructor(step: WorkflowStep, readonly blockers: WorkflowMessage[]) {
    super('WORKFLOW_BLOCKED', `Step ${step} is not complete: ${blockers.map((b) => b.key).join(', ')}`, { details: { step, blockers: blockers.map((b) => ({ key: b.key, params: b.params })) } });
  }
}

export class WorkflowActionNotAllowedError extends KioskError {
  override name = 'WorkflowActionNotAllowedError';
  constructor(action: string, step: WorkflowStep, status: EnrollmentStatus, why: string) {
    super('WORKFLOW_ACTION_NOT_ALLOWED', `${action} is not allowed at step ${step} (${status}): ${why}`, { details: { action, step, status, why } });
  }
}

export const stepIndex = (s: WorkflowStep): number => WORKFLOW_STEPS.indexOf(s);
const later = (a: WorkflowStep, b: WorkflowStep): WorkflowStep => (stepIndex(a) >= stepIndex(b) ? a : b);
const msg = (key: string, params: Record<string, string | number> = {}): WorkflowMessage => ({ key, params });

/** Draft-editable steps (the record is still a draft while the clerk is in them). */
const DRAFT_STEPS: readonly WorkflowStep[] = ['consent', 'demographics', 'face', 'fingers', 'dedup', 'review'];

/** The step a record in `status` is at, whatever the persisted step says (status wins: it is the lifecycle). */
export function stepForStatus(status: EnrollmentStatus, persisted: WorkflowStep): WorkflowStep {
  switch (status) {
    case 'draft':
      return DRAFT_STEPS.includes(persisted) ? persisted : 'review';
    case 'captured':
      return 'review';
    case 'pending_approval':
    case 'rejected':
      return 'approval';
    default:
      return 'receipt';
  }
}

/** Guard of each step: what blocks leaving it (empty = complete). */
export function blockersOf(step: WorkflowStep, f: WorkflowFacts): WorkflowMessage[] {
  switch (step) {
    case 'consent':
      if (f.consent === 'none') return [msg('workflow.block.consentMissing')];
      if (f.consent === 'outdated') return [msg('workflow.block.consentVersionOutdated', { version: f.consentVersion })];
      return [];
    case 'demographics':
      return f.demographicsErrors > 0 ? [msg('workflow.block.demographicsInvalid', { count: f.demographicsErrors })] : [];
    case 'face':
      if (f.face === 'none') return f.faceOptional ? [] : [msg('workflow.block.faceMissing')];
      if (f.face === 'failed') return [...(f.faceFailedChecks.length ? [msg('workflow.block.faceChecksFailed', { checks: f.faceFailedChecks.join(', ') })] : []), ...(f.padSuspected ? [msg('workflow.block.facePadSuspected')] : [])];
      return [];
    case 'fingers': {
      const out: WorkflowMessage[] = [];
      if (!f.fingerCaptureAvailable && f.fingersMissing.length) out.push(msg('workflow.block.fingerCaptureUnavailable'));
      if (f.fingersMissing.length) out.push(msg('workflow.block.fingersMissing', { positions: f.fingersMissing.join(', ') }));
      if (f.fingerSequenceMismatches.length) out.push(msg('workflow.block.fingerSequence', { positions: f.fingerSequenceMismatches.join(', ') }));
      return out;
    }
    case 'dedup':
      switch (f.dedup) {
        case 'not_run':
          return [msg('workflow.block.dedupNotRun')];
        case 'unavailable':
          return [msg('workflow.block.dedupUnavailable')];
        case 'possible_duplicate':
        case 'duplicate':
          return [msg('workflow.block.possibleDuplicate', { count: f.possibleDuplicates }), ...(f.operatorMatch ? [msg('workflow.block.operatorMatch', { operatorId: f.operatorMatch })] : [])];
        case 'clear':
          return f.operatorMatch ? [msg('workflow.block.operatorMatch', { operatorId: f.operatorMatch })] : [];
        case 'adjudicated_duplicate':
          return [msg('workflow.block.possibleDuplicate', { count: f.possibleDuplicates })];
        case 'adjudicated_not_duplicate':
          return [];
      }
      return [];
    case 'review':
      return [];
    case 'approval':
      if (f.status === 'rejected') return [msg('workflow.block.rejected', { reason: f.rejectedReason ?? '' })];
      return f.status === 'pending_approval' ? [msg('workflow.block.awaitingApproval')] : [];
    case 'receipt':
      return [];
  }
}

/** The first draft step before `target` that is not complete, or null. */
function firstIncompleteBefore(target: WorkflowStep, f: WorkflowFacts): WorkflowStep | null {
  for (const s of DRAFT_STEPS) {
    if (stepIndex(s) >= stepIndex(target)) return null;
    if (blockersOf(s, f).length) return s;
  }
  return null;
}

function requireStep(action: string, f: WorkflowFacts, ...steps: WorkflowStep[]): void {
  if (!steps.includes(f.step)) throw new WorkflowActionNotAllowedError(action, f.step, f.status, `only at ${steps.join(' or ')}`);
}

function requireStatus(action: string, f: WorkflowFacts, ...statuses: EnrollmentStatus[]): void {
  if (!statuses.includes(f.status)) throw new WorkflowActionNotAllowedError(action, f.step, f.status, `only when ${statuses.join(' or ')}`);
}

function complete(step: WorkflowStep, f: WorkflowFacts): void {
  const b = blockersOf(step, f);
  if (b.length) throw new WorkflowBlockedError(step, b);
}

function advance(f: WorkflowFacts, to: WorkflowStep, statusChanges: EnrollmentStatus[] = []): TransitionResult {
  return { step: to, reached: later(f.reached, to), statusChanges };
}

const stay = (f: WorkflowFacts): TransitionResult => ({ step: f.step, reached: f.reached, statusChanges: [] });

/**
 * The transition function. `f` must be the facts AFTER the event's data was applied (e.g. the bound face), so the
 * guard of the step being left sees it. Throws WorkflowBlockedError / WorkflowActionNotAllowedError.
 */
export function transition(f: WorkflowFacts, e: WorkflowEvent): TransitionResult {
  switch (e.type) {
    case 'consent.submit':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'consent');
      complete('consent', f);
      return advance(f, 'demographics');
    case 'demographics.save':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'demographics');
      return stay(f);
    case 'demographics.submit':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'demographics');
      complete('demographics', f);
      return advance(f, 'face');
    case 'face.bind':
    case 'face.override':
    case 'face.exception':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'face');
      if (e.type !== 'face.bind' && f.role !== 'supervisor') throw new WorkflowActionNotAllowedError(e.type, f.step, f.status, 'needs a supervisor');
      // A failing capture is kept on the draft (the clerk sees why) but the step stays until retake or override.
      if (f.face === 'failed' || (f.face === 'none' && !f.faceOptional)) return stay(f);
      return advance(f, 'fingers');
    case 'fingers.bind':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'fingers');
      if (blockersOf('fingers', f).length) return stay(f);
      return advance(f, 'dedup');
    case 'dedup.run':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'dedup');
      // Dedup needs every biometric step before it complete.
      {
        const missing = firstIncompleteBefore('dedup', f);
        if (missing) throw new WorkflowBlockedError(missing, blockersOf(missing, f));
      }
      return blockersOf('dedup', f).length ? stay(f) : advance(f, 'review');
    case 'dedup.adjudicate':
      requireStatus(e.type, f, 'draft');
      requireStep(e.type, f, 'dedup');
      if (f.role !== 'supervisor') throw new WorkflowActionNotAllowedError(e.type, f.step, f.status, 'needs a supervisor');
      if (f.dedup === 'not_run' || f.dedup === 'clear' && !f.operatorMatch) throw new WorkflowActionNotAllowedError(e.type, f.step, f.status, 'nothing to adjudicate');
      if (e.decision === 'duplicate') return { step: 'dedup', reached: f.reached, statusChanges: ['purged'] };
      return advance(f, 'review');
    case 'review.confirm': {
      requireStatus(e.type, f, 'draft', 'captured');
      requireStep(e.type, f, 'review');
      const missing = firstIncompleteBefore('review', f);
      if (missing) throw new WorkflowBlockedError(missing, blockersOf(missing, f));
      // `captured` is left behind by a crash between the two status changes: only the second one is still to do.
      return advance(f, 'approval', f.status === 'captured' ? ['pending_approval'] : ['captured', 'pending_approval']);
    }
    case 'approval.approve':
    case 'approval.reject':
      requireStatus(e.type, f, 'pending_approval');
      if (f.role !== 'supervisor') throw new WorkflowActionNotAllowedError(e.type, f.step, f.status, 'needs a supervisor');
      return e.type === 'approval.approve' ? advance(f, 'receipt', ['approved']) : { step: 'approval', reached: f.reached, statusChanges: ['rejected'] };
    case 'receipt.get':
      requireStep(e.type, f, 'receipt');
      return stay(f);
    case 'goTo': {
      const target = e.step;
      if (!DRAFT_STEPS.includes(target)) throw new WorkflowActionNotAllowedError(`goTo ${target}`, f.step, f.status, 'only wizard steps up to review can be opened');
      if (f.status === 'rejected') return { step: target, reached: f.reached, statusChanges: ['draft'] };
      requireStatus(`goTo ${target}`, f, 'draft');
      if (stepIndex(target) <= stepIndex(f.step)) return { step: target, reached: f.reached, statusChanges: [] };
      if (stepIndex(target) > stepIndex(f.reached)) throw new WorkflowActionNotAllowedError(`goTo ${target}`, f.step, f.status, 'step not reached yet');
      const missing = firstIncompleteBefore(target, f);
      if (missing) throw new WorkflowBlockedError(missing, blockersOf(missing, f));
      return { step: target, reached: f.reached, statusChanges: [] };
    }
    case 'abandon':
      requireStatus(e.type, f, 'draft');
      return { step: f.step, reached: f.reached, statusChanges: ['purged'] };
  }
}

/** Actions the UI may offer now (each one would pass transition()'s status/step/role checks). */
export function allowedActions(f: WorkflowFacts): WorkflowAction[] {
  const out: WorkflowAction[] = [];
  const sup = f.role === 'supervisor';
  if (f.status === 'draft') {
    out.push('goTo', 'abandon');
    switch (f.step) {
      case 'consent':
        out.push('consent.submit');
        break;
      case 'demographics':
        out.push('demographics.save', 'demographics.submit');
        break;
      case 'face':
        out.push('face.bind');
        if (sup) out.push('face.exception');
        if (sup && f.face === 'failed') out.push('face.override');
        break;
      case 'fingers':
        out.push('fingers.bind');
        break;
      case 'dedup':
        out.push('dedup.run');
        if (sup && f.dedup !== 'not_run' && (f.dedup !== 'clear' || f.operatorMatch)) out.push('dedup.adjudicate');
        break;
      case 'review':
        out.push('review.confirm');
        break;
      default:
        break;
    }
  } else if (f.status === 'captured') out.push('review.confirm');
  else if (f.status === 'pending_approval' && sup) out.push('approval.approve', 'approval.reject');
  else if (f.status === 'rejected') out.push('goTo');
  if (f.step === 'receipt') out.push('receipt.get');
  return out;
}

/** Per-step state for the wizard's progress bar. */
export function stepStates(f: WorkflowFacts): { step: WorkflowStep; state: 'done' | 'current' | 'pending' | 'blocked'; canGoTo: boolean }[] {
  return WORKFLOW_STEPS.map((s) => {
    const i = stepIndex(s);
    const cur = stepIndex(f.step);
    const current = s === f.step;
    const open = blockersOf(s, f).length > 0;
    let state: 'done' | 'current' | 'pending' | 'blocked';
    if (current) state = open && s !== 'approval' ? 'blocked' : 'current';
    else if (f.status === 'draft' && DRAFT_STEPS.includes(s)) state = i < cur ? (open ? 'blocked' : 'done') : i <= stepIndex(f.reached) && !open ? 'done' : 'pending';
    else state = i < cur ? 'done' : 'pending';
    let canGoTo = false;
    if (DRAFT_STEPS.includes(s) && (f.status === 'draft' || f.status === 'rejected') && !current) {
      try {
        transition(f, { type: 'goTo', step: s });
        canGoTo = true;
      } catch {
        canGoTo = false;
      }
    }
    return { step: s, state, canGoTo };
  });
}

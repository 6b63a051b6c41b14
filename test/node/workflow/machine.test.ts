// The workflow state machine: every transition, every guard, the allowed-actions list, step states.
import { describe, expect, it } from 'vitest';
import { WORKFLOW_STEPS, type WorkflowStep } from '../../../main/contract/channels/workflow.js';
import { ENROLLMENT_STATUSES } from '../../../main/enrollment/lifecycle.js';
import {
  WorkflowActionNotAllowedError,
  WorkflowBlockedError,
  allowedActions,
  blockersOf,
  stepForStatus,
  stepStates,
  transition,
  type WorkflowEvent,
  type WorkflowFacts,
} from '../../../main/workflow/machine.js';

/** Facts of a draft where every step is complete, at `step`. */
function facts(over: Partial<WorkflowFacts> = {}): WorkflowFacts {
  return {
    status: 'draft',
    step: 'consent',
    reached: 'consent',
    role: 'clerk',
    consent: 'current',
    consentVersion: 'v1',
    demographicsErrors: 0,
    face: 'pass',
    faceFailedChecks: [],
    padSuspected: false,
    fingersMissing: [],
    fingerSequenceMismatches: [],
    fingerCaptureAvailable: true,
    dedup: 'clear',
    possibleDuplicates: 0,
    operatorMatch: null,
    rejectedReason: null,
    ...over,
  };
}

const at = (step: WorkflowStep, over: Partial<WorkflowFacts> = {}) => facts({ step, reached: step, ...over });

function blocked(f: WorkflowFacts, e: WorkflowEvent): string[] {
  try {
    transition(f, e);
  } catch (error) {
    if (error instanceof WorkflowBlockedError) return error.blockers.map((b) => b.key);
    throw error;
  }
  throw new Error('expected a block');
}

function notAllowed(f: WorkflowFacts, e: WorkflowEvent): void {
  expect(() => transition(f, e)).toThrow(WorkflowActionNotAllowedError);
}

describe('guards (blockersOf)', () => {
  it('consent: missing, outdated version, current', () => {
    expect(blockersOf('consent', facts({ consent: 'none' }))).toEqual([{ key: 'workflow.block.consentMissing', params: {} }]);
    expect(blockersOf('consent', facts({ consent: 'outdated' }))).toEqual([{ key: 'workflow.block.consentVersionOutdated', params: { version: 'v1' } }]);
    expect(blockersOf('consent', facts())).toEqual([]);
  });
  it('demographics: counts the field errors', () => {
    expect(blockersOf('demographics', facts({ demographicsErrors: 3 }))).toEqual([{ key: 'workflow.block.demographicsInvalid', params: { count: 3 } }]);
    expect(blockersOf('demographics', facts())).toEqual([]);
  });
  it('face: none, failed checks, PAD suspected, overridden, excepted, pass', () => {
    expect(blockersOf('face', facts({ face: 'none' })).map((b) => b.key)).toEqual(['workflow.block.faceMissing']);
    expect(blockersOf('face', facts({ face: 'failed', faceFailedChecks: ['sharpness', 'pose'] }))).toEqual([{ key: 'workflow.block.faceChecksFailed', params: { checks: 'sharpness, pose' } }]);
    expect(blockersOf('face', facts({ face: 'failed', padSuspected: true })).map((b) => b.key)).toEqual(['workflow.block.facePadSuspected']);
    expect(blockersOf('face', facts({ face: 'failed', faceFailedChecks: ['pose'], padSuspected: true })).map((b) => b.key)).toEqual(['workflow.block.faceChecksFailed', 'workflow.block.facePadSuspected']);
    for (const face of ['overridden', 'excepted', 'pass'] as const) expect(blockersOf('face', facts({ face }))).toEqual([]);
  });
  it('fingers: missing positions, sequence mismatches, capture service unavailable', () => {
    expect(blockersOf('fingers', facts({ fingersMissing: [5, 10] }))).toEqual([{ key: 'workflow.block.fingersMissing', params: { positions: '5, 10' } }]);
    expect(blockersOf('fingers', facts({ fingerSequenceMismatches: [3] }))).toEqual([{ key: 'workflow.block.fingerSequence', params: { positions: '3' } }]);
    expect(blockersOf('fingers', facts({ fingersMissing: [1], fingerCaptureAvailable: false })).map((b) => b.key)).toEqual(['workflow.block.fingerCaptureUnavailable', 'workflow.block.fingersMissing']);
    // Without the capture service but with every finger bound, nothing blocks.
    expect(blockersOf('fingers', facts({ fingerCaptureAvailable: false }))).toEqual([]);
  });
  it('dedup: every outcome', () => {
    const keys = (over: Partial<WorkflowFacts>) => blockersOf('dedup', facts(over)).map((b) => b.key);
    expect(keys({ dedup: 'not_run' })).toEqual(['workflow.block.dedupNotRun']);
    expect(keys({ dedup: 'unavailable' })).toEqual(['workflow.block.dedupUnavailable']);
    expect(keys({ dedup: 'possible_duplicate', possibleDuplicates: 2 })).toEqual(['workflow.block.possibleDuplicate']);
    expect(blockersOf('dedup', facts({ dedup: 'duplicate', possibleDuplicates: 1 }))[0]).toEqual({ key: 'workflow.block.possibleDuplicate', params: { count: 1 } });
    expect(keys({ dedup: 'possible_duplicate', operatorMatch: 'clerk' })).toEqual(['workflow.block.possibleDuplicate', 'workflow.block.operatorMatch']);
    expect(keys({ dedup: 'clear', operatorMatch: 'clerk' })).toEqual(['workflow.block.operatorMatch']);
    expect(keys({ dedup: 'clear' })).toEqual([]);
    expect(keys({ dedup: 'adjudicated_not_duplicate', operatorMatch: 'clerk' })).toEqual([]);
    expect(keys({ dedup: 'adjudicated_duplicate' })).toEqual(['workflow.block.possibleDuplicate']);
  });
  it('review and receipt never block; approval blocks while pending or rejected', () => {
    expect(blockersOf('review', facts({ consent: 'none' }))).toEqual([]);
    expect(blockersOf('receipt', facts())).toEqual([]);
    expect(blockersOf('approval', facts({ status: 'pending_approval' })).map((b) => b.key)).toEqual(['workflow.block.awaitingApproval']);
    expect(blockersOf('approval', facts({ status: 'rejected', rejectedReason: 'blurred photo' }))).toEqual([{ key: 'workflow.block.rejected', params: { reason: 'blurred photo' } }]);
    expect(blockersOf('approval', facts({ status: 'approved' }))).toEqual([]);
  });
});

describe('transitions', () => {
  it('consent.submit: consent → demographics; blocked without consent; only at consent, only in draft', () => {
    expect(transition(at('consent'), { type: 'consent.submit' })).toEqual({ step: 'demographics', reached: 'demographics', statusChanges: [] });
    expect(blocked(at('consent', { consent: 'none' }), { type: 'consent.submit' })).toEqual(['workflow.block.consentMissing']);
    notAllowed(at('demographics'), { type: 'consent.submit' });
    notAllowed(at('consent', { status: 'pending_approval' }), { type: 'consent.submit' });
  });

  it('demographics.save stays; demographics.submit → face when valid; a later reached step is kept', () => {
    expect(transition(at('demographics'), { type: 'demographics.save' })).toEqual({ step: 'demographics', reached: 'demographics', statusChanges: [] });
    expect(transition(at('demographics', { demographicsErrors: 2 }), { type: 'demographics.save' }).step).toBe('demographics');
    expect(transition(at('demographics'), { type: 'demographics.submit' })).toEqual({ step: 'face', reached: 'face', statusChanges: [] });
    expect(transition(facts({ step: 'demographics', reached: 'review' }), { type: 'demographics.submit' })).toEqual({ step: 'face', reached: 'review', statusChanges: [] });
    expect(blocked(at('demographics', { demographicsErrors: 1 }), { type: 'demographics.submit' })).toEqual(['workflow.block.demographicsInvalid']);
    notAllowed(at('face'), { type: 'demographics.submit' });
    notAllowed(at('consent'), { type: 'demographics.save' });
    notAllowed(at('demographics', { status: 'captured' }), { type: 'demographics.save' });
  });

  it('face.bind → fingers when the face passes (or is overridden / excepted); stays when it fails or is missing', () => {
    for (const face of ['pass', 'overridden', 'excepted'] as const) expect(transition(at('face', { face }), { type: 'face.bind' }).step).toBe('fingers');
    for (const face of ['failed', 'none'] as const) expect(transition(at('face', { face }), { type: 'face.bind' }).step).toBe('face');
    notAllowed(at('fingers'), { type: 'face.bind' });
    notAllowed(at('face', { status: 'rejected' }), { type: 'face.bind' });
  });

  it('face.override and face.exception need a supervisor', () => {
    notAllowed(at('face', { face: 'overridden' }), { type: 'face.override' });
    expect(transition(at('face', { face: 'overridden', role: 'supervisor' }), { type: 'face.override' }).step).toBe('fingers');
    notAllowed(at('face', { face: 'excepted' }), { type: 'face.exception' });
    expect(transition(at('face', { face: 'excepted', role: 'supervisor' }), { type: 'face.exception' }).step).toBe('fingers');
    notAllowed(at('demographics', { role: 'supervisor' }), { type: 'face.override' });
  });

  it('fingers.bind → dedup when all ten are in; stays when some are missing or mismatched', () => {
    expect(transition(at('fingers'), { type: 'fingers.bind' })).toEqual({ step: 'dedup', reached: 'dedup', statusChanges: [] });
    expect(transition(at('fingers', { fingersMissing: [4] }), { type: 'fingers.bind' }).step).toBe('fingers');
    expect(transition(at('fingers', { fingerSequenceMismatches: [2] }), { type: 'fingers.bind' }).step).toBe('fingers');
    notAllowed(at('face'), { type: 'fingers.bind' });
  });

  it('dedup.run → review when clear; stays on a possible duplicate, an operator match or no dedup service; refuses with incomplete biometrics', () => {
    expect(transition(at('dedup'), { type: 'dedup.run' })).toEqual({ step: 'review', reached: 'review', statusChanges: [] });
    for (const over of [{ dedup: 'possible_duplicate' }, { dedup: 'duplicate' }, { dedup: 'unavailable' }, { dedup: 'clear', operatorMatch: 'clerk' }] as Partial<WorkflowFacts>[]) {
      expect(transition(at('dedup', over), { type: 'dedup.run' }).step).toBe('dedup');
    }
    expect(blocked(at('dedup', { face: 'none' }), { type: 'dedup.run' })).toEqual(['workflow.block.faceMissing']);
    expect(blocked(at('dedup', { fingersMissing: [1] }), { type: 'dedup.run' })).toEqual(['workflow.block.fingersMissing']);
    notAllowed(at('review'), { type: 'dedup.run' });
  });

  it('dedup.adjudicate: supervisor only; not_duplicate → review; duplicate purges; nothing to adjudicate when clear', () => {
    const pd = at('dedup', { dedup: 'adjudicated_not_duplicate', role: 'supervisor' });
    expect(transition(pd, { type: 'dedup.adjudicate', decision: 'not_duplicate' })).toEqual({ step: 'review', reached: 'review', statusChanges: [] });
    expect(transition(at('dedup', { dedup: 'adjudicated_duplicate', role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'duplicate' }).statusChanges).toEqual(['purged']);
    notAllowed(at('dedup', { dedup: 'possible_duplicate' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' });
    notAllowed(at('dedup', { dedup: 'clear', role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' });
    notAllowed(at('dedup', { dedup: 'not_run', role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' });
    // An operator match alone is adjudicated too; "dedup unavailable" can be decided by a supervisor.
    expect(transition(at('dedup', { dedup: 'clear', operatorMatch: 'clerk', role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' }).step).toBe('review');
    expect(transition(at('dedup', { dedup: 'unavailable', role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' }).step).toBe('review');
    notAllowed(at('review', { role: 'supervisor' }), { type: 'dedup.adjudicate', decision: 'not_duplicate' });
  });

  it('review.confirm → approval with captured + pending_approval; refuses with any incomplete earlier step', () => {
    expect(transition(at('review'), { type: 'review.confirm' })).toEqual({ step: 'approval', reached: 'approval', statusChanges: ['captured', 'pending_approval'] });
    expect(blocked(at('review', { consent: 'outdated' }), { type: 'review.confirm' })).toEqual(['workflow.block.consentVersionOutdated']);
    expect(blocked(at('review', { demographicsErrors: 1 }), { type: 'review.confirm' })).toEqual(['workflow.block.demographicsInvalid']);
    expect(blocked(at('review', { dedup: 'possible_duplicate' }), { type: 'review.confirm' })).toEqual(['workflow.block.possibleDuplicate']);
    notAllowed(at('dedup'), { type: 'review.confirm' });
    notAllowed(at('review', { status: 'pending_approval' }), { type: 'review.confirm' });
    // A crash between the two status changes leaves `captured`: confirming again does the second one.
    expect(transition(at('review', { status: 'captured' }), { type: 'review.confirm' }).statusChanges).toEqual(['pending_approval']);
    expect(allowedActions(at('review', { status: 'captured' }))).toEqual(['review.confirm']);
  });

  it('approval.approve / approval.reject: supervisor, pending_approval only', () => {
    const pending = facts({ status: 'pending_approval', step: 'approval', reached: 'approval', role: 'supervisor' });
    expect(transition(pending, { type: 'approval.approve' })).toEqual({ step: 'receipt', reached: 'receipt', statusChanges: ['approved'] });
    expect(transition(pending, { type: 'approval.reject' })).toEqual({ step: 'approval', reached: 'approval', statusChanges: ['rejected'] });
    notAllowed({ ...pending, role: 'clerk' }, { type: 'approval.approve' });
    notAllowed({ ...pending, role: 'clerk' }, { type: 'approval.reject' });
    notAllowed({ ...pending, status: 'draft' }, { type: 'approval.approve' });
    notAllowed({ ...pending, status: 'approved' }, { type: 'approval.reject' });
  });

  it('receipt.get only at the receipt step', () => {
    expect(transition(facts({ status: 'sealed', step: 'receipt', reached: 'receipt' }), { type: 'receipt.get' }).step).toBe('receipt');
    notAllowed(at('review'), { type: 'receipt.get' });
  });

  it('goTo: back to any earlier step; forward only to a reached step with complete steps before it', () => {
    const f = facts({ step: 'review', reached: 'review' });
    for (const s of ['consent', 'demographics', 'face', 'fingers', 'dedup'] as const) expect(transition(f, { type: 'goTo', step: s })).toEqual({ step: s, reached: 'review', statusChanges: [] });
    const back = facts({ step: 'demographics', reached: 'review' });
    expect(transition(back, { type: 'goTo', step: 'review' }).step).toBe('review');
    expect(blocked({ ...back, demographicsErrors: 1 }, { type: 'goTo', step: 'face' })).toEqual(['workflow.block.demographicsInvalid']);
    expect(blocked({ ...back, dedup: 'not_run' }, { type: 'goTo', step: 'review' })).toEqual(['workflow.block.dedupNotRun']);
    notAllowed(facts({ step: 'demographics', reached: 'demographics' }), { type: 'goTo', step: 'face' });
    notAllowed(f, { type: 'goTo', step: 'approval' });
    notAllowed(f, { type: 'goTo', step: 'receipt' });
    notAllowed({ ...f, status: 'pending_approval' }, { type: 'goTo', step: 'demographics' });
    notAllowed({ ...f, status: 'sealed' }, { type: 'goTo', step: 'consent' });
  });

  it('goTo from a rejected record reopens it as a draft', () => {
    const rejected = facts({ status: 'rejected', step: 'approval', reached: 'approval', rejectedReason: 'x' });
    expect(transition(rejected, { type: 'goTo', step: 'face' })).toEqual({ step: 'face', reached: 'approval', statusChanges: ['draft'] });
  });

  it('abandon purges a draft and nothing else', () => {
    expect(transition(at('fingers'), { type: 'abandon' }).statusChanges).toEqual(['purged']);
    for (const status of ['captured', 'pending_approval', 'approved', 'sealed', 'rejected'] as const) notAllowed(at('review', { status }), { type: 'abandon' });
  });
});

describe('stepForStatus: the lifecycle status wins over the persisted step', () => {
  it('maps every status', () => {
    for (const s of ['consent', 'demographics', 'face', 'fingers', 'dedup', 'review'] as const) expect(stepForStatus('draft', s)).toBe(s);
    expect(stepForStatus('draft', 'approval')).toBe('review'); // crash between the step save and the status change
    expect(stepForStatus('captured', 'approval')).toBe('review');
    expect(stepForStatus('pending_approval', 'review')).toBe('approval');
    expect(stepForStatus('rejected', 'review')).toBe('approval');
    for (const s of ['approved', 'sealed', 'uploaded', 'acknowledged', 'purged'] as const) expect(stepForStatus(s, 'consent')).toBe('receipt');
    expect(ENROLLMENT_STATUSES.map((s) => WORKFLOW_STEPS.includes(stepForStatus(s, 'consent')))).not.toContain(false);
  });
});

describe('allowedActions agree with transition()', () => {
  const events: Record<string, WorkflowEvent> = {
    'consent.submit': { type: 'consent.submit' },
    'demographics.save': { type: 'demographics.save' },
    'demographics.submit': { type: 'demographics.submit' },
    'face.bind': { type: 'face.bind' },
    'face.override': { type: 'face.override' },
    'face.exception': { type: 'face.exception' },
    'fingers.bind': { type: 'fingers.bind' },
    'dedup.run': { type: 'dedup.run' },
    'dedup.adjudicate': { type: 'dedup.adjudicate', decision: 'not_duplicate' },
    'review.confirm': { type: 'review.confirm' },
    'approval.approve': { type: 'approval.approve' },
    'approval.reject': { type: 'approval.reject' },
    'receipt.get': { type: 'receipt.get' },
    abandon: { type: 'abandon' },
  };
  const cases: WorkflowFacts[] = [];
  for (const step of WORKFLOW_STEPS) {
    for (const role of ['clerk', 'supervisor'] as const) {
      for (const status of ['draft', 'captured', 'pending_approval', 'rejected', 'sealed'] as const) {
        cases.push(facts({ step: stepForStatus(status, step), reached: 'review', role, status, face: 'failed', dedup: 'possible_duplicate' }));
        cases.push(facts({ step: stepForStatus(status, step), reached: 'review', role, status }));
      }
    }
  }
  it('every offered action passes the status/step/role checks; every withheld one is refused or a no-op', () => {
    let offered = 0;
    for (const f of cases) {
      const actions = allowedActions(f);
      for (const [name, e] of Object.entries(events)) {
        let refused = false;
        try {
          transition(f, e);
        } catch (error) {
          refused = error instanceof WorkflowActionNotAllowedError;
        }
        if (actions.includes(name as never)) {
          offered++;
          expect(refused, `${name} offered at ${f.step}/${f.status}/${f.role}`).toBe(false);
        }
      }
    }
    expect(offered).toBeGreaterThan(40);
  });
  it('offers goTo only while the record is a draft or rejected, and supervisor actions only to supervisors', () => {
    expect(allowedActions(facts({ status: 'pending_approval', step: 'approval' }))).toEqual([]);
    expect(allowedActions(facts({ status: 'pending_approval', step: 'approval', role: 'supervisor' }))).toEqual(['approval.approve', 'approval.reject']);
    expect(allowedActions(facts({ status: 'rejected', step: 'approval' }))).toEqual(['goTo']);
    expect(allowedActions(at('face', { face: 'failed' }))).not.toContain('face.override');
    expect(allowedActions(at('face', { face: 'failed', role: 'supervisor' }))).toEqual(expect.arrayContaining(['face.override', 'face.exception']));
    expect(allowedActions(facts({ status: 'sealed', step: 'receipt' }))).toEqual(['receipt.get']);
  });
});

describe('stepStates', () => {
  it('marks done, current, blocked and pending, and which steps goTo may open', () => {
    const s = stepStates(facts({ step: 'dedup', reached: 'dedup', dedup: 'possible_duplicate' }));
    expect(s.map((x) => x.state)).toEqual(['done', 'done', 'done', 'done', 'blocked', 'pending', 'pending', 'pending']);
    expect(s.filter((x) => x.canGoTo).map((x) => x.step)).toEqual(['consent', 'demographics', 'face', 'fingers']);
    const sealed = stepStates(facts({ status: 'sealed', step: 'receipt', reached: 'receipt' }));
    expect(sealed.map((x) => x.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'current']);
    expect(sealed.some((x) => x.canGoTo)).toBe(false);
  });
});

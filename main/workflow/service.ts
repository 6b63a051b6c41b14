// The enrollment workflow service: loads a draft and its persisted wizard state, applies the clerk's action (data +
// transition through the pure state machine), persists both in ONE draft update (so a restart resumes exactly
// there), makes the lifecycle changes the transition asks for, and returns the view model the UI renders.
import type { KeyObject } from 'node:crypto';
import { KioskError } from '../contract/errors.js';
import type { DedupCandidateView, FormDefinition, HistoryItem, ReceiptView, WorkflowStep, WorkflowView } from '../contract/channels/workflow.js';
import type { AuthService } from '../auth/service.js';
import type { Role } from '../core/handlers.js';
import type { CompiledIdSchema } from '../enrollment/id-schema.js';
import type { Actor, EnrollmentStatus } from '../enrollment/lifecycle.js';
import { FINGER_POSITIONS, type BiometricException, type DraftPatch, type EnrollmentRecord, type EnrollmentSummary, type WorkflowStateJson } from '../enrollment/model.js';
import type { EnrollmentService } from '../enrollment/service.js';
import type { AuditService } from '../store/audit-service.js';
import { photoSha256, renderReceiptPdf, ridQrPng, signReceipt, type ReceiptData } from '../receipt/receipt.js';
import { DEFAULT_RECEIPT_OPTIONS, receiptInfo, type ReceiptOptions } from '../receipt/receipt-text.js';
import type { Locale } from '../contract/ipc.js';
import type { ReceiptStore } from '../receipt/store.js';
import { CONSENT_TEXTS, consentText } from './consent-texts.js';
import { checkDemographics, formFields } from './form.js';
import { allowedActions, blockersOf, stepForStatus, stepStates, transition, type DedupFact, type FaceFact, type TransitionResult, type WorkflowEvent, type WorkflowFacts } from './machine.js';
import type { LocationMasterData } from './master-data.js';
import type { DedupSearch, FaceCaptureSource, FingerSessionResult, FingerSessionSource } from './ports.js';
import { readState, resetDedup, type StoredCandidate, type WorkflowState } from './state.js';
import { biometricDigest, childExempt } from '../enrollment/evidence.js';
import { normaliseDigitField, toAsciiDigits } from './digits.js';

export interface WorkflowServiceDeps {
  enrollment: EnrollmentService;
  auth: Pick<AuthService, 'verifyCredentials'>;
  audit: Pick<AuditService, 'append'>;
  idSchema: CompiledIdSchema;
  locations: LocationMasterData;
  receipts: ReceiptStore;
  /** Kiosk identity for receipt signatures. */
  kiosk: { signingKey: KeyObject; fingerprint: string };
  face: FaceCaptureSource | null;
  /** Resolved on use: the finger capture and dedup services may be wired after the workflow. */
  fingers: () => FingerSessionSource | null;
  dedup: () => DedupSearch | null;
  clock: () => number;
  /** Receipt time zone, centre name, contact and next steps (config `receipt`); default: the OS zone, built-in texts. */
  receiptOptions?: ReceiptOptions;
  /** The receipt's language when the consent recorded none (the kiosk's default language). */
  defaultLocale?: Locale;
  /**
   * Household members (issue 19): the configured age under which a member gives no fingerprints (face optional), or
   * null when the record is in no household. Resolved on use (households are wired after the workflow).
   */
  memberPolicy?: (enrollmentId: string) => Promise<{ childAgeYears: number } | null>;
}

export class WorkflowError extends KioskError {
  override name = 'WorkflowError';
}

export class SupervisorRequiredError extends KioskError {
  override name = 'SupervisorRequiredError';
  constructor(operatorId: string, action: string) {
    super('SUPERVISOR_REQUIRED', `${operatorId} is not a supervisor and may not ${action}`, { details: { operatorId, action } });
  }
}

interface Loaded {
  record: EnrollmentRecord;
  state: WorkflowState;
}

const DEFAULT_FINGER_PLAN = { positions: [...FINGER_POSITIONS], maxAttempts: 3 };

function displayNameOf(d: Partial<Record<string, string>>): { ar: string | null; latin: string | null } {
  const join = (a?: string, b?: string) => [a, b].filter(Boolean).join(' ') || null;
  return { ar: join(d.givenNameAr, d.familyNameAr), latin: join(d.givenNameLatin, d.familyNameLatin) };
}

/**
 * The draft with a capture session merged in, per position: what the session holds (a capture or an exception) replaces
 * the draft's entry for that finger; fingers the session does not hold keep what was bound before (e.g. a reopened
 * record recaptures one, or fingers saved before a restart).
 */
function mergeFingerSession(l: Loaded, session: FingerSessionResult): { record: EnrollmentRecord; state: WorkflowState; patch: DraftPatch } {
  const captured = new Set(session.fingers.map((f) => f.position));
  const sessionExceptions = session.exceptions.filter((e) => e.modality === 'finger' && e.position !== undefined && !captured.has(e.position));
  const excepted = new Set(sessionExceptions.map((e) => e.position!));
  const touched = new Set<number>([...captured, ...excepted]);
  const removeFingers = l.record.fingers.map((f) => f.position).filter((p) => excepted.has(p));
  const exceptions = [
    ...l.record.exceptions.filter((e) => e.modality !== 'finger' || (e.position !== undefined && !touched.has(e.position))),
    ...sessionExceptions,
  ];
  const fingers = [...l.record.fingers.filter((f) => !touched.has(f.position)), ...session.fingers].sort((a, b) => a.position - b.position);
  const record: EnrollmentRecord = { ...l.record, fingers, exceptions };
  const state = resetDedup({ ...l.state, fingerSequenceMismatches: [...session.sequenceMismatches] });
  return { record, state, patch: { fingers: session.fingers, removeFingers, exceptions } };
}

export class WorkflowService {
  constructor(private readonly d: WorkflowServiceDeps) {}

  private today(): Date {
    return new Date(this.d.clock());
  }

  private now(): string {
    return new Date(this.d.clock()).toISOString();
  }

  formDefinition(): FormDefinition {
    const plan = this.d.fingers()?.plan() ?? DEFAULT_FINGER_PLAN;
    return {
      idSchema: { id: this.d.idSchema.id, version: this.d.idSchema.version },
      fields: formFields(this.d.idSchema),
      consent: { texts: CONSENT_TEXTS.map((t) => ({ ...t })), methods: ['signed_paper', 'verbal', 'thumbprint'] },
      fingers: { positions: plan.positions, maxAttempts: plan.maxAttempts },
      steps: ['consent', 'demographics', 'face', 'fingers', 'dedup', 'review', 'approval', 'receipt'],
    };
  }

  checkDemographics(values: Record<string, string>) {
    return checkDemographics(this.d.idSchema, values, { today: this.today(), locations: this.d.locations });
  }

  // ---- loading, facts, view ----------------------------------------------------------------------------------

  private async load(actor: Actor, id: string): Promise<Loaded> {
    const record = await this.d.enrollment.read(actor, id);
    if (record.status === 'purged') throw new WorkflowError('ENROLLMENT_CLOSED', `Enrollment ${id} was abandoned or purged`, { details: { id } });
    const state = readState(record.workflow);
    // The lifecycle status wins over the persisted step (e.g. a crash between the step save and the status change).
    state.step = stepForStatus(record.status, state.step);
    if (this.d.memberPolicy && record.status === 'draft') state.capturePolicy = await this.d.memberPolicy(id);
    return { record, state };
  }

  private facts(l: Loaded, role: Role | 'system'): WorkflowFacts {
    const { record: r, state: s } = l;
    const check = this.checkDemographics(s.form);
    let face: FaceFact = 'none';
    const faceException = r.exceptions.find((e) => e.modality === 'face');
    if (faceException) face = 'excepted';
    else if (r.face && s.face) face = s.face.override ? 'overridden' : s.face.pass && s.face.pad?.decision !== 'attack_suspected' ? 'pass' : 'failed';
    else if (r.face) face = 'pass';
    const child = childExempt({ demographics: r.demographics, createdAt: r.createdAt, workflow: s as unknown as WorkflowStateJson });
    const fingersMissing = child ? [] : FINGER_POSITIONS.filter((p) => !r.fingers.some((f) => f.position === p) && !r.exceptions.some((e) => e.modality === 'finger' && e.position === p));
    let dedup: DedupFact = s.dedup.state;
    if (s.dedup.adjudication) dedup = s.dedup.adjudication.decision === 'not_duplicate' ? 'adjudicated_not_duplicate' : 'adjudicated_duplicate';
    const operatorMatch = s.dedup.operatorMatch && s.dedup.operatorMatch.decision !== 'no_match' ? s.dedup.operatorMatch.operatorId : null;
    return {
      status: r.status,
      step: s.step,
      reached: s.reached,
      role: role === 'supervisor' ? 'supervisor' : 'clerk',
      consent: !r.consent ? 'none' : CONSENT_TEXTS.some((t) => t.version === r.consent!.textVersion) ? 'current' : 'outdated',
      consentVersion: consentText(s.consentLanguage ?? 'ar').version,
      demographicsErrors: check.errors.length,
      face,
      faceFailedChecks: s.face && !s.face.override ? s.face.failed : [],
      padSuspected: !!s.face && !s.face.override && s.face.pad?.decision === 'attack_suspected',
      fingersMissing,
      fingerSequenceMismatches: s.fingerSequenceMismatches,
      fingerCaptureAvailable: this.d.fingers() !== null,
      dedup,
      possibleDuplicates: s.dedup.candidates.filter((c) => c.decision !== 'no_match').length,
      operatorMatch,
      rejectedReason: s.rejection?.reason ?? null,
      faceOptional: child,
    };
  }

  private async candidateViews(actor: Actor, candidates: StoredCandidate[]): Promise<DedupCandidateView[]> {
    const out: DedupCandidateView[] = [];
    for (const c of candidates) {
      let rid: string | null = null;
      let status: EnrollmentStatus | null = null;
      let photoBase64: string | null = null;
      let displayName: DedupCandidateView['displayName'] = null;
      let dateOfBirth: string | null = null;
      let nationalNumber: string | null = null;
      let capturedBy: string | null = null;
      let enrolledAt: string | null = null;
      let detailsFrom: NonNullable<DedupCandidateView['detailsFrom']> = 'none';
      if (c.source === 'regional' && c.id.startsWith('rid:')) {
        // What the registry sent: the RID and a face embedding (no photo, names or fingers).
        rid = c.id.slice(4);
        detailsFrom = 'registry';
      } else if (c.source === 'local' && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(c.id)) {
        try {
          const other = await this.d.enrollment.read(actor, c.id);
          rid = other.rid;
          status = other.status;
          capturedBy = other.operatorId;
          enrolledAt = other.createdAt;
          if (Object.keys(other.demographics).length || other.face) {
            detailsFrom = 'record';
            photoBase64 = other.face ? Buffer.from(other.face.image).toString('base64') : null;
            displayName = Object.keys(other.demographics).length ? displayNameOf(other.demographics) : null;
            dateOfBirth = other.demographics.dateOfBirth ?? null;
            nationalNumber = other.demographics.nationalNumber ?? null;
          } else if (this.d.receipts.has(other.id)) {
            // Sealed: the kiosk keeps no demographics, but the encrypted receipt (reprints) holds photo and names.
            const kept = this.d.receipts.load(other.id);
            detailsFrom = 'receipt';
            photoBase64 = kept.photoJpeg ? Buffer.from(kept.photoJpeg).toString('base64') : null;
            displayName = { ar: kept.receipt.data.nameAr, latin: kept.receipt.data.nameLatin };
            dateOfBirth = kept.holder?.dateOfBirth ?? null;
            nationalNumber = kept.holder?.nationalNumber ?? null;
          }
          // Showing another person's photo or name beside this enrollment is itself an audited view.
          if (photoBase64 || displayName) await this.d.audit.append(actor.operatorId, 'dedup.candidate.view', c.id);
        } catch {
          // Not held on this kiosk any more (purged): only the scores are shown.
        }
      }
      out.push({
        id: c.id,
        source: c.source,
        decision: c.decision,
        llr: c.llr,
        faceScore: c.faceScore,
        matchedFingers: c.matchedFingers,
        fingerScores: c.fingerScores,
        rid,
        status,
        photoBase64,
        displayName,
        dateOfBirth,
        nationalNumber,
        capturedBy,
        enrolledAt,
        detailsFrom,
      });
    }
    return out;
  }

  /**
   * Regional entries that are this kiosk's own records coming back from the registry (same RID as a record the
   * kiosk still holds in its local gallery) are the same person as the local entry: dropped, never a second candidate.
   */
  private async withoutOwnRegional<T extends { id: string; source: string }>(actor: Actor, candidates: T[]): Promise<T[]> {
    const out: T[] = [];
    for (const c of candidates) {
      if (c.source === 'regional' && c.id.startsWith('rid:')) {
        const local = await this.d.enrollment.findByRid(actor, c.id.slice(4)).catch(() => null);
        if (local) {
          const other = await this.d.enrollment.read(actor, local).catch(() => null);
          if (other && other.status !== 'purged') continue;
        }
      }
      out.push(c);
    }
    return out;
  }

  private async view(actor: Actor, l: Loaded, role: Role | 'system'): Promise<WorkflowView> {
    const { record: r, state: s } = l;
    const f = this.facts(l, role);
    const check = this.checkDemographics(s.form);
    const faceException = r.exceptions.find((e) => e.modality === 'face');
    const blockers = blockersOf(f.step, f);
    const notices: WorkflowView['notices'] = [];
    if (f.operatorMatch) notices.push({ key: 'workflow.notice.operatorMatch', params: { operatorId: f.operatorMatch } });
    if (s.face?.override) notices.push({ key: 'workflow.notice.faceOverride', params: { supervisorId: s.face.override.supervisorId } });
    if (s.dedup.adjudication?.decision === 'not_duplicate') notices.push({ key: 'workflow.notice.adjudicatedNotDuplicate', params: { supervisorId: s.dedup.adjudication.supervisorId } });
    if (r.status === 'approved') notices.push({ key: 'workflow.notice.sealPending', params: {} });
    const receiptAvailable = this.d.receipts.has(r.id);
    let approval: WorkflowView['approval'] = null;
    if (s.rejection && r.status === 'rejected') approval = { decision: 'rejected', supervisorId: s.rejection.supervisorId, reason: s.rejection.reason, at: s.rejection.at };
    else if (r.supervisorId && ['approved', 'sealed', 'uploaded', 'acknowledged'].includes(r.status)) {
      let at = r.updatedAt;
      if (receiptAvailable) at = this.d.receipts.load(r.id).receipt.data.approvedAt;
      approval = { decision: 'approved', supervisorId: r.supervisorId, reason: null, at };
    }
    if (receiptAvailable && !this.d.receipts.load(r.id).pdfHasArabic && f.step === 'receipt') notices.push({ key: 'workflow.notice.receiptArabicFallback', params: {} });
    const held = r.status !== 'sealed' && r.status !== 'uploaded' && r.status !== 'acknowledged';
    return {
      id: r.id,
      rid: r.rid,
      status: r.status,
      rev: r.rev,
      step: f.step,
      steps: stepStates(f),
      actions: allowedActions(f),
      errors: f.step === 'demographics' || f.step === 'review' ? check.errors : [],
      blockers,
      notices,
      operatorId: r.operatorId,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      consent: r.consent && s.consentLanguage ? { language: s.consentLanguage, textVersion: r.consent.textVersion, method: r.consent.method, acceptedAt: r.consent.timestamp } : null,
      demographics: held ? { values: check.values, derived: check.derived, suggestions: check.suggestions, warnings: check.warnings } : { values: {}, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] },
      face:
        r.face || faceException || s.face
          ? {
              imageBase64: r.face ? Buffer.from(r.face.image).toString('base64') : null,
              capturedAt: r.face?.capturedAt ?? null,
              report: s.face ? { pass: s.face.pass, unifiedScore: s.face.unifiedScore, failed: s.face.failed, messages: s.face.messages } : null,
              pad: s.face?.pad ?? null,
              override: s.face?.override ?? null,
              exception: faceException ? { kind: faceException.kind, reason: faceException.reason } : null,
            }
          : null,
      fingers: {
        captured: r.fingers.map((x) => ({ position: x.position, quality: x.quality, attempts: x.attempts })),
        exceptions: r.exceptions
          .filter((e) => e.modality === 'finger' && e.position !== undefined)
          .map((e) => ({ position: e.position!, kind: e.kind, reason: e.reason, hasPhoto: e.photo !== undefined, ...(held && e.photo ? { photoBase64: Buffer.from(e.photo).toString('base64') } : {}) })),
        missing: f.fingersMissing,
        sequenceCheck: r.fingers.length || s.fingerSequenceMismatches.length ? { passed: s.fingerSequenceMismatches.length === 0, problems: s.fingerSequenceMismatches.map((p) => ({ position: p, messageKey: 'workflow.block.fingerSequence' })) } : null,
      },
      dedup: {
        state: s.dedup.adjudication ? 'adjudicated' : s.dedup.state,
        ranAt: s.dedup.ranAt,
        searched: s.dedup.searched,
        candidates: await this.candidateViews(actor, s.dedup.candidates),
        operatorMatch: s.dedup.operatorMatch,
        adjudication: s.dedup.adjudication,
      },
      approval,
      receiptAvailable,
      capturePolicy: s.capturePolicy ? { child: f.faceOptional === true, childAgeYears: s.capturePolicy.childAgeYears } : null,
    };
  }

  // ---- the action pipeline -----------------------------------------------------------------------------------

  /**
   * Applies `event` to a loaded draft: `data` is the draft patch the action carries (already merged into `l` by the
   * caller so the guards see it), the transition's step is persisted with it in one update, then status changes.
   */
  private async commit(actor: Actor, l: Loaded, role: Role, event: WorkflowEvent, patch: DraftPatch = {}): Promise<{ loaded: Loaded; result: TransitionResult }> {
    const result = transition(this.facts(l, role), event);
    const state: WorkflowState = { ...l.state, step: result.step, reached: result.reached };
    let record = l.record;
    if (record.status === 'draft') {
      record = await this.d.enrollment.updateDraft(actor, record.id, { ...patch, workflow: state as unknown as WorkflowStateJson }, record.rev);
    } else if (record.status === 'rejected' || record.status === 'pending_approval' || record.status === 'captured') {
      record = await this.d.enrollment.updateWorkflow(actor, record.id, state as unknown as WorkflowStateJson, record.rev);
    }
    return { loaded: { record, state }, result };
  }

  private async reload(actor: Actor, id: string): Promise<Loaded> {
    return this.load(actor, id);
  }

  async start(actor: Actor): Promise<WorkflowView> {
    const state = readState(null);
    const record = await this.d.enrollment.createDraft(actor, { workflow: state as unknown as WorkflowStateJson });
    return this.view(actor, { record, state }, actor.role);
  }

  async get(actor: Actor, id: string): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    await this.d.audit.append(actor.operatorId, 'enrollment.view', id);
    // Resumed at the dedup step before the search ran (e.g. power cut right after the fingers were bound): run it now.
    if (l.record.status === 'draft' && l.state.step === 'dedup' && l.state.dedup.state === 'not_run') return this.runDedup(actor, id, l);
    return this.view(actor, l, actor.role);
  }

  async goTo(actor: Actor, id: string, step: WorkflowStep): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const role = actor.role as Role;
    if (l.record.status === 'rejected') {
      const result = transition(this.facts(l, role), { type: 'goTo', step });
      await this.d.enrollment.transition(actor, id, 'draft');
      const reopened = await this.load(actor, id);
      const state: WorkflowState = { ...reopened.state, step: result.step, rejection: null };
      const record = await this.d.enrollment.updateDraft(actor, id, { workflow: state as unknown as WorkflowStateJson }, reopened.record.rev);
      return this.view(actor, { record, state }, role);
    }
    const { loaded } = await this.commit(actor, l, role, { type: 'goTo', step });
    return this.view(actor, loaded, role);
  }

  async consent(actor: Actor, id: string, input: { language: 'ar' | 'en'; textVersion: string; method: 'signed_paper' | 'verbal' | 'thumbprint' }): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const text = CONSENT_TEXTS.find((t) => t.language === input.language);
    if (!text || text.version !== input.textVersion) {
      throw new WorkflowError('CONSENT_VERSION_MISMATCH', `The consent text shown (${input.textVersion}) is not the current ${input.language} text (${text?.version ?? 'none'})`, {
        details: { language: input.language, shown: input.textVersion, current: text?.version ?? null },
      });
    }
    const consent = { textVersion: input.textVersion, method: input.method, timestamp: this.now() };
    const next: Loaded = { record: { ...l.record, consent }, state: { ...l.state, consentLanguage: input.language } };
    const { loaded } = await this.commit(actor, next, actor.role as Role, { type: 'consent.submit' }, { consent });
    return this.view(actor, loaded, actor.role);
  }

  async demographics(actor: Actor, id: string, values: Record<string, string>, submit: boolean): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const check = this.checkDemographics(values);
    const bad = new Set(check.errors.map((e) => e.field));
    // The record's demographics hold only what is valid; the form (in the workflow state) keeps everything typed.
    const valid: Record<string, string> = {};
    for (const [k, v] of Object.entries(check.values)) if (!bad.has(k)) valid[k] = v;
    const next: Loaded = { record: { ...l.record }, state: { ...l.state, form: check.values } };
    const event: WorkflowEvent = { type: submit ? 'demographics.submit' : 'demographics.save' };
    // Save first even when submit is blocked, so what was typed survives; then report the block in the view.
    const role = actor.role as Role;
    const patch: DraftPatch = { demographics: valid, demographicsMode: 'replace' };
    try {
      const { loaded } = await this.commit(actor, next, role, event, patch);
      return this.view(actor, loaded, role);
    } catch (error) {
      if (!submit || !(error instanceof KioskError) || error.code !== 'WORKFLOW_BLOCKED') throw error;
      const { loaded } = await this.commit(actor, next, role, { type: 'demographics.save' }, patch);
      return this.view(actor, loaded, role);
    }
  }

  private async supervisor(creds: { operatorId: string; pin: string }, action: string): Promise<Actor> {
    const sup = await this.d.auth.verifyCredentials(creds.operatorId, creds.pin);
    if (sup.role !== 'supervisor') throw new SupervisorRequiredError(sup.operatorId, action);
    return { operatorId: sup.operatorId, role: 'supervisor' };
  }

  async bindFace(actor: Actor, connectionId: string, id: string, override?: { supervisor: { operatorId: string; pin: string }; reason: string }, skip = false): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    if (skip) {
      // A child of a household (under the configured age): the face is optional and the clerk goes on without one.
      if (!this.facts(l, actor.role as Role).faceOptional) throw new WorkflowError('FACE_NOT_OPTIONAL', 'Only children under the configured age may be enrolled without a face image', { details: { id } });
      const { loaded } = await this.commit(actor, l, actor.role as Role, { type: 'face.bind' });
      return this.view(actor, loaded, actor.role);
    }
    let role = actor.role as Role;
    const capture = this.d.face?.lastCapture(connectionId) ?? null;
    let state = l.state;
    let record = l.record;
    const patch: DraftPatch = {};
    const fresh = capture && capture.embedding && capture.tokenJpeg && (!record.face || record.face.capturedAt !== capture.capturedAt);
    if (fresh) {
      const failed = Object.entries(capture.report.measures)
        .filter(([, m]) => !m.pass)
        .map(([k]) => k);
      const face = { image: capture.tokenJpeg!, embedding: capture.embedding!, quality: { unifiedScore: capture.report.unifiedScore, pass: capture.report.pass, failed, pad: capture.pad?.decision ?? null }, capturedAt: capture.capturedAt };
      patch.face = face;
      patch.exceptions = record.exceptions.filter((e) => e.modality !== 'face');
      record = { ...record, face, exceptions: patch.exceptions };
      state = resetDedup({
        ...state,
        face: { pass: capture.report.pass, unifiedScore: capture.report.unifiedScore, failed, messages: capture.report.messages, pad: capture.pad ? { decision: capture.pad.decision, score: capture.pad.score } : null, override: null },
        faceException: null,
      });
    } else if (!record.face) {
      throw new WorkflowError('FACE_NOT_CAPTURED', capture && !capture.embedding ? 'The last capture has no usable face; retake it' : 'Capture a face first (kiosk:face.capture)', { details: { id } });
    }
    let event: WorkflowEvent = { type: 'face.bind' };
    if (override) {
      const sup = await this.supervisor(override.supervisor, 'override a face check');
      if (!state.face || (state.face.pass && state.face.pad?.decision !== 'attack_suspected')) throw new WorkflowError('NOTHING_TO_OVERRIDE', 'The face capture passes every check', { details: { id } });
      const checks = [...state.face.failed, ...(state.face.pad?.decision === 'attack_suspected' ? ['pad'] : [])];
      state = { ...state, face: { ...state.face, override: { supervisorId: sup.operatorId, reason: override.reason, checks, at: this.now() } } };
      role = 'supervisor';
      event = { type: 'face.override' };
      await this.d.audit.append(sup.operatorId, 'workflow.face.override', id);
    }
    const { loaded } = await this.commit(actor, { record, state }, role, event, patch);
    return this.view(actor, loaded, actor.role);
  }

  async faceException(actor: Actor, id: string, input: { kind: 'unable' | 'missing'; reason: string; supervisor: { operatorId: string; pin: string } }): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const sup = await this.supervisor(input.supervisor, 'approve a face exception');
    const exceptions: BiometricException[] = [...l.record.exceptions.filter((e) => e.modality !== 'face'), { modality: 'face', kind: input.kind, reason: input.reason }];
    const record = { ...l.record, face: null, exceptions };
    const state = resetDedup({ ...l.state, face: null, faceException: { supervisorId: sup.operatorId, at: this.now() } });
    await this.d.audit.append(sup.operatorId, 'workflow.face.exception', id);
    const { loaded } = await this.commit(actor, { record, state }, 'supervisor', { type: 'face.exception' }, { face: null, exceptions });
    return this.view(actor, loaded, actor.role);
  }

  async bindFingers(actor: Actor, id: string): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const source = this.d.fingers();
    if (!source) throw new WorkflowError('FINGER_CAPTURE_UNAVAILABLE', 'No finger capture service is running on this kiosk', { details: { id } });
    const session = await source.sessionResult(id);
    if (!session) {
      // After a restart the session is gone but the draft keeps what was bound: the step can still be left.
      if (l.record.fingers.length || l.record.exceptions.some((e) => e.modality === 'finger') || this.facts(l, actor.role as Role).fingersMissing.length === 0) {
        const { loaded, result } = await this.commit(actor, l, actor.role as Role, { type: 'fingers.bind' });
        return result.step === 'dedup' && loaded.state.dedup.state === 'not_run' ? this.runDedup(actor, id, loaded) : this.view(actor, loaded, actor.role);
      }
      throw new WorkflowError('FINGER_SESSION_MISSING', `No finger capture session for ${id}; capture fingers first`, { details: { id } });
    }
    const { record, state, patch } = mergeFingerSession(l, session);
    const role = actor.role as Role;
    const { loaded, result } = await this.commit(actor, { record, state }, role, { type: 'fingers.bind' }, patch);
    // Dedup runs automatically once the biometrics are in.
    if (result.step === 'dedup') return this.runDedup(actor, id, loaded);
    return this.view(actor, loaded, role);
  }

  /**
   * Stores what the capture session holds so far in the draft without leaving the step: called after every finger, so
   * a kiosk that dies mid-capture resumes with the fingers already taken (the session itself lives in memory).
   */
  async saveFingers(actor: Actor, id: string): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const role = actor.role as Role;
    const session = l.record.status === 'draft' ? await this.d.fingers()?.sessionResult(id) : null;
    if (!session) return this.view(actor, l, role);
    const { state, patch } = mergeFingerSession(l, session);
    const record = await this.d.enrollment.updateDraft(actor, id, { ...patch, workflow: state as unknown as WorkflowStateJson }, l.record.rev);
    return this.view(actor, { record, state }, role);
  }

  async runDedup(actor: Actor, id: string, preloaded?: Loaded): Promise<WorkflowView> {
    const l = preloaded ?? (await this.load(actor, id));
    const role = actor.role as Role;
    const r = l.record;
    const service = this.d.dedup();
    let dedup: WorkflowState['dedup'];
    if (!r.face && r.fingers.length === 0) {
      // A child enrolled without face or fingers: there is nothing to compare (the registry still checks the national number).
      dedup = { ...l.state.dedup, state: 'clear', ranAt: this.now(), searched: 0, candidates: [], operatorMatch: null, adjudication: null, biometrics: biometricDigest(r) };
    } else if (!service) {
      dedup = { ...l.state.dedup, state: 'unavailable', ranAt: this.now(), searched: 0, candidates: [], operatorMatch: null, adjudication: null, biometrics: biometricDigest(r) };
    } else {
      const outcome = await service.search(
        { face: r.face?.embedding ?? null, fingers: r.fingers.map((f) => ({ position: f.position, template: f.template })) },
        { signedInOperatorId: r.operatorId, limit: 10 },
      );
      const candidates = (await this.withoutOwnRegional(actor, outcome.candidates))
        .filter((c) => c.id !== r.id && c.decision !== 'no_match')
        .map((c) => ({
          id: c.id,
          source: c.source,
          decision: c.decision,
          llr: c.llr,
          faceScore: c.face.score,
          matchedFingers: [...c.matchedFingers],
          fingerScores: c.fingers.map((x) => ({ position: x.position, score: x.score, matched: x.matched })),
        }));
      const op = outcome.operatorMatches.find((m) => m.decision !== 'no_match') ?? null;
      const state: WorkflowState['dedup']['state'] = candidates.some((c) => c.decision === 'duplicate') ? 'duplicate' : candidates.length ? 'possible_duplicate' : 'clear';
      dedup = {
        state,
        ranAt: this.now(),
        searched: outcome.searched,
        candidates,
        operatorMatch: op ? { operatorId: op.operatorId, signedIn: op.signedIn, decision: op.decision, llr: op.llr } : null,
        adjudication: null,
        biometrics: biometricDigest(r),
      };
      if (op) await this.d.audit.append('system', 'workflow.dedup.operator_match', id);
    }
    const { loaded } = await this.commit(actor, { record: r, state: { ...l.state, dedup } }, role, { type: 'dedup.run' });
    return this.view(actor, loaded, role);
  }

  async adjudicate(actor: Actor, id: string, input: { supervisor: { operatorId: string; pin: string }; decision: 'not_duplicate' | 'duplicate'; reason: string }): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const sup = await this.supervisor(input.supervisor, 'adjudicate a possible duplicate');
    if (sup.operatorId === l.record.operatorId) throw new WorkflowError('SELF_ADJUDICATION', 'A supervisor may not adjudicate an enrollment they captured', { details: { id } });
    const state: WorkflowState = { ...l.state, dedup: { ...l.state.dedup, adjudication: { decision: input.decision, reason: input.reason, supervisorId: sup.operatorId, at: this.now() } } };
    const { loaded, result } = await this.commit(actor, { record: l.record, state }, 'supervisor', { type: 'dedup.adjudicate', decision: input.decision });
    await this.d.audit.append(sup.operatorId, `workflow.adjudicate.${input.decision}`, id);
    if (result.statusChanges.includes('purged')) {
      await this.d.enrollment.transition(sup, id, 'purged');
      this.d.receipts.remove(id);
      this.d.fingers()?.discard?.(id);
      return this.closedView(actor, loaded);
    }
    return this.view(actor, loaded, actor.role);
  }

  /** View of a record that was just purged (the record itself can no longer be read). */
  private async closedView(actor: Actor, l: Loaded): Promise<WorkflowView> {
    const v = await this.view(actor, { record: { ...l.record, status: 'purged' }, state: l.state }, actor.role);
    return { ...v, actions: [], steps: v.steps.map((s) => ({ ...s, canGoTo: false })) };
  }

  async confirm(actor: Actor, id: string): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    const role = actor.role as Role;
    const { result } = await this.commit(actor, l, role, { type: 'review.confirm' });
    for (const to of result.statusChanges) await this.d.enrollment.transition(actor, id, to);
    await this.d.audit.append(actor.operatorId, 'workflow.confirm', id);
    this.d.fingers()?.discard?.(id);
    return this.view(actor, await this.reload(actor, id), role);
  }

  async approve(actor: Actor, id: string, creds: { operatorId: string; pin: string }): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    // The supervisor's credentials are verified (and counted toward lockout) by the lifecycle transition below.
    transition(this.facts(l, 'supervisor'), { type: 'approval.approve' });
    // The receipt is made from the decrypted record BEFORE approval seals it (sealing deletes names and photo).
    let written = false;
    try {
      await this.d.enrollment.transition(actor, id, 'approved', {
        supervisor: creds,
        beforeApprove: async () => {
          await this.writeReceipt(l.record, this.now(), l.state.consentLanguage);
          written = true;
        },
      });
    } catch (error) {
      if (written) this.d.receipts.remove(id);
      throw error;
    }
    return this.view(actor, await this.reload(actor, id), actor.role);
  }

  async reject(actor: Actor, id: string, creds: { operatorId: string; pin: string }, reason: string): Promise<WorkflowView> {
    const l = await this.load(actor, id);
    transition(this.facts(l, 'supervisor'), { type: 'approval.reject' });
    await this.d.enrollment.transition(actor, id, 'rejected', { supervisor: creds });
    const sup: Actor = { operatorId: creds.operatorId, role: 'supervisor' };
    const after = await this.load(actor, id);
    const state: WorkflowState = { ...after.state, step: 'approval', rejection: { supervisorId: sup.operatorId, reason, at: this.now() } };
    await this.d.enrollment.updateWorkflow(sup, id, state as unknown as WorkflowStateJson);
    return this.view(actor, await this.reload(actor, id), actor.role);
  }

  async abandon(actor: Actor, id: string, reason: string): Promise<{ id: string; status: EnrollmentStatus }> {
    const l = await this.load(actor, id);
    transition(this.facts(l, actor.role as Role), { type: 'abandon' });
    void reason; // the reason is for the audit trail's reader; the audit log records the action, not free text
    await this.d.audit.append(actor.operatorId, 'workflow.abandon', id);
    await this.d.enrollment.transition(actor, id, 'purged');
    this.d.receipts.remove(id);
    this.d.fingers()?.discard?.(id);
    return { id, status: 'purged' };
  }

  // ---- receipts ------------------------------------------------------------------------------------------------

  private receiptOptions(): ReceiptOptions {
    return this.d.receiptOptions ?? DEFAULT_RECEIPT_OPTIONS;
  }

  private async writeReceipt(r: EnrollmentRecord, approvedAt: string, language_: Locale | null = null): Promise<void> {
    const name = displayNameOf(r.demographics);
    const data: ReceiptData = {
      rid: r.rid,
      nameAr: name.ar,
      nameLatin: name.latin,
      enrolledAt: r.createdAt,
      approvedAt,
      centreId: r.centreId,
      kioskId: r.kioskId,
      photoSha256: photoSha256(r.face?.image ?? null),
    };
    const receipt = signReceipt(data, this.d.kiosk.signingKey, this.d.kiosk.fingerprint);
    const qrPng = await ridQrPng(r.rid);
    const photoJpeg = r.face?.image ?? null;
    // The receipt is written in the language the person chose to read the consent in.
    const language = language_ ?? this.d.defaultLocale ?? 'ar';
    const { pdf, hasArabic } = await renderReceiptPdf({ receipt, photoJpeg, qrPng, language, options: this.receiptOptions() });
    const holder = { dateOfBirth: r.demographics.dateOfBirth ?? null, nationalNumber: r.demographics.nationalNumber ?? null };
    this.d.receipts.save(r.id, { receipt, photoJpeg, qrPng, pdf, pdfHasArabic: hasArabic, holder });
  }

  /** The signed receipt; with `language`, its PDF written in that language (the same signed data, re-laid out). */
  async receipt(actor: Actor, id: string, language?: Locale): Promise<ReceiptView> {
    const stored = this.d.receipts.load(id);
    await this.d.audit.append(actor.operatorId, 'workflow.receipt', id);
    const relaid = language ? await renderReceiptPdf({ receipt: stored.receipt, photoJpeg: stored.photoJpeg, qrPng: stored.qrPng, language, options: this.receiptOptions() }) : null;
    const s = relaid ? { ...stored, pdf: relaid.pdf, pdfHasArabic: relaid.hasArabic } : stored;
    const info = receiptInfo(language ?? this.d.defaultLocale ?? 'ar', this.receiptOptions(), stored.receipt.data.centreId);
    return {
      info: { ...info, timeZone: this.receiptOptions().timeZone },
      id,
      rid: s.receipt.data.rid,
      data: s.receipt.data,
      signatureBase64: Buffer.from(s.receipt.signature).toString('base64'),
      kioskPublicKeyFingerprint: s.receipt.kioskPublicKeyFingerprint,
      qrPngBase64: Buffer.from(s.qrPng).toString('base64'),
      photoJpegBase64: s.photoJpeg ? Buffer.from(s.photoJpeg).toString('base64') : null,
      pdfBase64: Buffer.from(s.pdf).toString('base64'),
      pdfHasArabic: s.pdfHasArabic,
    };
  }

  // ---- queues and history --------------------------------------------------------------------------------------

  private item(s: EnrollmentSummary & { workflow: WorkflowStateJson | null; exceptions: number }, showNames: boolean): HistoryItem {
    const state = readState(s.workflow);
    const step = stepForStatus(s.status, state.step);
    return {
      id: s.id,
      rid: s.rid,
      status: s.status,
      step,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      operatorId: s.operatorId,
      supervisorId: s.supervisorId,
      displayName: showNames ? s.displayName : null,
      receiptAvailable: this.d.receipts.has(s.id),
      flags: {
        operatorMatch: !!state.dedup.operatorMatch && state.dedup.operatorMatch.decision !== 'no_match',
        faceOverride: !!state.face?.override,
        exceptions: s.receipt?.exceptions ?? s.exceptions,
        possibleDuplicate: (state.dedup.state === 'possible_duplicate' || state.dedup.state === 'duplicate') && !state.dedup.adjudication,
      },
    };
  }

  async drafts(actor: Actor, limit = 50): Promise<HistoryItem[]> {
    const rows = await this.d.enrollment.listWithWorkflow(actor, { statuses: ['draft', 'rejected'], limit });
    return rows.filter((r) => actor.role === 'supervisor' || r.operatorId === actor.operatorId).map((r) => this.item(r, true));
  }

  async approvalQueue(actor: Actor): Promise<HistoryItem[]> {
    const rows = await this.d.enrollment.listWithWorkflow(actor, { statuses: ['pending_approval'], limit: 200 });
    return rows.map((r) => this.item(r, true));
  }

  async adjudicationQueue(actor: Actor): Promise<HistoryItem[]> {
    const rows = await this.d.enrollment.listWithWorkflow(actor, { statuses: ['draft'], limit: 500 });
    return rows.map((r) => this.item(r, true)).filter((i) => i.step === 'dedup' && (i.flags.possibleDuplicate || i.flags.operatorMatch));
  }

  async history(actor: Actor, q: { rid?: string; nationalNumber?: string; statuses?: EnrollmentStatus[]; limit?: number; offset?: number }): Promise<HistoryItem[]> {
    let ids: string[] | undefined;
    if (q.rid) {
      const id = await this.d.enrollment.findByRid(actor, toAsciiDigits(q.rid).toUpperCase().replace(/\s+/gu, ''));
      ids = id ? [id] : [];
    }
    if (q.nationalNumber) {
      const found = await this.d.enrollment.findByNationalNumber(actor, normaliseDigitField(q.nationalNumber));
      ids = ids ? ids.filter((i) => found.includes(i)) : found;
    }
    const rows = await this.d.enrollment.listWithWorkflow(actor, {
      ...(ids ? { ids } : {}),
      ...(q.statuses ? { statuses: q.statuses } : {}),
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return rows.filter((r) => r.status !== 'purged' && (!q.statuses || q.statuses.includes(r.status))).map((r) => this.item(r, true));
  }
}

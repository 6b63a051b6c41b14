// The household wizard (issue 19): details → members → questionnaire → summary. Members are enrollments run through
// the enrollment wizard (main/workflow); this service creates them with their household link, keeps the wizard's step
// and the questionnaire answers encrypted with the household (saved as the clerk goes: a restart resumes there),
// evaluates the configured questionnaire on every save, and gives sealing the household's part of a member's packet.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import type { HouseholdDetailsInput, HouseholdListItem, HouseholdStep, HouseholdView, QuestionnaireView } from '../contract/channels/household.js';
import type { Actor } from '../enrollment/lifecycle.js';
import type { EnrollmentRecord } from '../enrollment/model.js';
import type { EnrollmentService } from '../enrollment/service.js';
import type { WorkflowService } from '../workflow/service.js';
import type { ReceiptStore } from '../receipt/store.js';
import { evaluateQuestionnaire, pmtScore, type Answers, type CompiledQuestionnaire, type QuestionnaireResponse } from '../../sync/questionnaire/index.js';
import type { PacketPart } from '../../sync/packet/index.js';
import { ageOn } from './model.js';
import type { HouseholdService } from './service.js';

export class HouseholdWorkflowError extends KioskError {
  override name = 'HouseholdWorkflowError';
}

const surveySchema = z.object({
  v: z.literal(1),
  step: z.enum(['details', 'members', 'questionnaire', 'summary']),
  page: z.number().int().min(0).default(0),
  answers: z.record(z.string(), z.unknown()).default({}),
  answeredOn: z.string().nullable().default(null),
  /** Photo answers: reference → JPEG (base64), sealed into the head's packet as parts. */
  photos: z.record(z.string(), z.string()).default({}),
  /** People moved into this household (supervised): who, from where, who approved it and why. */
  moves: z
    .array(z.object({ enrollmentId: z.string(), fromHouseholdId: z.string(), operatorId: z.string(), supervisorId: z.string(), reason: z.string(), at: z.number() }))
    .default([]),
});
type Survey = z.infer<typeof surveySchema>;

const initialSurvey = (step: HouseholdStep): Survey => ({ v: 1, step, page: 0, answers: {}, answeredOn: null, photos: {}, moves: [] });

/** The household part of a sealed member's packet (`manifest.record.household`) and its extra parts. */
export interface HouseholdPacketSection {
  record: Record<string, unknown>;
  parts: PacketPart[];
}

export interface HouseholdWorkflowDeps {
  households: HouseholdService;
  questionnaire: CompiledQuestionnaire | null;
  childAgeYears: number;
  clock: () => number;
}

const SYSTEM: Actor = { operatorId: 'system', role: 'system' };
const PHOTO_PART = (i: number) => `questionnaire.photo.${i}.jpg`;

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class HouseholdWorkflow {
  private workflowService: Pick<WorkflowService, 'start' | 'abandon'> | null = null;
  private enrollmentService: Pick<EnrollmentService, 'read'> | null = null;

  constructor(private readonly d: HouseholdWorkflowDeps) {}

  /** The enrollment store (attached once built: the enrollment service seals with this service's packet section). */
  attachEnrollment(e: Pick<EnrollmentService, 'read'>): void {
    this.enrollmentService = e;
  }

  private receiptStore: Pick<ReceiptStore, 'has' | 'load'> | null = null;

  /** The encrypted receipt store (reprints): after sealing it is where the kiosk still holds a member's name. */
  attachReceipts(r: Pick<ReceiptStore, 'has' | 'load'>): void {
    this.receiptStore = r;
  }

  /** Name and date of birth of a sealed member from their encrypted receipt, or null when the kiosk has none. */
  private fromReceipt(enrollmentId: string): { displayName: { ar: string | null; latin: string | null }; dateOfBirth: string | null } | null {
    try {
      if (!this.receiptStore?.has(enrollmentId)) return null;
      const kept = this.receiptStore.load(enrollmentId);
      return { displayName: { ar: kept.receipt.data.nameAr || null, latin: kept.receipt.data.nameLatin || null }, dateOfBirth: kept.holder?.dateOfBirth ?? null };
    } catch {
      return null; // unreadable or just purged: the screen says the details are only in the sealed record
    }
  }

  /** The enrollment wizard that starts members' drafts (built by the core after the store). */
  attachWorkflow(w: Pick<WorkflowService, 'start' | 'abandon'>): void {
    this.workflowService = w;
  }

  private get enrollment(): Pick<EnrollmentService, 'read'> {
    if (!this.enrollmentService) throw new HouseholdWorkflowError('NOT_READY', 'The enrollment store is not open');
    return this.enrollmentService;
  }

  private get workflow(): Pick<WorkflowService, 'start' | 'abandon'> {
    if (!this.workflowService) throw new HouseholdWorkflowError('NOT_READY', 'The enrollment workflow is not running');
    return this.workflowService;
  }

  get childAgeYears(): number {
    return this.d.childAgeYears;
  }

  questionnaireView(): QuestionnaireView | null {
    const q = this.d.questionnaire;
    if (!q) return null;
    const def = q.def;
    return { id: def.id, version: def.version, title: def.title, items: def.items as QuestionnaireView['items'], choiceLists: def.choiceLists, hasPmt: !!def.pmt };
  }

  private async load(id: string) {
    const h = await this.d.households.get(id);
    if (!h) throw new HouseholdWorkflowError('NOT_FOUND', `Household ${id} not found`, { details: { householdId: id } });
    const s = await this.d.households.survey(id);
    const parsed = surveySchema.safeParse(s?.survey ?? null);
    return { h, rev: s?.rev ?? null, survey: parsed.success ? parsed.data : initialSurvey('members') };
  }

  private evaluate(survey: Survey) {
    const q = this.d.questionnaire;
    if (!q) return null;
    const answeredOn = survey.answeredOn ?? localDay(this.d.clock());
    const ev = evaluateQuestionnaire(q, survey.answers as Answers, { today: answeredOn });
    const pmt = q.def.pmt && ev.complete ? pmtScore(q.def.pmt, ev.values) : null;
    return { answeredOn, ev, pmt };
  }

  private child(r: EnrollmentRecord): boolean | null {
    const dob = r.demographics.dateOfBirth;
    if (!dob) return null;
    return ageOn(dob, r.createdAt.slice(0, 10)) < this.d.childAgeYears;
  }

  async view(actor: Actor, id: string): Promise<HouseholdView> {
    const { h, survey } = await this.load(id);
    const members: HouseholdView['members'] = [];
    for (const m of h.members) {
      const r = await this.enrollment.read(actor, m.enrollmentId).catch(() => null);
      const d = r?.demographics ?? {};
      const join = (a?: string, b?: string) => [a, b].filter(Boolean).join(' ') || null;
      const wf = r?.workflow as { step?: string } | null | undefined;
      // Sealing deletes the demographics from the record; the receipt kept for reprints still has the names.
      const kept = r && !Object.keys(d).length ? this.fromReceipt(m.enrollmentId) : null;
      members.push({
        enrollmentId: m.enrollmentId,
        relationship: m.relationship,
        rid: r?.rid ?? null,
        status: r?.status ?? null,
        step: r ? ((wf?.step as HouseholdView['members'][number]['step']) ?? 'consent') : null,
        displayName: r && (d.givenNameAr || d.givenNameLatin) ? { ar: join(d.givenNameAr, d.familyNameAr), latin: join(d.givenNameLatin, d.familyNameLatin) } : (kept?.displayName ?? null),
        dateOfBirth: d.dateOfBirth ?? kept?.dateOfBirth ?? null,
        child: r ? this.child(r) : null,
      });
    }
    const e = this.evaluate(survey);
    const blockers: HouseholdView['blockers'] = [];
    const open = members.filter((m) => m.status === 'draft' || m.status === 'rejected').length;
    if (open) blockers.push({ key: 'household.block.membersOpen', params: { count: open } });
    if (e && !e.ev.complete) blockers.push({ key: 'household.block.questionnaireIncomplete', params: { count: e.ev.issues.length } });
    return {
      id: h.id,
      rev: h.rev,
      step: survey.step,
      details: h.details as HouseholdDetailsInput,
      members,
      operatorId: h.operatorId,
      createdAt: new Date(h.createdAt).toISOString(),
      updatedAt: new Date(h.updatedAt).toISOString(),
      childAgeYears: this.d.childAgeYears,
      questionnaire:
        e && this.d.questionnaire
          ? {
              id: this.d.questionnaire.def.id,
              version: this.d.questionnaire.def.version,
              answers: survey.answers as NonNullable<HouseholdView['questionnaire']>['answers'],
              page: survey.page,
              answeredOn: e.answeredOn,
              complete: e.ev.complete,
              issues: e.ev.issues,
              visible: e.ev.visible,
              values: e.ev.values as NonNullable<HouseholdView['questionnaire']>['values'],
              pmt: e.pmt ? { score: e.pmt.score, eligible: e.pmt.eligible ?? null } : null,
            }
          : null,
      blockers,
    };
  }

  async list(actor: Actor, limit: number): Promise<HouseholdListItem[]> {
    const out: HouseholdListItem[] = [];
    for (const id of await this.d.households.listIds(limit)) {
      const v = await this.view(actor, id);
      if (actor.role !== 'supervisor' && v.operatorId !== actor.operatorId) continue;
      const head = v.members.find((m) => m.relationship === 'head');
      out.push({
        id,
        step: v.step,
        governorate: v.details.address.governorate,
        district: v.details.address.district,
        members: v.members.length,
        headName: head?.displayName ?? null,
        operatorId: v.operatorId,
        updatedAt: v.updatedAt,
        complete: v.blockers.length === 0 && v.step === 'summary',
      });
    }
    return out;
  }

  async create(actor: Actor, details: HouseholdDetailsInput): Promise<{ household: HouseholdView; headEnrollmentId: string }> {
    const head = await this.workflow.start(actor);
    const id = await this.d.households.create(actor.operatorId, head.id, details);
    await this.d.households.saveSurvey(actor.operatorId, id, initialSurvey('members'));
    return { household: await this.view(actor, id), headEnrollmentId: head.id };
  }

  async updateDetails(actor: Actor, id: string, details: HouseholdDetailsInput): Promise<HouseholdView> {
    const { h } = await this.load(id);
    await this.d.households.updateDetails(actor.operatorId, id, h.rev, details);
    return this.view(actor, id);
  }

  async addMember(actor: Actor, id: string, relationship: 'spouse' | 'child' | 'parent' | 'other'): Promise<{ household: HouseholdView; enrollmentId: string }> {
    await this.load(id);
    const draft = await this.workflow.start(actor);
    try {
      await this.d.households.addMember(actor.operatorId, id, draft.id, relationship);
    } catch (error) {
      await this.workflow.abandon(actor, draft.id, 'household member not added').catch(() => undefined);
      throw error;
    }
    return { household: await this.view(actor, id), enrollmentId: draft.id };
  }

  /**
   * Moves a member of household `id` to another household with a verified supervisor (HouseholdService.movePerson:
   * audited, a head cannot move); the reason is kept encrypted with the destination household's record.
   */
  async moveMember(
    actor: Actor,
    supervisorId: string,
    input: { id: string; enrollmentId: string; toHouseholdId: string; relationship: 'spouse' | 'child' | 'parent' | 'other'; reason: string },
  ): Promise<HouseholdView> {
    const now = await this.d.households.householdOf(input.enrollmentId);
    if (!now || now.householdId !== input.id) throw new HouseholdWorkflowError('NOT_FOUND', `${input.enrollmentId} is not a member of household ${input.id}`, { details: { householdId: input.id, enrollmentId: input.enrollmentId } });
    const { survey, rev } = await this.load(input.toHouseholdId);
    // The move and its reason are one transaction: a crash cannot keep one without the other.
    const move = { enrollmentId: input.enrollmentId, fromHouseholdId: input.id, operatorId: actor.operatorId, supervisorId, reason: input.reason, at: this.d.clock() };
    await this.d.households.movePerson({
      operatorId: actor.operatorId,
      supervisorId,
      enrollmentId: input.enrollmentId,
      fromHouseholdId: input.id,
      toHouseholdId: input.toHouseholdId,
      relationship: input.relationship,
      ...(rev !== null ? { toSurvey: { survey: { ...survey, moves: [...survey.moves, move] }, expectRev: rev } } : {}),
    });
    return this.view(actor, input.id);
  }

  async goTo(actor: Actor, id: string, step: HouseholdStep): Promise<HouseholdView> {
    const { survey } = await this.load(id);
    if (step === 'questionnaire' && !this.d.questionnaire) throw new HouseholdWorkflowError('QUESTIONNAIRE_NOT_CONFIGURED', 'No household questionnaire is configured on this kiosk (config household.questionnaire)');
    await this.d.households.saveSurvey(actor.operatorId, id, { ...survey, step });
    return this.view(actor, id);
  }

  async saveAnswers(actor: Actor, id: string, answers: Record<string, unknown>, page: number): Promise<HouseholdView> {
    const { survey } = await this.load(id);
    if (!this.d.questionnaire) throw new HouseholdWorkflowError('QUESTIONNAIRE_NOT_CONFIGURED', 'No household questionnaire is configured on this kiosk (config household.questionnaire)');
    // Photos no longer referenced by an answer are dropped with the save.
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if (typeof (v as { ref?: unknown }).ref === 'string') refs.add((v as { ref: string }).ref);
        else Object.values(v).forEach(walk);
      }
    };
    walk(answers);
    const photos = Object.fromEntries(Object.entries(survey.photos).filter(([ref]) => refs.has(ref)));
    await this.d.households.saveSurvey(actor.operatorId, id, { ...survey, step: 'questionnaire', answers, page, answeredOn: localDay(this.d.clock()), photos });
    return this.view(actor, id);
  }

  async photo(actor: Actor, id: string, question: string, jpegBase64: string): Promise<{ ref: string; sha256: string }> {
    const { survey } = await this.load(id);
    const bytes = Buffer.from(jpegBase64, 'base64');
    if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new HouseholdWorkflowError('VALIDATION_FAILED', 'A photo answer must be a JPEG image', { details: { question } });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ref = `${question.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}-${sha256.slice(0, 16)}`;
    await this.d.households.saveSurvey(actor.operatorId, id, { ...survey, photos: { ...survey.photos, [ref]: bytes.toString('base64') } });
    return { ref, sha256 };
  }

  /** Capture policy of a member: the configured child age when the person is listed in a household. */
  async memberPolicy(enrollmentId: string): Promise<{ childAgeYears: number } | null> {
    return (await this.d.households.householdOf(enrollmentId)) ? { childAgeYears: this.d.childAgeYears } : null;
  }

  /** Refuses to approve a household head while the household's questionnaire is incomplete (it is sealed with the head). */
  async assertHeadReady(enrollmentId: string): Promise<void> {
    const m = await this.d.households.householdOf(enrollmentId);
    if (!m || m.relationship !== 'head' || !this.d.questionnaire) return;
    const { survey } = await this.load(m.householdId);
    const e = this.evaluate(survey);
    if (e && !e.ev.complete) {
      throw new HouseholdWorkflowError('HOUSEHOLD_QUESTIONNAIRE_INCOMPLETE', `The questionnaire of household ${m.householdId} is incomplete (${e.ev.issues.length} issues): complete it before the head is approved`, {
        details: { householdId: m.householdId, issues: e.ev.issues.length },
      });
    }
  }

  /**
   * What a member's sealed packet carries about the household: every member its link (household id, relationship);
   * the head also the details, the questionnaire response (answers + the day they were given), the kiosk's PMT score
   * (information only: the registry recomputes it) and the members listed so far; photo answers as parts.
   */
  async packetSection(enrollmentId: string): Promise<HouseholdPacketSection | null> {
    const m = await this.d.households.householdOf(enrollmentId);
    if (!m) return null;
    const base = { householdId: m.householdId, relationship: m.relationship };
    if (m.relationship !== 'head') return { record: base, parts: [] };
    const { h, survey } = await this.load(m.householdId);
    const parts: PacketPart[] = [];
    const photos: Record<string, string> = {};
    Object.entries(survey.photos).forEach(([ref, b64], i) => {
      parts.push({ name: PHOTO_PART(i + 1), mediaType: 'image/jpeg', data: new Uint8Array(Buffer.from(b64, 'base64')) });
      photos[ref] = PHOTO_PART(i + 1);
    });
    const e = this.evaluate(survey);
    const q = this.d.questionnaire;
    const response: QuestionnaireResponse | null = q && e ? { questionnaireId: q.def.id, version: q.def.version, answeredOn: e.answeredOn, answers: survey.answers as Answers } : null;
    const members = [];
    for (const x of h.members) {
      const r = await this.enrollment.read(SYSTEM, x.enrollmentId).catch(() => null);
      members.push({ recordId: x.enrollmentId, rid: r?.rid ?? null, relationship: x.relationship });
    }
    return {
      record: { ...base, details: h.details, members, ...(response ? { questionnaire: response, kioskPmt: e?.pmt ? { score: e.pmt.score, eligible: e.pmt.eligible ?? null } : null, photos } : {}) },
      parts,
    };
  }
}

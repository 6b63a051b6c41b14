// Households over the enrollment store: create with a head, add members (also later), move a person between
// households (supervised and audited), find the household a person is already listed in (dedup). Details are
// encrypted with the record field cipher, bound to the household id.
import { KioskError } from '../contract/errors.js';
import type { AuditService } from '../store/audit-service.js';
import type { StoreClient } from '../store/client.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import type { HouseholdMemberRow } from '../store/household-protocol.js';
import { householdDetailsSchema, relationshipSchema, type HouseholdDetails, type Relationship } from './model.js';

export class HouseholdInputError extends KioskError {
  override name = 'HouseholdInputError';
}

export interface Household {
  id: string;
  rev: number;
  operatorId: string;
  details: HouseholdDetails;
  members: { enrollmentId: string; relationship: Relationship; addedAt: number }[];
  createdAt: number;
  updatedAt: number;
}

export interface HouseholdServiceDeps {
  store: StoreClient;
  cipher: FieldCipher;
  audit: AuditService;
  kioskId: string;
  centreId: string;
  clock: () => number;
  newId: () => string;
}

const DETAILS_FIELD = 'household.details';
const SURVEY_FIELD = 'household.survey';

export class HouseholdService {
  constructor(private readonly d: HouseholdServiceDeps) {}

  private details(input: unknown): HouseholdDetails {
    const p = householdDetailsSchema.safeParse(input);
    if (!p.success) throw new HouseholdInputError('VALIDATION_FAILED', 'Household details invalid', { details: { issues: p.error.issues.map((i) => i.path.join('.')) } });
    return p.data;
  }

  private relationship(r: unknown): Relationship {
    const p = relationshipSchema.safeParse(r);
    if (!p.success) throw new HouseholdInputError('VALIDATION_FAILED', 'Relationship must be head, spouse, child, parent or other');
    return p.data;
  }

  async create(operatorId: string, headEnrollmentId: string, details: unknown): Promise<string> {
    const id = this.d.newId();
    const now = this.d.clock();
    const row = { id, rev: 0, centreId: this.d.centreId, kioskId: this.d.kioskId, operatorId, createdAt: now, updatedAt: now, details: this.d.cipher.encryptJson(id, DETAILS_FIELD, this.details(details)) };
    await this.d.store.call('household.insert', { row, headEnrollmentId, audit: this.d.audit.entry(operatorId, 'household.create', id) });
    return id;
  }

  async get(id: string): Promise<Household | null> {
    const r = await this.d.store.call('household.get', { id });
    if (!r) return null;
    return {
      id,
      rev: r.row.rev,
      operatorId: r.row.operatorId,
      details: this.d.cipher.decryptJson<HouseholdDetails>(id, DETAILS_FIELD, r.row.details),
      members: r.members.map((m) => ({ enrollmentId: m.enrollmentId, relationship: m.relationship, addedAt: m.addedAt })),
      createdAt: r.row.createdAt,
      updatedAt: r.row.updatedAt,
    };
  }

  async updateDetails(operatorId: string, id: string, expectRev: number, details: unknown): Promise<number> {
    const sealed = this.d.cipher.encryptJson(id, DETAILS_FIELD, this.details(details));
    return (await this.d.store.call('household.updateDetails', { id, expectRev, details: sealed, at: this.d.clock(), audit: this.d.audit.entry(operatorId, 'household.update', id) })).rev;
  }

  /** Adds a person (an enrollment) to an existing household, now or later. */
  async addMember(operatorId: string, householdId: string, enrollmentId: string, relationship: unknown): Promise<void> {
    const member: HouseholdMemberRow = { householdId, enrollmentId, relationship: this.relationship(relationship), addedAt: this.d.clock() };
    await this.d.store.call('household.addMember', { member, audit: this.d.audit.entry(operatorId, 'household.add-member', householdId) });
  }

  /**
   * Moves a person to another household: a supervised action (an active supervisor: the signed-in one or one
   * co-signing for a clerk), audited with the supervisor as actor. A head cannot be moved (name another head first).
   */
  async movePerson(input: {
    operatorId: string;
    supervisorId: string;
    enrollmentId: string;
    /** Where the person must be now (refused with a conflict otherwise). */
    fromHouseholdId?: string;
    toHouseholdId: string;
    relationship: unknown;
    /** The destination's new survey (e.g. with the move's reason), saved encrypted in the same transaction. */
    toSurvey?: { survey: Record<string, unknown>; expectRev: number };
  }): Promise<{ fromHouseholdId: string }> {
    const sup = await this.d.store.call('operator.get', { id: input.supervisorId });
    if (!sup || sup.role !== 'supervisor' || !sup.active) throw new HouseholdInputError('SUPERVISOR_REQUIRED', 'Moving a person between households needs an active supervisor', { details: { supervisorId: input.supervisorId } });
    const relationship = this.relationship(input.relationship);
    return this.d.store.call('household.moveMember', {
      enrollmentId: input.enrollmentId,
      toHouseholdId: input.toHouseholdId,
      relationship,
      at: this.d.clock(),
      audit: this.d.audit.entry(input.supervisorId, 'household.move-member', `${input.enrollmentId}>${input.toHouseholdId}`),
      ...(input.fromHouseholdId !== undefined ? { fromHouseholdId: input.fromHouseholdId } : {}),
      ...(input.toSurvey ? { toSurvey: { survey: this.d.cipher.encryptJson(input.toHouseholdId, SURVEY_FIELD, input.toSurvey.survey), expectRev: input.toSurvey.expectRev } } : {}),
    });
  }

  /** The wizard progress and questionnaire answers (decrypted JSON), or null when none was saved yet. */
  async survey(id: string): Promise<{ rev: number; survey: Record<string, unknown> | null } | null> {
    const r = await this.d.store.call('household.get', { id });
    if (!r) return null;
    return { rev: r.row.rev, survey: r.row.survey ? this.d.cipher.decryptJson<Record<string, unknown>>(id, SURVEY_FIELD, r.row.survey) : null };
  }

  /** Saves the wizard progress and answers (encrypted, bound to the household id); returns the new rev. */
  async saveSurvey(operatorId: string, id: string, survey: Record<string, unknown>, expectRev?: number): Promise<number> {
    const sealed = this.d.cipher.encryptJson(id, SURVEY_FIELD, survey);
    return (await this.d.store.call('household.updateSurvey', { id, ...(expectRev !== undefined ? { expectRev } : {}), survey: sealed, at: this.d.clock(), audit: this.d.audit.entry(operatorId, 'household.survey', id) })).rev;
  }

  /** Household ids, newest first. */
  async listIds(limit: number): Promise<string[]> {
    return (await this.d.store.call('household.list', { limit, offset: 0 })).map((r) => r.id);
  }

  /** The household a person is already listed in (dedup), or null. */
  async householdOf(enrollmentId: string): Promise<{ householdId: string; relationship: Relationship } | null> {
    const m = await this.d.store.call('household.ofPerson', { enrollmentId });
    return m ? { householdId: m.householdId, relationship: m.relationship } : null;
  }
}

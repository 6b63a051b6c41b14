// Store methods of households (worker side: household-db.ts). Details are ciphertext: the worker cannot read them.
import type { AuditInput } from './protocol.js';

export const RELATIONSHIPS = ['head', 'spouse', 'child', 'parent', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export interface HouseholdRow {
  id: string;
  rev: number;
  centreId: string;
  kioskId: string;
  operatorId: string;
  createdAt: number;
  updatedAt: number;
  /** Encrypted JSON: address, geolocation, dwelling. */
  details: Uint8Array;
  /** Encrypted JSON (migration 0006): the household wizard's step and the questionnaire answers; null until saved. */
  survey?: Uint8Array | null;
}

export interface HouseholdMemberRow {
  enrollmentId: string;
  householdId: string;
  relationship: Relationship;
  addedAt: number;
}

export interface HouseholdStoreMethods {
  /** Creates the household with its head, in one transaction. */
  'household.insert': { req: { row: HouseholdRow; headEnrollmentId: string; audit: AuditInput }; res: null };
  'household.get': { req: { id: string }; res: { row: HouseholdRow; members: HouseholdMemberRow[] } | null };
  'household.list': { req: { limit: number; offset: number }; res: HouseholdRow[] };
  'household.updateDetails': { req: { id: string; expectRev: number; details: Uint8Array; at: number; audit: AuditInput }; res: { rev: number } };
  'household.addMember': { req: { member: HouseholdMemberRow; audit: AuditInput }; res: null };
  /**
   * Moves a person (not a head) to another household, with a new relationship. `fromHouseholdId`, when given, must be
   * where the person is now; `toSurvey` (the destination's encrypted survey, e.g. with the move's reason) is written
   * in the same transaction, refused with a conflict when the destination changed since `expectRev`.
   */
  'household.moveMember': {
    req: { enrollmentId: string; fromHouseholdId?: string; toHouseholdId: string; relationship: Relationship; at: number; audit: AuditInput; toSurvey?: { survey: Uint8Array; expectRev: number } };
    res: { fromHouseholdId: string };
  };
  /** Saves the wizard progress and questionnaire answers (encrypted); `expectRev` guards against a stale screen. */
  'household.updateSurvey': { req: { id: string; expectRev?: number; survey: Uint8Array; at: number; audit: AuditInput }; res: { rev: number } };
  /** The household a person is listed in, if any (dedup: already in another household). */
  'household.ofPerson': { req: { enrollmentId: string }; res: HouseholdMemberRow | null };
}

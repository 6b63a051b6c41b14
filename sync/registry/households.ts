// Households at the registry (issue 19): every accepted member's packet links its RID to its household; the head's
// packet also brings the questionnaire response, whose proxy-means-test score the registry recomputes with the
// definitions it accepts (QuestionnaireRegistry, the same engine as the kiosk). The registry's score is the one that
// counts; the kiosk's is kept beside it for comparison. Tables live next to the registry's own (either backend).
// Answers and address stay in the sealed packet only; these tables hold ids, links and scores.
import { KioskError } from '../../main/contract/errors.js';
import type { OpenedPacket } from '../packet/index.js';
import type { QuestionnaireRegistry } from './questionnaires.js';
import type { SqlAdapter } from './store/sql-adapter.js';

const DDL = [
  `CREATE TABLE IF NOT EXISTS households (household_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, head_rid TEXT, head_packet_id TEXT, questionnaire_id TEXT, questionnaire_version TEXT, answered_on TEXT, pmt_score DOUBLE PRECISION, pmt_eligible BIGINT, pmt_terms TEXT, pmt_error TEXT, kiosk_pmt_score DOUBLE PRECISION, listed_members TEXT, updated_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS household_members (rid TEXT PRIMARY KEY, household_id TEXT NOT NULL, relationship TEXT NOT NULL, packet_id TEXT NOT NULL, record_id TEXT NOT NULL, linked_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS household_members_household ON household_members (household_id)`,
];

const RELATIONSHIPS = new Set(['head', 'spouse', 'child', 'parent', 'other']);
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface RegistryHouseholdView {
  householdId: string;
  kioskId: string;
  headRid: string | null;
  members: { rid: string; relationship: string; recordId: string; linkedAt: string }[];
  /** Members the head's packet listed when it was sealed (record ids and RIDs), linked or not yet arrived. */
  listedMembers: { recordId: string; rid: string | null; relationship: string }[];
  questionnaire: { id: string; version: string; answeredOn: string | null } | null;
  /** The registry's score (authoritative); null with `error` when it could not be computed. */
  pmt: { score: number; eligible: boolean | null; terms: { name: string; contribution: number }[] } | null;
  pmtError: string | null;
  /** What the kiosk showed, for information. */
  kioskPmtScore: number | null;
  updatedAt: string;
}

interface HouseholdDb {
  household_id: string;
  kiosk_id: string;
  head_rid: string | null;
  questionnaire_id: string | null;
  questionnaire_version: string | null;
  answered_on: string | null;
  pmt_score: number | string | null;
  pmt_eligible: number | string | null;
  pmt_terms: string | null;
  pmt_error: string | null;
  kiosk_pmt_score: number | string | null;
  listed_members: string | null;
  updated_at: string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export class RegistryHouseholds {
  private constructor(
    private readonly sql: SqlAdapter,
    private readonly questionnaires: QuestionnaireRegistry,
  ) {}

  static async open(sql: SqlAdapter, questionnaires: QuestionnaireRegistry): Promise<RegistryHouseholds> {
    for (const s of DDL) await sql.run(s);
    return new RegistryHouseholds(sql, questionnaires);
  }

  /**
   * Links an accepted packet's person to their household (no-op for packets without one). Returns what was done, for
   * the audit: the link, and for a head the PMT score (or why it could not be computed).
   */
  async ingest(opened: OpenedPacket, rid: string, packetId: string, at: string): Promise<Record<string, unknown> | null> {
    const record = opened.manifest.record as Record<string, unknown>;
    const h = record.household as Record<string, unknown> | undefined;
    if (!h || typeof h !== 'object') return null;
    const householdId = h.householdId;
    const relationship = h.relationship;
    if (typeof householdId !== 'string' || !ID.test(householdId) || typeof relationship !== 'string' || !RELATIONSHIPS.has(relationship)) {
      return { householdId: null, error: 'HOUSEHOLD_SECTION_INVALID' };
    }
    const kioskId = opened.manifest.kioskId;
    await this.sql.run(`INSERT INTO households (household_id, kiosk_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (household_id) DO NOTHING`, [householdId, kioskId, at]);
    await this.sql.run(
      `INSERT INTO household_members (rid, household_id, relationship, packet_id, record_id, linked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (rid) DO UPDATE SET household_id = excluded.household_id, relationship = excluded.relationship, packet_id = excluded.packet_id, linked_at = excluded.linked_at`,
      [rid, householdId, relationship, packetId, opened.manifest.recordId, at],
    );
    const out: Record<string, unknown> = { householdId, relationship };
    if (relationship !== 'head') {
      await this.sql.run(`UPDATE households SET updated_at = ? WHERE household_id = ?`, [at, householdId]);
      return out;
    }
    const listed = Array.isArray(h.members) ? (h.members as unknown[]).filter((m): m is Record<string, unknown> => !!m && typeof m === 'object').map((m) => ({ recordId: String(m.recordId ?? ''), rid: typeof m.rid === 'string' ? m.rid : null, relationship: String(m.relationship ?? '') })) : [];
    const kioskPmt = (h.kioskPmt as { score?: unknown } | null | undefined)?.score;
    let score: number | null = null;
    let eligible: number | null = null;
    let terms: string | null = null;
    let error: string | null = null;
    const response = h.questionnaire as { questionnaireId?: unknown; version?: unknown; answeredOn?: unknown } | undefined;
    if (response) {
      try {
        const scored = this.questionnaires.scoreRecord({ questionnaire: response });
        if (scored?.pmt) {
          score = scored.pmt.score;
          eligible = scored.pmt.eligible === undefined ? null : scored.pmt.eligible ? 1 : 0;
          terms = JSON.stringify(scored.pmt.terms.map((t) => ({ name: t.name, contribution: t.contribution })));
        } else error = scored && !scored.complete ? 'QUESTIONNAIRE_INCOMPLETE' : 'NO_PMT';
      } catch (e) {
        error = e instanceof KioskError ? e.code : 'PMT_FAILED';
      }
    }
    await this.sql.run(
      `UPDATE households SET head_rid = ?, head_packet_id = ?, questionnaire_id = ?, questionnaire_version = ?, answered_on = ?, pmt_score = ?, pmt_eligible = ?, pmt_terms = ?, pmt_error = ?, kiosk_pmt_score = ?, listed_members = ?, updated_at = ? WHERE household_id = ?`,
      [
        rid,
        packetId,
        response ? String(response.questionnaireId) : null,
        response ? String(response.version) : null,
        typeof response?.answeredOn === 'string' ? response.answeredOn : null,
        score,
        eligible,
        terms,
        error,
        typeof kioskPmt === 'number' ? kioskPmt : null,
        JSON.stringify(listed),
        at,
        householdId,
      ],
    );
    return { ...out, pmtScore: score, pmtError: error, kioskPmtScore: typeof kioskPmt === 'number' ? kioskPmt : null };
  }

  async get(householdId: string): Promise<RegistryHouseholdView | null> {
    const [r] = await this.sql.all<HouseholdDb>(`SELECT * FROM households WHERE household_id = ?`, [householdId]);
    if (!r) return null;
    const members = await this.sql.all<{ rid: string; relationship: string; record_id: string; linked_at: string }>(
      `SELECT rid, relationship, record_id, linked_at FROM household_members WHERE household_id = ? ORDER BY CASE WHEN relationship = 'head' THEN 0 ELSE 1 END, linked_at, rid`,
      [householdId],
    );
    const score = num(r.pmt_score);
    const eligible = num(r.pmt_eligible);
    return {
      householdId: r.household_id,
      kioskId: r.kiosk_id,
      headRid: r.head_rid,
      members: members.map((m) => ({ rid: m.rid, relationship: m.relationship, recordId: m.record_id, linkedAt: m.linked_at })),
      listedMembers: r.listed_members ? (JSON.parse(r.listed_members) as RegistryHouseholdView['listedMembers']) : [],
      questionnaire: r.questionnaire_id && r.questionnaire_version ? { id: r.questionnaire_id, version: r.questionnaire_version, answeredOn: r.answered_on } : null,
      pmt: score === null ? null : { score, eligible: eligible === null ? null : eligible === 1, terms: r.pmt_terms ? (JSON.parse(r.pmt_terms) as { name: string; contribution: number }[]) : [] },
      pmtError: r.pmt_error,
      kioskPmtScore: num(r.kiosk_pmt_score),
      updatedAt: r.updated_at,
    };
  }

  /** The household a RID is linked to, if any. */
  async ofPerson(rid: string): Promise<string | null> {
    const [r] = await this.sql.all<{ household_id: string }>(`SELECT household_id FROM household_members WHERE rid = ?`, [rid]);
    return r?.household_id ?? null;
  }

  async list(limit: number): Promise<RegistryHouseholdView[]> {
    const ids = await this.sql.all<{ household_id: string }>(`SELECT household_id FROM households ORDER BY updated_at DESC, household_id LIMIT ?`, [limit]);
    const out: RegistryHouseholdView[] = [];
    for (const { household_id } of ids) {
      const v = await this.get(household_id);
      if (v) out.push(v);
    }
    return out;
  }
}

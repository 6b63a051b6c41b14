// Approval evidence: what must be true of a record before the lifecycle lets a supervisor approve it, read from the
// record itself (never from the UI or a receipt): a face or a supervisor-co-signed face exception, each finger or an
// exception, and a finished duplicate search over exactly these biometrics with its decision (clear, or a supervisor's
// "not a duplicate"). The workflow (main/workflow/state.ts) writes these facts into the record's encrypted details;
// a record moved along the lifecycle without the workflow has none, so it cannot be approved.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import { FINGER_POSITIONS, type EnrollmentRecord } from './model.js';

/**
 * SHA-256 over the biometrics a duplicate search looks at (face embedding, finger templates) and the exceptions that
 * stand in for missing ones. A search is evidence only for the biometrics it ran on.
 */
export function biometricDigest(r: Pick<EnrollmentRecord, 'face' | 'fingers' | 'exceptions'>): string {
  const h = createHash('sha256');
  const part = (tag: string, bytes: Uint8Array) => {
    h.update(`${tag}:${bytes.byteLength}:`);
    h.update(bytes);
  };
  if (r.face) part('face', new Uint8Array(r.face.embedding.buffer, r.face.embedding.byteOffset, r.face.embedding.byteLength));
  for (const f of [...r.fingers].sort((a, b) => a.position - b.position)) part(`finger.${f.position}`, f.template);
  const ex = r.exceptions.map((e) => `${e.modality}.${e.position ?? 0}.${e.kind}`).sort();
  h.update(`exceptions:${ex.join(',')}`);
  return h.digest('hex');
}

// The parts of the workflow state the evidence check reads (the full schema lives in main/workflow/state.ts).
const evidenceSchema = z.object({
  face: z
    .object({ pass: z.boolean(), pad: z.object({ decision: z.string() }).nullable(), override: z.object({ supervisorId: z.string() }).nullable() })
    .nullable()
    .optional(),
  faceException: z.object({ supervisorId: z.string(), at: z.string() }).nullable().optional(),
  dedup: z.object({
    state: z.enum(['not_run', 'unavailable', 'clear', 'possible_duplicate', 'duplicate']),
    biometrics: z.string().nullable().optional(),
    operatorMatch: z.object({ decision: z.string() }).nullable(),
    adjudication: z.object({ decision: z.enum(['not_duplicate', 'duplicate']), supervisorId: z.string() }).nullable(),
  }),
});

export class ApprovalEvidenceError extends KioskError {
  override name = 'ApprovalEvidenceError';
  constructor(recordId: string, readonly missing: string[]) {
    super('APPROVAL_EVIDENCE_INCOMPLETE', `Enrollment ${recordId} cannot be approved: ${missing.join(', ')}`, { details: { recordId, missing } });
  }
}

/** Whole years between two YYYY-MM-DD days. */
function yearsBetween(dob: string, day: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = day.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/**
 * A household member under the configured age on the day the record was created (issue 19): no fingerprints, face
 * optional. Read from the record itself: the policy the workflow wrote and the date of birth in the demographics.
 */
export function childExempt(r: Pick<EnrollmentRecord, 'demographics' | 'createdAt' | 'workflow'>): boolean {
  const policy = (r.workflow as { capturePolicy?: { childAgeYears?: unknown } | null } | null)?.capturePolicy;
  const dob = r.demographics.dateOfBirth;
  if (!policy || typeof policy.childAgeYears !== 'number' || typeof dob !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dob)) return false;
  return yearsBetween(dob, r.createdAt.slice(0, 10)) < policy.childAgeYears;
}

/** What is missing before `r` may be approved (stable keys, no values); empty when the evidence is complete. */
export function approvalEvidenceMissing(r: EnrollmentRecord): string[] {
  const missing: string[] = [];
  const parsed = evidenceSchema.safeParse(r.workflow ?? null);
  const w = parsed.success ? parsed.data : null;
  const faceException = r.exceptions.find((e) => e.modality === 'face');
  const child = childExempt(r);
  if (r.face) {
    const f = w?.face;
    if (f && !f.override && (!f.pass || f.pad?.decision === 'attack_suspected')) missing.push('face.checks_failed_without_override');
  } else if (!faceException) {
    if (!child) missing.push('face');
  }
  else if (!w?.faceException) missing.push('face.exception_not_cosigned');
  for (const p of child ? [] : FINGER_POSITIONS) {
    if (!r.fingers.some((f) => f.position === p) && !r.exceptions.some((e) => e.modality === 'finger' && e.position === p)) missing.push(`finger.${p}`);
  }
  if (!w) {
    missing.push('dedup.not_run');
    return missing;
  }
  const d = w.dedup;
  if (d.state === 'not_run') missing.push('dedup.not_run');
  else if (!d.biometrics || d.biometrics !== biometricDigest(r)) missing.push('dedup.stale');
  else {
    const flagged = d.state !== 'clear' || (d.operatorMatch !== null && d.operatorMatch.decision !== 'no_match');
    if (flagged && d.adjudication?.decision !== 'not_duplicate') missing.push(d.adjudication ? 'dedup.adjudicated_duplicate' : 'dedup.not_adjudicated');
  }
  return missing;
}

/** Throws ApprovalEvidenceError unless the record's evidence is complete. */
export function assertApprovalEvidence(r: EnrollmentRecord): void {
  const missing = approvalEvidenceMissing(r);
  if (missing.length) throw new ApprovalEvidenceError(r.id, missing);
}

/**
 * Evidence that no duplicate search could run and the named supervisor decided "not a duplicate" over exactly these
 * biometrics: what `kiosk store dev seed --approve` (demo mode) and the store benchmarks record for records they move
 * along the lifecycle without the wizard. Main-side only; no channel writes workflow state.
 */
export function supervisorDedupDecision(r: Pick<EnrollmentRecord, 'face' | 'fingers' | 'exceptions'>, supervisorId: string, reason: string, at: string): Record<string, unknown> {
  return { dedup: { state: 'unavailable', biometrics: biometricDigest(r), operatorMatch: null, adjudication: { decision: 'not_duplicate', reason, supervisorId, at } } };
}

/** Counts for the supervisor's queues, read from the record (never from a receipt written at sealing). */
export function evidenceFlags(details: { exceptions?: unknown[] } | null): { exceptions: number } {
  return { exceptions: Array.isArray(details?.exceptions) ? details.exceptions.length : 0 };
}

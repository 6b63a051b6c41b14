// The wizard's persisted state (kept in the record's encrypted details via EnrollmentService: survives a restart or
// power cut at any step). Validated when read; a record without one (or an unreadable one) starts from defaults.
import { z } from 'zod';
import { WORKFLOW_STEPS } from '../contract/channels/workflow.js';

const step = z.enum(WORKFLOW_STEPS);
const iso = z.string();

const candidateSchema = z.object({
  id: z.string(),
  source: z.enum(['local', 'regional', 'operator']),
  decision: z.enum(['no_match', 'possible_duplicate', 'duplicate']),
  llr: z.number(),
  faceScore: z.number().nullable(),
  matchedFingers: z.array(z.number().int()),
  fingerScores: z.array(z.object({ position: z.number().int(), score: z.number().nullable(), matched: z.boolean() })),
});

export const workflowStateSchema = z.object({
  v: z.literal(1),
  step,
  reached: step,
  consentLanguage: z.enum(['ar', 'en']).nullable(),
  /** Everything typed in the demographics form (normalised), valid or not: nothing typed is lost. */
  form: z.record(z.string(), z.string()),
  face: z
    .object({
      pass: z.boolean(),
      unifiedScore: z.number(),
      failed: z.array(z.string()),
      messages: z.array(z.string()),
      pad: z.object({ decision: z.enum(['bona_fide', 'attack_suspected']), score: z.number() }).nullable(),
      override: z.object({ supervisorId: z.string(), reason: z.string(), checks: z.array(z.string()), at: iso }).nullable(),
    })
    .nullable(),
  fingerSequenceMismatches: z.array(z.number().int()),
  dedup: z.object({
    state: z.enum(['not_run', 'unavailable', 'clear', 'possible_duplicate', 'duplicate']),
    ranAt: iso.nullable(),
    searched: z.number().int(),
    candidates: z.array(candidateSchema),
    operatorMatch: z.object({ operatorId: z.string(), signedIn: z.boolean(), decision: z.enum(['no_match', 'possible_duplicate', 'duplicate']), llr: z.number() }).nullable(),
    adjudication: z.object({ decision: z.enum(['not_duplicate', 'duplicate']), reason: z.string(), supervisorId: z.string(), at: iso }).nullable(),
    /** biometricDigest() of the record the search ran on (main/enrollment/evidence.ts): approval needs it current. */
    biometrics: z.string().nullable().default(null),
  }),
  /** The supervisor who co-signed the face exception (approval refuses an exception without one). */
  faceException: z.object({ supervisorId: z.string(), at: iso }).nullable().default(null),
  rejection: z.object({ supervisorId: z.string(), reason: z.string(), at: iso }).nullable(),
  /** A household member: children under `childAgeYears` give no fingerprints and the face is optional (issue 19). */
  capturePolicy: z.object({ childAgeYears: z.number().int() }).nullable().default(null),
});
export type WorkflowState = z.infer<typeof workflowStateSchema>;
export type StoredCandidate = z.infer<typeof candidateSchema>;

export function initialState(): WorkflowState {
  return {
    v: 1,
    step: 'consent',
    reached: 'consent',
    consentLanguage: null,
    form: {},
    face: null,
    fingerSequenceMismatches: [],
    dedup: { state: 'not_run', ranAt: null, searched: 0, candidates: [], operatorMatch: null, adjudication: null, biometrics: null },
    faceException: null,
    rejection: null,
    capturePolicy: null,
  };
}

export function readState(json: Record<string, unknown> | null): WorkflowState {
  if (!json) return initialState();
  const parsed = workflowStateSchema.safeParse(json);
  return parsed.success ? parsed.data : initialState();
}

/** Biometrics changed: any earlier duplicate search no longer describes this person. */
export function resetDedup(s: WorkflowState): WorkflowState {
  return { ...s, dedup: initialState().dedup };
}

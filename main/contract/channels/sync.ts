// Channels of sync to the central registry: processing outcomes the supervisor must act on (issue 10).
import { z } from 'zod';

const decisionSchema = z.enum(['no_match', 'possible_duplicate', 'duplicate']);

/** Per-modality evidence the registry returned with a central dedup decision (signed with the status). */
export const syncEvidenceSchema = z.object({
  decision: decisionSchema,
  candidateRid: z.string().nullable(),
  llr: z.number(),
  thresholds: z.object({ possibleLlr: z.number(), duplicateLlr: z.number() }),
  face: z.object({ score: z.number().nullable(), llr: z.number(), available: z.boolean() }).nullable(),
  fingers: z.array(z.object({ position: z.number().int().min(1).max(10), score: z.number().nullable(), llr: z.number(), matched: z.boolean() })),
  matchedFingers: z.array(z.number().int()),
  probeMissing: z.array(z.string()),
});

export const syncOutcomeSchema = z.object({
  recordId: z.string(),
  rid: z.string().nullable(),
  kind: z.enum(['duplicate', 'rejected']),
  /** duplicate → review against the existing RID; rejected → the person must be enrolled again. */
  action: z.enum(['review', 'reenroll']),
  reason: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  decidedAt: z.string(),
  sealedAt: z.string(),
  evidence: syncEvidenceSchema.nullable(),
});
export type SyncOutcomeView = z.infer<typeof syncOutcomeSchema>;

export const syncChannels = {
  'kiosk:sync.outcomes': {
    request: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    response: z.object({ outcomes: z.array(syncOutcomeSchema), counts: z.object({ duplicate: z.number().int(), rejected: z.number().int() }) }),
  },
} as const;

// Channels of local 1:N deduplication. Embeddings and templates cross as base64 (512 float32 LE; compact "KFT1"
// finger templates), as in the enrollment channels.
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const fingerPosition = z.number().int().min(1).max(10);
const decisionSchema = z.enum(['no_match', 'possible_duplicate', 'duplicate']);

export const dedupProbeSchema = z
  .object({
    /** 512 float32 little-endian (2048 bytes), L2-normalised; null when the face is excepted. */
    embeddingBase64: base64.max(4_000).nullable(),
    fingers: z.array(z.object({ position: fingerPosition, templateBase64: base64.max(140_000) }).strict()).max(10),
    limit: z.number().int().min(1).max(50).optional(),
  })
  .strict();

export const fingerEvidenceSchema = z.object({ position: fingerPosition, score: z.number().nullable(), llr: z.number(), matched: z.boolean() });

export const dedupCandidateSchema = z.object({
  id: z.string(),
  source: z.enum(['local', 'regional', 'operator']),
  decision: decisionSchema,
  llr: z.number(),
  face: z.object({ score: z.number().nullable(), llr: z.number(), available: z.boolean() }),
  fingers: z.array(fingerEvidenceSchema),
  matchedFingers: z.array(fingerPosition),
  missing: z.array(z.string()),
});

export const dedupOutcomeSchema = z.object({
  decision: decisionSchema,
  candidates: z.array(dedupCandidateSchema),
  operatorMatches: z.array(z.object({ operatorId: z.string(), signedIn: z.boolean(), decision: decisionSchema, llr: z.number(), candidate: dedupCandidateSchema })),
  searched: z.number().int(),
  comparisons: z.object({ face: z.number().int(), fingerPrefilter: z.number().int(), fingerFull: z.number().int() }),
  probeMissing: z.array(z.string()),
  timings: z.object({ faceMs: z.number(), prefilterMs: z.number(), matchMs: z.number(), totalMs: z.number() }),
  thresholds: z.object({ possibleFmr: z.number(), duplicateFmr: z.number(), possibleLlr: z.number(), duplicateLlr: z.number() }),
});

export const dedupStatsSchema = z.object({
  entries: z.number().int(),
  local: z.number().int(),
  regional: z.number().int(),
  operators: z.number().int(),
  faces: z.number().int(),
  fingers: z.number().int(),
  bytes: z.number(),
  loadMs: z.number(),
  snapshotBytes: z.number(),
  logBytes: z.number(),
  shards: z.number().int(),
  simd: z.boolean(),
  operatorEntries: z.number().int(),
  operatorBytes: z.number(),
  cachedTemplates: z.number().int(),
  workerHeapUsed: z.number(),
});

export type DedupOutcomeView = z.infer<typeof dedupOutcomeSchema>;
export type DedupStatsView = z.infer<typeof dedupStatsSchema>;

export const dedupChannels = {
  /** Clerk or supervisor: search a capture against the local + regional gallery and the operator gallery. */
  'kiosk:dedup.search': { request: dedupProbeSchema, response: dedupOutcomeSchema },
  /** Any signed-in operator: gallery size, memory and load time. */
  'kiosk:dedup.stats': { request: z.object({}).strict(), response: dedupStatsSchema },
} as const;

// Channels and events of finger capture from real devices (main/capture). A capture session belongs to one person
// being enrolled (the workflow passes its draft id); it keeps the best attempt per finger, the exceptions and the
// sequence check. Pixels and templates stay in main: the workflow turns a session into the enrollment draft format
// with main/capture's toDraftFingerPatch().
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** ISO/IEC 19794-4 finger positions: 1 right thumb … 5 right little, 6 left thumb … 10 left little. */
export const fingerPositionSchema = z.number().int().min(1).max(10);
/** What one capture call takes: one finger (1..10) or a slap (13 right four, 14 left four, 15 two thumbs). */
export const captureStepSchema = z.union([fingerPositionSchema, z.literal(13), z.literal(14), z.literal(15)]);
export const fingerSessionIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');
export const fingerExceptionKindSchema = z.enum(['missing', 'amputated', 'bandaged', 'unable']);

export const fingerDeviceViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['r30x', 'gt511c3', 'sbi']),
  model: z.string(),
  /** 'slap': 4-4-2 slaps (SBI slap scanners); 'single': one finger at a time. */
  mode: z.enum(['slap', 'single']),
  state: z.enum(['ready', 'error']),
  detail: z.string().optional(),
});
export type FingerDeviceView = z.infer<typeof fingerDeviceViewSchema>;

export const capturePlanSchema = z.object({
  deviceId: z.string(),
  mode: z.enum(['slap', 'single']),
  /** Capture order: each step is one capture call and the fingers it yields. */
  steps: z.array(z.object({ step: captureStepSchema, fingers: z.array(fingerPositionSchema).min(1).max(4) })),
  maxAttempts: z.number().int().min(1).max(10),
  qualityMin: z.number().min(0).max(100),
});
export type CapturePlanView = z.infer<typeof capturePlanSchema>;

export const fingerStateSchema = z.object({
  position: fingerPositionSchema,
  state: z.enum(['pending', 'captured', 'excepted']),
  /** Best attempt's quality (0–100, NFIQ 2 scale); null until captured. */
  quality: z.number().min(0).max(100).nullable(),
  /** Quality of the most recent attempt (the best one may be an earlier attempt). */
  lastQuality: z.number().min(0).max(100).nullable(),
  /** Feedback codes of the best attempt: models/finger QualityFeedback, LOW_QUALITY, SEQUENCE_MISMATCH. */
  feedback: z.array(z.string()),
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  /** Best quality reaches the configured minimum. */
  accepted: z.boolean(),
  minutiae: z.number().int().min(0).nullable(),
  /** Which step captured the best attempt (a slap 13/14/15 or the finger itself). */
  source: captureStepSchema.nullable(),
  exception: z.object({ kind: fingerExceptionKindSchema, reason: z.string(), hasPhoto: z.boolean() }).nullable(),
});
export type FingerStateView = z.infer<typeof fingerStateSchema>;

export const sequenceMismatchSchema = z.object({
  /** Position the single finger was captured under. */
  position: fingerPositionSchema,
  /** Slap segment it actually matches. */
  matchedPosition: fingerPositionSchema,
  score: z.number(),
  /** Score against the slap segment of the position it was captured under (null: that segment is missing). */
  claimedScore: z.number().nullable(),
});

export const fingerSessionViewSchema = z.object({
  sessionId: fingerSessionIdSchema,
  fingers: z.array(fingerStateSchema).length(10),
  sequence: z.object({ checked: z.number().int().min(0), mismatches: z.array(sequenceMismatchSchema) }),
  /** Every position is captured (accepted or out of attempts) or excepted, and no sequence mismatch is open. */
  complete: z.boolean(),
});
export type FingerSessionView = z.infer<typeof fingerSessionViewSchema>;

export const fingerProgressSchema = z.object({
  sessionId: fingerSessionIdSchema,
  deviceId: z.string(),
  step: captureStepSchema,
  phase: z.enum(['place_finger', 'finger_detected', 'uploading', 'lift_finger', 'analysing', 'captured', 'failed', 'cancelled']),
  percent: z.number().min(0).max(100).optional(),
  /** 'captured': the finger and the quality of this attempt. */
  position: fingerPositionSchema.optional(),
  quality: z.number().min(0).max(100).optional(),
  attempt: z.number().int().min(1).optional(),
  /** 'failed': the error code. */
  code: z.string().optional(),
});
export type FingerProgress = z.infer<typeof fingerProgressSchema>;

const sessionOnly = z.object({ sessionId: fingerSessionIdSchema }).strict();

export const fingerChannels = {
  'kiosk:finger.devices': { request: z.object({}).strict(), response: z.object({ devices: z.array(fingerDeviceViewSchema) }) },
  'kiosk:finger.plan': { request: z.object({ deviceId: z.string().min(1).max(64) }).strict(), response: capturePlanSchema },
  'kiosk:finger.capture': {
    request: z
      .object({
        sessionId: fingerSessionIdSchema,
        deviceId: z.string().min(1).max(64),
        step: captureStepSchema,
        timeoutMs: z.number().int().min(1000).max(120_000).optional(),
      })
      .strict(),
    response: z.object({
      session: fingerSessionViewSchema,
      /** This attempt's result per finger (a slap yields up to four). */
      captured: z.array(z.object({ position: fingerPositionSchema, quality: z.number(), feedback: z.array(z.string()), attempt: z.number().int(), kept: z.boolean() })),
    }),
  },
  'kiosk:finger.cancel': { request: sessionOnly, response: z.object({ cancelled: z.boolean() }) },
  'kiosk:finger.session': { request: sessionOnly, response: fingerSessionViewSchema },
  'kiosk:finger.exception': {
    request: z
      .object({
        sessionId: fingerSessionIdSchema,
        position: fingerPositionSchema,
        kind: fingerExceptionKindSchema,
        reason: z.string().trim().min(1).max(500),
        photoBase64: base64.min(16).max(4_000_000).optional(),
      })
      .strict(),
    response: fingerSessionViewSchema,
  },
  /** Forgets a finger (captured or excepted) so it can be captured again. */
  /** The kept image of one finger (8-bit grey, row-major) for the clerk to look at; null when none was captured. */
  'kiosk:finger.image': {
    request: z.object({ sessionId: fingerSessionIdSchema, position: fingerPositionSchema }).strict(),
    response: z.object({ width: z.number().int().min(1).max(2000), height: z.number().int().min(1).max(2000), pixelsBase64: base64 }).nullable(),
  },
  'kiosk:finger.reset': { request: z.object({ sessionId: fingerSessionIdSchema, position: fingerPositionSchema }).strict(), response: fingerSessionViewSchema },
} as const;

export const fingerEvents = {
  'kiosk:event.finger-progress': fingerProgressSchema,
} as const;

// Channels of the enrollment store. Binary captures cross as base64 (works over Electron IPC and the browser shell's
// WebSocket alike). Demographics are validated again in main by the configured ID schema.
import { z } from 'zod';

export const enrollmentStatusSchema = z.enum(['draft', 'captured', 'pending_approval', 'approved', 'rejected', 'sealed', 'uploaded', 'acknowledged', 'purged']);
export type EnrollmentStatusName = z.infer<typeof enrollmentStatusSchema>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const isoTime = z.string().datetime();
const fingerPosition = z.number().int().min(1).max(10);
const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'ULID');

export const consentSchema = z.object({ textVersion: z.string().min(1).max(40), timestamp: isoTime, method: z.enum(['signed_paper', 'verbal', 'thumbprint']) }).strict();
export const geoSchema = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracyM: z.number().nonnegative().optional() }).strict();
export const demographicsSchema = z.record(z.string().max(64), z.string().max(500));

export const faceCaptureSchema = z
  .object({ imageBase64: base64.max(4_000_000), embeddingBase64: base64.max(8_000), quality: z.record(z.string(), z.unknown()), capturedAt: isoTime })
  .strict();
export const fingerCaptureSchema = z
  .object({
    position: fingerPosition,
    width: z.number().int().min(16).max(2000),
    height: z.number().int().min(16).max(2000),
    ppi: z.literal(500),
    pixelsBase64: base64.max(6_000_000),
    templateBase64: base64.max(100_000),
    templateFormat: z.string().min(1).max(40),
    quality: z.number().min(0).max(100),
    attempts: z.number().int().min(1).max(10),
    capturedAt: isoTime,
  })
  .strict();
export const exceptionSchema = z
  .object({
    modality: z.enum(['face', 'finger']),
    position: fingerPosition.optional(),
    kind: z.enum(['missing', 'amputated', 'bandaged', 'unable']),
    reason: z.string().min(1).max(500),
    photoBase64: base64.max(4_000_000).optional(),
  })
  .strict();

export const draftPatchSchema = z
  .object({
    demographics: demographicsSchema.optional(),
    consent: consentSchema.nullable().optional(),
    face: faceCaptureSchema.nullable().optional(),
    fingers: z.array(fingerCaptureSchema).max(10).optional(),
    removeFingers: z.array(fingerPosition).max(10).optional(),
    exceptions: z.array(exceptionSchema).max(11).optional(),
    geo: geoSchema.nullable().optional(),
  })
  .strict();

export const receiptSchema = z.object({
  fingersCaptured: z.number().int(),
  faceCaptured: z.boolean(),
  exceptions: z.number().int(),
  packetSha256: z.string().optional(),
  packetBytes: z.number().int().optional(),
});

export const enrollmentSummarySchema = z.object({
  id: z.string(),
  rid: z.string(),
  status: enrollmentStatusSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
  operatorId: z.string(),
  supervisorId: z.string().nullable(),
  displayName: z.object({ ar: z.string().nullable(), latin: z.string().nullable() }).nullable(),
  receipt: receiptSchema.nullable(),
});

export const enrollmentViewSchema = z.object({
  id: z.string(),
  rid: z.string(),
  status: enrollmentStatusSchema,
  rev: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
  operatorId: z.string(),
  supervisorId: z.string().nullable(),
  demographics: demographicsSchema,
  consent: consentSchema.nullable(),
  face: z.object({ imageBase64: z.string(), quality: z.record(z.string(), z.unknown()), capturedAt: isoTime }).nullable(),
  fingers: z.array(z.object({ position: fingerPosition, width: z.number(), height: z.number(), quality: z.number(), attempts: z.number(), capturedAt: isoTime })),
  exceptions: z.array(exceptionSchema.omit({ photoBase64: true }).extend({ hasPhoto: z.boolean() })),
  missing: z.array(z.string()),
});
export type EnrollmentView = z.infer<typeof enrollmentViewSchema>;

export const homeCountsSchema = z.object({
  today: z.number().int().nonnegative(),
  pendingApproval: z.number().int().nonnegative(),
  awaitingUpload: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

// Drafts are created, edited and moved along the lifecycle only through the workflow channels (channels/workflow.ts),
// whose service checks every step; the raw createDraft/updateDraft/transition are main-side APIs (EnrollmentService),
// never exposed to the renderer.
export const enrollmentChannels = {
  'kiosk:enrollment.list': {
    request: z.object({ statuses: z.array(enrollmentStatusSchema).optional(), limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).strict(),
    response: z.object({ items: z.array(enrollmentSummarySchema) }),
  },
  'kiosk:enrollment.get': { request: z.object({ id: idSchema }).strict(), response: enrollmentViewSchema },
  'kiosk:store.counts': { request: z.object({}).strict(), response: homeCountsSchema },
} as const;

// The kiosk config file: zod schema with embedded defaults, so a fresh checkout runs in demo mode.
import { z } from 'zod';

/** Text in both UI languages (receipt and screen). */
const bilingual = (max: number) => z.object({ ar: z.string().min(1).max(max), en: z.string().min(1).max(max) }).strict();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const idSchema = z.string().regex(/^[A-Z0-9-]{2,32}$/, 'upper-case letters, digits and dashes (2–32)');

export const fingerprintDeviceConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('r30x'), id: z.string().min(1), path: z.string().min(1), baudRate: z.number().int().positive().default(57600), address: z.number().int().min(0).max(0xffffffff).default(0xffffffff), password: z.number().int().min(0).max(0xffffffff).default(0) }).strict(),
  z.object({ kind: z.literal('gt511c3'), id: z.string().min(1), path: z.string().min(1), baudRate: z.number().int().positive().default(9600) }).strict(),
  z.object({ kind: z.literal('sbi'), id: z.string().min(1), port: z.number().int().min(4501).max(4600).optional() }).strict(),
  z.object({ kind: z.literal('emulated-r30x'), id: z.string().min(1), subject: z.string().default('demo-subject') }).strict(),
]);

export const kioskConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('.kiosk-data'),
    kioskId: idSchema.default('K-DEMO-01'),
    centreId: idSchema.default('C-DEMO'),
    demo: z.boolean().default(true),
    defaultLocale: z.enum(['ar', 'en']).default('ar'),
    registry: z
      .object({
        url: z.string().url().nullable().default(null),
        publicKeyFingerprint: z.string().nullable().default(null),
      })
      .strict()
      .default({ url: null, publicKeyFingerprint: null }),
    devices: z
      .object({
        fingerprint: z.array(fingerprintDeviceConfigSchema).default([{ kind: 'emulated-r30x', id: 'demo-r30x', subject: 'demo-subject' }]),
        cameraDeviceId: z.string().nullable().default(null),
        sbiTrustRoots: z.array(z.string()).default([]),
        allowUntrustedSbi: z.boolean().default(false),
      })
      .strict()
      .default({ fingerprint: [{ kind: 'emulated-r30x', id: 'demo-r30x', subject: 'demo-subject' }], cameraDeviceId: null, sbiTrustRoots: [], allowUntrustedSbi: false }),
    thresholds: z
      .object({
        fingerQualityMin: z.number().min(0).max(100).default(40),
        faceQualityMin: z.number().min(0).max(100).default(50),
        fingerAttemptsMax: z.number().int().min(1).max(10).default(3),
        lowDiskMegabytes: z.number().int().positive().default(500),
        /** Below this much free space new enrollments are refused (DISK_SPACE_LOW); diagnostics warn below lowDiskMegabytes. */
        blockDiskMegabytes: z.number().int().positive().default(100),
        /** Overrides of the face quality thresholds (models/face/thresholds.ts names, e.g. maxYaw). */
        face: z.record(z.string(), z.number()).default({}),
        /** Consecutive compliant preview frames before the camera captures by itself (3: within 3 s even at the ≈ 1.5 analysed frames/s of a loaded 2-core kiosk). */
        faceAutoCaptureFrames: z.number().int().min(1).max(60).default(3),
      })
      .strict()
      .default({ fingerQualityMin: 40, faceQualityMin: 50, fingerAttemptsMax: 3, lowDiskMegabytes: 500, blockDiskMegabytes: 100, face: {}, faceAutoCaptureFrames: 3 }),
    /** Finger capture (main/capture): order of steps per device type, sequence-check score. Quality/attempts: thresholds. */
    fingerCapture: z
      .object({
        slapOrder: z.array(z.union([z.literal(13), z.literal(14), z.literal(15)])).min(1).max(3).default([14, 13, 15]),
        singleOrder: z.array(z.number().int().min(1).max(10)).min(1).max(10).default([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        sequenceThreshold: z.number().min(0).max(100).default(30),
        timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
      })
      .strict()
      .default({ slapOrder: [14, 13, 15], singleOrder: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], sequenceThreshold: 30, timeoutMs: 20_000 }),
    /** Local 1:N dedup (docs/DEDUP.md): decision thresholds as target false match rates per comparison; worker threads. */
    dedup: z
      .object({
        possibleFmr: z.number().gt(0).lt(1).default(1e-4),
        duplicateFmr: z.number().gt(0).lt(1).default(1e-6),
        workers: z.number().int().min(1).max(8).default(2),
      })
      .strict()
      .refine((d) => d.duplicateFmr <= d.possibleFmr, { message: 'dedup.duplicateFmr must not exceed dedup.possibleFmr' })
      .default({ possibleFmr: 1e-4, duplicateFmr: 1e-6, workers: 2 }),
    security: z
      .object({
        idleTimeoutSeconds: z.number().int().min(30).max(3600).default(300),
        pinMaxAttempts: z.number().int().min(1).max(20).default(5),
        lockoutMinutes: z.number().int().min(1).max(1440).default(15),
      })
      .strict()
      .default({ idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }),
    web: z
      .object({
        host: z.literal('127.0.0.1').default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 0 }),
    /** The receipt handed to the person: time zone of its times, centre name, whom to ask, what happens next. */
    receipt: z
      .object({
        /** IANA time zone (e.g. Africa/Cairo); null: the operating system's. */
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Africa/Cairo').nullable().default(null),
        centreName: bilingual(80).nullable().default(null),
        contactPhone: z.string().regex(/^\+?[0-9][0-9 ()-]{2,23}$/, 'a phone number: digits, spaces, ( ) - and an optional leading +').nullable().default(null),
        contact: bilingual(200).nullable().default(null),
        nextSteps: bilingual(400).nullable().default(null),
      })
      .strict()
      .default({ timeZone: null, centreName: null, contactPhone: null, contact: null, nextSteps: null }),
    /** Household enrollment (issue 19): the questionnaire (XLSForm .xlsx or JSON definition; null: none) and the child age. */
    household: z
      .object({
        questionnaire: z.string().min(1).nullable().default(null),
        /** Members younger than this (whole years on the day of enrollment) give no fingerprints; their face is optional. */
        childAgeYears: z.number().int().min(0).max(18).default(5),
      })
      .strict()
      .default({ questionnaire: null, childAgeYears: 5 }),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
        maxFileBytes: z.number().int().positive().default(5 * 1024 * 1024),
        maxFiles: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .default({ level: 'info', maxFileBytes: 5 * 1024 * 1024, maxFiles: 5 }),
  })
  .strict();

export type KioskConfig = z.output<typeof kioskConfigSchema>;
export type KioskConfigInput = z.input<typeof kioskConfigSchema>;
export type FingerprintDeviceConfig = z.output<typeof fingerprintDeviceConfigSchema>;

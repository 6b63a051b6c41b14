// Channels of the live face capture: frame analysis for guidance, and the final full-resolution capture.
import { z } from 'zod';

/** Base64 of an encoded JPEG/PNG; bounded so one message stays well under the bridge limit. */
const imageBase64 = z.string().min(16).max(6_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

const measureSchema = z.object({ raw: z.number().nullable(), component: z.number(), pass: z.boolean(), messageKey: z.string().nullable() });

export const faceReportViewSchema = z.object({
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  faces: z.array(z.object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number(), score: z.number() })),
  primary: z.number().int(),
  measures: z.record(z.string(), measureSchema),
  unifiedScore: z.number(),
  pass: z.boolean(),
  messages: z.array(z.string()),
});
export type FaceReportView = z.infer<typeof faceReportViewSchema>;

export const faceChannels = {
  'kiosk:face.analyzeFrame': {
    request: z
      .object({
        image: imageBase64,
        /** Sent width over the camera's full width (preview frames are downscaled; pixel thresholds scale with it). */
        scale: z.number().gt(0).max(1),
      })
      .strict(),
    response: z.object({ report: faceReportViewSchema, autoCaptureFrames: z.number().int().positive(), analysisMs: z.number() }),
  },
  'kiosk:face.capture': {
    request: z.object({ image: imageBase64 }).strict(),
    response: z.object({
      report: faceReportViewSchema,
      pad: z
        .object({
          score: z.number(),
          threshold: z.number(),
          decision: z.enum(['bona_fide', 'attack_suspected']),
          /** The passive cue did not accept: the kiosk asks for the active challenge (kiosk:face.challengeStart). */
          challengeRequired: z.boolean(),
        })
        .nullable(),
      tokenJpeg: z.string().nullable(),
      token: z.object({ width: z.number(), height: z.number(), interEyeDistance: z.number() }).nullable(),
      hasEmbedding: z.boolean(),
    }),
  },
  /** Starts the active liveness challenge for this connection's last capture; main picks it at random. */
  'kiosk:face.challengeStart': {
    request: z.object({}).strict(),
    response: z.object({ kind: z.enum(['blink', 'turn']), direction: z.enum(['left', 'right']).nullable(), timeoutMs: z.number().int().positive() }),
  },
  /** One live frame of the running challenge; when passed, the last capture's PAD decision becomes bona fide. */
  'kiosk:face.challengeFrame': {
    request: z.object({ image: imageBase64, scale: z.number().gt(0).max(1) }).strict(),
    response: z.object({ state: z.enum(['running', 'passed', 'failed']), remainingMs: z.number() }),
  },
} as const;

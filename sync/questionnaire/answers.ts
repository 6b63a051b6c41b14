// The answers model: what the clerk entered, JSON-safe, stored with the record (encrypted, sealed, synced).
// Top level and groups share one namespace (names are unique in a form); a repeat holds a list of instances.
import { z } from 'zod';

export const geopointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  alt: z.number().finite().optional(),
  accuracy: z.number().min(0).optional(),
});
export type GeoPoint = z.infer<typeof geopointSchema>;

/** A photo answer names a packet part (or a local capture id) and its SHA-256; the bytes travel as a part. */
export const photoRefSchema = z.strictObject({ ref: z.string().min(1).max(128), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type PhotoRef = z.infer<typeof photoRefSchema>;

export type AnswerValue = string | number | string[] | GeoPoint | PhotoRef | null;
export interface Answers {
  [name: string]: AnswerValue | Answers[];
}

const answerValueSchema = z.union([z.string().max(10_000), z.number().finite(), z.array(z.string().max(64)).max(200), geopointSchema, photoRefSchema, z.null()]);
export const answersSchema: z.ZodType<Answers> = z.lazy(() => z.record(z.string().max(64), z.union([answerValueSchema, z.array(answersSchema).max(500)])));

/**
 * A questionnaire response as stored: which definition (id + version) it answers, the day it was answered (what
 * today() means for it, so that the kiosk and the registry compute the same ages and the same score), the answers.
 */
export const responseSchema = z.strictObject({
  questionnaireId: z.string().min(1).max(64),
  version: z.string().min(1).max(32),
  answeredOn: z.iso.date(),
  answers: answersSchema,
});
export type QuestionnaireResponse = z.infer<typeof responseSchema>;

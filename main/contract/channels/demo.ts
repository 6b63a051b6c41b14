// Demo mode only (issue 17): the emulated fingerprint sensor presents a new synthetic person for every enrollment;
// this channel makes it present the same person as an earlier enrollment instead, so a duplicate can be shown on
// purpose. Refused outside demo mode (DEMO_ONLY).
import { z } from 'zod';

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'ULID');

export const demoPersonSchema = z.object({
  /** The enrollment (draft) whose finger captures this setting applies to. */
  id: z.string(),
  /** RID of the earlier enrollment whose person the sensor now presents; null: a new person of its own. */
  sameAsRid: z.string().nullable(),
});
export type DemoPerson = z.infer<typeof demoPersonSchema>;

export const demoChannels = {
  /** Clerk or supervisor, demo mode: who the emulated sensor presents for this enrollment. */
  'kiosk:demo.person': { request: z.object({ id: ulid }).strict(), response: demoPersonSchema },
  /** Clerk or supervisor, demo mode: present the same person as the enrollment with this RID (null: a new person). */
  'kiosk:demo.samePerson': { request: z.object({ id: ulid, rid: z.string().trim().min(1).max(64).nullable() }).strict(), response: demoPersonSchema },
} as const;

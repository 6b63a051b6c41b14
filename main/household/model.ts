// The household record (issue 19): address, geolocation and dwelling, kept encrypted; members are enrollments.
import { z } from 'zod';
import { RELATIONSHIPS } from '../store/household-protocol.js';

export const householdDetailsSchema = z.strictObject({
  address: z.strictObject({
    governorate: z.string().min(1).max(64),
    district: z.string().min(1).max(128),
    village: z.string().max(128).optional(),
    street: z.string().max(256).optional(),
    landmark: z.string().max(256).optional(),
  }),
  geolocation: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracy: z.number().min(0).max(10_000).optional() }).optional(),
  dwelling: z.strictObject({
    type: z.string().min(1).max(64),
    tenure: z.string().max(64).optional(),
    rooms: z.number().int().min(0).max(100).optional(),
  }),
});
export type HouseholdDetails = z.infer<typeof householdDetailsSchema>;

export const relationshipSchema = z.enum(RELATIONSHIPS);
export type { Relationship } from '../store/household-protocol.js';

/** Capture policy per member: children under the configured age give no fingerprints (face optional). */
export interface MemberCapturePolicy {
  fingerprints: 'required' | 'skip';
  face: 'required' | 'optional';
  ageYears: number;
}

/** Whole years between a date of birth and a day (both YYYY-MM-DD). */
export function ageOn(dob: string, day: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = day.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

export function memberCapturePolicy(dob: string, today: string, childAgeYears: number): MemberCapturePolicy {
  const ageYears = ageOn(dob, today);
  return ageYears < childAgeYears ? { fingerprints: 'skip', face: 'optional', ageYears } : { fingerprints: 'required', face: 'required', ageYears };
}

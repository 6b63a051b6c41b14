// Channels and events of the app frame: info, home summary, settings, status.
import { z } from 'zod';

export const localeSchema = z.enum(['ar', 'en']);
export type Locale = z.infer<typeof localeSchema>;

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  kioskId: z.string(),
  centreId: z.string(),
  demo: z.boolean(),
  shell: z.enum(['electron', 'browser']),
  defaultLocale: localeSchema,
});

export const deviceStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['fingerprint', 'camera']),
  label: z.string(),
  state: z.enum(['ready', 'busy', 'disconnected', 'not_configured', 'error']),
  detail: z.string().optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const syncStatusSchema = z.object({
  online: z.boolean(),
  state: z.enum(['idle', 'syncing', 'paused', 'offline', 'not_registered', 'error']),
  backlog: z.number().int().nonnegative(),
  lastSuccessAt: z.string().datetime().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const enrollmentCountsSchema = z.object({
  today: z.number().int().nonnegative(),
  pendingApproval: z.number().int().nonnegative(),
  awaitingUpload: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type EnrollmentCounts = z.infer<typeof enrollmentCountsSchema>;

export const homeSummarySchema = z.object({
  /** null while no enrollment store is open (e.g. before provisioning). */
  counts: enrollmentCountsSchema.nullable(),
  devices: z.array(deviceStatusSchema),
  sync: syncStatusSchema,
});

export const settingsSchema = z.object({
  locale: localeSchema,
  cameraDeviceId: z.string().nullable(),
});

export const appChannels = {
  'kiosk:app.info': { request: empty, response: appInfoSchema },
  'kiosk:home.summary': { request: empty, response: homeSummarySchema },
  'kiosk:settings.get': { request: empty, response: settingsSchema },
  'kiosk:settings.update': {
    request: z.object({ locale: localeSchema.optional(), cameraDeviceId: z.string().max(256).nullable().optional() }).strict(),
    response: settingsSchema,
  },
  /** The renderer reports the camera it opens (the browser owns it): in use, usable (closed after use), or failing. */
  'kiosk:devices.camera': {
    request: z.object({ state: z.enum(['busy', 'ready', 'error']), label: z.string().max(200).nullable() }).strict(),
    response: z.object({ reported: z.literal(true) }),
  },
} as const;

export const appEvents = {
  'kiosk:event.device-status': z.array(deviceStatusSchema),
  'kiosk:event.sync-progress': syncStatusSchema,
  'kiosk:event.settings': settingsSchema,
} as const;

// Channels of first-run provisioning (technician wizard) and operator onboarding. Roles are checked in main:
// provisioning steps for technicians; operator management for technicians and supervisors; `status` is public
// (the frame decides whether to open the wizard before anyone signs in).
import { z } from 'zod';
import { localeSchema } from './app.js';
import { operatorIdSchema, pinSchema, roleSchema, sessionViewSchema } from './auth.js';

export const CHECKLIST_ITEM_IDS = ['language', 'registration', 'downloads', 'site', 'fingerprint', 'camera', 'models', 'clock'] as const;
export const checklistItemIdSchema = z.enum(CHECKLIST_ITEM_IDS);

const stepErrorSchema = z.object({ code: z.string(), message: z.string(), messageKey: z.string(), details: z.record(z.string(), z.unknown()) });

export const checklistItemViewSchema = z.object({
  id: checklistItemIdSchema,
  status: z.enum(['pending', 'ok', 'failed', 'waived']),
  detail: z.record(z.string(), z.unknown()),
  error: stepErrorSchema.nullable(),
  waiver: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  updatedAt: z.string().nullable(),
});
export type ChecklistItemView = z.infer<typeof checklistItemViewSchema>;

const deviceKindSchema = z.enum(['r30x', 'gt511c3', 'sbi']);
export const deviceAssignmentRequestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/),
    kind: deviceKindSchema,
    path: z.string().min(1).max(256).optional(),
    port: z.number().int().min(4501).max(4600).optional(),
  })
  .strict();

export const provisioningViewSchema = z.object({
  kioskId: z.string(),
  centreId: z.string(),
  demo: z.boolean(),
  inService: z.boolean(),
  inServiceAt: z.string().nullable(),
  inServiceBy: z.string().nullable(),
  source: z.enum(['online', 'bundle']).nullable(),
  registryUrl: z.string().nullable(),
  registryKeyFingerprint: z.string().nullable(),
  stationId: z.string().nullable(),
  stations: z.array(z.string()).nullable(),
  clockSkewMs: z.number().nullable(),
  fingerprintDevices: z.array(
    z.object({
      id: z.string(),
      kind: deviceKindSchema,
      path: z.string().optional(),
      port: z.number().optional(),
      test: z.object({ ok: z.boolean(), at: z.string(), model: z.string().optional(), width: z.number().optional(), height: z.number().optional(), ppi: z.number().optional(), error: stepErrorSchema.optional() }).passthrough().nullable(),
    }),
  ),
  camera: z.object({ deviceId: z.string(), label: z.string(), width: z.number(), height: z.number(), at: z.string() }).nullable(),
  items: z.array(checklistItemViewSchema),
  ready: z.boolean(),
});
export type ProvisioningViewShape = z.infer<typeof provisioningViewSchema>;

export const discoveredDevicesSchema = z.object({
  serial: z.object({
    enumerated: z.boolean(),
    reason: z.string().optional(),
    ports: z.array(z.object({ path: z.string(), manufacturer: z.string().optional(), vendorId: z.string().optional(), productId: z.string().optional(), bridge: z.string().optional(), configured: z.boolean().optional() }).passthrough()),
  }),
  sbi: z.array(z.object({ port: z.number(), deviceId: z.string(), status: z.string(), make: z.string().nullable(), model: z.string().nullable(), certification: z.string() })),
  /** The fingerprint sensors in the kiosk's configuration, as the kiosk sees them now (incl. demo emulators). */
  configured: z.array(z.object({ id: z.string(), kind: z.string(), label: z.string(), state: z.string(), detail: z.string().optional() })).optional(),
});

const fingerprintHex = z.string().regex(/^[0-9a-fA-F:\s]{32,80}$/);
const empty = z.object({}).strict();
const view = provisioningViewSchema;

export const operatorOnboardingViewSchema = z.object({
  id: z.string(),
  role: roleSchema,
  displayName: z.string(),
  active: z.boolean(),
  locked: z.boolean(),
  /** set: own PIN; temporary: must be changed at next sign-in; unset: from the registry, needs a temporary PIN first. */
  pinState: z.enum(['set', 'temporary', 'unset']),
  fingerprints: z.number().int().nonnegative(),
});

export const provisioningChannels = {
  /** Public: whether this kiosk is in service (the frame opens the technician wizard otherwise, outside demo mode). */
  'kiosk:provisioning.status': { request: empty, response: z.object({ inService: z.boolean(), demo: z.boolean(), ready: z.boolean() }) },
  'kiosk:provisioning.state': { request: empty, response: view },
  'kiosk:provisioning.setLanguage': { request: z.object({ locale: localeSchema }).strict(), response: view },
  'kiosk:provisioning.register': {
    request: z.object({ registryUrl: z.string().min(1).max(512), token: z.string().min(16).max(256), registryKeyFingerprint: fingerprintHex }).strict(),
    response: view,
  },
  'kiosk:provisioning.applyBundle': { request: z.object({ dir: z.string().min(1).max(1024), registryKeyFingerprint: fingerprintHex }).strict(), response: view },
  'kiosk:provisioning.download': { request: empty, response: view },
  'kiosk:provisioning.setStation': { request: z.object({ stationId: z.string().min(1).max(32) }).strict(), response: view },
  'kiosk:provisioning.discoverDevices': { request: z.object({ serialPaths: z.array(z.string().min(1).max(256)).max(16) }).strict(), response: discoveredDevicesSchema },
  'kiosk:provisioning.testDevice': { request: deviceAssignmentRequestSchema, response: view },
  'kiosk:provisioning.removeDevice': { request: z.object({ id: z.string().min(1).max(32) }).strict(), response: view },
  /** The renderer grabbed a frame from the chosen camera: its size and grey-level spread (blank-frame check). */
  'kiosk:provisioning.cameraTest': {
    request: z.union([
      z.object({ ok: z.literal(true), deviceId: z.string().max(512), label: z.string().max(200), width: z.number().int().min(0).max(10000), height: z.number().int().min(0).max(10000), greyStdDev: z.number().min(0).max(256) }).strict(),
      z.object({ ok: z.literal(false), reason: z.string().min(1).max(200) }).strict(),
    ]),
    response: view,
  },
  'kiosk:provisioning.checkModels': { request: empty, response: view },
  'kiosk:provisioning.checkClock': { request: empty, response: view },
  'kiosk:provisioning.waive': { request: z.object({ item: checklistItemIdSchema, reason: z.string().min(1).max(200) }).strict(), response: view },
  'kiosk:provisioning.enterService': { request: empty, response: view },

  /** Technicians and supervisors. */
  'kiosk:operators.list': { request: empty, response: z.object({ operators: z.array(operatorOnboardingViewSchema) }) },
  /** Technicians create any role, supervisors clerks. The PIN given is temporary: the operator sets their own at first sign-in. */
  'kiosk:operators.create': {
    request: z.object({ id: operatorIdSchema, role: roleSchema, displayName: z.string().min(1).max(80), temporaryPin: pinSchema }).strict(),
    response: operatorOnboardingViewSchema,
  },
  /** A new temporary PIN (forgotten PIN, or an operator downloaded from the registry). */
  'kiosk:operators.resetPin': { request: z.object({ id: operatorIdSchema, temporaryPin: pinSchema }).strict(), response: operatorOnboardingViewSchema },
  'kiosk:operators.deactivate': { request: z.object({ id: operatorIdSchema }).strict(), response: operatorOnboardingViewSchema },
  /** Lifts a PIN lockout before it runs out (technicians: anyone; supervisors: clerks and supervisors; audited). */
  'kiosk:operators.unlock': { request: z.object({ id: operatorIdSchema }).strict(), response: operatorOnboardingViewSchema },
  /** The signed-in operator replaces a temporary PIN (first sign-in) or changes their own. */
  'kiosk:operators.setOwnPin': { request: z.object({ currentPin: pinSchema, newPin: pinSchema }).strict(), response: z.object({ pinState: z.literal('set') }) },
  /** Public: sign in with an enrolled finger on a scanner of this kiosk (1:1 against that operator's fingers). */
  'kiosk:operators.fingerSignIn': { request: z.object({ operatorId: operatorIdSchema, deviceId: z.string().min(1).max(32) }).strict(), response: sessionViewSchema },
  /** Operator fingerprint for sign-in and the operator-match check: captured on a provisioned device, template stored encrypted. */
  'kiosk:operators.enrolFinger': {
    request: z.object({ id: operatorIdSchema, deviceId: z.string().min(1).max(32), position: z.number().int().min(1).max(10) }).strict(),
    response: operatorOnboardingViewSchema,
  },
} as const;

// The provisioning checklist, persisted in DATA_DIR/provisioning/state.json (atomic writes). "In service" is the
// last bit written: until it is set, a non-demo kiosk opens in the technician wizard.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import { writeFileAtomic } from '../platform/atomic-file.js';

export const CHECKLIST_ITEMS = ['language', 'registration', 'downloads', 'site', 'fingerprint', 'camera', 'models', 'clock'] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];
export const ITEM_STATUSES = ['pending', 'ok', 'failed', 'waived'] as const;

const errorSchema = z.object({ code: z.string(), message: z.string(), messageKey: z.string(), details: z.record(z.string(), z.unknown()) });
export const checklistItemSchema = z.object({
  id: z.enum(CHECKLIST_ITEMS),
  status: z.enum(ITEM_STATUSES),
  /** JSON facts shown next to the item (never PII). */
  detail: z.record(z.string(), z.unknown()),
  error: errorSchema.nullable(),
  waiver: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  updatedAt: z.string().nullable(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const deviceAssignmentSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/),
  kind: z.enum(['r30x', 'gt511c3', 'sbi']),
  path: z.string().min(1).optional(),
  port: z.number().int().min(4501).max(4600).optional(),
  test: z
    .object({
      ok: z.boolean(),
      at: z.string(),
      model: z.string().optional(),
      width: z.number().int().optional(),
      height: z.number().int().optional(),
      ppi: z.number().optional(),
      quality: z.number().nullable().optional(),
      bytes: z.number().int().optional(),
      totalMs: z.number().optional(),
      error: errorSchema.optional(),
    })
    .nullable(),
});
export type DeviceAssignment = z.infer<typeof deviceAssignmentSchema>;

export const provisioningStateSchema = z.object({
  version: z.literal(1),
  inService: z.boolean(),
  inServiceAt: z.string().nullable(),
  inServiceBy: z.string().nullable(),
  source: z.enum(['online', 'bundle']).nullable(),
  registryUrl: z.string().nullable(),
  registryKeyFingerprint: z.string().nullable(),
  centreId: z.string().nullable(),
  stationId: z.string().nullable(),
  clockSkewMs: z.number().nullable(),
  fingerprintDevices: z.array(deviceAssignmentSchema),
  camera: z.object({ deviceId: z.string(), label: z.string(), width: z.number().int(), height: z.number().int(), at: z.string() }).nullable(),
  items: z.array(checklistItemSchema),
});
export type ProvisioningState = z.infer<typeof provisioningStateSchema>;

export function provisioningDir(dataDir: string): string {
  return path.join(dataDir, 'provisioning');
}

const stateFile = (dataDir: string) => path.join(provisioningDir(dataDir), 'state.json');

export function emptyState(): ProvisioningState {
  return {
    version: 1,
    inService: false,
    inServiceAt: null,
    inServiceBy: null,
    source: null,
    registryUrl: null,
    registryKeyFingerprint: null,
    centreId: null,
    stationId: null,
    clockSkewMs: null,
    fingerprintDevices: [],
    camera: null,
    items: CHECKLIST_ITEMS.map((id) => ({ id, status: 'pending', detail: {}, error: null, waiver: null, updatedAt: null })),
  };
}

export function loadProvisioningState(dataDir: string): ProvisioningState {
  const file = stateFile(dataDir);
  if (!existsSync(file)) return emptyState();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new KioskError('PROVISION_STATE_CORRUPT', `Provisioning state ${file} is not JSON; it was kept as is`, { cause, details: { file } });
  }
  const parsed = provisioningStateSchema.safeParse(raw);
  if (!parsed.success) throw new KioskError('PROVISION_STATE_CORRUPT', `Provisioning state ${file} is invalid; it was kept as is`, { details: { file, issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) } });
  return parsed.data;
}

export function saveProvisioningState(dataDir: string, state: ProvisioningState): void {
  mkdirSync(provisioningDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFile(dataDir), JSON.stringify(state, null, 1));
}

/** True once the checklist was completed (or waived) and the kiosk entered service. */
export function isInService(dataDir: string): boolean {
  try {
    return loadProvisioningState(dataDir).inService;
  } catch {
    return false;
  }
}

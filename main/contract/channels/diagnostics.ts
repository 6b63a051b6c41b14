// Channels of diagnostics, screen lock and factory reset. Roles are checked in main: diagnostics for supervisors and
// technicians, export and factory reset for technicians only; lock/unlock for the signed-in operator.
import { z } from 'zod';
import { deviceStatusSchema } from './app.js';
import { pinSchema, roleSchema } from './auth.js';

const checkSchema = z.object({ id: z.string(), status: z.enum(['ok', 'warn', 'fail']), detail: z.string() });

export const diagnosticsReportSchema = z.object({
  format: z.literal('kiosk-diagnostics'),
  version: z.literal(1),
  generatedAt: z.string().datetime(),
  kioskId: z.string(),
  centreId: z.string(),
  demo: z.boolean(),
  ok: z.boolean(),
  checks: z.array(checkSchema),
  versions: z.record(z.string(), z.string()),
  models: z.array(z.object({ id: z.string(), file: z.string(), status: z.string(), sha256: z.string().nullable() })),
  disk: z.object({
    freeBytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
    level: z.enum(['ok', 'warn', 'block']),
    warnBelowBytes: z.number().nonnegative(),
    blockBelowBytes: z.number().nonnegative(),
  }),
  store: z.object({
    initialised: z.boolean(),
    integrity: z.enum(['ok', 'failed', 'not_checked']),
    audit: z
      .object({ ok: z.boolean(), entries: z.number().int(), checkpoints: z.number().int(), firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable() })
      .nullable(),
    userVersion: z.number().int().nullable(),
    sizeBytes: z.number().nonnegative(),
    counts: z.record(z.string(), z.number()).nullable(),
  }),
  keyMode: z.object({ mode: z.string(), weak: z.boolean() }).nullable(),
  sync: z.object({ state: z.string(), backlog: z.number().int().nonnegative(), lastSuccessAt: z.string().datetime().nullable() }),
  devices: z.array(deviceStatusSchema),
});
export type DiagnosticsReportView = z.infer<typeof diagnosticsReportSchema>;

export const lockStateSchema = z.object({ signedIn: z.boolean(), locked: z.boolean(), operatorId: z.string().nullable(), role: roleSchema.nullable() });
export type LockState = z.infer<typeof lockStateSchema>;

export const diagnosticsChannels = {
  /** Supervisor or technician. */
  'kiosk:diagnostics.run': { request: z.object({}).strict(), response: diagnosticsReportSchema },
  /** Technician: writes a PII-free bundle under the data dir's `diagnostics/` folder (or a removable-drive path). */
  'kiosk:diagnostics.export': {
    request: z.object({ to: z.string().min(1).max(4096).optional() }).strict(),
    response: z.object({ dir: z.string(), files: z.number().int().nonnegative() }),
  },
  /** Technician, with the PIN again and the kiosk id typed as confirmation. Crypto-erases and wipes all data. */
  'kiosk:diagnostics.factoryReset': {
    request: z.object({ confirm: z.string().min(1).max(64), pin: pinSchema }).strict(),
    response: z.object({ at: z.string().datetime(), leftovers: z.array(z.string()) }),
  },
  'kiosk:lock.state': { request: z.object({}).strict(), response: lockStateSchema },
  'kiosk:lock.engage': { request: z.object({}).strict(), response: lockStateSchema },
  'kiosk:lock.unlock': { request: z.object({ pin: pinSchema }).strict(), response: lockStateSchema },
} as const;

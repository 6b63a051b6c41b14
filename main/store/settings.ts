// Store-level settings, read from <dataDir>/store-settings.json when present (the kiosk config has no store section):
//   { "registryPublicKey": "<base64 raw X25519 | PEM>", "slowQueryMs": 50, "idSchema": { …ID schema description… } }
// The registry key is checked against config.registry.publicKeyFingerprint when that is set.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';

export const STORE_SETTINGS_FILE = 'store-settings.json';

export const storeSettingsSchema = z
  .object({
    registryPublicKey: z.string().min(1).nullable().default(null),
    slowQueryMs: z.number().int().positive().default(50),
    idSchema: z.unknown().optional(),
  })
  .strict();

export type StoreSettings = z.output<typeof storeSettingsSchema>;

export function readStoreSettings(dataDir: string): StoreSettings {
  const file = path.join(dataDir, STORE_SETTINGS_FILE);
  if (!existsSync(file)) return storeSettingsSchema.parse({});
  try {
    return storeSettingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (cause) {
    throw new KioskError('CONFIG_INVALID', `Invalid ${STORE_SETTINGS_FILE}`, { cause, details: { file } });
  }
}

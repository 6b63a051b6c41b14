// Per-kiosk UI settings (language, camera), persisted atomically in the data dir.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { settingsSchema } from '../../contract/channels/app.js';
import { writeFileAtomic } from '../../platform/atomic-file.js';
import type { Locale } from '../../contract/ipc.js';

export type Settings = z.output<typeof settingsSchema>;

export interface SettingsService {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}

export class FileSettingsService implements SettingsService {
  private current: Settings;
  private readonly file: string;

  constructor(dataDir: string, defaults: { locale: Locale; cameraDeviceId: string | null }) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, 'settings.json');
    this.current = { locale: defaults.locale, cameraDeviceId: defaults.cameraDeviceId };
    if (existsSync(this.file)) {
      const parsed = settingsSchema.partial().safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) this.current = { ...this.current, ...parsed.data };
    }
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    return this.get();
  }
}

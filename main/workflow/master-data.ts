// Location master data for the pickers (governorate → district → locality). The bundled Egypt data
// (eg-locations.ts) is used until the registry's master-data download installs DATA_DIR/master-data/locations.json
// (installMasterData, validated, atomic); the file then takes precedence on every kiosk start.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import { writeFileAtomic } from '../store/crypto/atomic.js';
import { EG_BORN_ABROAD, EG_MASTER_DATA, type MasterData, type MasterLocation } from './eg-locations.js';

export const MASTER_DATA_FILE = path.join('master-data', 'locations.json');

export type LocationLevel = 'governorate' | 'district' | 'locality';
export interface LocationItem {
  code: string;
  nameAr: string;
  nameEn: string;
}

export class MasterDataInvalidError extends KioskError {
  override name = 'MasterDataInvalidError';
  constructor(message: string, cause?: unknown) {
    super('MASTER_DATA_INVALID', message, { cause });
  }
}

const locationSchema: z.ZodType<MasterLocation> = z.lazy(() =>
  z.object({ code: z.string().regex(/^\d{2,6}$/), nameAr: z.string().min(1).max(120), nameEn: z.string().min(1).max(120), children: z.array(locationSchema).optional() }).strict(),
);
export const masterDataSchema = z.object({ version: z.string().min(1).max(40), country: z.string().length(2), governorates: z.array(locationSchema).min(1) }).strict();

function validate(data: unknown): MasterData {
  const parsed = masterDataSchema.safeParse(data);
  if (!parsed.success) throw new MasterDataInvalidError(`Invalid master data: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const seen = new Set<string>();
  const walk = (items: MasterLocation[], parent: string, depth: number) => {
    for (const l of items) {
      if (seen.has(l.code)) throw new MasterDataInvalidError(`Duplicate location code ${l.code}`);
      if (!l.code.startsWith(parent)) throw new MasterDataInvalidError(`Location ${l.code} is not under its parent ${parent}`);
      if (depth === 2 && l.children?.length) throw new MasterDataInvalidError(`Locality ${l.code} has children`);
      seen.add(l.code);
      walk(l.children ?? [], l.code, depth + 1);
    }
  };
  walk(parsed.data.governorates, '', 0);
  return parsed.data;
}

/** Validates and installs downloaded master data (the registry sync path calls this); takes effect on reload(). */
export function installMasterData(dataDir: string, data: unknown): MasterData {
  const valid = validate(data);
  mkdirSync(path.join(dataDir, path.dirname(MASTER_DATA_FILE)), { recursive: true, mode: 0o700 });
  writeFileAtomic(path.join(dataDir, MASTER_DATA_FILE), Buffer.from(JSON.stringify(valid), 'utf8'), 0o644);
  return valid;
}

export class LocationMasterData {
  private data: MasterData = EG_MASTER_DATA;
  private src: 'bundled' | 'registry' = 'bundled';
  private readonly index = new Map<string, { level: LocationLevel; item: MasterLocation; parent: string | null }>();

  constructor(private readonly dataDir: string | null) {
    this.reload();
  }

  /** Re-reads DATA_DIR/master-data/locations.json (an unreadable or invalid file falls back to the bundled data). */
  reload(): { source: 'bundled' | 'registry'; version: string; error?: string } {
    let error: string | undefined;
    this.data = EG_MASTER_DATA;
    this.src = 'bundled';
    const file = this.dataDir ? path.join(this.dataDir, MASTER_DATA_FILE) : null;
    if (file && existsSync(file)) {
      try {
        this.data = validate(JSON.parse(readFileSync(file, 'utf8')));
        this.src = 'registry';
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    this.index.clear();
    for (const g of this.data.governorates) {
      this.index.set(`governorate:${g.code}`, { level: 'governorate', item: g, parent: null });
      for (const d of g.children ?? []) {
        this.index.set(`district:${d.code}`, { level: 'district', item: d, parent: g.code });
        for (const l of d.children ?? []) this.index.set(`locality:${l.code}`, { level: 'locality', item: l, parent: d.code });
      }
    }
    return { source: this.src, version: this.data.version, ...(error ? { error } : {}) };
  }

  get version(): string {
    return this.data.version;
  }

  get source(): 'bundled' | 'registry' {
    return this.src;
  }

  list(level: LocationLevel, parent?: string): LocationItem[] {
    const strip = (l: MasterLocation): LocationItem => ({ code: l.code, nameAr: l.nameAr, nameEn: l.nameEn });
    if (level === 'governorate') return this.data.governorates.map(strip);
    if (!parent) return [];
    const p = this.index.get(`${level === 'district' ? 'governorate' : 'district'}:${parent}`);
    return (p?.item.children ?? []).map(strip);
  }

  find(level: LocationLevel, code: string): { item: LocationItem; parent: string | null } | null {
    const e = this.index.get(`${level}:${code}`);
    return e ? { item: { code: e.item.code, nameAr: e.item.nameAr, nameEn: e.item.nameEn }, parent: e.parent } : null;
  }

  /** Name of a birth-registration governorate (national-number digits), including "born abroad". */
  birthGovernorate(code: string): LocationItem | null {
    if (code === EG_BORN_ABROAD.code) return { ...EG_BORN_ABROAD };
    return this.find('governorate', code)?.item ?? null;
  }
}

// Chooses the registry store: PostgreSQL when a URL is given, else embedded SQLite in the data dir.
import path from 'node:path';
import { PostgresRegistryStore } from './postgres.js';
import { SqliteRegistryStore } from './sqlite.js';
import type { RegistryStore } from './types.js';

export type { RegistryStore, KioskRow, PacketRow, UploadRow, AuditRow, GalleryRow } from './types.js';
export { SqliteRegistryStore, PostgresRegistryStore };

export async function openRegistryStore(dataDir: string, postgresUrl?: string, schema?: string): Promise<RegistryStore> {
  const store = postgresUrl ? new PostgresRegistryStore(postgresUrl, schema ? { schema } : {}) : new SqliteRegistryStore(path.join(dataDir, 'registry.sqlite'));
  await store.init();
  return store;
}

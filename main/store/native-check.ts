// Confirms better-sqlite3 loads and can write a WAL database (used by `kiosk doctor`).
export async function checkSqliteNative(): Promise<{ ok: boolean; detail: string }> {
  try {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(':memory:');
    const row = db.prepare('select sqlite_version() as v').get() as { v: string };
    db.close();
    return { ok: true, detail: `better-sqlite3 loaded (SQLite ${row.v})` };
  } catch (error) {
    return { ok: false, detail: `better-sqlite3 failed to load: ${(error as Error).message} — run \`npm rebuild better-sqlite3\`` };
  }
}

// Private data on disk: folders 0700, files 0600, enforced when they are opened (existing ones are tightened, not
// only new ones created right) and checked by `kiosk doctor`. SQLite creates its -wal and -shm files with the
// database file's permissions, so the database file is made 0600 before SQLite opens it.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const onPosix = process.platform !== 'win32';

/** Creates `dir` (and parents) if needed and makes it 0700 if it is looser. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (onPosix && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600 if it is looser. */
export function tightenFile(file: string): void {
  if (!onPosix || !existsSync(file)) return;
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Before SQLite opens `file`: its folder 0700, the file itself created (if absent) and tightened to 0600, and any
 * WAL/SHM/journal left from an earlier run tightened too. */
export function preparePrivateDatabase(file: string): void {
  ensurePrivateDir(path.dirname(file));
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tightenFile(f);
}

export interface LoosePermission {
  path: string;
  mode: string;
  expected: string;
}

/** Folders and files under `dir` (depth ≤ 2) readable or writable by group or others. */
export function loosePermissions(dir: string, depth = 2): LoosePermission[] {
  if (!onPosix || !existsSync(dir)) return [];
  const out: LoosePermission[] = [];
  const visit = (p: string, d: number) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o077) !== 0) out.push({ path: p, mode: (st.mode & 0o777).toString(8), expected: '700' });
      if (d > 0) for (const e of readdirSync(p)) visit(path.join(p, e), d - 1);
    } else if (st.isFile() && (st.mode & 0o077) !== 0) out.push({ path: p, mode: (st.mode & 0o777).toString(8), expected: '600' });
  };
  visit(dir, depth);
  return out;
}

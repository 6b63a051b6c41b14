// Audit finding 8: enrollment.db, its WAL/SHM and registry.sqlite were 0644, and a data folder created 0755 by
// someone else stayed so. Opening the store or the registry now tightens them; `kiosk doctor` reports loose ones.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../main/cli/doctor.js';
import { loadConfig } from '../../../main/config/load-config.js';
import { loosePermissions } from '../../../main/platform/private-files.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { fullPatch, clerk, openTest } from '../store/helpers.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('private files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const temp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sec-perm-'));
    dirs.push(d);
    return d;
  };

  it('the store tightens an existing 0755 data folder and a 0644 database; WAL and SHM come out 0600', async () => {
    const dir = path.join(temp(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    let s = await openTest(dir);
    await s.enrollment.createDraft(clerk, fullPatch(1));
    await s.dispose();
    chmodSync(path.join(dir, 'enrollment.db'), 0o644);
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'enrollment.db-shm'), Buffer.alloc(0), { mode: 0o644 });
    const cfg = await loadConfig(undefined, { dataDir: dir });
    const before = (await runDoctor(cfg)).find((r) => r.id === 'data-dir.permissions')!;
    expect(before.status).toBe('fail');
    s = await openTest(dir);
    await s.enrollment.createDraft(clerk, fullPatch(2));
    expect(mode(dir)).toBe(0o700);
    for (const f of readdirSync(dir).filter((f) => f.startsWith('enrollment.db'))) expect(mode(path.join(dir, f)), f).toBe(0o600);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['enrollment.db', 'enrollment.db-wal', 'enrollment.db-shm']));
    await s.dispose();
  });

  it('the registry database is created 0600 and an existing 0644 one is tightened', async () => {
    const dir = path.join(temp(), 'registry');
    let r = await openRegistry({ dataDir: dir });
    await r.dispose();
    await r.closeStore();
    const files = readdirSync(dir).filter((f) => f.startsWith('registry.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(mode(path.join(dir, f)), f).toBe(0o600);
    chmodSync(path.join(dir, 'registry.sqlite'), 0o644);
    r = await openRegistry({ dataDir: dir });
    expect(mode(path.join(dir, 'registry.sqlite'))).toBe(0o600);
    await r.dispose();
    await r.closeStore();
    expect(loosePermissions(dir).filter((l) => l.path.includes('registry.sqlite'))).toEqual([]);
  });
});

// The locations download carries the pickers' master data: verified, validated, installed for the workflow.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveDownloads, type DownloadSet } from '../../../main/provisioning/downloads.js';
import { LocationMasterData, MASTER_DATA_FILE } from '../../../main/workflow/master-data.js';
import { signDoc } from '../../../sync/protocol/signed-doc.js';

const registryKey = generateKeyPairSync('ed25519');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function locationsSet(data: unknown, key = registryKey.privateKey): DownloadSet {
  const doc = signDoc({ type: 'download' as const, kind: 'locations' as const, version: 3, issuedAt: new Date().toISOString(), data }, key);
  return { docs: [{ kind: 'locations', name: 'locations.json', doc }] } as DownloadSet;
}

const MASTER = {
  version: 'reg-2026.11',
  country: 'EG',
  governorates: [{ code: '01', nameAr: 'القاهرة', nameEn: 'Cairo', children: [{ code: '0101', nameAr: 'حي الزمالك', nameEn: 'Zamalek', children: [{ code: '010101', nameAr: 'الجزيرة', nameEn: 'Gezira' }] }] }],
  centres: [{ id: 'C-1', stations: ['S-1'] }],
};

describe('locations download → location master data', () => {
  it('installs the governorate → district → locality tree; the pickers read it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-md-'));
    dirs.push(dir);
    const before = new LocationMasterData(dir);
    expect(before.source).toBe('bundled');
    saveDownloads(dir, locationsSet(MASTER), registryKey.publicKey);
    expect(existsSync(path.join(dir, MASTER_DATA_FILE))).toBe(true);
    expect(before.reload()).toMatchObject({ source: 'registry', version: 'reg-2026.11' });
    expect(before.list('governorate').map((g) => g.nameEn)).toEqual(['Cairo']);
    expect(before.list('locality', '0101')).toEqual([{ code: '010101', nameAr: 'الجزيرة', nameEn: 'Gezira' }]);
  });

  it('a download listing only centres keeps the bundled master data', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-md-'));
    dirs.push(dir);
    saveDownloads(dir, locationsSet({ centres: MASTER.centres }), registryKey.publicKey);
    expect(existsSync(path.join(dir, MASTER_DATA_FILE))).toBe(false);
    expect(new LocationMasterData(dir).source).toBe('bundled');
  });

  it('invalid master data is refused before anything is written; so is a foreign signature', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-md-'));
    dirs.push(dir);
    const broken = { ...MASTER, governorates: [{ code: 'x', nameAr: '', nameEn: 'Nowhere' }] };
    expect(() => saveDownloads(dir, locationsSet(broken), registryKey.publicKey)).toThrow(expect.objectContaining({ code: 'PROVISION_DOWNLOAD_INVALID', details: expect.objectContaining({ reason: 'master-data' }) }));
    const other = generateKeyPairSync('ed25519');
    expect(() => saveDownloads(dir, locationsSet(MASTER, other.privateKey), registryKey.publicKey)).toThrow(expect.objectContaining({ code: 'PROVISION_DOWNLOAD_INVALID' }));
    expect(existsSync(path.join(dir, MASTER_DATA_FILE))).toBe(false);
  });
});

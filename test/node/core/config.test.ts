import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, loadConfig, parseConfig } from '../../../main/config/load-config.js';

describe('kiosk config', () => {
  it('has embedded defaults: demo mode, Arabic, emulated R30x', async () => {
    const config = await loadConfig();
    expect(config.demo).toBe(true);
    expect(config.defaultLocale).toBe('ar');
    expect(config.devices.fingerprint[0]?.kind).toBe('emulated-r30x');
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it('names the bad key', () => {
    try {
      parseConfig({ thresholds: { fingerQualityMin: 140 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigInvalidError);
      expect((e as ConfigInvalidError).code).toBe('CONFIG_INVALID');
      expect((e as ConfigInvalidError).problems[0]?.key).toBe('thresholds.fingerQualityMin');
    }
  });

  it('names unknown keys, including nested ones', () => {
    expect(() => parseConfig({ kioskid: 'X' })).toThrow(/kioskid: unknown key/);
    expect(() => parseConfig({ web: { hots: '0.0.0.0' } })).toThrow(/web\.hots: unknown key/);
  });

  it('only binds the browser shell to 127.0.0.1', () => {
    expect(() => parseConfig({ web: { host: '0.0.0.0' } })).toThrow(/web\.host/);
  });

  it('reports a missing file, bad JSON and a non-object', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-config-'));
    await expect(loadConfig(path.join(dir, 'none.json'))).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    await expect(loadConfig(path.join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    writeFileSync(path.join(dir, 'arr.json'), '[]');
    await expect(loadConfig(path.join(dir, 'arr.json'))).rejects.toThrow(/expected a JSON object/);
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ kioskId: 'K-7', dataDir: 'data' }));
    const ok = await loadConfig(path.join(dir, 'ok.json'));
    expect(ok.kioskId).toBe('K-7');
    expect(ok.dataDir).toBe(path.join(dir, 'data'));
  });
});

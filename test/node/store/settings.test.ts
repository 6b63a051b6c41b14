// Store settings: registry key from store-settings.json checked against config.registry.publicKeyFingerprint;
// no registry key outside demo mode leaves approved records waiting; the slow-call log reaches the logger.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRegistryKeyPair, openPacket, publicKeyFingerprint } from '../../../sync/packet/index.js';
import { clerk, fullPatch, openTest, supervisorCreds, tempDataDir, testConfig } from './helpers.js';

describe('store settings', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const temp = () => {
    const t = tempDataDir();
    dirs.push(t);
    return t.dir;
  };

  it('uses the registry key from store-settings.json and checks its fingerprint', async () => {
    const dir = temp();
    const registry = generateRegistryKeyPair();
    writeFileSync(path.join(dir, 'store-settings.json'), JSON.stringify({ registryPublicKey: registry.publicKeyRaw.toString('base64') }));
    await expect(openTest(dir, { config: testConfig(dir, { registry: { url: null, publicKeyFingerprint: 'ab'.repeat(16) } }) })).rejects.toMatchObject({ code: 'REGISTRY_KEY_MISMATCH' });
    const s = await openTest(dir, { config: testConfig(dir, { registry: { url: null, publicKeyFingerprint: publicKeyFingerprint(registry.publicKey) } }) });
    try {
      expect(s.registry).toEqual({ source: 'settings', fingerprint: publicKeyFingerprint(registry.publicKey), weak: false });
      const r = await s.enrollment.createDraft(clerk, fullPatch(1));
      await s.enrollment.transition(clerk, r.id, 'captured');
      await s.enrollment.transition(clerk, r.id, 'pending_approval');
      await s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds });
      const opened = openPacket((await s.enrollment.packet(r.id)).packet, registry.privateKey, s.kiosk.publicKey);
      expect(opened.manifest.recordId).toBe(r.id);
    } finally {
      await s.dispose();
    }
  });

  it('without a registry key approved records wait, and are sealed once a key is set', async () => {
    const dir = temp();
    const s = await openTest(dir, { config: testConfig(dir, { demo: false }) });
    try {
      await s.auth.createOperator('bootstrap', { id: 'clerk', role: 'clerk', displayName: 'C', pin: '1111' });
      await s.auth.createOperator('bootstrap', { id: 'supervisor', role: 'supervisor', displayName: 'S', pin: '2222' });
      expect(s.registry.source).toBe('none');
      const r = await s.enrollment.createDraft(clerk, fullPatch(2));
      await s.enrollment.transition(clerk, r.id, 'captured');
      await s.enrollment.transition(clerk, r.id, 'pending_approval');
      expect((await s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds })).status).toBe('approved');
      await expect(s.enrollment.seal({ operatorId: 'system', role: 'system' }, r.id)).rejects.toMatchObject({ code: 'REGISTRY_KEY_MISSING' });
      const registry = generateRegistryKeyPair();
      expect(await s.enrollment.setRegistryPublicKey(registry.publicKey)).toBe(1);
      expect((await s.enrollment.list(clerk))[0]?.status).toBe('sealed');
    } finally {
      await s.dispose();
    }
    // The key set at run time (e.g. from registration) is remembered across restarts.
    const again = await openTest(dir, { config: testConfig(dir, { demo: false }) });
    try {
      expect(again.registry.source).toBe('registration');
    } finally {
      await again.dispose();
    }
  });

  it('reports slow store calls to the logger', async () => {
    const dir = temp();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const s = await openTest(dir, { logger, store: { slowMs: 0 } });
    await s.enrollment.counts();
    await s.dispose();
    const slow = lines.map((l) => JSON.parse(l) as { msg: string; method?: string; ms?: number }).filter((l) => l.msg === 'slow store call');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.some((l) => l.method === 'enrollment.counts' && typeof l.ms === 'number')).toBe(true);
  });
});

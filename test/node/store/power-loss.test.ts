// Power loss: a child process saves enrollments in a loop; the parent SIGKILLs it at random points, 50 rounds.
// Every save that returned must be present and intact, no record may be partial, and integrity_check must pass.
// The child is bundled once (test/helpers/power-loss.ts) into test-artifacts/ (git-ignored).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../main/enrollment/synthetic.js';
import { projectRoot } from '../../helpers/fixtures.js';
import { allPowerLossRecords, bundlePowerLossChild, openPowerLossStore, powerLossRound } from '../../helpers/power-loss.js';
import { tempDataDir } from './helpers.js';

const ROUNDS = 50;
const outDir = path.join(projectRoot, 'test-artifacts', `store-power-loss-${process.pid}`);

describe('power loss', () => {
  const t = tempDataDir('kiosk-powerloss-');
  let childJs = '';

  beforeAll(async () => {
    childJs = await bundlePowerLossChild(outDir);
  });
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    t.cleanup();
  });

  it(`every save that returned survives ${ROUNDS} SIGKILLs at random points, intact and complete`, async () => {
    const rnd = prng(20261123);
    const saved = new Map<string, string>();
    let killedBeforeReady = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Most rounds kill mid-save-loop; every 7th kills during start-up (key ring creation, migrations, open).
      const early = round % 7 === 3;
      if (early) killedBeforeReady++;
      const got = await powerLossRound(childJs, t.dir, round, early ? Math.floor(rnd() * 400) : 5 + Math.floor(rnd() * 150), !early);
      for (const [id, digest] of got) saved.set(id, digest);
    }
    expect(killedBeforeReady).toBeGreaterThan(0);
    expect(saved.size).toBeGreaterThan(ROUNDS);

    const s = await openPowerLossStore(t.dir);
    try {
      expect(await s.client.call('store.integrityCheck', {})).toEqual(['ok']);
      const actor = { operatorId: 'clerk', role: 'clerk' } as const;
      const all = await allPowerLossRecords(s);
      // Every returned save is there; at most one per round was in flight when killed (committed but not printed).
      const ids = new Set(all.map((r) => r.id));
      for (const id of saved.keys()) expect(ids.has(id)).toBe(true);
      expect(all.length - saved.size).toBeLessThanOrEqual(ROUNDS);
      // No partial record: every stored record decrypts completely, with both fingers.
      for (const r of all) {
        const rec = await s.enrollment.get(actor, r.id);
        expect(rec.fingers).toHaveLength(2);
        const digest = createHash('sha256').update(rec.demographics.nationalNumber!).update(rec.fingers[0]!.image.pixels).digest('hex');
        if (saved.has(r.id)) expect(digest).toBe(saved.get(r.id));
      }
      expect((await s.verifyAudit()).ok).toBe(true);
    } finally {
      await s.dispose();
    }
  }, 300_000);
});

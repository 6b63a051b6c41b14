// Power loss at scale (docs/SECURITY.md, "broken device"): a child process saves enrollments in a loop and is
// SIGKILLed at random points, POWER_LOSS_ROUNDS times (default 1,000; every 7th round during start-up). Afterwards
// every save that returned must be present exactly once and intact, no record partial, integrity_check ok and the
// audit chain valid. Child, round and reopening are test/helpers/power-loss.ts, shared with the 50-round test in CI.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { prng } from '../../main/enrollment/synthetic.js';
import { packageInfo } from '../../main/platform/package-info.js';
import { allPowerLossRecords, bundlePowerLossChild, openPowerLossStore, powerLossRound } from '../../test/helpers/power-loss.js';

export const benchmarks: Benchmark[] = [
  {
    id: 'store.power-loss-at-scale',
    title: 'SIGKILL power loss at scale: saves that returned survive, none duplicated or partial',
    async run(): Promise<BenchResult[]> {
      const rounds = Number(process.env.POWER_LOSS_ROUNDS ?? 1000);
      const root = packageInfo().root;
      const work = mkdtempSync(path.join(os.tmpdir(), 'bench-power-loss-'));
      // Inside the project (git-ignored test-artifacts/) so the bundle's external packages resolve from node_modules.
      const outDir = path.join(root, 'test-artifacts', `bench-power-loss-${process.pid}`);
      const dataDir = path.join(work, 'data');
      try {
        const childJs = await bundlePowerLossChild(outDir);
        const rnd = prng(20261204);
        const saved = new Map<string, string>();
        const t0 = performance.now();
        for (let i = 0; i < rounds; i++) {
          const early = i % 7 === 3;
          for (const [id, digest] of await powerLossRound(childJs, dataDir, i, early ? Math.floor(rnd() * 400) : 5 + Math.floor(rnd() * 150), !early, 60_000)) saved.set(id, digest);
        }
        const wall = (performance.now() - t0) / 1000;
        const s = await openPowerLossStore(dataDir);
        try {
          const integrity = (await s.client.call('store.integrityCheck', {})).join(',');
          const actor = { operatorId: 'clerk', role: 'clerk' } as const;
          const all = await allPowerLossRecords(s);
          const ids = new Set(all.map((r) => r.id));
          const lost = [...saved.keys()].filter((id) => !ids.has(id)).length;
          const duplicated = all.length - ids.size;
          let partial = 0;
          let changed = 0;
          for (const r of all) {
            const rec = await s.enrollment.get(actor, r.id);
            if (rec.fingers.length !== 2) partial++;
            else if (saved.has(r.id) && createHash('sha256').update(rec.demographics.nationalNumber!).update(rec.fingers[0]!.image.pixels).digest('hex') !== saved.get(r.id)) changed++;
          }
          const audit = (await s.verifyAudit()).ok;
          return [
            { metric: `SIGKILL rounds (${rounds}, every 7th during start-up)`, value: rounds, unit: 'rounds', note: `${wall.toFixed(0)} s wall; ${saved.size} saves returned, ${all.length} stored` },
            { metric: 'returned saves lost', value: lost, unit: 'records', target: '= 0', pass: lost === 0 },
            { metric: 'records duplicated', value: duplicated, unit: 'records', target: '= 0', pass: duplicated === 0 },
            { metric: 'records partial or changed', value: partial + changed, unit: 'records', target: '= 0', pass: partial + changed === 0 },
            { metric: 'integrity_check + audit chain', value: integrity === 'ok' && audit ? 1 : 0, unit: 'ok', target: '= 1', pass: integrity === 'ok' && audit },
          ];
        } finally {
          await s.dispose();
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
        rmSync(outDir, { recursive: true, force: true });
      }
    },
  },
];

// Diagnostics benchmarks: the cost of `kiosk doctor --full` on a store holding 100 full enrollments (face + 10
// fingers each): SQLite integrity_check, audit chain verification, model pin hashing, the whole report, and the
// PII-free export bundle. Wall time is distorted by other load on the shared machine, so process CPU time (all
// threads, including the store worker) is reported beside it.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';
import { parseConfig } from '../../main/config/load-config.js';
import { DiskSpaceGuard } from '../../main/diagnostics/disk-space.js';
import { exportDiagnostics } from '../../main/diagnostics/export.js';
import { runFullDiagnostics } from '../../main/diagnostics/report.js';
import { demoPerson } from '../../main/enrollment/demo-people.js';
import { FINGER_POSITIONS } from '../../main/enrollment/model.js';
import { openStoreServices } from '../../main/enrollment/services.js';
import { proceduralFingerCapture, syntheticFace } from '../../main/enrollment/synthetic.js';
import { checkModels } from '../../models/runtime/manifest.js';
import { KeyFileProtector } from '../../main/store/crypto/protectors.js';

const RECORDS = 100;

async function measure(fn: () => Promise<unknown>, runs = 3): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  walls.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return { wall: percentile(walls, 50), cpu: percentile(cpus, 50) };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'diagnostics.full',
    title: `kiosk doctor --full on a store with ${RECORDS} full enrollments`,
    async run(): Promise<BenchResult[]> {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-diag-'));
      const out = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-diag-out-'));
      const config = parseConfig({ dataDir: dir, kioskId: 'K-BENCH-01', centreId: 'C-BENCH' });
      const store = await openStoreServices({ config, logger: pino({ level: 'silent' }), protector: new KeyFileProtector(path.join(dir, 'kek.key')) });
      try {
        const at = new Date().toISOString();
        const clerk = { operatorId: 'clerk', role: 'clerk' } as const;
        for (let i = 0; i < RECORDS; i++) {
          await store.enrollment.createDraft(clerk, {
            demographics: demoPerson(i, 7),
            consent: { textVersion: 'v1', timestamp: at, method: 'signed_paper' },
            face: syntheticFace(`d${i}`, at),
            fingers: FINGER_POSITIONS.map((p) => proceduralFingerCapture(`d${i}`, p, at)),
            exceptions: [],
          });
        }
        await store.client.call('store.checkpointWal', {});
        const dbMb = statSync(path.join(dir, 'enrollment.db')).size / (1024 * 1024);
        const disk = new DiskSpaceGuard({ dataDir: dir, warnMegabytes: 1, blockMegabytes: 1 });
        const integrity = await measure(() => store.client.call('store.integrityCheck', {}));
        const audit = await measure(() => store.verifyAudit());
        const models = await measure(() => checkModels());
        const full = await measure(() => runFullDiagnostics({ config, disk, store }));
        const report = await runFullDiagnostics({ config, disk, store });
        // A full-size rotated log file (5 MB of pino JSON lines) for the export's scrubbing pass.
        mkdirSync(path.join(dir, 'logs'), { recursive: true });
        const line = JSON.stringify({ level: 30, time: at, pid: 1, component: 'sync', method: 'enrollment.insert', ms: 12.5, code: 'STORE_BUSY', msg: 'slow store call' });
        const lines = Math.ceil((5 * 1024 * 1024) / (line.length + 1));
        writeFileSync(path.join(dir, 'logs', 'kiosk.log'), `${line}\n`.repeat(lines));
        const exp = await measure(async () => exportDiagnostics({ report, config, to: out }), 3);
        const note = `${RECORDS} records, database ${dbMb.toFixed(0)} MB; median of 3; CPU = process user+system (all threads)`;
        return [
          { metric: 'SQLite integrity_check (wall)', value: Math.round(integrity.wall), unit: 'ms', note },
          { metric: 'SQLite integrity_check (CPU)', value: Math.round(integrity.cpu), unit: 'ms' },
          { metric: 'audit chain verify (wall)', value: Math.round(audit.wall), unit: 'ms' },
          { metric: 'model pin check, 6 files (wall)', value: Math.round(models.wall), unit: 'ms' },
          { metric: 'full report, live store (wall)', value: Math.round(full.wall), unit: 'ms' },
          { metric: 'full report, live store (CPU)', value: Math.round(full.cpu), unit: 'ms' },
          { metric: 'diagnostics export bundle (wall)', value: Math.round(exp.wall), unit: 'ms', note: `report + config + a 5 MB log file (${lines} lines) scrubbed line by line` },
          { metric: 'diagnostics export bundle (CPU)', value: Math.round(exp.cpu), unit: 'ms' },
        ];
      } finally {
        await store.dispose();
        rmSync(dir, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    },
  },
];

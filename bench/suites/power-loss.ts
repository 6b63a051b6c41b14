// Power loss at scale (docs/SECURITY.md, "broken device"): a child process saves enrollments in a loop and is
// SIGKILLed at random points, POWER_LOSS_ROUNDS times (default 1,000; every 7th round during start-up). Afterwards
// every save that returned must be present exactly once and intact, no record partial, integrity_check ok and the
// audit chain valid. The child is the one of test/node/store/power-loss.test.ts (50 rounds in CI), bundled once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import pino from 'pino';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { openStoreServices } from '../../main/enrollment/services.js';
import { prng } from '../../main/enrollment/synthetic.js';
import { packageInfo } from '../../main/platform/package-info.js';
import { PassphraseProtector } from '../../main/store/crypto/protectors.js';

function round(childJs: string, dataDir: string, n: number, killAfterMs: number, waitForReady: boolean): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dataDir, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const saved = new Map<string, string>();
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    if (!waitForReady) arm();
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'ready') arm();
        const m = /^saved (\S+) (\S+)$/.exec(line);
        if (m) saved.set(m[1]!, m[2]!);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(failsafe);
      if (signal === 'SIGKILL') resolve(saved);
      else reject(new Error(`child exited on its own (code ${code}): ${stderr.slice(0, 2000)}`));
    });
  });
}

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
      mkdirSync(outDir, { recursive: true });
      try {
        await build({
          entryPoints: [path.join(root, 'test/node/store/power-loss-child.ts'), path.join(root, 'main/store/store.worker.ts')],
          outdir: outDir,
          entryNames: '[name]',
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          external: ['better-sqlite3', 'pino', 'zod'],
          banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
          logLevel: 'silent',
        });
        const childJs = path.join(outDir, 'power-loss-child.js');
        const rnd = prng(20261204);
        const saved = new Map<string, string>();
        const t0 = performance.now();
        for (let i = 0; i < rounds; i++) {
          const early = i % 7 === 3;
          for (const [id, digest] of await round(childJs, dataDir, i, early ? Math.floor(rnd() * 400) : 5 + Math.floor(rnd() * 150), !early)) saved.set(id, digest);
        }
        const wall = (performance.now() - t0) / 1000;
        const s = await openStoreServices({
          config: { dataDir, kioskId: 'K-PL-01', centreId: 'C-PL', demo: false, security: { idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }, registry: { url: null, publicKeyFingerprint: null } },
          logger: pino({ level: 'silent' }),
          protector: new PassphraseProtector('power loss passphrase', { cost: { N: 1 << 10, r: 8, p: 1 } }),
        });
        try {
          const integrity = (await s.client.call('store.integrityCheck', {})).join(',');
          const actor = { operatorId: 'clerk', role: 'clerk' } as const;
          const all = [];
          for (let offset = 0; ; offset += 500) {
            const page = await s.enrollment.list(actor, { limit: 500, offset });
            all.push(...page);
            if (page.length < 500) break;
          }
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

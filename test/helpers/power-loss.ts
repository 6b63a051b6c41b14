// The power-loss experiment shared by test/node/store/power-loss.test.ts (50 rounds) and the bench's
// store.power-loss-at-scale (1,000): the child that saves enrollments in a loop, bundled once with esbuild (no tsx
// start-up per round), one SIGKILL round, and the store reopened afterwards with the child's passphrase.
import { spawn } from 'node:child_process';
import pino from 'pino';
import { openStoreServices, type StoreServices } from '../../main/enrollment/services.js';
import { PassphraseProtector } from '../../main/store/crypto/protectors.js';
import { bundleChild } from './bundle-child.js';

/** Bundles the child (and the store worker it starts) into `outDir`, which must be inside the project so the external packages resolve; returns the child's path. */
export function bundlePowerLossChild(outDir: string): Promise<string> {
  return bundleChild({ entries: ['test/node/store/power-loss-child.ts', 'main/store/store.worker.ts'], outDir, external: ['better-sqlite3', 'pino', 'zod'], requireShim: true });
}

/**
 * One round: starts the child on `dataDir` and SIGKILLs it `killAfterMs` after it is ready (or after its start when
 * `waitForReady` is false, to hit key-ring creation, migrations and opening). Resolves with the saves the child
 * reported as returned (record id → digest of national number and first finger image).
 */
export function powerLossRound(childJs: string, dataDir: string, round: number, killAfterMs: number, waitForReady: boolean, failsafeMs = 30_000): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dataDir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const saved = new Map<string, string>();
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    if (!waitForReady) arm();
    const failsafe = setTimeout(() => child.kill('SIGKILL'), failsafeMs);
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

/** Opens the store the child wrote, with the child's configuration and passphrase. */
export function openPowerLossStore(dataDir: string): Promise<StoreServices> {
  return openStoreServices({
    config: { dataDir, kioskId: 'K-PL-01', centreId: 'C-PL', demo: false, security: { idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }, registry: { url: null, publicKeyFingerprint: null } },
    logger: pino({ level: 'silent' }),
    protector: new PassphraseProtector('power loss passphrase', { cost: { N: 1 << 10, r: 8, p: 1 } }),
  });
}

/** Every record in the reopened store (listed a page at a time). */
export async function allPowerLossRecords(s: StoreServices): Promise<{ id: string }[]> {
  const actor = { operatorId: 'clerk', role: 'clerk' } as const;
  const all: { id: string }[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await s.enrollment.list(actor, { limit: 500, offset });
    all.push(...page);
    if (page.length < 500) break;
  }
  return all;
}

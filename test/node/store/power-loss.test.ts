// Power loss: a child process saves enrollments in a loop; the parent SIGKILLs it at random points, 50 rounds.
// Every save that returned must be present and intact, no record may be partial, and integrity_check must pass.
// The child is bundled once with esbuild (no tsx start-up per round) into test-artifacts/ (git-ignored).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreServices } from '../../../main/enrollment/services.js';
import { PassphraseProtector } from '../../../main/store/crypto/protectors.js';
import { prng } from '../../../main/enrollment/synthetic.js';
import { projectRoot } from '../../helpers/fixtures.js';
import { tempDataDir } from './helpers.js';

const ROUNDS = 50;
const outDir = path.join(projectRoot, 'test-artifacts', `store-power-loss-${process.pid}`);

function runRound(childJs: string, dataDir: string, round: number, killAfterMs: number, waitForReady: boolean): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dataDir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const saved = new Map<string, string>();
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    if (!waitForReady) arm();
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 30_000);
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

describe('power loss', () => {
  const t = tempDataDir('kiosk-powerloss-');
  let childJs = '';

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [path.join(projectRoot, 'test/node/store/power-loss-child.ts'), path.join(projectRoot, 'main/store/store.worker.ts')],
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
    childJs = path.join(outDir, 'power-loss-child.js');
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
      const got = await runRound(childJs, t.dir, round, early ? Math.floor(rnd() * 400) : 5 + Math.floor(rnd() * 150), !early);
      for (const [id, digest] of got) saved.set(id, digest);
    }
    expect(killedBeforeReady).toBeGreaterThan(0);
    expect(saved.size).toBeGreaterThan(ROUNDS);

    const s = await openStoreServices({
      config: { dataDir: t.dir, kioskId: 'K-PL-01', centreId: 'C-PL', demo: false, security: { idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }, registry: { url: null, publicKeyFingerprint: null } },
      logger: pino({ level: 'silent' }),
      protector: new PassphraseProtector('power loss passphrase', { cost: { N: 1 << 10, r: 8, p: 1 } }),
    });
    try {
      expect(await s.client.call('store.integrityCheck', {})).toEqual(['ok']);
      const actor = { operatorId: 'clerk', role: 'clerk' } as const;
      const all = [];
      for (let offset = 0; ; offset += 500) {
        const page = await s.enrollment.list(actor, { limit: 500, offset });
        all.push(...page);
        if (page.length < 500) break;
      }
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

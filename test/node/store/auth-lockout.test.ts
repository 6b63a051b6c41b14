// Issue 17 item 8: the lockout a clerk's screen can trigger. Unknown ids and wrong PINs get the same answer, attempts
// left included (nothing tells whether an id exists); a technician or supervisor can lift a lockout, audited.
// Choice (docs/WORKFLOW.md): supervisor co-sign boxes count toward the same lockout — otherwise they would be a second,
// unlimited place to guess a supervisor's PIN; the attempts-left warning and the unlock keep that from stopping work.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreServices } from '../../../main/store/index.js';
import { fakeCtx, openTest, tempDataDir, testConfig } from './helpers.js';

describe('lockout as the clerk meets it', () => {
  let s: StoreServices | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await s?.dispose();
    cleanup?.();
    s = undefined;
  });

  async function setup() {
    const t = tempDataDir();
    cleanup = t.cleanup;
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    s = await openTest(t.dir, { clock: () => now, config: testConfig(t.dir, { demo: true }) });
    return { s, advance: (ms: number) => (now += ms) };
  }

  const shape = async (p: Promise<unknown>) => {
    try {
      await p;
      return null;
    } catch (e) {
      const err = e as { code: string; message: string; details?: Record<string, unknown> };
      return { code: err.code, message: err.message.replace(/until .*/, 'until …'), details: { ...err.details, lockedUntil: err.details?.lockedUntil ? 'T' : undefined } };
    }
  };

  it('answers an unknown id exactly like a wrong PIN, attempts left and lockout included', async () => {
    const { s } = await setup();
    const real: unknown[] = [];
    const ghost: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      real.push(await shape(s.auth.verifyCredentials('supervisor', '0000')));
      ghost.push(await shape(s.auth.verifyCredentials('superviser', '0000')));
    }
    expect(ghost).toEqual(real);
    expect(real[0]).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'bad_credentials', attemptsLeft: 2 } });
    expect(real[2]).toMatchObject({ code: 'OPERATOR_LOCKED' });
    expect(real[3]).toMatchObject({ code: 'OPERATOR_LOCKED' });
  });

  it('a technician lifts a supervisor\'s lockout (audited); a supervisor may not lift a technician\'s; nobody their own', async () => {
    const { s } = await setup();
    for (let i = 0; i < 3; i++) await s.auth.verifyCredentials('supervisor', '0000').catch(() => undefined);
    await expect(s.auth.verifyCredentials('supervisor', '2222')).rejects.toMatchObject({ code: 'OPERATOR_LOCKED' });
    expect((await s.auth.listOnboarding()).find((o) => o.id === 'supervisor')?.locked).toBe(true);
    const info = await s.auth.unlockOperator({ operatorId: 'technician', role: 'technician' }, 'supervisor');
    expect(info.locked).toBe(false);
    await expect(s.auth.verifyCredentials('supervisor', '2222')).resolves.toMatchObject({ role: 'supervisor' });
    const audit = await s.client.call('audit.list', { afterSeq: 0, limit: 1000 });
    expect(audit.some((e) => e.action === 'operator.unlock' && e.actor === 'technician' && e.objectId === 'supervisor')).toBe(true);
    await expect(s.auth.unlockOperator({ operatorId: 'supervisor', role: 'supervisor' }, 'technician')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(s.auth.unlockOperator({ operatorId: 'supervisor', role: 'supervisor' }, 'supervisor')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(s.auth.unlockOperator({ operatorId: 'clerk', role: 'clerk' }, 'supervisor')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    void fakeCtx;
  });
});

// `kiosk dedup search|stats` (called through run()) and the kiosk:dedup.* IPC handlers with their zod contract.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/dedup.js';
import type { CliIo } from '../../../main/cli/command.js';
import { dedupChannels } from '../../../main/contract/channels/dedup.js';
import type { CallContext, Role } from '../../../main/core/handlers.js';
import { createDedupHandlers } from '../../../main/dedup/handlers.js';
import pino from 'pino';
import { loadConfig } from '../../../main/config/load-config.js';
import { openStoreDedup } from '../../../main/dedup/local.js';
import { openStoreServices, selectProtector } from '../../../main/store/index.js';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import { faces, fingers, startHarness, tempDir, type Harness } from './helpers.js';

function io(cwd: string): CliIo & { out: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  return { stdout, stderr, cwd, stopSignal: new AbortController().signal, out: () => text };
}
const cmd = (name: string) => commands.find((c) => c.path.join(' ') === `dedup ${name}`)!;

describe('dedup CLI', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.dir, 'data');
  const png = path.join(tmp.dir, 'index.png');

  beforeAll(async () => {
    const im = synthesizeImpression({ subject: 'cli-1', finger: 2, impression: 0 });
    const again = synthesizeImpression({ subject: 'cli-1', finger: 2, impression: 1 });
    writeFileSync(png, await sharp(Buffer.from(again.pixels), { raw: { width: again.width, height: again.height, channels: 1 } }).png().toBuffer());
    // A real store (key file protector, as the CLI selects it) and the gallery keyed from its key ring.
    const config = await loadConfig(undefined, { dataDir });
    const store = await openStoreServices({ config, logger: pino({ level: 'silent' }), protector: selectProtector(dataDir, {}, { demo: config.demo }) });
    const dedup = await openStoreDedup(store, dataDir);
    await dedup.addEnrollment({ id: 'CLI1', face: faces.capture(1, 0), fingers: [{ position: 2, template: serializeTemplate(extractTemplate({ width: im.width, height: im.height, ppi: 500, pixels: im.pixels })) }] });
    await dedup.addEnrollment({ id: 'CLI2', face: faces.capture(2, 0), fingers: fingers(2, 0, [2]) });
    await dedup.dispose();
    await store.dispose();
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('stats reports the persisted gallery', async () => {
    const o = io(tmp.dir);
    expect(await cmd('stats').run(['--data-dir', dataDir, '--json'], o)).toBe(0);
    const s = JSON.parse(o.out());
    expect(dedupChannels['kiosk:dedup.stats'].response.parse(s)).toMatchObject({ entries: 2, local: 2, faces: 2, fingers: 2 });
  });

  it('kiosk status shows the store and the gallery size and load time', async () => {
    const o = io(tmp.dir);
    expect(await commands.find((c) => c.path.join(' ') === 'status')!.run(['--data-dir', dataDir, '--json'], o)).toBe(0);
    const s = JSON.parse(o.out());
    expect(s.store.initialised).toBe(true);
    expect(s.dedup).toMatchObject({ entries: 2, local: 2 });
    expect(s.dedup.loadMs).toBeGreaterThan(0);
    const text = io(tmp.dir);
    await commands.find((c) => c.path.join(' ') === 'status')!.run(['--data-dir', dataDir], text);
    expect(text.out()).toMatch(/dedup gallery: 2 entries .* loaded in \d+ ms/);
  });

  it('search extracts the finger image and finds the enrolled finger', async () => {
    const o = io(tmp.dir);
    expect(await cmd('search').run(['--data-dir', dataDir, '--finger', `2=${png}`, '--json'], o)).toBe(0);
    const r = dedupChannels['kiosk:dedup.search'].response.parse(JSON.parse(o.out()));
    expect(r.candidates[0]!.id).toBe('CLI1');
    expect(r.candidates[0]!.matchedFingers).toEqual([2]);
    expect(r.probeMissing).toContain('face');
    const text = io(tmp.dir);
    await cmd('search').run(['--data-dir', dataDir, '--finger', `2=${png}`], text);
    expect(text.out()).toMatch(/CLI1 \[local\]/);
  });

  it('rejects bad usage', async () => {
    await expect(cmd('search').run(['--data-dir', dataDir], io(tmp.dir))).rejects.toThrow(/--face and\/or --finger/);
    await expect(cmd('search').run(['--data-dir', dataDir, '--finger', '12=x.png'], io(tmp.dir))).rejects.toThrow(/POS 1–10/);
  });
});

describe('dedup IPC handlers', () => {
  const tmp = tempDir();
  let local: Harness;
  const ctx = (operatorId: string | null, role: Role = 'clerk'): CallContext => ({
    connectionId: 'c1',
    session: operatorId ? { sessionId: 's', operatorId, role, signedInAt: 0, lastActivityAt: 0 } : null,
    setSession: () => undefined,
  });
  const auth = {
    requireRole(c: CallContext, roles: readonly Role[]) {
      if (!c.session) throw Object.assign(new Error('Sign in first'), { code: 'UNAUTHORIZED' });
      if (!roles.includes(c.session.role)) throw Object.assign(new Error('role'), { code: 'FORBIDDEN_ROLE' });
      return { operatorId: c.session.operatorId, role: c.session.role };
    },
  };

  beforeAll(async () => {
    local = await startHarness(tmp.dir);
    await local.service.addEnrollment({ id: 'E1', face: faces.capture(1, 0), fingers: fingers(1, 0, [2, 7]) });
    await local.service.setOperator({ id: 'OP1', face: faces.capture(50, 0), fingers: [] });
  });
  afterAll(async () => {
    await local.dispose();
    tmp.cleanup();
  });

  it('search validates against the contract and marks the signed-in operator', async () => {
    const h = createDedupHandlers({ dedup: local.service, auth });
    const b64 = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
    const req = dedupChannels['kiosk:dedup.search'].request.parse({
      embeddingBase64: b64(faces.capture(1, 1)),
      fingers: fingers(1, 1, [2, 7]).map((f) => ({ position: f.position, templateBase64: Buffer.from(f.template).toString('base64') })),
    });
    const r = dedupChannels['kiosk:dedup.search'].response.parse(await h['kiosk:dedup.search'](req, ctx('OP1')));
    expect(r.decision).toBe('duplicate');
    expect(r.candidates[0]!.id).toBe('E1');
    const self = await h['kiosk:dedup.search']({ embeddingBase64: b64(faces.capture(50, 1)), fingers: [] }, ctx('OP1'));
    expect(self.operatorMatches.map((m) => [m.operatorId, m.signedIn])).toEqual([['OP1', true]]);
    const stats = dedupChannels['kiosk:dedup.stats'].response.parse(await h['kiosk:dedup.stats']({}, ctx('OP9', 'technician')));
    expect(stats.entries).toBe(1);
  });

  it('enforces roles and rejects malformed embeddings', async () => {
    const h = createDedupHandlers({ dedup: local.service, auth });
    await expect(h['kiosk:dedup.search']({ embeddingBase64: null, fingers: [] }, ctx(null))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(h['kiosk:dedup.search']({ embeddingBase64: null, fingers: [] }, ctx('T', 'technician'))).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(h['kiosk:dedup.search']({ embeddingBase64: 'AAAA', fingers: [] }, ctx('OP1'))).rejects.toMatchObject({ code: 'DEDUP_INPUT_INVALID' });
    expect(dedupChannels['kiosk:dedup.search'].request.safeParse({ embeddingBase64: null, fingers: [{ position: 11, templateBase64: '' }] }).success).toBe(false);
  });
});

// Issue 17, item 17: every `kiosk <command> --help` exits 0 with its usage; `kiosk dev seed` stores what the real
// pipelines make (fixture photos through the face pipeline, synthetic fingers through extraction), and
// `kiosk dedup search` on the seeded store finds a seeded person from their other photo (the CLI reconciles the
// gallery with the store first; it used to answer NO_MATCH, "searched 0").
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { findCommand, runCli } from '../../../main/cli/kiosk.js';
import { allCommands } from '../../../main/cli/registry.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

async function run(argv: string[], cwd = process.cwd()) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }),
    cwd,
    stopSignal: new AbortController().signal,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('kiosk <command> --help', () => {
  it('exits 0 with the usage for every command, and for command groups', async () => {
    for (const c of allCommands) {
      for (const h of ['--help', '-h']) {
        const r = await run([...c.path, h]);
        expect(r.code, `${c.path.join(' ')} ${h}: ${r.err}`).toBe(0);
        expect(r.out).toContain(findCommand(c.path)!.command.usage);
        expect(r.err).toBe('');
      }
    }
    const group = await run(['dedup', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toContain('kiosk dedup search');
    expect(group.out).toContain('kiosk dedup stats');
  });
});

const haveFaces = hasFixture('faces', 'biden_1.jpg') && hasFixture('faces', 'biden_2.jpg');

describe.skipIf(!haveFaces)('kiosk dev seed → kiosk dedup search', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-seed-'));
  const prev = process.env.KIOSK_PASSPHRASE;
  process.env.KIOSK_PASSPHRASE = 'seed test passphrase';
  afterAll(() => {
    if (prev === undefined) delete process.env.KIOSK_PASSPHRASE;
    else process.env.KIOSK_PASSPHRASE = prev;
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds through the pipelines and finds a seeded person from their other photo', { timeout: 240_000 }, async () => {
    const seed = await run(['dev', 'seed', '--count', '2', '--approve', '--seed', '3', '--data-dir', 'd', '--json'], dir);
    expect(seed.code, seed.err).toBe(0);
    const created = (JSON.parse(seed.out) as { created: { status: string; facePhoto: string | null; fingerSource: string }[] }).created;
    expect(created.map((c) => c.status)).toEqual(['sealed', 'sealed']);
    // One fixture identity per seeded person (the first photo of each), never the same face twice.
    expect(created.map((c) => c.facePhoto)).toEqual(['biden_1.jpg', 'harington_1.jpg']);
    expect(created.every((c) => c.fingerSource === 'drivers/synth')).toBe(true);

    const stats = await run(['dedup', 'stats', '--data-dir', 'd', '--json'], dir);
    expect(stats.code, stats.err).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ local: 2, faces: 2, fingers: 20 });

    const found = await run(['dedup', 'search', '--data-dir', 'd', '--face', fixturePath('faces', 'biden_2.jpg'), '--json'], dir);
    expect(found.code, found.err).toBe(0);
    const r = JSON.parse(found.out) as { decision: string; searched: number; candidates: { decision: string; face: { score: number } }[] };
    expect(r.searched).toBe(2);
    expect(r.decision).not.toBe('no_match');
    expect(r.candidates[0]!.decision).not.toBe('no_match');
    // The stored embedding is the face pipeline's: the other photo of the same man scores as a genuine pair.
    expect(r.candidates[0]!.face.score).toBeGreaterThan(0.5);
    expect(r.candidates.filter((c) => c.decision !== 'no_match')).toHaveLength(1);
  });
});

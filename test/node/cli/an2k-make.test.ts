// `kiosk an2k make`: a tenprint transaction from a stored enrollment, read back with the AN2K reader.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { commands as an2k } from '../../../main/cli/commands/an2k-make.js';
import { commands as store } from '../../../main/cli/commands/store.js';
import { readAn2k, readTenprint } from '../../../models/formats/an2k/index.js';

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += String(d)));
  return { io: { stdout, stderr, cwd, stopSignal: new AbortController().signal }, out: () => out };
}

const pinBefore = process.env.KIOSK_OPERATOR_PIN;
afterEach(() => {
  if (pinBefore === undefined) delete process.env.KIOSK_OPERATOR_PIN;
  else process.env.KIOSK_OPERATOR_PIN = pinBefore;
});

describe('kiosk an2k make', () => {
  it('writes 10 WSQ fingers and the face for a pending enrollment; refuses wrong PINs and technicians', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-an2k-make-'));
    const seed = io(dir);
    const seedCmd = store.find((c) => c.path.join(' ') === 'store dev seed')!;
    expect(await seedCmd.run(['--count', '1', '--procedural', '--json', '--data-dir', dir], seed.io)).toBe(0);
    const [record] = (JSON.parse(seed.out()) as { created: { rid: string; status: string }[] }).created;
    expect(record!.status).toBe('pending_approval');

    const make = an2k[0]!;
    const outFile = path.join(dir, 'out.an2');
    process.env.KIOSK_OPERATOR_PIN = '2222';
    const r = io(dir);
    expect(await make.run(['--enrollment', record!.rid, '--operator', 'supervisor', '-o', outFile, '--data-dir', dir], r.io)).toBe(0);
    expect(JSON.parse(r.out())).toMatchObject({ rid: record!.rid, fingers: 10 });

    const tx = readAn2k(readFileSync(outFile));
    const back = readTenprint(tx);
    expect(back.tcn).toBe(record!.rid);
    expect(back.fingers.map((f) => f.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(back.fingers.every((f) => (f.wsq?.length ?? 0) > 100)).toBe(true);
    expect(JSON.stringify(back.demographics)).not.toMatch(/[\u0600-\u06FF]/);

    process.env.KIOSK_OPERATOR_PIN = '9999';
    await expect(make.run(['--enrollment', record!.rid, '--operator', 'supervisor', '-o', outFile, '--data-dir', dir], io(dir).io)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    process.env.KIOSK_OPERATOR_PIN = '3333';
    await expect(make.run(['--enrollment', record!.rid, '--operator', 'technician', '-o', outFile, '--data-dir', dir], io(dir).io)).rejects.toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });
  });
});

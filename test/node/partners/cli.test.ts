// `registry partner` admin commands on a data dir (no server): keygen, add (key file), list, refresh, answer (USB),
// runs, revoke; usage and typed errors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { rawPublicKeyOf } from '../../../sync/packet/keys.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { makePacket, newIdentity, tempDir } from '../sync/harness.js';

async function cli(cwd: string, ...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRegistryCli(args, { stdout, stderr, cwd, stopSignal: new AbortController().signal });
  return { code, out, err, json: () => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown> };
}

describe('registry partner CLI', () => {
  const tmp = tempDir('partners-cli-');
  afterAll(() => tmp.cleanup());

  it('registers a partner from its key file, indexes accepted people, answers a USB request, audits, revokes', async () => {
    const d = tmp.dir;
    const reg = await openRegistry({ dataDir: path.join(d, 'reg') });
    const id = newIdentity();
    try {
      await reg.register({ token: await reg.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
      const kiosk = (await reg.store.getKiosk(id.kioskId))!;
      for (let i = 0; i < 5; i++) {
        const p = makePacket(id, reg.keys.encryptionPublicKey, i, { nationalNumber: `1000000000000${i}`, programmes: ['cash-transfer'] });
        await reg.storePacket(kiosk, p.packetId, p.bytes, 'usb');
      }
      await reg.idle();
    } finally {
      await reg.dispose();
      await reg.closeStore();
    }
    const kg = await cli(d, 'partner', 'keygen', '--out', 'edu.pem');
    expect(kg.code, kg.err).toBe(0);
    expect((await cli(d, 'partner', 'keygen', '--out', 'edu.pem')).err).toContain('FILE_EXISTS');
    writeFileSync(path.join(d, 'edu.pub'), String(kg.json().publicKey));
    expect((await cli(d, 'partner', 'refresh', '--data-dir', 'reg')).json()).toEqual({ added: 5, withoutNationalNumber: 0, indexed: 0 });
    const add = await cli(d, 'partner', 'add', 'education', '--public-key', 'edu.pub', '--flags', 'cash-transfer', '--min-batch', '3', '--runs-per-day', '2', '--data-dir', 'reg');
    expect(add.code, add.err).toBe(0);
    const secret = String(add.json().secret);
    expect((await cli(d, 'partner', 'add', 'education', '--public-key', 'edu.pub', '--data-dir', 'reg')).err).toContain('PARTNER_EXISTS');
    expect((await cli(d, 'partner', 'add', 'Bad_Id', '--public-key', 'edu.pub', '--data-dir', 'reg')).err).toContain('PARTNER_ID_INVALID');
    const list = await cli(d, 'partner', 'list', '--data-dir', 'reg');
    expect(list.json().partners).toMatchObject([{ partnerId: 'education', allowedFlags: ['cash-transfer'], minBatch: 3, runsPerDay: 2, revokedAt: null }]);
    expect(list.out).not.toContain(secret);

    writeFileSync(path.join(d, 'list.csv'), 'nid\n10000000000001\n10000000000004\n55555555555555\n');
    const h = await cli(d, 'partner', 'hash', 'list.csv', '--key', secret);
    expect(h.code, h.err).toBe(0);
    writeFileSync(path.join(d, 'h.txt'), h.out);
    expect((await cli(d, 'partner', 'request', '--partner', 'education', '--key-file', 'edu.pem', '--hashes', 'h.txt', '--out', 'req.json')).code).toBe(0);
    const ans = await cli(d, 'partner', 'answer', 'req.json', '--out', 'res.json', '--data-dir', 'reg');
    expect(ans.code, ans.err).toBe(0);
    expect(ans.json()).toMatchObject({ partnerId: 'education', submitted: 3, matched: 2 });
    const res = JSON.parse(readFileSync(path.join(d, 'res.json'), 'utf8')) as { payload: { matches: { flags: string[] }[] } };
    expect(res.payload.matches.map((m) => m.flags)).toEqual([['cash-transfer'], ['cash-transfer']]);
    expect((await cli(d, 'partner', 'answer', 'req.json', '--out', 'res2.json', '--data-dir', 'reg')).err).toContain('NONCE_REPLAYED');
    expect(existsSync(path.join(d, 'res2.json'))).toBe(false);
    const runs = await cli(d, 'partner', 'runs', 'education', '--data-dir', 'reg');
    expect(runs.json().runs).toMatchObject([{ partnerId: 'education', via: 'usb', submitted: 3, matched: 2 }]);
    expect((await cli(d, 'partner', 'revoke', 'education', '--data-dir', 'reg')).code).toBe(0);
    expect((await cli(d, 'partner', 'revoke', 'nobody', '--data-dir', 'reg')).err).toContain('PARTNER_UNKNOWN');
  });

  it('gives usage and typed errors for bad input', async () => {
    const d = tmp.dir;
    expect((await cli(d, 'partner', 'hash', 'missing.csv', '--key', 'x'.repeat(43))).err).toContain('FILE_NOT_FOUND');
    writeFileSync(path.join(d, 'a.csv'), 'a,b\n1,2\n');
    expect((await cli(d, 'partner', 'hash', 'a.csv', '--key', 'nope')).err).toContain('PARTNER_KEY_INVALID');
    expect((await cli(d, 'partner', 'hash', 'a.csv', '--key', 'x'.repeat(43))).err).toContain('CSV_COLUMN_NOT_FOUND');
    const u = await cli(d, 'partner', 'frobnicate');
    expect(u.code).toBe(2);
    expect(u.err).toContain('registry partner hash FILE.csv');
  });
});

// Cross-matching end to end on a real registry (SQLite, and PostgreSQL when installed): accepted packets → sealed
// people index; a partner prepares its list with `registry partner hash`, matches over HTTP (through a TCP recorder
// that shows only hashes crossed) and over USB (signed request/result files); refusals are typed and audited.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicKeyOf, rawPublicKeyOf } from '../../../sync/packet/keys.js';
import { signRequest } from '../../../sync/protocol/http-signature.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { matchOnline } from '../../../sync/registry/partners/client.js';
import { parseHashFile } from '../../../sync/registry/partners/hash.js';
import { MATCH_PATH } from '../../../sync/registry/partners/protocol.js';
import { BACKENDS, makePacket, newIdentity, useTestRegistry } from '../sync/harness.js';

const toArabicIndic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d)));

function cliIo(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, cwd, stopSignal: new AbortController().signal }, out: () => out, err: () => err };
}

async function cli(cwd: string, ...args: string[]) {
  const s = cliIo(cwd);
  const code = await runRegistryCli(args, s.io);
  return { code, out: s.out(), err: s.err() };
}

/** A TCP relay that keeps every byte the partner sent. */
async function recorder(target: number): Promise<{ port: number; sent(): Buffer; close(): Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => {
    const up = net.connect(target, '127.0.0.1');
    sockets.add(c).add(up);
    c.on('data', (d: Buffer) => chunks.push(d));
    c.pipe(up).pipe(c);
    const end = () => {
      c.destroy();
      up.destroy();
    };
    c.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const nn = (i: number) => `2900101${String(i).padStart(7, '0')}`;

describe.each(BACKENDS)('cross-matching at the registry (%s)', (backend) => {
  const { tmp, registry } = useTestRegistry(backend, `partners-${backend}-`);
  const partnerKey = generateKeyPairSync('ed25519').privateKey;
  let secret = '';
  const people = 30;
  const inCommon = [0, 3, 7, 11, 12, 20, 25, 29];

  beforeAll(async () => {
    const reg = registry().running.registry;
    const id = newIdentity();
    await reg.register({ token: await reg.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
    const kiosk = (await reg.store.getKiosk(id.kioskId))!;
    for (let i = 0; i < people; i++) {
      const p = makePacket(id, reg.keys.encryptionPublicKey, i, { nationalNumber: nn(i), programmes: i % 2 === 0 ? ['cash-transfer', 'secret-programme'] : ['food-basket'] });
      await reg.storePacket(kiosk, p.packetId, p.bytes, 'online');
    }
    // A second enrollment of person 3: a duplicate at the registry, must not count twice.
    const dup = makePacket(id, reg.keys.encryptionPublicKey, 99, { nationalNumber: nn(3) });
    await reg.storePacket(kiosk, dup.packetId, dup.bytes, 'online');
    await reg.idle();
    const added = await registry().running.partners.add({ partnerId: 'pensions', name: 'Pensions authority', publicKey: rawPublicKeyOf(partnerKey).toString('base64'), allowedFlags: ['cash-transfer', 'food-basket'], limits: { runsPerDay: 3 } });
    secret = added.secret;
    expect(added.partner.minBatch).toBe(1000);
  });

  async function partnerHashes(): Promise<{ hashes: Buffer[]; numbers: string[] }> {
    // The partner's list: the people in common written the partner's way, plus 1,200 others, an empty and a bad row.
    const numbers = [...inCommon.map((i) => nn(i)), ...Array.from({ length: 1200 }, (_, k) => `3850505${String(k).padStart(7, '0')}`)];
    const rows = ['"name",national_number', ...numbers.map((n, k) => `"Person ${k}",${k < inCommon.length ? toArabicIndic(`${n.slice(0, 7)}-${n.slice(7)}`) : n}`), 'Nobody,', 'Bad,12#4'];
    writeFileSync(path.join(tmp.dir, 'list.csv'), rows.join('\r\n'));
    writeFileSync(path.join(tmp.dir, 'partner.key'), secret + '\n');
    const r = await cli(tmp.dir, 'partner', 'hash', 'list.csv', '--key-file', 'partner.key', '--out', 'hashes.txt');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.err)).toEqual({ rows: numbers.length + 2, hashed: numbers.length, duplicates: 0, skipped: [{ row: numbers.length + 1, reason: 'empty' }, { row: numbers.length + 2, reason: 'invalid' }] });
    return { hashes: parseHashFile(readFileSync(path.join(tmp.dir, 'hashes.txt'), 'utf8')), numbers };
  }

  it('returns exactly the entries in common with the allowed flags, and only hashes cross the wire', async () => {
    const { hashes, numbers } = await partnerHashes();
    const running = registry().running;
    const rec = await recorder(running.port);
    try {
      const result = await matchOnline({ url: `http://127.0.0.1:${rec.port}`, partnerId: 'pensions', privateKey: partnerKey, registrySigningKey: publicKeyOf(running.registry.keys.signingPublicKey, 'Ed25519'), hashes });
      const p = result.payload;
      expect(p.submitted).toBe(numbers.length);
      expect(p.matched).toBe(inCommon.length);
      const expected = new Map(inCommon.map((i, k) => [hashes[k]!.toString('hex'), i % 2 === 0 ? ['cash-transfer'] : ['food-basket']]));
      expect(new Map(p.matches.map((m) => [m.hash, m.flags]))).toEqual(expected);
      // The request on the wire: headers + exactly the 32-byte hashes; no national number in any script.
      const sent = rec.sent();
      expect(sent.includes(Buffer.concat(hashes))).toBe(true);
      const headerEnd = sent.indexOf('\r\n\r\n');
      expect(sent.length - headerEnd - 4).toBe(32 * hashes.length);
      for (const n of [...numbers, ...numbers.slice(0, inCommon.length).map(toArabicIndic)]) expect(sent.includes(Buffer.from(n))).toBe(false);
      // Nor does the answer carry anything of the registry's other people.
      expect(JSON.stringify(result)).not.toContain('secret-programme');
      expect(JSON.stringify(result)).not.toContain('RID-');
    } finally {
      await rec.close();
    }
    const audit = (await running.registry.store.listAudit(50)).sort((a, b) => a.seq - b.seq).filter((a) => a.event === 'partner.match');
    expect(audit.at(-1)?.details).toMatchObject({ partnerId: 'pensions', via: 'online', submitted: numbers.length, matched: inCommon.length });
    const runs = await running.partners.runs('pensions');
    expect(runs[0]).toMatchObject({ submitted: numbers.length, matched: inCommon.length, via: 'online' });
  });

  it('refuses probing: too few distinct hashes, padding with repeats, and more runs than the daily limit', async () => {
    const running = registry().running;
    const reg = publicKeyOf(running.registry.keys.signingPublicKey, 'Ed25519');
    const { hashes } = await partnerHashes();
    const send = (hs: Buffer[]) => matchOnline({ url: running.url, partnerId: 'pensions', privateKey: partnerKey, registrySigningKey: reg, hashes: hs });
    await expect(send([hashes[0]!])).rejects.toMatchObject({ code: 'PARTNER_BATCH_TOO_SMALL', status: 422 });
    await expect(send(Array.from({ length: 5000 }, () => hashes[0]!))).rejects.toMatchObject({ code: 'PARTNER_BATCH_TOO_SMALL' });
    await expect(send(hashes.slice(0, 999))).rejects.toMatchObject({ code: 'PARTNER_BATCH_TOO_SMALL' });
    // Someone on the partner's list enrolled since the last run: the index follows before the next run.
    const reg2 = running.registry;
    const id = newIdentity();
    await reg2.register({ token: await reg2.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
    const late = makePacket(id, reg2.keys.encryptionPublicKey, 500, { nationalNumber: '38505050000000', programmes: ['food-basket'] });
    await reg2.storePacket((await reg2.store.getKiosk(id.kioskId))!, late.packetId, late.bytes, 'online');
    await reg2.idle();
    // One run was used by the previous test; the limit is 3 per 24 h.
    expect((await send(hashes)).payload.matched).toBe(inCommon.length + 1);
    await send(hashes);
    await expect(send(hashes)).rejects.toMatchObject({ code: 'PARTNER_RATE_LIMITED', status: 429 });
    const refused = (await running.registry.store.listAudit(100)).sort((a, b) => a.seq - b.seq).filter((a) => a.event === 'partner.refused').map((a) => a.code);
    expect(refused).toEqual(['PARTNER_BATCH_TOO_SMALL', 'PARTNER_BATCH_TOO_SMALL', 'PARTNER_BATCH_TOO_SMALL', 'PARTNER_RATE_LIMITED']);
  });

  it('authenticates partners: unknown, wrong key, replayed request, bad body, revoked', async () => {
    const running = registry().running;
    const reg = publicKeyOf(running.registry.keys.signingPublicKey, 'Ed25519');
    const other = generateKeyPairSync('ed25519').privateKey;
    const hs = Array.from({ length: 1000 }, (_, i) => Buffer.alloc(32, i % 256).fill(i >> 8, 0, 1));
    await expect(matchOnline({ url: running.url, partnerId: 'nobody', privateKey: other, registrySigningKey: reg, hashes: hs })).rejects.toMatchObject({ code: 'PARTNER_UNKNOWN', status: 401 });
    await expect(matchOnline({ url: running.url, partnerId: 'pensions', privateKey: other, registrySigningKey: reg, hashes: hs })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    // A kiosk-style request without a signature.
    const plain = await fetch(`${running.url}${MATCH_PATH}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.concat(hs) });
    expect(plain.status).toBe(401);
    // The same signed request sent twice.
    const url = `${running.url}${MATCH_PATH}`;
    const body = Buffer.concat(hs.slice(0, 10));
    const sig = signRequest({ method: 'POST', targetUri: url, body, keyid: 'partner:pensions', privateKey: partnerKey });
    const headers = { 'content-type': 'application/octet-stream', 'content-digest': sig['content-digest'], 'signature-input': sig['signature-input'], signature: sig.signature };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(422);
    const again = await fetch(url, { method: 'POST', headers, body });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('NONCE_REPLAYED');
    // Not a whole number of hashes.
    const odd = Buffer.alloc(33);
    const sig2 = signRequest({ method: 'POST', targetUri: url, body: odd, keyid: 'partner:pensions', privateKey: partnerKey });
    const r2 = await fetch(url, { method: 'POST', headers: { ...headers, 'content-digest': sig2['content-digest'], 'signature-input': sig2['signature-input'], signature: sig2.signature }, body: odd });
    expect(((await r2.json()) as { error: { code: string } }).error.code).toBe('PARTNER_REQUEST_INVALID');
  });

  it('over USB: a signed request file is answered once with a signed result the partner verifies', async () => {
    const running = registry().running;
    const { hashes } = await partnerHashes();
    const usb = registry().running.partners;
    // A fresh partner (the online one used its daily runs), registered with a PEM key and no flags to share.
    const key2 = generateKeyPairSync('ed25519').privateKey;
    const added = await usb.add({ partnerId: 'traffic', publicKey: createPublicKey(key2).export({ format: 'pem', type: 'spki' }).toString(), allowedFlags: [] });
    writeFileSync(path.join(tmp.dir, 'traffic.pem'), key2.export({ format: 'pem', type: 'pkcs8' }).toString());
    writeFileSync(path.join(tmp.dir, 'traffic.key'), added.secret);
    expect((await cli(tmp.dir, 'partner', 'hash', 'list.csv', '--key-file', 'traffic.key', '--out', 'traffic-hashes.txt')).code).toBe(0);
    const req = await cli(tmp.dir, 'partner', 'request', '--partner', 'traffic', '--key-file', 'traffic.pem', '--hashes', 'traffic-hashes.txt', '--out', 'request.json');
    expect(req.code, req.err).toBe(0);
    const requestFile = readFileSync(path.join(tmp.dir, 'request.json'), 'utf8');
    for (const n of inCommon.map(nn)) expect(requestFile).not.toContain(n);
    const result = await usb.answerRequestFile(JSON.parse(requestFile));
    // The eight in common, and the one enrolled later (previous test).
    expect(result.payload).toMatchObject({ via: 'usb', matched: inCommon.length + 1, submitted: hashes.length });
    expect(result.payload.matches.every((m) => m.flags.length === 0)).toBe(true);
    await expect(usb.answerRequestFile(JSON.parse(requestFile))).rejects.toMatchObject({ code: 'NONCE_REPLAYED' });
    const tampered = JSON.parse(requestFile) as { payload: { partnerId: string } };
    tampered.payload.partnerId = 'pensions';
    await expect(usb.answerRequestFile(tampered)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    writeFileSync(path.join(tmp.dir, 'result.json'), JSON.stringify(result));
    writeFileSync(path.join(tmp.dir, 'registry.pub'), running.registry.keys.signingPublicKey);
    const v = await cli(tmp.dir, 'partner', 'verify', 'result.json', '--partner', 'traffic', '--registry-key', 'registry.pub', '--hashes', 'traffic-hashes.txt');
    expect(v.code, v.err).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ verified: true, matched: inCommon.length + 1 });
    const wrong = await cli(tmp.dir, 'partner', 'verify', 'result.json', '--partner', 'pensions', '--registry-key', 'registry.pub');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('REGISTRY_RESPONSE_INVALID');
    await usb.revoke('traffic');
    const req2 = await cli(tmp.dir, 'partner', 'request', '--partner', 'traffic', '--key-file', 'traffic.pem', '--hashes', 'traffic-hashes.txt', '--out', 'request2.json');
    expect(req2.code).toBe(0);
    await expect(usb.answerRequestFile(JSON.parse(readFileSync(path.join(tmp.dir, 'request2.json'), 'utf8')))).rejects.toMatchObject({ code: 'PARTNER_REVOKED', status: 403 });
    expect(createPrivateKey(readFileSync(path.join(tmp.dir, 'traffic.pem'))).asymmetricKeyType).toBe('ed25519');
  });

  it('the partner CLI matches online: registry partner match --url … writes the verified result', async () => {
    const running = registry().running;
    const key = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(path.join(tmp.dir, 'edu.pem'), key.export({ format: 'pem', type: 'pkcs8' }).toString());
    const added = await running.partners.add({ partnerId: 'education', publicKey: rawPublicKeyOf(key).toString('base64'), allowedFlags: ['food-basket'], limits: { runsPerDay: 1 } });
    writeFileSync(path.join(tmp.dir, 'edu.key'), added.secret);
    writeFileSync(path.join(tmp.dir, 'registry.pub'), running.registry.keys.signingPublicKey);
    await partnerHashes();
    expect((await cli(tmp.dir, 'partner', 'hash', 'list.csv', '--key-file', 'edu.key', '--out', 'edu-hashes.txt')).code).toBe(0);
    const args = ['partner', 'match', '--url', running.url, '--partner', 'education', '--key-file', 'edu.pem', '--registry-key', 'registry.pub', '--hashes', 'edu-hashes.txt', '--out', 'edu-result.json'];
    const r = await cli(tmp.dir, ...args);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ matched: inCommon.length + 1 });
    const doc = JSON.parse(readFileSync(path.join(tmp.dir, 'edu-result.json'), 'utf8')) as { payload: { matches: { flags: string[] }[] } };
    expect(doc.payload.matches.filter((m) => m.flags.includes('food-basket'))).toHaveLength(inCommon.filter((i) => i % 2 === 1).length + 1);
    expect(doc.payload.matches.every((m) => !m.flags.includes('cash-transfer'))).toBe(true);
    const again = await cli(tmp.dir, ...args);
    expect(again.code).toBe(1);
    expect(again.err).toContain('PARTNER_RATE_LIMITED');
  });
});

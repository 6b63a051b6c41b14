// Audit finding 6 and the fuzz bar: the USB manifest reader (registry), the USB receipts reader (kiosk) and the
// offline bundle reader (kiosk) read only regular files under a size cap, hash before parsing, and answer any input —
// random JSON, signed-but-malformed documents, wrong types, hostile paths — with a result or a typed KioskError.
// Symlinks (e.g. to /dev/zero), FIFOs and oversized files are refused without being read.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../../main/contract/errors.js';
import { verifyBundle } from '../../../main/provisioning/bundle.js';
import { readRegularFile } from '../../../main/platform/safe-read.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import type { Registration } from '../../../sync/engine/identity.js';
import { importReceiptsFromUsb } from '../../../sync/engine/usb.js';
import { publicKeyFingerprint, rawPublicKeyOf } from '../../../sync/packet/keys.js';
import { registerRequestSchema } from '../../../sync/protocol/schemas.js';
import { signDoc } from '../../../sync/protocol/signed-doc.js';
import type { Registry } from '../../../sync/registry/registry.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { importFromUsb } from '../../../sync/registry/usb.js';
import { makePacket, newIdentity } from '../sync/harness.js';

const json = fc.jsonValue({ maxDepth: 3 });
const idLike = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(''), fc.constant('..'), fc.constant('../x'), fc.string({ maxLength: 20 }), fc.integer(), fc.constant('R000001ABCD'));
const fileEntry = fc.record(
  {
    packetId: idLike,
    file: fc.oneof(fc.constant('packets/p.pkt'), fc.constant('../outside.pkt'), fc.constant('/etc/passwd'), fc.string({ maxLength: 30 }), fc.integer()),
    size: fc.oneof(fc.integer({ min: -5, max: 1 << 20 }), fc.double(), fc.string({ maxLength: 5 })),
    sha256: fc.oneof(fc.constant('a'.repeat(64)), fc.string({ maxLength: 70 })),
    extra: json,
  },
  { requiredKeys: [] },
);

async function expectTyped(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof KioskError)) throw new Error(`untyped error: ${String(e)}`, { cause: e });
  }
}

describe('USB, receipts and bundle readers', () => {
  let dir: string;
  let registry: Registry & { closeStore(): Promise<void> };
  const identity = newIdentity('K-FUZZ-01', 'C-FUZZ');
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sec-fuzz-'));
    registry = await openRegistry({ dataDir: path.join(dir, 'registry') });
    const token = await registry.issueToken({ centreId: identity.centreId });
    await registry.register(registerRequestSchema.parse({ token, kioskId: identity.kioskId, centreId: identity.centreId, publicKey: rawPublicKeyOf(identity.privateKey).toString('base64') }));
  });
  afterAll(async () => {
    await registry.dispose();
    await registry.closeStore();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const drive = () => {
    const d = path.join(dir, `drive-${n++}`);
    mkdirSync(path.join(d, 'packets'), { recursive: true });
    writeFileSync(path.join(d, 'packets', 'p.pkt'), Buffer.from('not a packet'));
    return d;
  };

  it('registry import: any kiosk-signed manifest payload gives a result or USB_EXPORT_INVALID; no row with an invalid id is ever stored', async () => {
    const payload = fc.oneof(
      json,
      fc.record({ type: fc.oneof(fc.constant('usb-export'), fc.string({ maxLength: 10 })), exportId: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })), kioskId: fc.constant(identity.kioskId), createdAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 8 })), files: fc.oneof(fc.array(fileEntry, { maxLength: 4 }), json) }, { requiredKeys: ['kioskId'] }),
    );
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, signed) => {
        const d = drive();
        const doc = signed ? signDoc(p as object, identity.privateKey) : { payload: p, alg: 'ed25519', keyId: 'x', signature: 'AAAA' };
        writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(doc));
        await expectTyped(importFromUsb(registry, d));
        for (const st of ['received', 'validated', 'deduplicated', 'rejected', 'accepted'] as const) {
          for (const row of await registry.store.listPacketsByStatus(st, 1000)) expect(typeof row.packetId === 'string' && /^[A-Za-z0-9]/.test(row.packetId)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('registry import: symlinks (to /dev/zero), FIFOs and oversized files are refused without being read; the audit holds no size', async () => {
    const d = drive();
    symlinkSync('/dev/zero', path.join(d, 'packets', 'zero.pkt'));
    const files = [{ packetId: 'R-ZERO-1', file: 'packets/zero.pkt', size: 1024, sha256: 'a'.repeat(64) }];
    writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(signDoc({ type: 'usb-export', exportId: randomUUID(), kioskId: identity.kioskId, createdAt: new Date().toISOString(), files }, identity.privateKey)));
    await expect(importFromUsb(registry, d)).rejects.toMatchObject({ code: 'USB_EXPORT_INVALID', details: { bad: [{ packetId: 'R-ZERO-1', problem: 'symlink' }] } });

    const f = drive();
    execFileSync('mkfifo', [path.join(f, 'packets', 'fifo.pkt')]);
    writeFileSync(path.join(f, 'manifest.json'), JSON.stringify(signDoc({ type: 'usb-export', exportId: randomUUID(), kioskId: identity.kioskId, createdAt: new Date().toISOString(), files: [{ ...files[0]!, file: 'packets/fifo.pkt' }] }, identity.privateKey)));
    await expect(importFromUsb(registry, f)).rejects.toMatchObject({ details: { bad: [{ problem: 'not_regular' }] } });

    const big = drive();
    writeFileSync(path.join(big, 'manifest.json'), Buffer.alloc(5 * 1024 * 1024, 0x20));
    await expect(importFromUsb(registry, big)).rejects.toMatchObject({ code: 'USB_EXPORT_INVALID', details: { problem: 'too_large' } });

    const link = drive();
    symlinkSync('/dev/zero', path.join(link, 'manifest.json'));
    await expect(importFromUsb(registry, link)).rejects.toMatchObject({ details: { problem: 'symlink' } });

    const grown = drive();
    const p = makePacket(identity, registry.keys.encryptionPublicKey, 1);
    writeFileSync(path.join(grown, 'packets', 'p.pkt'), Buffer.concat([p.bytes, Buffer.alloc(4096)]));
    writeFileSync(path.join(grown, 'manifest.json'), JSON.stringify(signDoc({ type: 'usb-export', exportId: randomUUID(), kioskId: identity.kioskId, createdAt: new Date().toISOString(), files: [{ packetId: p.packetId, file: 'packets/p.pkt', size: p.bytes.length, sha256: createHash('sha256').update(p.bytes).digest('hex') }] }, identity.privateKey)));
    await expect(importFromUsb(registry, grown)).rejects.toMatchObject({ details: { bad: [{ problem: 'size mismatch' }] } });

    const refused = (await registry.store.listAudit(10_000)).filter((a) => a.event === 'usb.refused');
    expect(refused.length).toBeGreaterThanOrEqual(5);
    for (const a of refused) expect(JSON.stringify(a.details)).not.toMatch(/size \d+ != \d+/);
    expect(() => readRegularFile('/dev/zero', 10)).toThrow(expect.objectContaining({ code: 'UNSAFE_FILE' }));
  });

  it('kiosk receipts import: any registry-signed payload gives a report or a typed error', async () => {
    const reg = generateKeyPairSync('ed25519');
    const registration: Registration = {
      registryUrl: 'http://127.0.0.1:9',
      kioskId: identity.kioskId,
      centreId: identity.centreId,
      encryptionPublicKey: registry.keys.encryptionPublicKey,
      signingPublicKey: rawPublicKeyOf(reg.privateKey).toString('base64'),
      certificate: signDoc({ type: 'kiosk-certificate', kioskId: identity.kioskId, centreId: identity.centreId, publicKey: '', serial: 's', issuedAt: new Date().toISOString() }, reg.privateKey),
      registeredAt: new Date().toISOString(),
    };
    const outbox = new FileOutbox(path.join(dir, 'kiosk-outbox'));
    const signedish = fc.record({ payload: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), json), fc.record({ packetId: idLike, type: fc.constant('receipt') })), alg: fc.constant('ed25519'), keyId: fc.string({ maxLength: 10 }), signature: fc.string({ maxLength: 10 }) });
    const payload = fc.oneof(
      json,
      fc.record({ type: fc.oneof(fc.constant('usb-receipts'), fc.string({ maxLength: 5 })), exportId: fc.string({ maxLength: 10 }), kioskId: fc.oneof(fc.constant(identity.kioskId), fc.string({ maxLength: 5 })), createdAt: fc.constant(new Date().toISOString()), receipts: fc.oneof(fc.array(signedish, { maxLength: 3 }), json), statuses: fc.oneof(fc.array(signedish, { maxLength: 3 }), json) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const d = drive();
        writeFileSync(path.join(d, 'receipts.json'), JSON.stringify(signDoc(p as object, reg.privateKey)));
        await expectTyped(importReceiptsFromUsb(outbox, identity, registration, d));
      }),
      { numRuns: 60 },
    );
    const d = drive();
    symlinkSync('/dev/zero', path.join(d, 'receipts.json'));
    await expect(importReceiptsFromUsb(outbox, identity, registration, d)).rejects.toMatchObject({ code: 'USB_EXPORT_INVALID', details: { problem: 'symlink' } });
  });

  it('offline bundle: any registry-signed manifest payload gives a verified bundle or a typed error; symlinked files are refused', async () => {
    const reg = generateKeyPairSync('ed25519');
    const signingPublicKey = rawPublicKeyOf(reg.privateKey).toString('base64');
    const pinnedFingerprint = publicKeyFingerprint(reg.publicKey);
    const kioskPublicKey = rawPublicKeyOf(identity.privateKey).toString('base64');
    const cert = signDoc({ type: 'kiosk-certificate', kioskId: identity.kioskId, centreId: identity.centreId, publicKey: kioskPublicKey, serial: 's', issuedAt: new Date().toISOString() }, reg.privateKey);
    const entry = fc.record({ name: fc.oneof(fc.constant('downloads/config.json'), fc.constant('downloads/../../etc/passwd'), fc.string({ maxLength: 20 })), kind: fc.oneof(fc.constant('config'), fc.string({ maxLength: 5 })), size: fc.oneof(fc.nat({ max: 100 }), fc.constant(-1), fc.constant(1e12)), sha256: fc.oneof(fc.constant('0'.repeat(64)), fc.string({ maxLength: 4 })) }, { requiredKeys: [] });
    const payload = fc.record(
      {
        type: fc.oneof(fc.constant('provisioning-bundle'), fc.string({ maxLength: 4 })),
        format: fc.oneof(fc.constant(1), fc.integer(), fc.string({ maxLength: 3 })),
        bundleId: fc.string({ maxLength: 10 }),
        kioskId: fc.oneof(fc.constant(identity.kioskId), fc.string({ maxLength: 5 })),
        centreId: fc.constant(identity.centreId),
        createdAt: fc.constant(new Date().toISOString()),
        registryUrl: fc.string({ maxLength: 10 }),
        registry: fc.oneof(fc.constant({ encryptionPublicKey: registry.keys.encryptionPublicKey, signingPublicKey }), json),
        certificate: fc.oneof(fc.constant(cert), json),
        files: fc.oneof(fc.array(entry, { maxLength: 3 }), json),
        extra: json,
      },
      { requiredKeys: ['type', 'registry'] },
    );
    const expectFor = { pinnedFingerprint, kioskId: identity.kioskId, centreId: identity.centreId, kioskPublicKey };
    await fc.assert(
      fc.property(payload, (p) => {
        const d = drive();
        mkdirSync(path.join(d, 'downloads'));
        writeFileSync(path.join(d, 'downloads', 'config.json'), '{}');
        writeFileSync(path.join(d, 'bundle.json'), JSON.stringify(signDoc(p, reg.privateKey)));
        try {
          verifyBundle(d, expectFor);
        } catch (e) {
          if (!(e instanceof KioskError)) throw new Error(`untyped error: ${String(e)}`, { cause: e });
        }
      }),
      { numRuns: 80 },
    );
    const d = drive();
    mkdirSync(path.join(d, 'downloads'));
    symlinkSync('/dev/zero', path.join(d, 'downloads', 'config.json'));
    const m = { type: 'provisioning-bundle', format: 1, bundleId: 'b', kioskId: identity.kioskId, centreId: identity.centreId, createdAt: new Date().toISOString(), registryUrl: 'http://x', registry: { encryptionPublicKey: registry.keys.encryptionPublicKey, signingPublicKey }, certificate: cert, files: [{ name: 'downloads/config.json', kind: 'config', size: 10, sha256: '0'.repeat(64) }] };
    writeFileSync(path.join(d, 'bundle.json'), JSON.stringify(signDoc(m, reg.privateKey)));
    expect(() => verifyBundle(d, expectFor)).toThrow(expect.objectContaining({ code: 'PROVISION_BUNDLE_TAMPERED', details: expect.objectContaining({ problem: 'symlink' }) }));
  });
});

import { createHash, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskErrorLike, leaksSince, resourceSnapshot, settle } from './helpers.js';
import { ChecksumError, DeviceBusyError, DeviceDisconnectedError, DeviceTimeoutError, DeviceUntrustedError, NoFingerError, ProtocolError } from '../../../drivers/errors.js';
import { ridgeSource } from '../../../drivers/emulators/impression.js';
import { SbiService, type SbiFault } from '../../../drivers/emulators/sbi-service.js';
import { SbiDevice, decodeCaptureResponse, decodeDiscoveryResponse, discoverSbi, jpegFrames } from '../../../drivers/sbi/client.js';
import { chainHash } from '../../../drivers/sbi/hash-chain.js';
import { decodeFaceRecord, decodeFingerRecord, encodeFaceRecord, encodeFingerRecord } from '../../../drivers/sbi/iso-record.js';
import { b64url, signJws, unsignedJws, verifyJws } from '../../../drivers/sbi/jws.js';
import { der, generateDeviceIdentity } from '../../../drivers/sbi/x509.js';

describe('DER encoder and X.509 certificates', () => {
  it('encodes integers, OIDs and long lengths per X.690', () => {
    expect(der.int(0n).toString('hex')).toBe('020100');
    expect(der.int(128n).toString('hex')).toBe('02020080');
    expect(der.int(Uint8Array.from([0, 0, 5])).toString('hex')).toBe('020105');
    expect(der.oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(der.oid('2.5.29.19').toString('hex')).toBe('0603551d13');
    const long = der.tlv(0x04, new Uint8Array(300));
    expect(long.subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(der.time(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))).toString('latin1').slice(2)).toBe('260102030405Z');
  });

  it('generates a CA and a device certificate that node:crypto parses and verifies', () => {
    const id = generateDeviceIdentity({ modulusLength: 1024 });
    expect(id.ca.ca).toBe(true);
    expect(id.device.ca).toBe(false);
    expect(id.ca.verify(id.ca.publicKey)).toBe(true);
    expect(id.device.checkIssued(id.ca)).toBe(true);
    expect(id.device.verify(id.ca.publicKey)).toBe(true);
    expect(new X509Certificate(Buffer.from(id.x5c[0]!, 'base64')).raw.equals(id.device.raw)).toBe(true);
    expect(id.device.subject).toContain('CN=SBI device');
  });
});

describe('JWS (RS256, x5c)', () => {
  const id = generateDeviceIdentity({ modulusLength: 1024 });
  const other = generateDeviceIdentity({ modulusLength: 1024 });

  it('verifies a device-signed payload against the trust root', () => {
    const jws = signJws({ deviceStatus: 'Ready' }, id.deviceKey, id.x5c);
    expect(verifyJws(jws, { trustRoots: [id.ca] })).toMatchObject({ payload: { deviceStatus: 'Ready' }, trusted: true });
  });
  it('refuses a tampered payload, an unknown root, and unsigned data', () => {
    const jws = signJws({ a: 1 }, id.deviceKey, id.x5c);
    const [h, , s] = jws.split('.');
    const tampered = `${h}.${b64url.encode(JSON.stringify({ a: 2 }))}.${s}`;
    expect(() => verifyJws(tampered, { trustRoots: [id.ca] })).toThrow(DeviceUntrustedError);
    expect(() => verifyJws(jws, { trustRoots: [other.ca] })).toThrow(DeviceUntrustedError);
    expect(() => verifyJws(unsignedJws({ a: 1 }), { trustRoots: [id.ca] })).toThrow(DeviceUntrustedError);
    // A chain whose device cert was signed by another CA but presented with ours.
    const forged = signJws({ a: 1 }, other.deviceKey, [other.x5c[0]!, id.x5c[1]!]);
    expect(() => verifyJws(forged, { trustRoots: [id.ca] })).toThrow(DeviceUntrustedError);
  });
  it('allowUntrusted (dev) accepts but reports trusted: false', () => {
    expect(verifyJws(unsignedJws({ a: 1 }), { trustRoots: [], allowUntrusted: true })).toEqual({ payload: { a: 1 }, trusted: false });
    expect(verifyJws(signJws({ a: 1 }, other.deviceKey, other.x5c), { trustRoots: [id.ca], allowUntrusted: true }).trusted).toBe(false);
  });
  it('fuzz: arbitrary strings and JSON give only typed errors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(fc.json(), fc.json(), fc.string()).map(([a, b, c]) => `${b64url.encode(a)}.${b64url.encode(b)}.${c}`)), (input) => {
        try {
          verifyJws(input, { trustRoots: [id.ca] });
        } catch (error) {
          expect(error).toBeInstanceOf(KioskErrorLike);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ISO 19794 records and the hash chain', () => {
  it('finger image record round-trips (FIR, 32-byte header, 14-byte view header)', () => {
    const pixels = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const rec = encodeFingerRecord({ resolution: 500, views: [{ position: 7, quality: 80, width: 4, height: 3, data: pixels }] });
    expect(rec.length).toBe(32 + 14 + 12);
    expect(Buffer.from(rec.subarray(0, 8)).toString('latin1')).toBe('FIR\x00010\x00');
    const d = decodeFingerRecord(rec);
    expect(d.views[0]).toMatchObject({ position: 7, quality: 80, width: 4, height: 3 });
    expect(Array.from(d.views[0]!.data)).toEqual(Array.from(pixels));
    expect(d.imageResolution).toEqual([500, 500]);
  });
  it('face record round-trips', () => {
    const rec = encodeFaceRecord({ imageDataType: 0, width: 480, height: 640, quality: 80, data: Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]) });
    expect(decodeFaceRecord(rec)).toEqual([{ imageDataType: 0, width: 480, height: 640, quality: 80, data: Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]) }]);
  });
  it('fuzz: decoders give only typed errors', () => {
    const valid = encodeFingerRecord({ resolution: 500, views: [{ position: 2, quality: 50, width: 2, height: 2, data: new Uint8Array(4) }] });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 60 }), fc.integer({ min: 0, max: 255 }), (bytes, at, value) => {
        const mutated = valid.slice();
        mutated[at % mutated.length] = value;
        for (const input of [bytes, mutated, Uint8Array.from([...Buffer.from('FIR\x00010\x00'), ...bytes])]) {
          for (const decode of [decodeFingerRecord, decodeFaceRecord]) {
            try {
              decode(input);
            } catch (error) {
              expect(error).toBeInstanceOf(ProtocolError);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
  it('hash = SHA-256(previousHash ‖ SHA-256(bioValue))', () => {
    const bio = Buffer.from('record');
    const inner = createHash('sha256').update(bio).digest();
    expect(chainHash('', bio)).toBe(createHash('sha256').update(inner).digest('hex'));
    const prev = 'ab'.repeat(32);
    expect(chainHash(prev, bio)).toBe(createHash('sha256').update(Buffer.concat([Buffer.from(prev, 'hex'), inner])).digest('hex'));
  });
  it('MJPEG splitter yields whole JPEGs across chunk boundaries', async () => {
    const frame = (n: number) => Buffer.from([0xff, 0xd8, n, 0xff, 0x00, 0xff, 0xd9]);
    const wire = Buffer.concat([Buffer.from('--b\r\n\r\n'), frame(1), Buffer.from('\r\n--b\r\n\r\n'), frame(2)]);
    async function* chunks() {
      for (let i = 0; i < wire.length; i += 3) yield wire.subarray(i, i + 3);
    }
    const out: Buffer[] = [];
    for await (const f of jpegFrames(chunks())) out.push(f);
    expect(out).toEqual([frame(1), frame(2)]);
  });
});

describe('SBI device service over HTTP (127.0.0.1:4501–4600)', () => {
  let service: SbiService;
  let device: SbiDevice;
  let baseline: ReturnType<typeof resourceSnapshot>;

  beforeAll(async () => {
    baseline = resourceSnapshot();
    service = await SbiService.start({ source: ridgeSource('sbi-subject'), fingerSize: [160, 200] });
    device = new SbiDevice({ port: service.port, trustRoots: [service.trustRootPem], captureTimeoutMs: 5000 });
  });

  afterAll(async () => {
    await device?.dispose();
    await service?.dispose();
    await new Promise((r) => setTimeout(r, 20));
    expect(leaksSince(baseline)).toEqual([]);
  });

  it('discovery scans the range and finds the emulated device among closed ports', async () => {
    const found = await settle(discoverSbi({ type: 'Finger' }), 10_000);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    const mine = found.value.find((d) => d.port === service.port);
    expect(mine).toMatchObject({ deviceStatus: 'Ready', certification: 'L1', deviceSubId: [1, 2, 3], purpose: 'Registration' });
    expect(mine?.digitalId?.serialNo).toBe(service.serialNo);
    expect(service.received).toContain('MOSIPDISC');
  });

  it('device info is signed and trusted', async () => {
    const info = await device.deviceInfo();
    expect(info.trusted).toBe(true);
    expect(info.deviceStatus).toBe('Ready');
    expect(info.digitalId?.model).toBe('SLAP-EMU-1');
    expect((await device.info()).positions).toEqual([14, 13, 15]);
  });

  it('RCAPTURE left slap with an exception: three fingers, ISO records decoded, hash chain verified', async () => {
    const result = await device.capture({ positions: [14], exceptions: [9], requestedScore: 60 });
    expect(result.images.map((i) => i.position)).toEqual([7, 8, 10]);
    for (const img of result.images) {
      expect([img.width, img.height, img.ppi]).toEqual([160, 200, 500]);
      expect(img.pixels.length).toBe(160 * 200);
      expect(img.quality).toBeGreaterThanOrEqual(60);
    }
    const thumbs = await device.capture({ positions: [15] });
    expect(thumbs.images.map((i) => i.position)).toEqual([1, 6]);
  });

  it('RCAPTURE face returns a JPEG inside an ISO 19794-5 record', async () => {
    const face = await device.captureFace();
    const meta = await sharp(Buffer.from(face.jpeg)).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height, face.width, face.height]).toEqual([480, 640, 480, 640]);
  });

  it('STREAM yields JPEG frames and stops cleanly', async () => {
    const frames: Buffer[] = [];
    for await (const f of device.stream()) {
      frames.push(f);
      if (frames.length === 3) break;
    }
    expect(frames).toHaveLength(3);
    for (const f of frames) expect((await sharp(f).metadata()).format).toBe('jpeg');
  });

  const faults: [SbiFault, new (...args: never[]) => Error][] = [
    ['wrong_checksum', ChecksumError],
    ['truncated_packet', ProtocolError],
    ['garbage_bytes', ProtocolError],
    ['stall_mid_upload', DeviceTimeoutError],
    ['disconnect_mid_upload', DeviceDisconnectedError],
    ['no_finger', NoFingerError],
    ['busy', DeviceBusyError],
    ['unsigned', DeviceUntrustedError],
    ['untrusted', DeviceUntrustedError],
  ];

  it.each(faults)('fault %s → typed error, then the next capture succeeds', async (fault, errorClass) => {
    service.setFault(fault);
    const dev = new SbiDevice({ port: service.port, trustRoots: [service.trustRootPem], captureTimeoutMs: 500 });
    const outcome = await settle(dev.capture({ positions: [2], timeoutMs: 500 }), 15_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toBeInstanceOf(errorClass);
    service.setFault(null);
    const next = await dev.capture({ positions: [2] });
    expect(next.images.map((i) => i.position)).toEqual([2]);
    await dev.dispose();
  });

  it('allowUntrusted (dev option) accepts an unsigned device', async () => {
    service.setFault('unsigned');
    const dev = new SbiDevice({ port: service.port, trustRoots: [], allowUntrusted: true });
    try {
      expect((await dev.deviceInfo()).trusted).toBe(false);
      expect((await dev.capture({ positions: [6] })).images).toHaveLength(1);
    } finally {
      service.setFault(null);
      await dev.dispose();
    }
  });
});

describe('SBI response decoding (fuzz)', () => {
  const id = generateDeviceIdentity({ modulusLength: 1024 });
  const ctx = { trustRoots: [id.ca], allowUntrusted: false, previousHash: '', transactionId: 'tx-1' };
  const record = encodeFingerRecord({ resolution: 500, views: [{ position: 2, quality: 70, width: 2, height: 2, data: new Uint8Array(4) }] });

  it('a well-formed, signed, chained response decodes', () => {
    const data = signJws({ bioValue: b64url.encode(record), transactionId: 'tx-1', qualityScore: 70, bioSubType: 'Right IndexFinger' }, id.deviceKey, id.x5c);
    const body = Buffer.from(JSON.stringify({ biometrics: [{ data, hash: chainHash('', record), error: { errorCode: '0' } }] }));
    const out = decodeCaptureResponse(body, ctx);
    expect(out.entries[0]).toMatchObject({ qualityScore: 70, bioSubType: 'Right IndexFinger' });
    expect(out.lastHash).toBe(chainHash('', record));
  });

  it('arbitrary JSON, mutated entries and garbage give only typed errors', () => {
    const entryArb = fc.record(
      {
        data: fc.oneof(
          fc.string(),
          fc.jsonValue().map((p) => signJws(p, id.deviceKey, id.x5c)),
          fc.record({ bioValue: fc.oneof(fc.string(), fc.constant(b64url.encode(record))), transactionId: fc.constantFrom('tx-1', 'tx-2'), qualityScore: fc.jsonValue() }).map((p) => signJws(p, id.deviceKey, id.x5c)),
        ),
        hash: fc.oneof(fc.string(), fc.constant(chainHash('', record))),
        error: fc.oneof(fc.constant(null), fc.record({ errorCode: fc.oneof(fc.constantFrom('0', '101', '111', '500'), fc.jsonValue()), errorInfo: fc.jsonValue() })),
      },
      { requiredKeys: [] },
    );
    const bodyArb = fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((j) => Buffer.from(JSON.stringify(j))),
      fc.array(entryArb, { maxLength: 3 }).map((biometrics) => Buffer.from(JSON.stringify({ biometrics }))),
    );
    fc.assert(
      fc.property(bodyArb, (body) => {
        for (const decode of [() => decodeCaptureResponse(body, ctx), () => decodeDiscoveryResponse(4501, body)]) {
          try {
            decode();
          } catch (error) {
            expect(error).toBeInstanceOf(KioskErrorLike);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

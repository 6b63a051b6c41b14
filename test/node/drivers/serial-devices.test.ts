// Integration over real pseudo-terminals (socat) through serialport, for both sensor families.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksSince, resourceSnapshot, settle } from './helpers.js';
import type { CaptureProgress, FingerprintDevice } from '../../../drivers/device.js';
import { CaptureCancelledError, DeviceBusyError, DeviceDisconnectedError, DeviceTimeoutError, NoFingerError, ProtocolError, ChecksumError } from '../../../drivers/errors.js';
import { Gt511c3Emulator } from '../../../drivers/emulators/gt511c3-emulator.js';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { ridgeSource } from '../../../drivers/emulators/impression.js';
import type { SerialEmulator, SerialFault } from '../../../drivers/emulators/serial-emulator.js';
import { Gt511c3Device } from '../../../drivers/gt511c3/driver.js';
import { R30xDevice } from '../../../drivers/r30x/driver.js';
import { openSerialLinks } from '../../../drivers/serial/link.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — pty integration tests are SKIPPED (apt-get install socat). ***\n');
    return false;
  }
}
const socat = hasSocat();
// A quick procedural pattern: the synthetic generator is exercised in impression.test.ts.
const source = ridgeSource('test-subject');

const faults: [SerialFault, new (...args: never[]) => Error][] = [
  ['wrong_checksum', ChecksumError],
  ['truncated_packet', ProtocolError],
  ['stall_mid_upload', DeviceTimeoutError],
  ['disconnect_mid_upload', DeviceDisconnectedError],
  ['no_finger', NoFingerError],
  ['busy', DeviceBusyError],
];

interface Family {
  name: string;
  width: number;
  height: number;
  start(): Promise<SerialEmulator>;
  driver(path: string): FingerprintDevice;
}

const families: Family[] = [
  {
    name: 'R30x',
    width: 256,
    height: 288,
    start: () => R30xEmulator.start({ source, pacing: false, replugDelayMs: 150 }),
    driver: (path) => new R30xDevice({ path, responseTimeoutMs: 400, pollIntervalMs: 20 }),
  },
  {
    name: 'GT-511C3',
    width: 258,
    height: 202,
    start: () => Gt511c3Emulator.start({ source, pacing: false, replugDelayMs: 150 }),
    driver: (path) => new Gt511c3Device({ path, responseTimeoutMs: 400, pollIntervalMs: 20 }),
  },
];

describe.skipIf(!socat).each(families)('$name over a pty', (family) => {
  let emu: SerialEmulator;
  let dev: FingerprintDevice;
  let baseline: ReturnType<typeof resourceSnapshot>;

  beforeAll(async () => {
    baseline = resourceSnapshot();
    emu = await family.start();
    dev = family.driver(emu.hostPath);
  });

  afterAll(async () => {
    await dev?.dispose();
    await emu?.dispose();
    expect(leaksSince(baseline)).toEqual([]);
  });

  it('reports device info', async () => {
    const info = await dev.info();
    expect(info.imageWidth).toBe(family.width);
    expect(info.imageHeight).toBe(family.height);
    expect(emu.ptyPaths[0]).toMatch(/^\/dev\/pts\/\d+$/);
  });

  it('captures an image end to end with progress', async () => {
    const events: CaptureProgress[] = [];
    emu.placeFinger(7);
    const result = await dev.capture({ positions: [7], timeoutMs: 5000, onProgress: (e) => events.push(e) });
    const img = result.images[0]!;
    expect(img.width).toBe(family.width);
    expect(img.height).toBe(family.height);
    expect(img.pixels.length).toBe(family.width * family.height);
    expect(img.position).toBe(7);
    // A real pattern, not a flat frame: ridges (dark) and background (light).
    const min = img.pixels.reduce((a, b) => Math.min(a, b), 255);
    const max = img.pixels.reduce((a, b) => Math.max(a, b), 0);
    expect(max - min).toBeGreaterThan(150);
    const phases = events.map((e) => e.phase);
    expect(phases[0]).toBe('waiting_for_finger');
    expect(phases).toContain('finger_detected');
    expect(phases.at(-1)).toBe('done');
    expect(events.some((e) => e.phase === 'uploading' && e.percent === 100)).toBe(true);
    expect(openSerialLinks()).toBe(1); // only the emulator's end: the driver released its port
  });

  it.each(faults)('fault %s → typed error, no hang, then the next capture succeeds', async (fault, errorClass) => {
    await emu.setFault(fault);
    const outcome = await settle(dev.capture({ positions: [2], timeoutMs: 600 }), 10_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toBeInstanceOf(errorClass);
    await emu.setFault(null);
    await emu.whenPlugged();
    expect(openSerialLinks()).toBe(1);
    const next = await settle(dev.capture({ positions: [2], timeoutMs: 5000 }), 15_000);
    expect(next.ok).toBe(true);
  });

  it('garbage_bytes: the parser resynchronises and the capture succeeds', async () => {
    await emu.setFault('garbage_bytes');
    const result = await dev.capture({ positions: [3], timeoutMs: 5000 });
    await emu.setFault(null);
    expect(result.images).toHaveLength(1);
    expect(result.resyncedBytes).toBeGreaterThan(0);
  });

  it('cancel mid-upload releases the port; the next capture succeeds', async () => {
    const controller = new AbortController();
    const outcome = await settle(
      dev.capture({
        positions: [2],
        signal: controller.signal,
        onProgress: (e) => {
          if (e.phase === 'uploading' && e.percent > 0) controller.abort();
        },
      }),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toBeInstanceOf(CaptureCancelledError);
    expect(openSerialLinks()).toBe(1);
    const next = await dev.capture({ positions: [2] });
    expect(next.images[0]!.pixels.length).toBe(family.width * family.height);
  });
});

describe.skipIf(!socat)('R30x settings', () => {
  it('switches baud (SetSysPara 4) and packet size (SetSysPara 6), drives the aura LED', async () => {
    const before = resourceSnapshot();
    const emu = await R30xEmulator.start({ source, pacing: false });
    const dev = new R30xDevice({ path: emu.hostPath, targetBaudRate: 115200, packetSize: 256, led: 'aura', responseTimeoutMs: 400, pollIntervalMs: 20 });
    try {
      const result = await dev.capture({ positions: [1] });
      expect(emu.currentBaudRate).toBe(115200);
      expect((emu as R30xEmulator).currentPacketSize).toBe(256);
      // 36,864 bytes in 256-byte packets: 144 packets of 11 bytes overhead each.
      expect(result.images[0]!.timing.bytes).toBe(36864 + 144 * 11);
      expect(emu.received).toContain('auraLedConfig');
      // Reopening finds the sensor at its new baud.
      const info = await dev.info();
      expect(info.details?.baudRate).toBe(115200);
    } finally {
      await dev.dispose();
      await emu.dispose();
    }
    expect(leaksSince(before)).toEqual([]);
  });

  it('a sensor without the aura LED (R307) answers 0x35 with an error; the capture goes on; 0x50/0x51 work', async () => {
    const emu = await R30xEmulator.start({ source, pacing: false, model: 'r307' });
    const aura = new R30xDevice({ path: emu.hostPath, led: 'aura', responseTimeoutMs: 400, pollIntervalMs: 20 });
    const basic = new R30xDevice({ path: emu.hostPath, led: 'basic', responseTimeoutMs: 400, pollIntervalMs: 20 });
    try {
      expect((await aura.capture({ positions: [4] })).images).toHaveLength(1);
      expect(emu.received.filter((c) => c === 'auraLedConfig').length).toBeGreaterThan(0);
      expect(emu.led).toBe('off');
      await basic.capture({ positions: [4] });
      expect(emu.received).toContain('ledOn');
      expect(emu.led).toBe('off');
    } finally {
      await aura.dispose();
      await basic.dispose();
      await emu.dispose();
    }
  });

  it('a wrong password is refused with a typed error', async () => {
    const emu = await R30xEmulator.start({ source, pacing: false, password: 1234 });
    const dev = new R30xDevice({ path: emu.hostPath, password: 99, responseTimeoutMs: 400 });
    try {
      await expect(dev.info()).rejects.toMatchObject({ code: 'DEVICE_ERROR' });
    } finally {
      await dev.dispose();
      await emu.dispose();
    }
  });

  it('a missing port is DEVICE_NOT_FOUND', async () => {
    const dev = new R30xDevice({ path: '/dev/does-not-exist-kiosk', responseTimeoutMs: 200 });
    await expect(dev.info()).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    await dev.dispose();
  });
});

describe.skipIf(!socat)('paced wire (real baud timing)', () => {
  it('R30x at 115200 baud streams the upload no faster than the wire allows', async () => {
    const emu = await R30xEmulator.start({ source, pacing: true, baudRate: 115200, fingerDelayPolls: 0 });
    const dev = new R30xDevice({ path: emu.hostPath, baudRate: 115200, pollIntervalMs: 20 });
    try {
      const percents = new Set<number>();
      const result = await dev.capture({ positions: [2], onProgress: (e) => e.phase === 'uploading' && percents.add(e.percent) });
      const img = result.images[0]!;
      const wireMs = (img.timing.bytes * 10 * 1000) / 115200;
      // Pacing is a lower bound by construction (the emulator waits); this checks the emulator honours it.
      expect(img.timing.uploadMs).toBeGreaterThanOrEqual(wireMs * 0.9);
      expect(percents.size).toBeGreaterThan(90);
    } finally {
      await dev.dispose();
      await emu.dispose();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { leaksSince, resourceSnapshot } from './helpers.js';
import { openFingerprintDevice } from '../../../drivers/factory.js';
import { fingerprintDeviceConfigSchema } from '../../../main/config/schema.js';

const socat = (() => {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — emulated-r30x factory test is SKIPPED. ***\n');
    return false;
  }
})();

describe('openFingerprintDevice', () => {
  it('builds real drivers from config entries (the config schema output is accepted as is)', async () => {
    const r30x = await openFingerprintDevice(fingerprintDeviceConfigSchema.parse({ kind: 'r30x', id: 'a', path: '/dev/ttyUSB0' }));
    expect(r30x.device.kind).toBe('r30x');
    await r30x.dispose();
    const gt = await openFingerprintDevice(fingerprintDeviceConfigSchema.parse({ kind: 'gt511c3', id: 'b', path: '/dev/ttyUSB1' }));
    expect(gt.device.kind).toBe('gt511c3');
    await gt.dispose();
  });

  it('an SBI entry without a port and nothing listening is DEVICE_NOT_FOUND', async () => {
    await expect(openFingerprintDevice({ kind: 'sbi', id: 'c' })).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
  });

  it.skipIf(!socat)('emulated-r30x starts an emulator and captures through the real driver', async () => {
    const before = resourceSnapshot();
    const opened = await openFingerprintDevice(fingerprintDeviceConfigSchema.parse({ kind: 'emulated-r30x', id: 'demo', subject: 'factory-subject' }));
    try {
      const result = await opened.device.capture({ positions: [2] });
      expect([result.images[0]!.width, result.images[0]!.height]).toEqual([256, 288]);
    } finally {
      await opened.dispose();
    }
    expect(leaksSince(before)).toEqual([]);
  });
});

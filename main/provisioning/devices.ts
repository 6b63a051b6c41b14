// Device discovery (serial ports with USB ids, MOSIP SBI services on 127.0.0.1:4501–4600) and the live test
// capture for an assignment: the real driver opens the device, reads its info and captures one finger; the image
// must not be blank (a sensor that answers but sees nothing fails here, not at the first citizen).
import { openFingerprintDevice } from '../../drivers/factory.js';
import { listSerialPorts, type PortListing } from '../../drivers/ports.js';
import { discoverSbi, type DiscoveredDevice } from '../../drivers/sbi/client.js';
import { KioskError } from '../contract/errors.js';
import { ProvisioningError } from './errors.js';
import type { DeviceAssignment } from './state.js';

export interface DiscoveredDevices {
  serial: PortListing;
  sbi: { port: number; deviceId: string; status: string; make: string | null; model: string | null; certification: string }[];
}

export interface DeviceProbe {
  discover(extraSerialPaths: string[]): Promise<DiscoveredDevices>;
  testCapture(assignment: Omit<DeviceAssignment, 'test'>, options: { timeoutMs: number; signal?: AbortSignal }): Promise<NonNullable<DeviceAssignment['test']>>;
}

/** Standard deviation of the grey levels: a live finger image has ridges; a blank or saturated frame does not. */
export function greyStdDev(pixels: Uint8Array): number {
  if (pixels.length === 0) return 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    sum += v;
    sq += v * v;
  }
  const mean = sum / pixels.length;
  return Math.sqrt(Math.max(0, sq / pixels.length - mean * mean));
}

export const BLANK_IMAGE_STDDEV = 4;

export function realDeviceProbe(trust: { sbiTrustRoots: string[]; allowUntrustedSbi: boolean }, clock: () => number = Date.now): DeviceProbe {
  return {
    async discover(extraSerialPaths) {
      const [serial, sbi] = await Promise.all([listSerialPorts({ configuredPaths: extraSerialPaths }), discoverSbi({ timeoutMs: 400 }).catch(() => [] as DiscoveredDevice[])]);
      return {
        serial,
        sbi: sbi.map((d) => ({ port: d.port, deviceId: d.deviceId, status: d.deviceStatus, make: d.digitalId?.make ?? null, model: d.digitalId?.model ?? null, certification: d.certification })),
      };
    },
    async testCapture(a, options) {
      const at = () => new Date(clock()).toISOString();
      const entry =
        a.kind === 'sbi'
          ? { kind: 'sbi' as const, id: a.id, ...(a.port !== undefined ? { port: a.port } : {}) }
          : a.kind === 'r30x'
            ? { kind: 'r30x' as const, id: a.id, path: a.path ?? '', baudRate: 57600, address: 0xffffffff, password: 0 }
            : { kind: 'gt511c3' as const, id: a.id, path: a.path ?? '', baudRate: 9600 };
      if (entry.kind !== 'sbi' && !entry.path) throw new ProvisioningError('PROVISION_DEVICE_TEST_FAILED', `Device ${a.id}: a serial device needs its port path`, { details: { device: a.id, reason: 'no_path' } });
      const t0 = performance.now();
      let opened;
      try {
        opened = await openFingerprintDevice(entry, trust);
      } catch (cause) {
        throw failed(a.id, cause);
      }
      try {
        const info = await opened.device.info(options.signal ? { signal: options.signal } : {});
        const result = await opened.device.capture({ positions: [2], timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
        const img = result.images[0];
        if (!img) throw new ProvisioningError('PROVISION_DEVICE_TEST_FAILED', `Device ${a.id} returned no image`, { details: { device: a.id, reason: 'no_image' } });
        const spread = greyStdDev(img.pixels);
        if (spread < BLANK_IMAGE_STDDEV) throw new ProvisioningError('PROVISION_DEVICE_TEST_FAILED', `Device ${a.id} returned a blank image (grey-level spread ${spread.toFixed(1)}); clean the glass and retry`, { details: { device: a.id, reason: 'blank_image', spread } });
        return { ok: true, at: at(), model: info.model, width: img.width, height: img.height, ppi: img.ppi, quality: img.quality ?? null, bytes: img.timing.bytes, totalMs: Math.round(performance.now() - t0) };
      } catch (cause) {
        throw failed(a.id, cause);
      } finally {
        await opened.dispose().catch(() => undefined);
      }
    },
  };
}

function failed(device: string, cause: unknown): ProvisioningError {
  if (cause instanceof ProvisioningError) return cause;
  const code = cause instanceof KioskError ? cause.code : 'INTERNAL';
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ProvisioningError('PROVISION_DEVICE_TEST_FAILED', `Device ${device}: ${code}: ${message}`.slice(0, 300), { cause, details: { device, reason: code } });
}

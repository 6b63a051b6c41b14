// Builds a FingerprintDevice from a device entry of the kiosk configuration (devices.fingerprint[]). The shape mirrors
// main/config/schema.ts structurally (drivers/ does not import main/config).
import type { FingerprintDevice } from './device.js';
import { R30xEmulator } from './emulators/r30x-emulator.js';
import { DeviceNotFoundError, UnsupportedError } from './errors.js';
import { Gt511c3Device } from './gt511c3/driver.js';
import { R30xDevice } from './r30x/driver.js';
import { SbiDevice, discoverSbi } from './sbi/client.js';

export type FingerprintDeviceEntry =
  | { kind: 'r30x'; id: string; path: string; baudRate: number; address: number; password: number }
  | { kind: 'gt511c3'; id: string; path: string; baudRate: number }
  | { kind: 'sbi'; id: string; port?: number }
  | { kind: 'emulated-r30x'; id: string; subject: string };

export interface SbiTrust {
  sbiTrustRoots: string[];
  allowUntrustedSbi: boolean;
}

/** The device plus everything started for it (an emulator for `emulated-r30x`); dispose() releases all. */
export interface OpenedDevice {
  id: string;
  device: FingerprintDevice;
  /** Emulated devices only: the synthetic person whose fingers the sensor sees from now on. */
  presentSubject?(subject: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function openFingerprintDevice(entry: FingerprintDeviceEntry, trust: SbiTrust = { sbiTrustRoots: [], allowUntrustedSbi: false }): Promise<OpenedDevice> {
  switch (entry.kind) {
    case 'r30x': {
      const device = new R30xDevice({ path: entry.path, baudRate: entry.baudRate, address: entry.address, password: entry.password });
      return { id: entry.id, device, dispose: () => device.dispose() };
    }
    case 'gt511c3': {
      const device = new Gt511c3Device({ path: entry.path, baudRate: entry.baudRate });
      return { id: entry.id, device, dispose: () => device.dispose() };
    }
    case 'sbi': {
      let port = entry.port;
      if (port === undefined) {
        const [first] = await discoverSbi({ type: 'Finger' });
        if (!first) throw new DeviceNotFoundError('No SBI finger device answered on 127.0.0.1:4501–4600');
        port = first.port;
      }
      const device = new SbiDevice({ port, trustRoots: trust.sbiTrustRoots, allowUntrusted: trust.allowUntrustedSbi });
      return { id: entry.id, device, dispose: () => device.dispose() };
    }
    case 'emulated-r30x': {
      const emulator = await R30xEmulator.start({ subject: entry.subject, pacing: false });
      // Generous idle timeout: the emulator's fingerprint generator runs in this same process.
      const device = new R30xDevice({ path: emulator.hostPath, responseTimeoutMs: 5000 });
      // The emulated person puts down the finger the driver asks for, so a demo enrollment holds ten distinct fingers.
      const offProgress = device.onProgress((event) => {
        if (event.phase === 'waiting_for_finger' && event.position >= 1 && event.position <= 10) emulator.placeFinger(event.position);
      });
      return {
        id: entry.id,
        device,
        presentSubject: (subject) => emulator.presentSubject(subject),
        dispose: async () => {
          offProgress();
          await device.dispose();
          await emulator.dispose();
        },
      };
    }
    default:
      throw new UnsupportedError(`Unknown fingerprint device kind ${(entry as { kind: string }).kind}`);
  }
}

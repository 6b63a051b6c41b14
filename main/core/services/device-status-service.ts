// Tracks the state of configured devices for the status bar and home tiles.
import type { DeviceStatus } from '../../contract/ipc.js';
import type { KioskConfig } from '../../config/schema.js';

export interface DeviceStatusService {
  list(): DeviceStatus[];
  set(status: DeviceStatus): void;
  onChange(listener: (all: DeviceStatus[]) => void): () => void;
}

export class InMemoryDeviceStatusService implements DeviceStatusService {
  private readonly byId = new Map<string, DeviceStatus>();
  private readonly listeners = new Set<(all: DeviceStatus[]) => void>();

  constructor(config: KioskConfig) {
    for (const device of config.devices.fingerprint) {
      const label = device.kind === 'sbi' ? `SBI ${device.port ?? 'auto'}` : 'path' in device ? `${device.kind} ${device.path}` : device.kind;
      this.byId.set(device.id, { id: device.id, kind: 'fingerprint', label, state: 'disconnected' });
    }
    this.byId.set('camera', {
      id: 'camera',
      kind: 'camera',
      label: config.devices.cameraDeviceId ?? 'default',
      state: 'disconnected',
      detail: 'opened by the renderer',
    });
  }

  list(): DeviceStatus[] {
    return [...this.byId.values()].map((d) => ({ ...d }));
  }

  set(status: DeviceStatus): void {
    this.byId.set(status.id, { ...status });
    const all = this.list();
    for (const l of [...this.listeners]) l(all);
  }

  onChange(listener: (all: DeviceStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

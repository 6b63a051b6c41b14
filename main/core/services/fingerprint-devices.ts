// Opens the configured fingerprint devices (real drivers; in demo mode the R30x emulator on a pseudo-terminal),
// reports their state to the status service, and releases them on dispose.
import type { Logger } from 'pino';
import type { DeviceInfo, FingerprintDevice } from '../../../drivers/device.js';
import { openFingerprintDevice, type OpenedDevice } from '../../../drivers/factory.js';
import type { KioskConfig } from '../../config/schema.js';
import { KioskError } from '../../contract/errors.js';
import type { DeviceStatusService } from './device-status-service.js';

export class FingerprintDeviceManager {
  private readonly opened = new Map<string, OpenedDevice>();
  private readonly infos = new Map<string, DeviceInfo>();
  private readonly problems = new Map<string, string>();
  private readonly subjects = new Map<string, string>();
  private disposed = false;
  /** Resolves when every configured device has been tried (ready or error). */
  readonly ready: Promise<void>;

  constructor(
    private readonly config: KioskConfig,
    private readonly status: DeviceStatusService,
    private readonly logger: Logger,
  ) {
    this.ready = Promise.all(config.devices.fingerprint.map((entry) => this.open(entry))).then(() => undefined);
  }

  private async open(entry: KioskConfig['devices']['fingerprint'][number]): Promise<void> {
    const base = this.status.list().find((d) => d.id === entry.id);
    const label = base?.label ?? entry.id;
    try {
      const opened = await openFingerprintDevice(entry, { sbiTrustRoots: this.config.devices.sbiTrustRoots, allowUntrustedSbi: this.config.devices.allowUntrustedSbi });
      if (this.disposed) return void (await opened.dispose());
      this.opened.set(entry.id, opened);
      const info = await opened.device.info();
      this.infos.set(entry.id, info);
      this.status.set({ id: entry.id, kind: 'fingerprint', label: `${info.model} (${info.address})`, state: 'ready', detail: `${info.imageWidth}×${info.imageHeight} @ ${info.ppi} ppi` });
      this.logger.info({ device: entry.id, model: info.model }, 'fingerprint device ready');
    } catch (error) {
      const code = error instanceof KioskError ? error.code : 'INTERNAL';
      this.problems.set(entry.id, code);
      this.status.set({ id: entry.id, kind: 'fingerprint', label, state: 'error', detail: `${code}: ${(error as Error).message}`.slice(0, 300) });
      this.logger.warn({ device: entry.id, code }, 'fingerprint device unavailable');
    }
  }

  /** Emulated sensors: switch to `subject`'s synthetic fingers (no-op when already showing them or not emulated). */
  async presentSubject(id: string, subject: string): Promise<void> {
    const opened = this.opened.get(id);
    if (!opened?.presentSubject || this.subjects.get(id) === subject) return;
    await opened.presentSubject(subject);
    this.subjects.set(id, subject);
  }

  device(id: string): OpenedDevice['device'] | null {
    return this.opened.get(id)?.device ?? null;
  }

  /** Every configured device: opened (with its info) or not (with the error code); main/capture's device source. */
  list(): { id: string; device: FingerprintDevice | null; info: DeviceInfo | null; detail?: string }[] {
    return this.config.devices.fingerprint.map((entry) => {
      const device = this.opened.get(entry.id)?.device ?? null;
      const problem = this.problems.get(entry.id);
      return { id: entry.id, device, info: this.infos.get(entry.id) ?? null, ...(device ? {} : { detail: problem ?? 'not open yet' }) };
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.ready.catch(() => undefined);
    await Promise.all([...this.opened.values()].map((d) => d.dispose().catch(() => undefined)));
    this.opened.clear();
  }
}

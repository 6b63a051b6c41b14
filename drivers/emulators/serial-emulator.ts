// Shared plumbing of the serial-sensor emulators: a socat pty pair, the device end opened with serialport, paced
// writes, fault switching, and unplug/replug.
import { SerialLink } from '../serial/link.js';
import { PacedWriter } from './pacer.js';
import { PtyPair } from './pty.js';
import { defaultImpressionSource, resample, type ImpressionSource } from './impression.js';

export const SERIAL_FAULTS = ['wrong_checksum', 'truncated_packet', 'garbage_bytes', 'stall_mid_upload', 'disconnect_mid_upload', 'no_finger', 'busy'] as const;
export type SerialFault = (typeof SERIAL_FAULTS)[number];

export interface SerialEmulatorOptions {
  /** Fingerprint images; default: the synthetic generator (drivers/synth) for `subject`. */
  source?: ImpressionSource;
  subject?: string;
  fault?: SerialFault | null;
  /** Baud the emulated sensor starts at. */
  baudRate?: number;
  /** Pace bytes at the wire rate (default true). */
  pacing?: boolean;
  /** Pace at this baud instead of the sensor's (e.g. a fast virtual wire for tests). */
  paceBaud?: number;
  /** Finger polls answered "no finger" before the finger lands, per capture (default 2). */
  fingerDelayPolls?: number;
  /** After disconnect_mid_upload, how long the device stays unplugged (default 300 ms). */
  replugDelayMs?: number;
}

export abstract class SerialEmulator {
  protected link: SerialLink | undefined;
  protected pair!: PtyPair;
  protected fault: SerialFault | null;
  protected baudRate: number;
  protected source: ImpressionSource | undefined;
  protected readonly pacer: PacedWriter;
  protected finger = 2;
  protected readonly attempts = new Map<number, number>();
  private busyHolder: SerialLink | undefined;
  private replugTimer: NodeJS.Timeout | undefined;
  private replugWake: (() => void) | undefined;
  private replugging: Promise<void> | undefined;
  private disposed = false;
  /** Commands received, by name, for tests and logs. */
  readonly received: string[] = [];

  protected constructor(
    protected readonly options: SerialEmulatorOptions,
    defaultBaud: number,
  ) {
    this.fault = options.fault ?? null;
    this.baudRate = options.baudRate ?? defaultBaud;
    this.source = options.source;
    this.pacer = new PacedWriter(
      (bytes) => this.rawWrite(bytes),
      () => (options.pacing === false ? 0 : (options.paceBaud ?? this.baudRate)),
    );
  }

  protected async boot(): Promise<void> {
    this.source ??= (await defaultImpressionSource(this.options.subject ?? 'demo-subject')).source;
    // Draw the first impression now: a generator running in the same process as a driver would otherwise stall both.
    const [w, h] = this.imageSize;
    this.readyImpression(w, h);
    await this.pending?.promise.catch(() => undefined);
    this.pair = await PtyPair.start();
    try {
      await this.attach();
      if (this.fault === 'busy') await this.setFault('busy');
    } catch (error) {
      await this.dispose();
      throw error;
    }
  }

  /** The path a driver should open. */
  get hostPath(): string {
    return this.pair.paths.hostPath;
  }

  get ptyPaths(): [string, string] {
    return this.pair.paths.ptyPaths;
  }

  get currentBaudRate(): number {
    return this.baudRate;
  }

  /** Which finger the next impressions come from (ISO position). */
  placeFinger(finger: number): void {
    // An impression already drawn for another finger is not the one now on the glass.
    if (finger !== this.finger) this.pending = undefined;
    this.finger = finger;
  }

  /**
   * A different person steps up: the next impressions come from `subject`'s synthetic fingers (drivers/synth), with
   * attempt counters reset. The kiosk's demo mode presents a fresh subject per enrollment.
   */
  async presentSubject(subject: string): Promise<void> {
    if (this.options.source) return; // a fixed image source (tests) has no people to switch between
    this.source = (await defaultImpressionSource(subject)).source;
    this.attempts.clear();
    this.pending = undefined;
  }

  async setFault(fault: SerialFault | null): Promise<void> {
    this.fault = fault;
    if (fault === 'busy' && !this.busyHolder) {
      // Another program holding the port: serialport's exclusive lock makes the driver's open fail.
      this.busyHolder = await SerialLink.open({ path: this.hostPath, baudRate: this.baudRate });
    } else if (fault !== 'busy' && this.busyHolder) {
      const holder = this.busyHolder;
      this.busyHolder = undefined;
      await holder.close();
    }
  }

  protected abstract onBytes(chunk: Buffer): void;
  /** Native image size of the emulated sensor. */
  protected abstract readonly imageSize: [number, number];
  /** A replugged USB adapter powers the sensor off and on: volatile settings return to their defaults. */
  protected powerCycle(): void {}
  /** Called when the link goes away, to abandon any upload in progress. */
  protected abstract reset(): void;

  private pending: { promise: Promise<Uint8Array>; value?: Uint8Array; failed?: boolean } | undefined;

  /**
   * Polled while the host waits for a finger: starts drawing the next impression and returns it once ready, so a
   * slow generator reads as "finger not down yet" rather than an unanswered command.
   */
  protected readyImpression(width: number, height: number): Uint8Array | undefined {
    if (!this.pending) {
      // Deferred a turn, so the answer to the current poll goes out before a (synchronous) generator runs.
      const promise = new Promise<void>((r) => setImmediate(r)).then(() => this.nextImpression(width, height));
      const slot: { promise: Promise<Uint8Array>; value?: Uint8Array; failed?: boolean } = { promise };
      slot.promise.then(
        (v) => (slot.value = v),
        () => (slot.failed = true),
      );
      this.pending = slot;
    }
    const { value, failed } = this.pending;
    if (value || failed) this.pending = undefined;
    return value;
  }

  protected async nextImpression(width: number, height: number): Promise<Uint8Array> {
    const attempt = this.attempts.get(this.finger) ?? 0;
    this.attempts.set(this.finger, attempt + 1);
    const img = await this.source!(this.finger, attempt);
    return resample(img, width, height).pixels;
  }

  private async attach(): Promise<void> {
    const link = await SerialLink.open({ path: this.pair.paths.devicePath, baudRate: this.baudRate });
    this.link = link;
    link.onData((chunk) => {
      if (this.link === link) this.onBytes(chunk);
    });
    link.onClose(() => {
      if (this.link === link) {
        this.link = undefined;
        this.reset();
      }
    });
  }

  private async rawWrite(bytes: Uint8Array): Promise<void> {
    const link = this.link;
    if (!link) return;
    await link.write(bytes).catch(() => undefined);
  }

  protected send(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.pacer.send(bytes, signal);
  }

  /** Garbage that cannot be mistaken for a header start of either protocol. */
  protected garbage(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let b = Math.floor(Math.random() * 256);
      if (b === 0xef || b === 0x55 || b === 0x5a) b = 0x00;
      out[i] = b;
    }
    return out;
  }

  /** Pulls the cable now and plugs it back after replugDelayMs. */
  protected unplugThenReplug(): void {
    const link = this.link;
    this.link = undefined;
    this.reset();
    this.replugging = (async () => {
      await this.pair.unplug();
      await link?.close();
      if (this.disposed) return;
      await new Promise<void>((r) => {
        this.replugWake = r;
        this.replugTimer = setTimeout(r, this.options.replugDelayMs ?? 300);
      });
      this.replugTimer = undefined;
      this.replugWake = undefined;
      if (this.disposed) return;
      this.powerCycle();
      await this.pair.replug();
      await this.attach();
    })().catch(() => undefined);
  }

  /** Resolves once a pending replug (after disconnect_mid_upload) has completed. */
  async whenPlugged(): Promise<void> {
    await this.replugging;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.replugTimer) clearTimeout(this.replugTimer);
    this.replugWake?.();
    this.reset();
    await this.replugging;
    const link = this.link;
    this.link = undefined;
    await link?.close();
    await this.busyHolder?.close();
    this.busyHolder = undefined;
    await this.pair?.dispose();
  }
}

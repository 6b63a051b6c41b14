// GT-511C3 fingerprint module driver over a serial port. Protocol: /work/shared/docs/devices.md.
// Capture: CmosLed on, poll IsPressFinger, CaptureFinger, GetImage (258 × 202 × 8 bit in one data packet), LED off.
// GetImage is 52 KB: at the power-on 9600 baud that is ~54 s, so the driver switches to `transferBaudRate` first.
import { CaptureCancelledError, DeviceBusyError, DeviceDisposedError, DeviceReportedError, DeviceTimeoutError, NoFingerError, ProtocolError, UnsupportedError } from '../errors.js';
import { ProgressHub, isFingerPosition, type CaptureOptions, type CaptureProgress, type CaptureResult, type DeviceInfo, type FingerImage, type FingerprintDevice } from '../device.js';
import { SerialLink } from '../serial/link.js';
import { waitForQuiet } from '../serial/quiet.js';
import { Receiver, sleep } from '../serial/receiver.js';
import { ACK, BAUD_RATES, DEVINFO_BYTES, IMAGE_BYTES, IMAGE_HEIGHT, IMAGE_WIDTH, NACK, NACK_CODE, NACK_TEXT, commands, decodeDeviceInfo, type GtDeviceInfo, type GtPacket } from './packet.js';
import { GtParser } from './parser.js';

export interface Gt511c3Options {
  path: string;
  /** Baud the module is at now (power-on: 9600). */
  baudRate?: number;
  /** Baud for the session (ChangeBaudrate after Open). Default 115200; equal to baudRate to stay put. */
  transferBaudRate?: number;
  /** Idle time (no byte received) after which a command counts as unanswered. Default 1500 ms. */
  responseTimeoutMs?: number;
  pollIntervalMs?: number;
  /** CaptureFinger parameter ≠ 0: slower, best image (default true). */
  bestImage?: boolean;
}

type Item = { kind: 'packet'; packet: GtPacket } | { kind: 'data'; data: Uint8Array };

export class Gt511c3Device implements FingerprintDevice {
  readonly kind = 'gt511c3' as const;
  private link: SerialLink | undefined;
  private readonly parser = new GtParser();
  private receiver = new Receiver<Item>();
  private readonly progress = new ProgressHub();
  private knownBaud: number;
  private devInfo: GtDeviceInfo | undefined;
  private busy = false;
  private disposed = false;
  private readonly idleMs: number;
  private readonly pollMs: number;
  private progressHook: (() => void) | undefined;

  constructor(private readonly options: Gt511c3Options) {
    this.knownBaud = options.baudRate ?? 9600;
    this.idleMs = options.responseTimeoutMs ?? 1500;
    this.pollMs = options.pollIntervalMs ?? 80;
  }

  onProgress(listener: (event: CaptureProgress) => void): () => void {
    return this.progress.add(listener);
  }

  get resyncedBytes(): number {
    return this.parser.garbageBytes;
  }

  get currentBaudRate(): number {
    return this.knownBaud;
  }

  async info(options: { signal?: AbortSignal } = {}): Promise<DeviceInfo> {
    return this.exclusive(async () => {
      await this.ensureOpen(options.signal);
      const d = this.devInfo;
      return {
        kind: 'gt511c3',
        address: this.options.path,
        model: 'GT-511C3',
        ...(d ? { serialNumber: d.serialNumber, firmware: `0x${d.firmwareVersion.toString(16)}` } : {}),
        imageWidth: IMAGE_WIDTH,
        imageHeight: IMAGE_HEIGHT,
        ppi: 450,
        positions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        details: { baudRate: this.knownBaud, isoAreaMaxSize: d?.isoAreaMaxSize },
      };
    }, options.signal);
  }

  async capture(options: CaptureOptions): Promise<CaptureResult> {
    for (const p of options.positions) if (!isFingerPosition(p) || p > 10) throw new UnsupportedError(`GT-511C3 captures single fingers (positions 0..10), not ${p}`, { details: { position: p } });
    return this.exclusive(async () => {
      const before = this.parser.garbageBytes;
      await this.ensureOpen(options.signal);
      const images: FingerImage[] = [];
      try {
        for (const position of options.positions) images.push(await this.captureOne(position, options));
      } finally {
        // Not tied to the caller's signal: the light goes off even after a cancel.
        if (this.link?.isOpen) await this.request(commands.cmosLed(false), 'CmosLed').catch(() => undefined);
      }
      return { images, resyncedBytes: this.parser.garbageBytes - before };
    }, options.signal);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.receiver.fail(new DeviceDisposedError());
    await this.release();
  }

  private async exclusive<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.disposed) throw new DeviceDisposedError();
    if (signal?.aborted) throw new CaptureCancelledError();
    if (this.busy) throw new DeviceBusyError('The GT-511C3 driver is already running a command');
    this.busy = true;
    try {
      return await fn();
    } finally {
      await this.release();
      this.busy = false;
    }
  }

  private async release(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.parser.reset();
    if (link) await link.close();
  }

  private async openAt(baudRate: number): Promise<void> {
    const link = await SerialLink.open({ path: this.options.path, baudRate });
    this.link = link;
    await link.flush();
    await waitForQuiet(link);
    this.parser.reset();
    this.receiver = new Receiver<Item>();
    link.onData((chunk) => {
      if (this.link !== link) return;
      this.receiver.touch();
      for (const ev of this.parser.push(chunk)) {
        if (ev.type === 'packet') this.receiver.push({ kind: 'packet', packet: ev.packet });
        else if (ev.type === 'data') this.receiver.push({ kind: 'data', data: ev.data });
        else this.receiver.pushError(ev.error);
      }
      this.progressHook?.();
    });
    link.onClose((error) => {
      if (this.link === link && error) this.receiver.fail(error);
    });
  }

  private async ensureOpen(signal?: AbortSignal): Promise<void> {
    // The module may still be at the session baud from an earlier run (it keeps it until power-off).
    const transfer = this.options.transferBaudRate ?? 115200;
    const bauds = [...new Set([this.knownBaud, this.options.baudRate ?? 9600, transfer])];
    let lastError: unknown;
    for (const baud of bauds) {
      try {
        await this.openAt(baud);
        this.parser.expectData(DEVINFO_BYTES);
        await this.expectAck(commands.open(true), 'Open', signal);
        // A late acknowledge from an interrupted session may still arrive here: skip responses until the data.
        let info = await this.next('Open (device info)', signal);
        for (let stale = 0; info.kind !== 'data'; stale++) {
          if (stale >= 4) throw new ProtocolError('GT-511C3 Open: expected a device-info data packet');
          info = await this.next('Open (device info)', signal);
        }
        this.devInfo = decodeDeviceInfo(info.data);
        this.knownBaud = baud;
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        await this.release();
        if (!(error instanceof DeviceTimeoutError)) throw error;
      }
    }
    if (lastError) throw lastError;
    if (transfer !== this.knownBaud) {
      if (!(BAUD_RATES as readonly number[]).includes(transfer)) throw new UnsupportedError(`GT-511C3 cannot run at ${transfer} baud`);
      await this.expectAck(commands.changeBaudrate(transfer), 'ChangeBaudrate', signal);
      await this.link!.setBaudRate(transfer);
      this.knownBaud = transfer;
    }
  }

  private timeoutError(what: string): () => Error {
    return () => {
      const [got, total] = this.parser.dataProgress();
      if (total > 0) return new DeviceTimeoutError(`GT-511C3 stopped sending during ${what} (${got} of ${total} bytes)`, { details: { received: got, expected: total } });
      const pending = this.parser.pending();
      return pending.length > 0
        ? new ProtocolError(`GT-511C3 ${what}: truncated packet (${pending.length} bytes, then silence)`, pending)
        : new DeviceTimeoutError(`GT-511C3 did not answer ${what} within ${this.idleMs} ms`, { details: { path: this.options.path } });
    };
  }

  private next(what: string, signal?: AbortSignal): Promise<Item> {
    return this.receiver.next({ idleMs: this.idleMs, signal, onTimeout: this.timeoutError(what) });
  }

  /** Sends a command and returns its response packet (ACK or NACK). */
  private async request(bytes: Uint8Array, what: string, signal?: AbortSignal): Promise<GtPacket> {
    await this.link!.write(bytes);
    for (;;) {
      const item = await this.next(what, signal);
      if (item.kind === 'packet') {
        if (item.packet.code !== ACK && item.packet.code !== NACK) throw new ProtocolError(`GT-511C3 ${what}: response code 0x${item.packet.code.toString(16)} is neither ACK nor NACK`);
        return item.packet;
      }
    }
  }

  private async expectAck(bytes: Uint8Array, what: string, signal?: AbortSignal): Promise<GtPacket> {
    const r = await this.request(bytes, what, signal);
    if (r.code === NACK) throw new DeviceReportedError(`GT-511C3 ${what} failed: ${NACK_TEXT[r.parameter] ?? `0x${r.parameter.toString(16)}`}`, r.parameter);
    return r;
  }

  private async captureOne(position: number, options: CaptureOptions): Promise<FingerImage> {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? 20_000;
    const emit = (event: CaptureProgress) => this.progress.emit(event, options.onProgress);
    const t0 = performance.now();
    await this.expectAck(commands.cmosLed(true), 'CmosLed', signal);
    emit({ phase: 'waiting_for_finger', position });
    for (;;) {
      const pressed = await this.expectAck(commands.isPressFinger(), 'IsPressFinger', signal);
      if (pressed.parameter === 0) {
        const r = await this.request(commands.captureFinger(this.options.bestImage ?? true), 'CaptureFinger', signal);
        if (r.code === ACK) break;
        if (r.parameter !== NACK_CODE.fingerIsNotPressed && r.parameter !== NACK_CODE.badFinger && r.parameter !== NACK_CODE.badFingerDatasheet)
          throw new DeviceReportedError(`GT-511C3 CaptureFinger failed: ${NACK_TEXT[r.parameter] ?? `0x${r.parameter.toString(16)}`}`, r.parameter);
      }
      if (performance.now() - t0 > timeoutMs) throw new NoFingerError(`No finger on the GT-511C3 within ${timeoutMs} ms`, { details: { timeoutMs } });
      await sleep(this.pollMs, signal);
    }
    const t1 = performance.now();
    emit({ phase: 'finger_detected', position });
    this.parser.expectData(IMAGE_BYTES);
    await this.expectAck(commands.getImage(), 'GetImage', signal);
    let lastPercent = -1;
    this.progressHook = () => {
      const [got, total] = this.parser.dataProgress();
      if (total === 0) return;
      const percent = Math.floor((got / total) * 100);
      if (percent !== lastPercent) {
        lastPercent = percent;
        emit({ phase: 'uploading', position, percent });
      }
    };
    emit({ phase: 'uploading', position, percent: 0 });
    let item: Item;
    try {
      item = await this.next('GetImage (data)', signal);
    } finally {
      this.progressHook = undefined;
    }
    if (item.kind !== 'data' || item.data.length !== IMAGE_BYTES) throw new ProtocolError('GT-511C3 GetImage: expected the image data packet');
    const t2 = performance.now();
    emit({ phase: 'uploading', position, percent: 100 });
    emit({ phase: 'done', position });
    return {
      width: IMAGE_WIDTH,
      height: IMAGE_HEIGHT,
      ppi: 450,
      pixels: item.data,
      position,
      timing: { waitMs: t1 - t0, uploadMs: t2 - t1, totalMs: t2 - t0, bytes: IMAGE_BYTES + 6 + 12 },
    };
  }
}

// R30x fingerprint sensor driver over a serial port (serialport). Protocol: /work/shared/docs/devices.md.
// A capture polls GenImg until a finger is on the sensor, then UpImage streams 36,864 bytes of 4-bit pixels.
// On cancel, timeout, protocol error or unplug the port is released; the next call reopens and handshakes again.
import {
  CaptureCancelledError,
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceDisposedError,
  DeviceReportedError,
  DeviceTimeoutError,
  NoFingerError,
  ProtocolError,
  UnsupportedError,
} from '../errors.js';
import { ProgressHub, isFingerPosition, type CaptureOptions, type CaptureProgress, type CaptureResult, type DeviceInfo, type FingerImage, type FingerprintDevice } from '../device.js';
import { SerialLink } from '../serial/link.js';
import { waitForQuiet } from '../serial/quiet.js';
import { Receiver, sleep } from '../serial/receiver.js';
import { unpackNibbles } from './image.js';
import { CONFIRM, CONFIRM_TEXT, DEFAULT_ADDRESS, IMAGE_BYTES, IMAGE_HEIGHT, IMAGE_WIDTH, PID, commands, decodeSystemParameters, type R30xPacket, type SystemParameters } from './packet.js';
import { R30xParser } from './parser.js';

export interface R30xOptions {
  path: string;
  /** Baud the sensor is at now (default 57600). */
  baudRate?: number;
  /** When set, SetSysPara(4) switches the sensor to this baud after the handshake (9600 × N, N = 1..12). */
  targetBaudRate?: number;
  /** When set, SetSysPara(6) selects this UpImage data packet size (32/64/128/256). */
  packetSize?: 32 | 64 | 128 | 256;
  address?: number;
  password?: number;
  /** Idle time (no byte received) after which a command counts as unanswered. Default 1500 ms. */
  responseTimeoutMs?: number;
  /** Pause between GenImg polls. Default 80 ms. */
  pollIntervalMs?: number;
  /** 'aura' (R503, command 0x35), 'basic' (0x50/0x51) or 'none' (default). */
  led?: 'aura' | 'basic' | 'none';
  /** Keep the port open between calls (default false: the port is held only during a call, so other programs may use it). */
  keepOpen?: boolean;
}

const AURA = { breathing: 1, flashing: 2, on: 3, off: 4 } as const;
const COLOUR = { red: 1, blue: 2, purple: 3 } as const;

export class R30xDevice implements FingerprintDevice {
  readonly kind = 'r30x' as const;
  private link: SerialLink | undefined;
  private readonly parser = new R30xParser();
  private receiver = new Receiver<R30xPacket>();
  private readonly progress = new ProgressHub();
  private params: SystemParameters | undefined;
  private knownBaud: number;
  private busy = false;
  private disposed = false;
  private readonly address: number;
  private readonly idleMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: R30xOptions) {
    this.knownBaud = options.baudRate ?? 57600;
    this.address = options.address ?? DEFAULT_ADDRESS;
    this.idleMs = options.responseTimeoutMs ?? 1500;
    this.pollMs = options.pollIntervalMs ?? 80;
  }

  onProgress(listener: (event: CaptureProgress) => void): () => void {
    return this.progress.add(listener);
  }

  /** Total bytes the parser skipped while resynchronising since this driver was created. */
  get resyncedBytes(): number {
    return this.parser.garbageBytes;
  }

  get systemParameters(): SystemParameters | undefined {
    return this.params;
  }

  get isOpen(): boolean {
    return this.link?.isOpen ?? false;
  }

  async info(options: { signal?: AbortSignal } = {}): Promise<DeviceInfo> {
    return this.exclusive(async () => {
      await this.ensureOpen(options.signal);
      const p = this.params!;
      return {
        kind: 'r30x',
        address: this.options.path,
        model: 'R30x',
        imageWidth: IMAGE_WIDTH,
        imageHeight: IMAGE_HEIGHT,
        ppi: 500,
        positions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        details: { baudRate: p.baudRate, packetSize: p.packetSize, librarySize: p.librarySize, securityLevel: p.securityLevel, systemId: p.systemId },
      };
    }, options.signal);
  }

  async capture(options: CaptureOptions): Promise<CaptureResult> {
    for (const p of options.positions) if (!isFingerPosition(p) || p > 10) throw new UnsupportedError(`R30x captures single fingers (positions 0..10), not ${p}`, { details: { position: p } });
    return this.exclusive(async () => {
      const garbageBefore = this.parser.garbageBytes;
      await this.ensureOpen(options.signal);
      const images: FingerImage[] = [];
      for (const position of options.positions) images.push(await this.captureOne(position, options));
      return { images, resyncedBytes: this.parser.garbageBytes - garbageBefore };
    }, options.signal);
  }

  /** Switches the sensor's baud (SetSysPara 4) and then the port's. */
  async setBaudRate(baud: number, signal?: AbortSignal): Promise<void> {
    await this.exclusive(async () => {
      await this.ensureOpen(signal);
      await this.switchBaud(baud, signal);
    }, signal);
  }

  /** Sets the UpImage data packet size (SetSysPara 6). */
  async setPacketSize(bytes: 32 | 64 | 128 | 256, signal?: AbortSignal): Promise<void> {
    await this.exclusive(async () => {
      await this.ensureOpen(signal);
      await this.expectOk(commands.setPacketSize(bytes, this.address), 'SetSysPara(packet size)', signal);
      if (this.params) this.params.packetSize = bytes;
    }, signal);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.receiver.fail(new DeviceDisposedError());
    await this.release();
  }

  // ---- internals ----

  private async exclusive<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.disposed) throw new DeviceDisposedError();
    if (signal?.aborted) throw new CaptureCancelledError();
    if (this.busy) throw new DeviceBusyError('The R30x driver is already running a command');
    this.busy = true;
    try {
      return await fn();
    } catch (error) {
      // Anything but "no finger" may leave bytes in flight: release the port so the next call starts clean.
      if (!(error instanceof NoFingerError)) await this.release();
      throw error;
    } finally {
      if (!this.options.keepOpen) await this.release();
      this.busy = false;
    }
  }

  private async release(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.parser.reset();
    this.receiver.clear();
    if (link) await link.close();
  }

  private async openAt(baudRate: number): Promise<void> {
    const link = await SerialLink.open({ path: this.options.path, baudRate });
    this.link = link;
    await link.flush();
    await waitForQuiet(link);
    this.parser.reset();
    // A fresh receiver: a disconnect error from the previous link must not stick to this one.
    this.receiver = new Receiver<R30xPacket>();
    link.onData((chunk) => {
      if (this.link !== link) return;
      this.receiver.touch();
      for (const ev of this.parser.push(chunk)) {
        if (ev.type === 'packet') this.receiver.push(ev.packet);
        else this.receiver.pushError(ev.error);
      }
    });
    link.onClose((error) => {
      if (this.link === link && error) this.receiver.fail(error);
    });
  }

  private async ensureOpen(signal?: AbortSignal): Promise<void> {
    if (this.link?.isOpen) return;
    await this.release();
    const bauds = [...new Set([this.knownBaud, this.options.baudRate ?? 57600])];
    let lastError: unknown;
    for (const baud of bauds) {
      try {
        await this.openAt(baud);
        await this.handshake(signal);
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
    const target = this.options.targetBaudRate;
    if (target && target !== this.knownBaud) await this.switchBaud(target, signal);
    if (this.options.packetSize && this.params && this.params.packetSize !== this.options.packetSize) {
      await this.expectOk(commands.setPacketSize(this.options.packetSize, this.address), 'SetSysPara(packet size)', signal);
      this.params.packetSize = this.options.packetSize;
    }
  }

  private async handshake(signal?: AbortSignal): Promise<void> {
    const pw = await this.command(commands.vfyPwd(this.options.password ?? 0, this.address), 'VfyPwd', signal);
    if (pw !== CONFIRM.ok) throw new DeviceReportedError(`R30x refused the password (code ${pw})`, pw);
    const ack = await this.commandFull(commands.readSysPara(this.address), 'ReadSysPara', signal);
    const params = decodeSystemParameters(ack.payload);
    if (ack.payload[0] !== CONFIRM.ok || !params) throw new ProtocolError('R30x ReadSysPara answer is malformed', ack.payload);
    this.params = params;
  }

  private async switchBaud(baud: number, signal?: AbortSignal): Promise<void> {
    await this.expectOk(commands.setBaud(baud, this.address), 'SetSysPara(baud)', signal);
    await this.link!.setBaudRate(baud);
    this.knownBaud = baud;
    if (this.params) this.params.baudRate = baud;
  }

  private timeoutError(what: string): () => Error {
    return () => {
      const pending = this.parser.pending();
      return pending.length > 0
        ? new ProtocolError(`R30x ${what}: truncated packet (${pending.length} bytes, then silence)`, pending)
        : new DeviceTimeoutError(`R30x did not answer ${what} within ${this.idleMs} ms`, { details: { path: this.options.path } });
    };
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (!this.link) throw new DeviceDisconnectedError();
    await this.link.write(bytes);
  }

  /** Sends a command and returns its acknowledge packet; data packets still in flight from an earlier upload are skipped. */
  private async commandFull(bytes: Uint8Array, what: string, signal?: AbortSignal): Promise<R30xPacket> {
    await this.write(bytes);
    for (;;) {
      const packet = await this.receiver.next({ idleMs: this.idleMs, signal, onTimeout: this.timeoutError(what) });
      if (packet.pid === PID.ack) {
        if (packet.payload.length < 1) throw new ProtocolError(`R30x ${what}: empty acknowledge`, packet.payload);
        return packet;
      }
    }
  }

  private async command(bytes: Uint8Array, what: string, signal?: AbortSignal): Promise<number> {
    return (await this.commandFull(bytes, what, signal)).payload[0]!;
  }

  private async expectOk(bytes: Uint8Array, what: string, signal?: AbortSignal): Promise<void> {
    const code = await this.command(bytes, what, signal);
    if (code !== CONFIRM.ok) throw new DeviceReportedError(`R30x ${what} failed: ${CONFIRM_TEXT[code] ?? `code 0x${code.toString(16)}`}`, code);
  }

  private async led(state: 'waiting' | 'captured' | 'off', signal?: AbortSignal): Promise<void> {
    const mode = this.options.led ?? 'none';
    if (mode === 'none') return;
    const bytes =
      mode === 'aura'
        ? state === 'waiting'
          ? commands.auraLed(AURA.breathing, 0x80, COLOUR.blue, 0, this.address)
          : state === 'captured'
            ? commands.auraLed(AURA.on, 0, COLOUR.purple, 0, this.address)
            : commands.auraLed(AURA.off, 0, COLOUR.blue, 0, this.address)
        : state === 'off'
          ? commands.ledOff(this.address)
          : commands.ledOn(this.address);
    // Models without the LED command answer with an error code; the capture goes on without light.
    await this.command(bytes, 'LED', signal);
  }

  private async captureOne(position: number, options: CaptureOptions): Promise<FingerImage> {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? 20_000;
    const emit = (event: CaptureProgress) => this.progress.emit(event, options.onProgress);
    const t0 = performance.now();
    await this.led('waiting', signal);
    emit({ phase: 'waiting_for_finger', position });
    for (;;) {
      const code = await this.command(commands.genImg(this.address), 'GenImg', signal);
      if (code === CONFIRM.ok) break;
      if (code !== CONFIRM.noFinger && code !== CONFIRM.enrollFailed && code !== CONFIRM.packetReceiveError)
        throw new DeviceReportedError(`R30x GenImg failed: ${CONFIRM_TEXT[code] ?? `code 0x${code.toString(16)}`}`, code);
      if (performance.now() - t0 > timeoutMs) {
        await this.led('off', signal).catch(() => undefined);
        throw new NoFingerError(`No finger on the R30x within ${timeoutMs} ms`, { details: { timeoutMs } });
      }
      await sleep(this.pollMs, signal);
    }
    const t1 = performance.now();
    emit({ phase: 'finger_detected', position });
    await this.led('captured', signal);
    const code = await this.command(commands.upImage(this.address), 'UpImage', signal);
    if (code !== CONFIRM.ok) throw new DeviceReportedError(`R30x UpImage failed: ${CONFIRM_TEXT[code] ?? `code 0x${code.toString(16)}`}`, code);
    const packed = new Uint8Array(IMAGE_BYTES);
    let received = 0;
    let wire = 0;
    let lastPercent = -1;
    emit({ phase: 'uploading', position, percent: 0 });
    for (;;) {
      const packet = await this.receiver.next({ idleMs: this.idleMs, signal, onTimeout: this.timeoutError('UpImage (data)') });
      if (packet.pid !== PID.data && packet.pid !== PID.endData) throw new ProtocolError(`R30x UpImage: unexpected packet id 0x${packet.pid.toString(16)}`, packet.payload);
      if (received + packet.payload.length > IMAGE_BYTES) throw new ProtocolError('R30x UpImage: more image data than 256 × 288 × 4 bits', packet.payload.subarray(0, 32));
      packed.set(packet.payload, received);
      received += packet.payload.length;
      wire += packet.payload.length + 11;
      const percent = Math.floor((received / IMAGE_BYTES) * 100);
      if (percent !== lastPercent && packet.pid === PID.data) {
        lastPercent = percent;
        emit({ phase: 'uploading', position, percent });
      }
      if (packet.pid === PID.endData) break;
    }
    if (received !== IMAGE_BYTES) throw new ProtocolError(`R30x UpImage: got ${received} of ${IMAGE_BYTES} image bytes`, packed.subarray(0, 0));
    await this.led('off', signal);
    const t2 = performance.now();
    emit({ phase: 'uploading', position, percent: 100 });
    emit({ phase: 'done', position });
    return {
      width: IMAGE_WIDTH,
      height: IMAGE_HEIGHT,
      ppi: 500,
      pixels: unpackNibbles(packed),
      position,
      timing: { waitMs: t1 - t0, uploadMs: t2 - t1, totalMs: t2 - t0, bytes: wire },
    };
  }
}

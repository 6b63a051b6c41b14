// An R30x sensor on the device end of a pty pair, speaking the protocol of /work/shared/docs/devices.md.
import { R30xParser } from '../r30x/parser.js';
import { packNibbles } from '../r30x/image.js';
import {
  CMD,
  CONFIRM,
  DEFAULT_ADDRESS,
  IMAGE_HEIGHT,
  IMAGE_WIDTH,
  PACKET_SIZES,
  PID,
  SYS_PARAM,
  encodePacket,
  encodeSystemParameters,
} from '../r30x/packet.js';
import { SerialEmulator, type SerialEmulatorOptions } from './serial-emulator.js';

export interface R30xEmulatorOptions extends SerialEmulatorOptions {
  password?: number;
  address?: number;
  packetSize?: 32 | 64 | 128 | 256;
  /** 'r503' answers the aura LED command (0x35); 'r307' answers 0x50/0x51 but not 0x35. Default 'r503'. */
  model?: 'r503' | 'r307';
}

const WRONG_PASSWORD = 0x13;
const INVALID_REGISTER = 0x1a;

export class R30xEmulator extends SerialEmulator {
  protected readonly imageSize: [number, number] = [IMAGE_WIDTH, IMAGE_HEIGHT];
  private readonly parser = new R30xParser();
  private readonly address: number;
  private readonly password: number;
  private packetSize: number;
  private securityLevel = 3;
  private image: Uint8Array | undefined;
  private pollsThisCapture = 0;
  private upload: AbortController | undefined;
  /** Queue so that acks go out in order. */
  private chain: Promise<void> = Promise.resolve();
  /** Last aura LED setting (control, speed, colour, count), or 'on'/'off' for the basic LED. */
  led: number[] | 'on' | 'off' = 'off';

  private constructor(private readonly r30x: R30xEmulatorOptions) {
    super(r30x, 57600);
    this.address = r30x.address ?? DEFAULT_ADDRESS;
    this.password = r30x.password ?? 0;
    this.packetSize = r30x.packetSize ?? 128;
  }

  static async start(options: R30xEmulatorOptions = {}): Promise<R30xEmulator> {
    const emu = new R30xEmulator(options);
    await emu.boot();
    return emu;
  }

  get currentPacketSize(): number {
    return this.packetSize;
  }

  protected reset(): void {
    this.upload?.abort();
    this.upload = undefined;
    this.parser.reset();
  }

  protected onBytes(chunk: Buffer): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'error') this.enqueue(() => this.ack(CONFIRM.packetReceiveError));
      else if (ev.packet.pid === PID.command && ev.packet.payload.length > 0) {
        // A new command abandons an upload still in progress (e.g. after the host gave up on a stalled one).
        this.upload?.abort();
        const payload = ev.packet.payload;
        this.enqueue(() => this.handle(payload));
      }
    }
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch(() => undefined);
  }

  private packet(pid: number, payload: Uint8Array): Uint8Array {
    return encodePacket(pid, payload, this.address);
  }

  private async ack(code: number, extra: number[] | Uint8Array = []): Promise<void> {
    const payload = Uint8Array.from([code, ...extra]);
    if (this.fault === 'garbage_bytes') await this.send(this.garbage(7));
    await this.send(this.packet(PID.ack, payload));
  }

  private async handle(payload: Uint8Array): Promise<void> {
    const cmd = payload[0]!;
    const name = Object.entries(CMD).find(([, v]) => v === cmd)?.[0] ?? `0x${cmd.toString(16)}`;
    this.received.push(name);
    switch (cmd) {
      case CMD.vfyPwd: {
        const pw = payload.length >= 5 ? ((payload[1]! << 24) | (payload[2]! << 16) | (payload[3]! << 8) | payload[4]!) >>> 0 : -1;
        return this.ack(pw === this.password ? CONFIRM.ok : WRONG_PASSWORD);
      }
      case CMD.readSysPara:
        return this.ack(
          CONFIRM.ok,
          encodeSystemParameters({ statusRegister: 0, systemId: 0x0009, librarySize: 200, securityLevel: this.securityLevel, address: this.address, packetSize: this.packetSize, baudRate: this.baudRate }),
        );
      case CMD.setSysPara: {
        const param = payload[1];
        const value = payload[2] ?? 0;
        if (param === SYS_PARAM.baud && value >= 1 && value <= 12) {
          await this.ack(CONFIRM.ok);
          this.baudRate = value * 9600;
          return;
        }
        if (param === SYS_PARAM.packetSize && value <= 3) {
          this.packetSize = PACKET_SIZES[value]!;
          return this.ack(CONFIRM.ok);
        }
        if (param === SYS_PARAM.securityLevel && value >= 1 && value <= 5) {
          this.securityLevel = value;
          return this.ack(CONFIRM.ok);
        }
        return this.ack(INVALID_REGISTER);
      }
      case CMD.genImg: {
        if (this.fault === 'no_finger') return this.ack(CONFIRM.noFinger);
        this.pollsThisCapture++;
        if (this.pollsThisCapture <= (this.options.fingerDelayPolls ?? 2)) {
          this.readyImpression(IMAGE_WIDTH, IMAGE_HEIGHT);
          return this.ack(CONFIRM.noFinger);
        }
        const pixels = this.readyImpression(IMAGE_WIDTH, IMAGE_HEIGHT);
        if (!pixels) return this.ack(CONFIRM.noFinger);
        this.image = packNibbles(pixels);
        return this.ack(CONFIRM.ok);
      }
      case CMD.upImage: {
        if (!this.image) return this.ack(CONFIRM.cannotUploadImage);
        await this.ack(CONFIRM.ok);
        const controller = new AbortController();
        this.upload = controller;
        const image = this.image;
        this.pollsThisCapture = 0;
        // Not awaited: later commands must be able to interrupt the stream.
        void this.streamImage(image, controller.signal);
        return;
      }
      case CMD.auraLedConfig:
        if (this.r30x.model === 'r307') return this.ack(CONFIRM.packetReceiveError);
        this.led = Array.from(payload.subarray(1, 5));
        return this.ack(CONFIRM.ok);
      case CMD.ledOn:
      case CMD.ledOff:
        this.led = cmd === CMD.ledOn ? 'on' : 'off';
        return this.ack(CONFIRM.ok);
      default:
        return this.ack(CONFIRM.packetReceiveError);
    }
  }

  private async streamImage(image: Uint8Array, signal: AbortSignal): Promise<void> {
    const size = this.packetSize;
    const count = Math.ceil(image.length / size);
    const mid = Math.floor(count / 2);
    for (let i = 0; i < count; i++) {
      if (signal.aborted) return;
      const last = i === count - 1;
      const bytes = this.packet(last ? PID.endData : PID.data, image.subarray(i * size, (i + 1) * size));
      if (i === mid) {
        switch (this.fault) {
          case 'wrong_checksum':
            bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
            break;
          case 'truncated_packet':
            await this.send(bytes.subarray(0, bytes.length >> 1), signal);
            return;
          case 'stall_mid_upload':
            return;
          case 'disconnect_mid_upload':
            this.unplugThenReplug();
            return;
          case 'garbage_bytes':
            await this.send(this.garbage(13), signal);
            break;
          default:
            break;
        }
      }
      await this.send(bytes, signal);
    }
  }
}

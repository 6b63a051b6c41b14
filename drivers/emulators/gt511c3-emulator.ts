// A GT-511C3 module on the device end of a pty pair, speaking the protocol of /work/shared/docs/devices.md.
import { ACK, BAUD_RATES, CMD, IMAGE_HEIGHT, IMAGE_WIDTH, NACK, NACK_CODE, RAW_HEIGHT, RAW_WIDTH, encodeData, encodeDeviceInfo, encodePacket } from '../gt511c3/packet.js';
import { GtParser } from '../gt511c3/parser.js';
import { resample } from './impression.js';
import { SerialEmulator, type SerialEmulatorOptions } from './serial-emulator.js';

export type Gt511c3EmulatorOptions = SerialEmulatorOptions;

export class Gt511c3Emulator extends SerialEmulator {
  protected readonly imageSize: [number, number] = [IMAGE_WIDTH, IMAGE_HEIGHT];
  private readonly parser = new GtParser();
  private opened = false;
  private ledOn = false;
  private image: Uint8Array | undefined;
  /** The impression of the finger now on the sensor (drawn while the host polls). */
  private staged: Uint8Array | undefined;
  private pollsThisCapture = 0;
  private upload: AbortController | undefined;
  private chain: Promise<void> = Promise.resolve();

  private constructor(options: Gt511c3EmulatorOptions) {
    super(options, 9600);
  }

  static async start(options: Gt511c3EmulatorOptions = {}): Promise<Gt511c3Emulator> {
    const emu = new Gt511c3Emulator(options);
    await emu.boot();
    return emu;
  }

  get led(): boolean {
    return this.ledOn;
  }

  protected reset(): void {
    this.upload?.abort();
    this.upload = undefined;
    this.parser.reset();
  }

  protected override powerCycle(): void {
    this.opened = false;
    this.ledOn = false;
    this.baudRate = this.options.baudRate ?? 9600;
  }

  protected onBytes(chunk: Buffer): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'packet') {
        this.upload?.abort();
        const { parameter, code } = ev.packet;
        this.chain = this.chain.then(() => this.handle(code, parameter)).catch(() => undefined);
      } else if (ev.type === 'error') {
        this.chain = this.chain.then(() => this.respond(NACK, NACK_CODE.commErr)).catch(() => undefined);
      }
    }
  }

  private async respond(code: number, parameter: number, signal?: AbortSignal): Promise<void> {
    if (this.fault === 'garbage_bytes') await this.send(this.garbage(5), signal);
    await this.send(encodePacket(parameter, code), signal);
  }

  private async handle(code: number, parameter: number): Promise<void> {
    const name = Object.entries(CMD).find(([, v]) => v === code)?.[0] ?? `0x${code.toString(16)}`;
    this.received.push(name);
    if (!this.opened && code !== CMD.open) return this.respond(NACK, NACK_CODE.devErr);
    switch (code) {
      case CMD.open: {
        this.opened = true;
        await this.respond(ACK, 0);
        if (parameter !== 0) {
          const serial = new Uint8Array(16).map((_, i) => (i * 37 + 11) & 0xff);
          await this.send(encodeData(encodeDeviceInfo({ firmwareVersion: 0x20120714, isoAreaMaxSize: 0x0fa0, serial })));
        }
        return;
      }
      case CMD.close:
        this.opened = false;
        return this.respond(ACK, 0);
      case CMD.changeBaudrate:
        if (!(BAUD_RATES as readonly number[]).includes(parameter)) return this.respond(NACK, NACK_CODE.invalidBaudrate);
        await this.respond(ACK, 0);
        this.baudRate = parameter;
        return;
      case CMD.cmosLed:
        this.ledOn = parameter !== 0;
        return this.respond(ACK, 0);
      case CMD.isPressFinger: {
        // The module sees a finger only with its backlight on.
        let pressed = this.ledOn && this.fault !== 'no_finger' && ++this.pollsThisCapture > (this.options.fingerDelayPolls ?? 2);
        if (this.ledOn && this.fault !== 'no_finger') {
          this.staged ??= this.readyImpression(IMAGE_WIDTH, IMAGE_HEIGHT);
          pressed &&= this.staged !== undefined;
        }
        return this.respond(ACK, pressed ? 0 : 1);
      }
      case CMD.captureFinger:
        if (!this.ledOn || this.fault === 'no_finger' || this.pollsThisCapture <= (this.options.fingerDelayPolls ?? 2) || !this.staged) return this.respond(NACK, NACK_CODE.fingerIsNotPressed);
        this.image = this.staged;
        this.staged = undefined;
        this.pollsThisCapture = 0;
        return this.respond(ACK, 0);
      case CMD.getImage:
      case CMD.getRawImage: {
        if (!this.image) return this.respond(NACK, NACK_CODE.invalidParam);
        if (this.fault === 'truncated_packet') {
          const ack = encodePacket(0, ACK);
          await this.send(ack.subarray(0, 7));
          return;
        }
        await this.respond(ACK, 0);
        const data = code === CMD.getImage ? this.image : resample({ width: IMAGE_WIDTH, height: IMAGE_HEIGHT, pixels: this.image }, RAW_WIDTH, RAW_HEIGHT).pixels;
        const controller = new AbortController();
        this.upload = controller;
        void this.streamData(encodeData(data), controller.signal);
        return;
      }
      default:
        return this.respond(NACK, NACK_CODE.isNotSupported);
    }
  }

  private async streamData(packet: Uint8Array, signal: AbortSignal): Promise<void> {
    const mid = packet.length >> 1;
    switch (this.fault) {
      case 'wrong_checksum':
        packet[packet.length - 1] = packet[packet.length - 1]! ^ 0x5a;
        break;
      case 'stall_mid_upload':
        await this.send(packet.subarray(0, mid), signal);
        return;
      case 'disconnect_mid_upload':
        await this.send(packet.subarray(0, mid), signal);
        if (!signal.aborted) this.unplugThenReplug();
        return;
      default:
        break;
    }
    await this.send(packet, signal);
  }
}

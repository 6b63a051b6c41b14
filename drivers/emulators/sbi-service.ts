// An emulated MOSIP SBI device service on 127.0.0.1 (4501–4600). Node's HTTP server rejects unknown methods
// (MOSIPDISC, RCAPTURE…), so this speaks minimal HTTP/1.1 over node:net. Responses are signed like a real
// device's: JWS RS256 with the device certificate chain in x5c, from a CA generated at start (drivers/sbi/x509.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { FINGER_POSITION_NAMES } from '../device.js';
import { DeviceNotFoundError } from '../errors.js';
import { chainHash } from '../sbi/hash-chain.js';
import { encodeFaceRecord, encodeFingerRecord } from '../sbi/iso-record.js';
import { b64url, signJws, unsignedJws } from '../sbi/jws.js';
import { generateDeviceIdentity, type DeviceIdentity } from '../sbi/x509.js';
import { defaultImpressionSource, resample, type ImpressionSource } from './impression.js';
import { SERIAL_FAULTS } from './serial-emulator.js';

export const SBI_FAULTS = [...SERIAL_FAULTS, 'unsigned', 'untrusted'] as const;
export type SbiFault = (typeof SBI_FAULTS)[number];

export interface SbiServiceOptions {
  /** Fixed port; default: the first free port in 4501–4600. */
  port?: number;
  source?: ImpressionSource;
  subject?: string;
  fault?: SbiFault | null;
  identity?: DeviceIdentity;
  /** Finger image size in the ISO record (default 320 × 400 at 500 ppi). */
  fingerSize?: [number, number];
  qualityScore?: number;
  /** Frames per second of the STREAM preview (default 5). */
  fps?: number;
}

const NAME_TO_POSITION = new Map(Object.entries(FINGER_POSITION_NAMES).map(([k, v]) => [v, Number(k)]));
const SLAP_FINGERS: Record<number, number[]> = { 1: [7, 8, 9, 10], 2: [2, 3, 4, 5], 3: [1, 6] };
const MAX_REQUEST = 1024 * 1024;

interface HttpRequest {
  method: string;
  path: string;
  body: Buffer;
}

export class SbiService {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private fault: SbiFault | null;
  private source!: ImpressionSource;
  private rogue: DeviceIdentity | undefined;
  private readonly attempts = new Map<number, number>();
  readonly identity: DeviceIdentity;
  readonly serialNo = `EMU-${randomBytes(3).toString('hex').toUpperCase()}`;
  port = 0;
  /** Methods received, in order (tests and logs). */
  readonly received: string[] = [];

  private constructor(private readonly options: SbiServiceOptions) {
    this.fault = options.fault ?? null;
    this.identity = options.identity ?? generateDeviceIdentity({ serialNo: this.serialNo });
  }

  static async start(options: SbiServiceOptions = {}): Promise<SbiService> {
    const service = new SbiService(options);
    service.source = options.source ?? (await defaultImpressionSource(options.subject ?? 'demo-subject')).source;
    if (service.fault === 'untrusted') service.setFault('untrusted');
    await service.listen();
    return service;
  }

  /** PEM of the CA that issued the device certificate: the trust root a kiosk would configure. */
  get trustRootPem(): string {
    return this.identity.ca.toString();
  }

  get deviceId(): string {
    return `${this.serialNo}-FINGER`;
  }

  /** A different person steps up: the next captures come from `subject`'s synthetic fingers, attempts reset. */
  async presentSubject(subject: string): Promise<void> {
    if (this.options.source) return;
    this.source = (await defaultImpressionSource(subject)).source;
    this.attempts.clear();
  }

  setFault(fault: SbiFault | null): void {
    this.fault = fault;
    if (fault === 'untrusted') this.rogue ??= generateDeviceIdentity({ provider: 'Rogue Provider', serialNo: this.serialNo });
  }

  private async listen(): Promise<void> {
    const candidates = this.options.port ? [this.options.port] : Array.from({ length: 100 }, (_, i) => 4501 + i);
    for (const port of candidates) {
      const server = createServer((socket) => this.accept(socket));
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        this.server = server;
        this.port = port;
        return;
      }
      server.close();
    }
    throw new DeviceNotFoundError('No free port in 127.0.0.1:4501–4600 for the SBI emulator');
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > MAX_REQUEST) return void socket.destroy();
      const headerEnd = buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buf.subarray(0, headerEnd).toString('latin1').split('\r\n');
      const [method = '', path = '/'] = head[0]!.split(' ');
      const length = Number(head.find((h) => /^content-length:/i.test(h))?.split(':')[1]?.trim() ?? 0);
      if (buf.length < headerEnd + 4 + length) return;
      handled = true;
      const request = { method, path, body: buf.subarray(headerEnd + 4, headerEnd + 4 + length) };
      this.handle(socket, request).catch(() => socket.destroy());
    });
  }

  private reply(socket: Socket, status: number, body: Buffer | string, contentType = 'application/json'): void {
    const bytes = Buffer.from(body);
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`), bytes]));
  }

  private sign(payload: unknown): string {
    if (this.fault === 'unsigned') return unsignedJws(payload);
    const id = this.fault === 'untrusted' ? this.rogue! : this.identity;
    return signJws(payload, id.deviceKey, id.x5c);
  }

  private digitalId(): Record<string, string> {
    return { serialNo: this.serialNo, make: 'Kiosk Emulators', model: 'SLAP-EMU-1', type: 'Finger', deviceSubType: 'Slap', deviceProvider: 'Emulated Device Provider', dateTime: new Date().toISOString() };
  }

  private deviceStatus(): string {
    return this.fault === 'busy' ? 'Busy' : 'Ready';
  }

  private discovery(): Record<string, unknown> {
    return {
      deviceId: this.deviceId,
      deviceStatus: this.deviceStatus(),
      certification: 'L1',
      serviceVersion: '1.0',
      deviceSubId: [1, 2, 3],
      callbackId: `http://127.0.0.1:${this.port}/`,
      digitalId: b64url.encode(JSON.stringify(this.digitalId())),
      deviceCode: this.deviceId,
      specVersion: ['0.9.5'],
      purpose: 'Registration',
      error: { errorCode: '0', errorInfo: 'Success' },
    };
  }

  private async handle(socket: Socket, req: HttpRequest): Promise<void> {
    this.received.push(req.method);
    switch (req.method) {
      case 'MOSIPDISC':
        return this.reply(socket, 200, JSON.stringify([this.discovery()]));
      case 'MOSIPDINFO': {
        const info = { ...this.discovery(), firmware: '1.0.0', env: 'Staging', digitalId: this.sign(this.digitalId()) };
        return this.reply(socket, 200, JSON.stringify([{ deviceInfo: this.sign(info), error: { errorCode: '0', errorInfo: 'Success' } }]));
      }
      case 'RCAPTURE':
        return this.capture(socket, req);
      case 'STREAM':
        return this.stream(socket);
      default:
        return this.reply(socket, 405, JSON.stringify({ error: { errorCode: '701', errorInfo: 'Method not supported' } }));
    }
  }

  private later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async capture(socket: Socket, req: HttpRequest): Promise<void> {
    let body: { transactionId?: string; timeout?: number; bio?: { type?: string; bioSubType?: string[]; exception?: string[]; deviceSubId?: number; previousHash?: string; requestedScore?: number }[] };
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return this.reply(socket, 400, JSON.stringify({ error: { errorCode: '702', errorInfo: 'Invalid JSON' } }));
    }
    const bio = body.bio?.[0] ?? {};
    const transactionId = String(body.transactionId ?? '');
    const failure = (code: string, info: string) => this.reply(socket, 200, JSON.stringify({ biometrics: [{ specVersion: '0.9.5', data: '', hash: '', error: { errorCode: code, errorInfo: info } }] }));
    if (this.fault === 'busy') return failure('111', 'Device busy');
    if (this.fault === 'no_finger') {
      await this.later(Math.min(Number(body.timeout) || 1000, 300));
      return failure('101', 'Unable to detect a biometric object');
    }
    let previousHash = String(bio.previousHash ?? '');
    const biometrics: unknown[] = [];
    const records: { subType: string; value: Uint8Array; quality: number }[] = [];
    if (bio.type === 'Face') {
      const jpeg = await this.faceJpeg(480, 640, 0);
      records.push({ subType: '', value: encodeFaceRecord({ imageDataType: 0, width: 480, height: 640, quality: 80, data: jpeg }), quality: 80 });
    } else {
      const exceptions = new Set(bio.exception ?? []);
      const requested = bio.bioSubType?.length ? bio.bioSubType : (SLAP_FINGERS[Number(bio.deviceSubId)] ?? []).map((p) => FINGER_POSITION_NAMES[p]!);
      const [w, h] = this.options.fingerSize ?? [320, 400];
      for (const name of requested) {
        if (exceptions.has(name)) continue;
        const position = NAME_TO_POSITION.get(name);
        if (position === undefined || position > 10) continue;
        const attempt = this.attempts.get(position) ?? 0;
        this.attempts.set(position, attempt + 1);
        const img = resample(await this.source(position, attempt), w, h);
        const quality = this.options.qualityScore ?? Math.max(Number(bio.requestedScore) || 0, 70);
        records.push({ subType: name, value: encodeFingerRecord({ resolution: 500, views: [{ position, quality, width: w, height: h, data: img.pixels }] }), quality });
      }
    }
    for (const r of records) {
      const hash = chainHash(previousHash, r.value);
      previousHash = hash;
      const data = {
        digitalId: this.sign(this.digitalId()),
        deviceCode: this.deviceId,
        deviceServiceVersion: '1.0',
        bioType: bio.type ?? 'Finger',
        bioSubType: r.subType,
        purpose: 'Registration',
        env: 'Staging',
        bioValue: b64url.encode(r.value),
        transactionId,
        timestamp: new Date().toISOString(),
        requestedScore: bio.requestedScore ?? 40,
        qualityScore: r.quality,
      };
      biometrics.push({ specVersion: '0.9.5', data: this.sign(data), hash: this.fault === 'wrong_checksum' ? chainHash('00', r.value) : hash, error: { errorCode: '0', errorInfo: 'Success' } });
    }
    const json = Buffer.from(JSON.stringify({ biometrics }));
    switch (this.fault) {
      case 'truncated_packet':
        return this.reply(socket, 200, json.subarray(0, json.length >> 1));
      case 'garbage_bytes':
        return this.reply(socket, 200, Buffer.concat([randomBytes(16), json]));
      case 'stall_mid_upload':
      case 'disconnect_mid_upload': {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n`);
        socket.write(json.subarray(0, json.length >> 1));
        if (this.fault === 'disconnect_mid_upload') {
          await this.later(20);
          socket.destroy();
        }
        return; // stall: the socket stays open until the client gives up (or dispose)
      }
      default:
        return this.reply(socket, 200, json);
    }
  }

  private async faceJpeg(width: number, height: number, frame: number): Promise<Buffer> {
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const dx = (x - width / 2) / (width * 0.3);
        const dy = (y - height / 2 + frame) / (height * 0.38);
        const inFace = dx * dx + dy * dy < 1;
        const i = (y * width + x) * 3;
        pixels[i] = inFace ? 205 : 235;
        pixels[i + 1] = inFace ? 170 : 235;
        pixels[i + 2] = inFace ? 140 : 240;
      }
    return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
  }

  private async stream(socket: Socket): Promise<void> {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=mosipframe\r\nConnection: close\r\n\r\n');
    const interval = 1000 / (this.options.fps ?? 5);
    for (let frame = 0; !socket.destroyed && frame < 10_000; frame++) {
      const jpeg = await this.faceJpeg(160, 120, frame % 10);
      if (socket.destroyed) return;
      socket.write(`--mosipframe\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      socket.write(jpeg);
      socket.write('\r\n');
      await this.later(interval);
    }
  }

  async dispose(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    if (this.server?.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

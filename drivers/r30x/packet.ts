// R30x (R305/R307/R503/ZFM-20/FPM10A) packet framing, per /work/shared/docs/devices.md:
// EF 01 | address (4, BE) | packet id (1) | length (2, BE, = payload + 2) | payload | checksum (2, BE)
// checksum = (packet id + both length bytes + every payload byte) mod 65536.

export const R30X_HEADER = 0xef01;
export const DEFAULT_ADDRESS = 0xffffffff;

export const PID = { command: 0x01, data: 0x02, ack: 0x07, endData: 0x08 } as const;

export const CMD = {
  genImg: 0x01,
  img2Tz: 0x02,
  match: 0x03,
  search: 0x04,
  regModel: 0x05,
  store: 0x06,
  load: 0x07,
  upChar: 0x08,
  downChar: 0x09,
  upImage: 0x0a,
  downImage: 0x0b,
  deleteChar: 0x0c,
  empty: 0x0d,
  setSysPara: 0x0e,
  readSysPara: 0x0f,
  setPwd: 0x12,
  vfyPwd: 0x13,
  getRandomCode: 0x14,
  setAddr: 0x15,
  highSpeedSearch: 0x1b,
  templateNum: 0x1d,
  readIndexTable: 0x1f,
  auraLedConfig: 0x35,
  ledOn: 0x50,
  ledOff: 0x51,
} as const;

/** Acknowledge confirmation codes. */
export const CONFIRM = {
  ok: 0x00,
  packetReceiveError: 0x01,
  noFinger: 0x02,
  enrollFailed: 0x03,
  imageTooMessy: 0x06,
  tooFewFeatures: 0x07,
  noMatch: 0x08,
  notFound: 0x09,
  mergeFailed: 0x0a,
  cannotUploadImage: 0x0f,
  invalidImageBuffer: 0x15,
} as const;

export const CONFIRM_TEXT: Record<number, string> = {
  0x00: 'OK',
  0x01: 'packet receive error',
  0x02: 'no finger on sensor',
  0x03: 'failed to enroll image',
  0x06: 'image too messy',
  0x07: 'too few feature points',
  0x08: 'no match',
  0x09: 'not found',
  0x0a: 'merge failed',
  0x0f: 'cannot upload image',
  0x15: 'invalid image buffer',
};

/** SetSysPara parameter numbers. */
export const SYS_PARAM = { baud: 4, securityLevel: 5, packetSize: 6 } as const;
export const PACKET_SIZES = [32, 64, 128, 256] as const;

export const IMAGE_WIDTH = 256;
export const IMAGE_HEIGHT = 288;
/** 4 bits per pixel. */
export const IMAGE_BYTES = (IMAGE_WIDTH * IMAGE_HEIGHT) / 2;

export interface R30xPacket {
  address: number;
  pid: number;
  payload: Uint8Array;
}

export function checksum(pid: number, length: number, payload: Uint8Array): number {
  let sum = pid + ((length >> 8) & 0xff) + (length & 0xff);
  for (const b of payload) sum += b;
  return sum & 0xffff;
}

export function encodePacket(pid: number, payload: Uint8Array, address = DEFAULT_ADDRESS): Uint8Array {
  const length = payload.length + 2;
  const out = new Uint8Array(9 + length);
  const view = new DataView(out.buffer);
  view.setUint16(0, R30X_HEADER);
  view.setUint32(2, address >>> 0);
  out[6] = pid;
  view.setUint16(7, length);
  out.set(payload, 9);
  view.setUint16(9 + payload.length, checksum(pid, length, payload));
  return out;
}

export function encodeCommand(payload: number[] | Uint8Array, address = DEFAULT_ADDRESS): Uint8Array {
  return encodePacket(PID.command, Uint8Array.from(payload), address);
}

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

export const commands = {
  genImg: (address?: number) => encodeCommand([CMD.genImg], address),
  upImage: (address?: number) => encodeCommand([CMD.upImage], address),
  readSysPara: (address?: number) => encodeCommand([CMD.readSysPara], address),
  vfyPwd: (password: number, address?: number) => encodeCommand([CMD.vfyPwd, ...u32(password)], address),
  setSysPara: (param: number, value: number, address?: number) => encodeCommand([CMD.setSysPara, param, value], address),
  /** Baud = 9600 × n, n = 1..12. */
  setBaud: (baud: number, address?: number) => encodeCommand([CMD.setSysPara, SYS_PARAM.baud, baudToN(baud)], address),
  /** Data packet payload size 32/64/128/256 → parameter 0..3. */
  setPacketSize: (bytes: number, address?: number) => encodeCommand([CMD.setSysPara, SYS_PARAM.packetSize, packetSizeCode(bytes)], address),
  /** R503 aura LED: control (1 breathing, 2 flashing, 3 on, 4 off, 5 gradual on, 6 gradual off), speed, colour (1 red, 2 blue, 3 purple), count. */
  auraLed: (control: number, speed: number, colour: number, count: number, address?: number) => encodeCommand([CMD.auraLedConfig, control, speed, colour, count], address),
  ledOn: (address?: number) => encodeCommand([CMD.ledOn], address),
  ledOff: (address?: number) => encodeCommand([CMD.ledOff], address),
};

export function baudToN(baud: number): number {
  const n = baud / 9600;
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`R30x baud must be 9600 × N, N = 1..12 (got ${baud})`);
  return n;
}

export function packetSizeCode(bytes: number): number {
  const i = (PACKET_SIZES as readonly number[]).indexOf(bytes);
  if (i < 0) throw new RangeError(`R30x packet size must be 32, 64, 128 or 256 (got ${bytes})`);
  return i;
}

export interface SystemParameters {
  statusRegister: number;
  systemId: number;
  librarySize: number;
  securityLevel: number;
  address: number;
  packetSize: number;
  baudRate: number;
}

/** ReadSysPara acknowledge payload: confirmation code, then 16 bytes of big-endian parameters. */
export function decodeSystemParameters(payload: Uint8Array): SystemParameters | undefined {
  if (payload.length < 17) return undefined;
  const v = new DataView(payload.buffer, payload.byteOffset + 1, 16);
  const sizeCode = v.getUint16(12);
  return {
    statusRegister: v.getUint16(0),
    systemId: v.getUint16(2),
    librarySize: v.getUint16(4),
    securityLevel: v.getUint16(6),
    address: v.getUint32(8),
    packetSize: PACKET_SIZES[sizeCode] ?? 128,
    baudRate: v.getUint16(14) * 9600,
  };
}

export function encodeSystemParameters(p: SystemParameters): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, p.statusRegister);
  v.setUint16(2, p.systemId);
  v.setUint16(4, p.librarySize);
  v.setUint16(6, p.securityLevel);
  v.setUint32(8, p.address >>> 0);
  v.setUint16(12, packetSizeCode(p.packetSize));
  v.setUint16(14, baudToN(p.baudRate));
  return out;
}

// GT-511C3 (ADH-Tech) framing, per /work/shared/docs/devices.md. All multi-byte fields little-endian.
// Command/response (12 bytes): 55 AA | device id (2) | parameter (4) | command or response code (2) | checksum (2)
//   checksum = sum of bytes 0..9.
// Data packet: 5A A5 | device id (2) | N data bytes | checksum (2) = sum of all preceding bytes.

export const CMD_START = [0x55, 0xaa] as const;
export const DATA_START = [0x5a, 0xa5] as const;
export const DEVICE_ID = 0x0001;
export const PACKET_LEN = 12;

export const CMD = {
  open: 0x01,
  close: 0x02,
  changeBaudrate: 0x04,
  cmosLed: 0x12,
  getEnrollCount: 0x20,
  checkEnrolled: 0x21,
  enrollStart: 0x22,
  enroll1: 0x23,
  enroll2: 0x24,
  enroll3: 0x25,
  isPressFinger: 0x26,
  deleteId: 0x40,
  deleteAll: 0x41,
  verify: 0x50,
  identify: 0x51,
  verifyTemplate: 0x52,
  identifyTemplate: 0x53,
  captureFinger: 0x60,
  makeTemplate: 0x61,
  getImage: 0x62,
  getRawImage: 0x63,
  getTemplate: 0x70,
  setTemplate: 0x71,
} as const;

export const ACK = 0x30;
export const NACK = 0x31;

/** NACK error codes (parameter of a NACK). 0x1008/0x1012 as the fact sheet names them; the rest from the datasheet. */
export const NACK_CODE = {
  timeout: 0x1001,
  invalidBaudrate: 0x1002,
  invalidPos: 0x1003,
  isNotUsed: 0x1004,
  isAlreadyUsed: 0x1005,
  commErr: 0x1006,
  verifyFailed: 0x1007,
  badFinger: 0x1008,
  dbIsFull: 0x1009,
  dbIsEmpty: 0x100a,
  turnErr: 0x100b,
  badFingerDatasheet: 0x100c,
  enrollFailed: 0x100d,
  isNotSupported: 0x100e,
  devErr: 0x100f,
  captureCanceled: 0x1010,
  invalidParam: 0x1011,
  fingerIsNotPressed: 0x1012,
} as const;

export const NACK_TEXT: Record<number, string> = Object.fromEntries(Object.entries(NACK_CODE).map(([k, v]) => [v, k]));

export const IMAGE_WIDTH = 258;
export const IMAGE_HEIGHT = 202;
export const IMAGE_BYTES = IMAGE_WIDTH * IMAGE_HEIGHT; // 52,116
export const RAW_WIDTH = 160;
export const RAW_HEIGHT = 120;
export const RAW_BYTES = RAW_WIDTH * RAW_HEIGHT; // 19,200
/** Open with a non-zero parameter returns a data packet: firmware (4), ISO area max size (4), serial number (16). */
export const DEVINFO_BYTES = 24;
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

export interface GtPacket {
  deviceId: number;
  parameter: number;
  /** Command code (host → device) or response code 0x30/0x31 (device → host). */
  code: number;
}

export function sum16(bytes: Uint8Array, end = bytes.length): number {
  let s = 0;
  for (let i = 0; i < end; i++) s += bytes[i]!;
  return s & 0xffff;
}

export function encodePacket(parameter: number, code: number, deviceId = DEVICE_ID): Uint8Array {
  const out = new Uint8Array(PACKET_LEN);
  const v = new DataView(out.buffer);
  out[0] = 0x55;
  out[1] = 0xaa;
  v.setUint16(2, deviceId, true);
  v.setUint32(4, parameter >>> 0, true);
  v.setUint16(8, code, true);
  v.setUint16(10, sum16(out, 10), true);
  return out;
}

export function encodeData(data: Uint8Array, deviceId = DEVICE_ID): Uint8Array {
  const out = new Uint8Array(4 + data.length + 2);
  const v = new DataView(out.buffer);
  out[0] = 0x5a;
  out[1] = 0xa5;
  v.setUint16(2, deviceId, true);
  out.set(data, 4);
  v.setUint16(4 + data.length, sum16(out, 4 + data.length), true);
  return out;
}

export const commands = {
  open: (extraInfo = false) => encodePacket(extraInfo ? 1 : 0, CMD.open),
  close: () => encodePacket(0, CMD.close),
  changeBaudrate: (baud: number) => encodePacket(baud, CMD.changeBaudrate),
  cmosLed: (on: boolean) => encodePacket(on ? 1 : 0, CMD.cmosLed),
  isPressFinger: () => encodePacket(0, CMD.isPressFinger),
  captureFinger: (best: boolean) => encodePacket(best ? 1 : 0, CMD.captureFinger),
  getImage: () => encodePacket(0, CMD.getImage),
  getRawImage: () => encodePacket(0, CMD.getRawImage),
};

export interface GtDeviceInfo {
  firmwareVersion: number;
  isoAreaMaxSize: number;
  serialNumber: string;
}

export function decodeDeviceInfo(data: Uint8Array): GtDeviceInfo | undefined {
  if (data.length < DEVINFO_BYTES) return undefined;
  const v = new DataView(data.buffer, data.byteOffset, data.length);
  return {
    firmwareVersion: v.getUint32(0, true),
    isoAreaMaxSize: v.getUint32(4, true),
    serialNumber: Array.from(data.subarray(8, 24), (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

export function encodeDeviceInfo(info: { firmwareVersion: number; isoAreaMaxSize: number; serial: Uint8Array }): Uint8Array {
  const out = new Uint8Array(DEVINFO_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, info.firmwareVersion >>> 0, true);
  v.setUint32(4, info.isoAreaMaxSize >>> 0, true);
  out.set(info.serial.subarray(0, 16), 8);
  return out;
}

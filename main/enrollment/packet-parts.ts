// The parts of a sealed enrollment packet (manifest v2, sync/packet/format.ts): face token JPEG (transport size,
// face-transport.ts) + embedding, each finger as WSQ at 0.75 bpp (FBI WSQ v3.1, models/formats/wsq) plus its
// template, exception photos. WSQ brings a 288×384 impression from 110 KB to ≈ 10 KB, so face + 10 fingers stay under
// 150 KB on the wire.
import { KioskError } from '../contract/errors.js';
import type { Disposable } from '../platform/disposable.js';
import { FINGER_MEDIA, type PacketPart } from '../../sync/packet/index.js';
import { wsq } from '../../models/formats/index.js';
import { transportFaceJpeg } from './face-transport.js';
import type { EnrollmentRecord, GreyImage } from './model.js';

/** Encodes one finger image as WSQ. The default runs inline; the core may pass a worker-backed one (WsqService). */
export type FingerEncoder = (image: GreyImage) => Promise<Uint8Array>;

export const FINGER_BIT_RATE = 0.75;

export const inlineWsqEncoder: FingerEncoder = async (image) => wsq.encodeWsq(image.pixels, image.width, image.height, { bitRate: FINGER_BIT_RATE, ppi: image.ppi || 500 });

/** WSQ encoding on a worker thread (models/formats WsqService), started on the first seal; dispose() stops it. */
export class WorkerWsqEncoder implements Disposable {
  private service: wsq.WsqService | null = null;
  private disposed = false;

  readonly encode: FingerEncoder = (image) => {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'WSQ encoder disposed'));
    this.service ??= new wsq.WsqService();
    return this.service.encode(image.pixels, image.width, image.height, { bitRate: FINGER_BIT_RATE, ppi: image.ppi || 500 });
  };

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.service?.dispose();
    this.service = null;
  }
}

export interface PacketEncoders {
  finger?: FingerEncoder;
  face?: (token: Uint8Array) => Promise<Uint8Array>;
}

export async function packetParts(record: Pick<EnrollmentRecord, 'face' | 'fingers' | 'exceptions'>, encoders: PacketEncoders = {}): Promise<PacketPart[]> {
  const encodeFinger = encoders.finger ?? inlineWsqEncoder;
  const parts: PacketPart[] = [];
  if (record.face) {
    parts.push({ name: 'face.jpg', mediaType: 'image/jpeg', data: await (encoders.face ?? transportFaceJpeg)(record.face.image) });
    parts.push({ name: 'face.embedding', mediaType: 'application/x-float32le', data: new Uint8Array(record.face.embedding.buffer, record.face.embedding.byteOffset, record.face.embedding.byteLength) });
  }
  for (const f of record.fingers) {
    let image: PacketPart;
    try {
      image = { name: `finger.${f.position}.wsq`, mediaType: FINGER_MEDIA.wsq, data: await encodeFinger(f.image) };
    } catch (e) {
      // An image WSQ cannot take (e.g. a side under 32 px) still travels, losslessly: nothing captured is dropped.
      // Anything else (a disposed or crashed worker) fails the seal; the record stays approved and is sealed later.
      if (!(e instanceof KioskError && e.code === 'WSQ_INVALID_INPUT')) throw e;
      image = { name: `finger.${f.position}.raw`, mediaType: FINGER_MEDIA.raw, data: f.image.pixels };
    }
    parts.push(image);
    parts.push({ name: `finger.${f.position}.template`, mediaType: `application/x-${f.templateFormat}`, data: f.template });
  }
  for (const e of record.exceptions) if (e.photo) parts.push({ name: e.modality === 'face' ? 'exception.face.jpg' : `exception.finger.${e.position}.jpg`, mediaType: 'image/jpeg', data: e.photo });
  return parts;
}

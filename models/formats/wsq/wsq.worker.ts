// WSQ worker: encodes and decodes off the main thread (CPU-heavy, ~15 ms per 500 ppi plain impression).
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../../../main/contract/errors.js';
import { decodeWsq } from './decode.js';
import { encodeWsq } from './encode.js';
import type { WsqReply, WsqRequest } from './service.js';

const port = parentPort;
if (!port) throw new Error('wsq.worker must run in a worker thread');

port.on('message', (req: WsqRequest) => {
  try {
    if (req.op === 'encode') {
      const out = encodeWsq(req.pixels, req.width, req.height, req.options);
      port.postMessage({ id: req.id, ok: true, bytes: out } satisfies WsqReply, [out.buffer as ArrayBuffer]);
    } else {
      const img = decodeWsq(req.bytes, req.options);
      port.postMessage(
        { id: req.id, ok: true, image: { width: img.width, height: img.height, ppi: img.ppi, pixels: img.pixels, comments: img.comments, nistcom: img.nistcom } } satisfies WsqReply,
        [img.pixels.buffer as ArrayBuffer],
      );
    }
  } catch (e) {
    const shape = e instanceof KioskError ? e.toShape() : { code: 'INTERNAL', message: 'WSQ worker failed' };
    port.postMessage({ id: req.id, ok: false, error: shape } satisfies WsqReply);
  }
});

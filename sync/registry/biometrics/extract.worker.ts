// Template extraction worker (docs/CONVENTIONS.md "Workers"): WSQ decode + minutiae extraction off the event loop.
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../../../main/contract/errors.js';
import { extractFingerTemplate, type FingerImageInput } from './probe.js';

const port = parentPort;
if (!port) throw new Error('extract.worker must run in a worker thread');

port.on('message', (m: { seq: number; input: FingerImageInput }) => {
  try {
    const t = extractFingerTemplate(m.input);
    port.postMessage({ seq: m.seq, ok: true, template: t }, [t.buffer as ArrayBuffer]);
  } catch (e) {
    const error = e instanceof KioskError ? e.toShape() : { code: 'INTERNAL', message: e instanceof Error ? e.message : 'extraction failed' };
    port.postMessage({ seq: m.seq, ok: false, error });
  }
});

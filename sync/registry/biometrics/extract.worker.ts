// Template extraction worker (docs/CONVENTIONS.md "Workers"): WSQ decode + minutiae extraction off the event loop,
// and the spot check of a kiosk template (kiosk-templates.ts): extract, then compare with the kiosk's template.
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../../../main/contract/errors.js';
import { compareTemplates, deserializeTemplate } from '../../../models/finger/index.js';
import { templateIndex } from '../../../models/dedup/template-index.js';
import { extractFingerTemplate, type FingerImageInput } from './probe.js';

const port = parentPort;
if (!port) throw new Error('extract.worker must run in a worker thread');

port.on('message', (m: { seq: number; input: FingerImageInput; against?: Uint8Array }) => {
  try {
    const t = extractFingerTemplate(m.input);
    const score = m.against ? compareTemplates(deserializeTemplate(t), deserializeTemplate(m.against)) : null;
    // The prefilter vector is computed here too, so the caller's thread does no per-finger math.
    const index = templateIndex(m.against ?? t);
    port.postMessage({ seq: m.seq, ok: true, template: t, index, score }, [t.buffer as ArrayBuffer, index.buffer as ArrayBuffer]);
  } catch (e) {
    const error = e instanceof KioskError ? e.toShape() : { code: 'INTERNAL', message: e instanceof Error ? e.message : 'extraction failed' };
    port.postMessage({ seq: m.seq, ok: false, error });
  }
});

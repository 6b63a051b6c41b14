// Worker thread for the 1:N prefilter: scans rows [from, to) of a shared index matrix for one probe vector.
import { parentPort, workerData } from 'node:worker_threads';
import { topByDot } from './prefilter.js';

interface Job { id: number; probe: Int8Array; from: number; to: number; candidates: number }

let matrix = new Int8Array((workerData as { matrix: SharedArrayBuffer }).matrix);
parentPort!.on('message', (msg: Job | { matrix: SharedArrayBuffer }) => {
  if ('matrix' in msg) {
    matrix = new Int8Array(msg.matrix);
    return;
  }
  const r = topByDot(matrix, msg.from, msg.to, msg.probe, msg.candidates);
  parentPort!.postMessage({ id: msg.id, index: r.index, score: r.score }, [r.index.buffer as ArrayBuffer, r.score.buffer as ArrayBuffer]);
});

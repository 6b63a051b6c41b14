// Face 1:N over a shared int8 matrix, one row range per worker (bench/suites/dedup.ts measures 1M rows on 2 threads).
import { parentPort, workerData } from 'node:worker_threads';
import { faceScores, topK } from './face-kernel.js';

const port = parentPort;
if (!port) throw new Error('face-scan.worker must run in a worker thread');
const { matrix, scales } = workerData as { matrix: SharedArrayBuffer; scales: SharedArrayBuffer };
const m = new Int8Array(matrix);
const s = new Float32Array(scales);
let out = new Float32Array(0);

port.on('message', (msg: { seq: number; from: number; to: number; probe: Float32Array; k: number }) => {
  const n = msg.to - msg.from;
  if (out.length < s.length) out = new Float32Array(s.length);
  faceScores(m, s, msg.from, msg.to, msg.probe, out);
  const local = topK(out.subarray(msg.from, msg.to), n, msg.k).map((i) => i + msg.from);
  port.postMessage({ seq: msg.seq, index: local, score: local.map((i) => out[i]!) });
});

// Face 1:N over this worker's own rows (a dedup shard's face matrix): bench/suites/dedup.ts measures 1M rows split
// over 2 workers. The arena is filled by tiling `seed` rows (timing does not depend on the values).
import { parentPort, workerData } from 'node:worker_threads';
import { faceScoresArena, topK } from './face-kernel.js';
import { FaceArena } from './simd-kernel.js';
import { FACE_DIMS } from './types.js';

const port = parentPort;
if (!port) throw new Error('face-scan.worker must run in a worker thread');
const { rows, seed, seedScales } = workerData as { rows: number; seed: Int8Array; seedScales: Float32Array };
const arena = new FaceArena(rows);
const scales = new Float32Array(rows);
const n = seedScales.length;
for (let r = 0; r < rows; r++) {
  arena.matrix.set(seed.subarray((r % n) * FACE_DIMS, ((r % n) + 1) * FACE_DIMS), r * FACE_DIMS);
  scales[r] = seedScales[r % n]!;
}
const out = new Float32Array(rows);

port.on('message', (msg: { seq: number; probe: Float32Array; k: number }) => {
  const t0 = performance.now();
  faceScoresArena(arena, scales, rows, msg.probe, out);
  const index = topK(out, rows, msg.k);
  port.postMessage({ seq: msg.seq, index, score: index.map((i) => out[i]!), ms: performance.now() - t0, simd: arena.simd });
});
port.postMessage({ ready: true });

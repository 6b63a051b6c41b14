// Test worker for WorkerPool: echoes, fails with a typed error, or dies, on request.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from '../../../../models/runtime/pool.js';

const port = parentPort!;
const data = workerData as { failStart?: boolean };
if (data.failStart) {
  port.postMessage({ ready: false, error: { code: 'MODEL_MISSING', message: 'no models here', details: { models: ['x'] } } });
} else {
  port.on('message', (req: WorkerRequest) => {
    if (req.type === 'die') process.exit(3);
    const reply: WorkerReply =
      req.type === 'fail'
        ? { id: req.id, ok: false, error: { code: 'IMAGE_INVALID', message: 'bad', details: { reason: 'test' } } }
        : { id: req.id, ok: true, result: { echo: req.payload, thread: process.pid } };
    setTimeout(() => port.postMessage(reply), 5);
  });
  port.postMessage({ ready: true });
}

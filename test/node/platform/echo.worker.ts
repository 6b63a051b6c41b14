// A tiny worker used by worker.test.ts: doubles numbers.
import { parentPort } from 'node:worker_threads';

const double = (n: number): number => n * 2;
parentPort!.on('message', (n: number) => parentPort!.postMessage(double(n)));

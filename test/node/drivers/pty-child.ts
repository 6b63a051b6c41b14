// Child of pty-orphan.test.ts: starts a pty pair (socat), prints socat's pid, then waits to be killed.
import { PtyPair } from '../../../drivers/emulators/pty.js';

const pair = await PtyPair.start();
process.stdout.write(`${JSON.stringify({ pid: pair.pid })}\n`);
setInterval(() => undefined, 1000);

// Process entry of the `kiosk` CLI (bin/kiosk.js imports this file).
import { runCli } from './kiosk.js';

const controller = new AbortController();
const stop = () => controller.abort();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), stopSignal: controller.signal });
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
process.exitCode = code;

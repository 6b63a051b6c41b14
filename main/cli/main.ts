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
// Everything a command opened is disposed before it returns; if the process still has not ended after a grace period,
// something leaked (a worker, a socket). Say what, and end anyway: a service manager waits for this exit to restart us.
const EXIT_GRACE_MS = 10_000;
setTimeout(() => {
  process.stderr.write(`kiosk: still running ${EXIT_GRACE_MS / 1000} s after the command ended; open: ${process.getActiveResourcesInfo().join(', ')}; exiting\n`);
  process.exit(code);
}, EXIT_GRACE_MS).unref();

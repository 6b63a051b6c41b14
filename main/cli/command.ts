// The shape of a `kiosk` CLI command. Each area adds a module in main/cli/commands/ exporting `commands`.
import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Working directory used to resolve relative paths. */
  cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  stopSignal: AbortSignal;
}

export interface CliCommand {
  /** Words that select the command, e.g. ['config', 'check'] or ['wsq', 'encode']. */
  path: string[];
  summary: string;
  usage: string;
  /** Returns the exit code. Throw a KioskError for a clean one-line error (exit 1, or 2 for usage errors). */
  run(args: string[], io: CliIo): Promise<number>;
}

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

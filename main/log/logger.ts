// Structured logs (pino) to rotating files under the data dir, PII redacted.
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { redactPii } from './redact.js';
import { RotatingFile } from './rotating-file.js';

export type { Logger } from 'pino';

export interface KioskLogger {
  logger: Logger;
  file: string | null;
  dispose(): void;
}

export interface LoggerOptions {
  dataDir: string | null;
  level: string;
  maxFileBytes: number;
  maxFiles: number;
  /** Extra destination (tests): receives each JSON line. */
  sink?: { write(line: string): void };
}

export function createLogger(options: LoggerOptions): KioskLogger {
  const file = options.dataDir ? new RotatingFile(path.join(options.dataDir, 'logs', 'kiosk.log'), options.maxFileBytes, options.maxFiles) : null;
  const destination = {
    write(line: string) {
      file?.write(line);
      options.sink?.write(line);
    },
  };
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactPii(object) as Record<string, unknown> },
      // The message string itself is never allowed to carry values: callers log ids and codes, never PII.
    },
    destination,
  );
  return {
    logger,
    file: file?.file ?? null,
    dispose() {
      logger.flush?.();
      file?.dispose();
    },
  };
}

// Reads and validates the kiosk config; errors name the bad key.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import { kioskConfigSchema, type KioskConfig } from './schema.js';

export class ConfigInvalidError extends KioskError {
  override name = 'ConfigInvalidError';
  constructor(
    readonly problems: ConfigProblem[],
    source: string,
  ) {
    super('CONFIG_INVALID', `Invalid config (${source}): ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`, {
      details: { source, problems },
    });
  }
}

export class ConfigNotFoundError extends KioskError {
  override name = 'ConfigNotFoundError';
  constructor(file: string, cause: unknown) {
    super('CONFIG_NOT_FOUND', `Config file not found: ${file}`, { cause, details: { file } });
  }
}

export interface ConfigProblem {
  key: string;
  message: string;
}

function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      return { key: issue.keys.map((k) => (issue.path.length ? `${issue.path.join('.')}.${k}` : k)).join(', '), message: 'unknown key' };
    }
    return { key, message: issue.message };
  });
}

/** Validates a parsed config object; the data dir is resolved against `baseDir`. */
export function parseConfig(raw: unknown, source = 'config', baseDir = process.cwd()): KioskConfig {
  const result = kioskConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigInvalidError(problemsOf(result.error), source);
  return { ...result.data, dataDir: path.resolve(baseDir, result.data.dataDir) };
}

/** Loads a JSON config file, or the embedded defaults (demo mode) when no file is given. */
export async function loadConfig(file?: string, overrides: Record<string, unknown> = {}): Promise<KioskConfig> {
  if (!file) return parseConfig(overrides, 'defaults');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigNotFoundError(file, cause);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigInvalidError([{ key: '(file)', message: `not valid JSON: ${(cause as Error).message}` }], file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigInvalidError([{ key: '(root)', message: 'expected a JSON object' }], file);
  }
  return parseConfig({ ...(raw as Record<string, unknown>), ...overrides }, file, path.dirname(path.resolve(file)));
}

// Locates ../shared/fixtures (or $KIOSK_FIXTURES). Tests that need fixtures skip LOUDLY when they are absent.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageInfo } from '../../main/platform/package-info.js';

/** The project root (found from package.json, so this also works when compiled into dist/ for the benchmarks). */
export const projectRoot = packageInfo().root;

export function fixturesDir(): string {
  return process.env.KIOSK_FIXTURES ? path.resolve(process.env.KIOSK_FIXTURES) : path.resolve(projectRoot, '..', 'shared', 'fixtures');
}

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir(), ...parts);
}

/** True when the fixture exists; otherwise prints a loud warning naming what is missing and returns false. */
export function hasFixture(...parts: string[]): boolean {
  const p = fixturePath(...parts);
  if (existsSync(p)) return true;
  console.warn(`\n*** FIXTURE MISSING: ${p} — tests that need it are SKIPPED. Set KIOSK_FIXTURES or provide ../shared/fixtures. ***\n`);
  return false;
}

// Launches Debian's Chromium through playwright-core, headless and without background networking.
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_QUIET_FLAGS, findChromium } from '../../main/web/chromium.js';

export function chromiumPath(): string | null {
  return findChromium();
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: install Debian package `chromium` (.ci/run does)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...CHROMIUM_QUIET_FLAGS, ...extraArgs],
  });
}

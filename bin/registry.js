#!/usr/bin/env node
// Launcher for the reference registry CLI (`registry serve | admin … | import | export-receipts`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/sync/registry/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('registry: the app is not built yet. Run `npm run build` (npm install does it automatically).');
  process.exit(1);
}
(await import(entry.href)).main(process.argv.slice(2));

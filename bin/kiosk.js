#!/usr/bin/env node
// Launcher for the `kiosk` CLI: runs the built app from dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('kiosk: the app is not built yet. Run `npm start` once (it builds) or `npm run build`.');
  process.exit(1);
}
await import(entry.href);

// Whether dist/ is missing or older than the sources, and the build that brings it up to date. Used by `npm start`
// (a fresh clone runs with `npm install && npm start`: the first start builds) and by `bin/kiosk.js`.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SOURCE_DIRS = ['main', 'drivers', 'models', 'sync', 'bench', 'renderer'];
const SOURCE_FILE = /\.(ts|tsx|cts|css|html|json)$/;
const STAMP = path.join('dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'files') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (SOURCE_FILE.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** 'missing' (never built), 'stale' (a source changed after the last build) or 'fresh'. */
export function buildState(root) {
  const entries = [path.join(root, 'dist', 'main', 'cli', 'main.js'), path.join(root, 'dist', 'renderer', 'index.html')];
  if (!entries.every((f) => existsSync(f))) return 'missing';
  const stamp = path.join(root, STAMP);
  // Built by hand (`npm run build` writes no stamp): trust it unless a source is newer than the built entry.
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : Math.min(...entries.map((f) => statSync(f).mtimeMs));
  const sourcesAt = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))));
  return sourcesAt > builtAt ? 'stale' : 'fresh';
}

/** Runs `npm run build` in `root` when needed; returns false (after printing why) when the build failed. */
export function ensureBuilt(root, log = console) {
  const state = buildState(root);
  if (state === 'fresh') return true;
  log.log(state === 'missing' ? 'kiosk: first start — building the app (npm run build) …' : 'kiosk: sources changed since the last build — rebuilding (npm run build) …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    log.error('kiosk: the build failed (see above); fix it and run `npm start` again.');
    return false;
  }
  writeFileSync(path.join(root, STAMP), new Date().toISOString() + '\n');
  return true;
}

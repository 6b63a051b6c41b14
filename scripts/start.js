// `npm start`: Electron when its binary is present; otherwise one line saying so, then the browser shell.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build-state.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);

function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

// A fresh clone (or changed sources) is built first, so `npm install && npm start` is all it takes.
if (!ensureBuilt(root)) process.exit(1);

const electron = electronBinary();
const child = electron
  ? spawn(electron, [path.join(root, 'dist', 'main', 'electron', 'bootstrap.js'), ...args], { stdio: 'inherit' })
  : (console.log('Electron binary not installed (cannot be downloaded here): starting the browser shell instead.'),
    spawn(process.execPath, [path.join(root, 'bin', 'kiosk.js'), 'web', ...args], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

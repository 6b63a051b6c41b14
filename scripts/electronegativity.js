// Runs @doyensec/electronegativity over the Electron shell, the browser-shell server and the built renderer,
// and fails on any finding. The tool parses TypeScript sources directly.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// `--input DIR` scans DIR instead of the app (used by the test that proves a violation fails the run).
const inputIdx = process.argv.indexOf('--input');
const customInput = inputIdx > 0 ? path.resolve(process.argv[inputIdx + 1]) : null;
const builtIndex = path.join(root, 'dist', 'renderer', 'index.html');
if (!customInput && !existsSync(builtIndex)) {
  console.error('electronegativity: build the renderer first (npm run build)');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const electronVersion = pkg.optionalDependencies.electron;
const work = mkdtempSync(path.join(os.tmpdir(), 'kiosk-electronegativity-'));
try {
  if (customInput) {
    cpSync(customInput, path.join(work, 'input'), { recursive: true });
  } else {
    cpSync(path.join(root, 'main', 'electron'), path.join(work, 'main', 'electron'), { recursive: true });
    cpSync(path.join(root, 'main', 'web'), path.join(work, 'main', 'web'), { recursive: true });
    cpSync(builtIndex, path.join(work, 'renderer', 'index.html'));
  }
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: pkg.name, dependencies: { electron: electronVersion } }));
  const out = path.join(work, 'findings.csv');
  const bin = path.join(root, 'node_modules', '.bin', 'electronegativity');
  const r = spawnSync(bin, ['-i', work, '-e', electronVersion, '-r', '-o', out], { encoding: 'utf8', timeout: 300_000 });
  if (!existsSync(out)) {
    console.error(r.stdout, r.stderr);
    console.error('electronegativity: no report written');
    process.exit(1);
  }
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  if (rows.length) {
    console.error(`electronegativity: ${rows.length} finding(s):\n${rows.join('\n')}`);
    process.exit(1);
  }
  console.log(`electronegativity: 0 findings (Electron ${electronVersion}; main/electron, main/web, built renderer)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

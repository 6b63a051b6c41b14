// Runs after `npm install`: provision pinned model files (from npm tarballs, checksummed) when the model script exists.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const models = path.join(root, 'scripts', 'models.js');
if (existsSync(models) && process.env.KIOSK_SKIP_MODELS !== '1') {
  const r = spawnSync(process.execPath, [models], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.warn('kiosk: model provisioning failed; run `npm run models` again. Biometric capture refuses to start without models.');
  }
}

// Build the app when the dev toolchain is installed (a checkout, not a packaged install), so `npx kiosk …` works
// right after `npm install`; `npm start` also builds on its first run and after sources change.
if (existsSync(path.join(root, 'node_modules', 'typescript')) && existsSync(path.join(root, 'main')) && process.env.KIOSK_SKIP_BUILD !== '1') {
  const { ensureBuilt } = await import('./build-state.js');
  if (!ensureBuilt(root)) console.warn('kiosk: the build after install failed; `npm start` retries it.');
}

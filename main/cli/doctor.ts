// `kiosk doctor`: each check prints OK, WARN or FAIL with the fix.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkSerialNative } from '../../drivers/native-check.js';
import { checkOnnxRuntime, checkSharp } from '../../models/native-check.js';
import { checkModels } from '../../models/runtime/manifest.js';
import type { KioskConfig } from '../config/schema.js';
import { packageInfo } from '../platform/package-info.js';
import { loosePermissions } from '../platform/private-files.js';
import { checkSqliteNative } from '../store/native-check.js';
import { findChromium } from '../web/chromium.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface CheckResult {
  id: string;
  status: CheckStatus;
  detail: string;
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export async function runDoctor(config: KioskConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  results.push({
    id: 'node',
    status: (major === 20 && minor >= 19) || major >= 22 ? 'ok' : 'fail',
    detail: `Node ${process.versions.node}${(major === 20 && minor >= 19) || major >= 22 ? '' : ' — install Node 20.19+ or 22.12+'}`,
  });
  for (const [id, check] of [
    ['native.better-sqlite3', checkSqliteNative],
    ['native.serialport', checkSerialNative],
    ['native.onnxruntime-node', checkOnnxRuntime],
    ['native.sharp', checkSharp],
  ] as const) {
    const r = await check();
    results.push({ id, status: r.ok ? 'ok' : 'fail', detail: r.detail });
  }
  const root = packageInfo().root;
  let electronPresent = false;
  try {
    electronPresent = existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'));
  } catch {
    electronPresent = false;
  }
  results.push({
    id: 'electron',
    status: electronPresent ? 'ok' : 'warn',
    detail: electronPresent ? 'Electron binary present' : 'Electron binary absent — `npm start` runs the browser shell instead (install Electron on a machine that can download it)',
  });
  const chromium = findChromium();
  results.push({
    id: 'chromium',
    status: chromium ? 'ok' : 'warn',
    detail: chromium ? `Chromium at ${chromium}` : 'No Chromium found — the browser shell needs a browser; install Debian package `chromium`',
  });
  const renderer = path.join(root, 'dist', 'renderer', 'index.html');
  results.push({
    id: 'renderer',
    status: existsSync(renderer) ? 'ok' : 'fail',
    detail: existsSync(renderer) ? 'renderer built' : 'renderer not built — run `npm run build`',
  });
  try {
    const report = await checkModels();
    const bad = report.models.filter((m) => m.status !== 'ok');
    results.push({
      id: 'models',
      status: report.ok ? 'ok' : 'fail',
      detail: report.ok
        ? `${report.models.length} face models present and match their SHA-256 pins`
        : `${bad.map((m) => `${m.file}: ${m.status}`).join(', ')} — run \`npm run models\` (biometric capture refuses to start without them)`,
    });
  } catch (error) {
    results.push({ id: 'models', status: 'fail', detail: `model manifest unreadable: ${(error as Error).message}` });
  }
  for (const device of config.devices.fingerprint) {
    if (device.kind === 'emulated-r30x') {
      const socat = which('socat');
      results.push({
        id: `device.${device.id}`,
        status: socat ? 'ok' : 'fail',
        detail: socat ? `demo R30x emulator over a pseudo-terminal (socat at ${socat})` : 'demo R30x emulator needs socat — `apt-get install socat`',
      });
    } else if (device.kind === 'sbi') {
      results.push({ id: `device.${device.id}`, status: 'ok', detail: `MOSIP SBI device, port ${device.port ?? 'discovered in 4501–4600'}` });
    } else {
      results.push({
        id: `device.${device.id}`,
        status: existsSync(device.path) ? 'ok' : 'fail',
        detail: existsSync(device.path) ? `${device.kind} at ${device.path}` : `${device.kind}: ${device.path} does not exist — check the cable or the configured path`,
      });
    }
  }
  results.push({
    id: 'data-dir',
    status: 'ok',
    detail: `data dir ${config.dataDir}${config.demo ? ' (demo mode)' : ''}`,
  });
  const loose = loosePermissions(config.dataDir);
  results.push({
    id: 'data-dir.permissions',
    status: loose.length ? 'fail' : 'ok',
    detail: loose.length
      ? `${loose.length} path(s) readable by other users, e.g. ${loose.slice(0, 3).map((l) => `${path.relative(config.dataDir, l.path) || '.'} ${l.mode} (want ${l.expected})`).join(', ')} — the kiosk tightens them when it opens its store; or run chmod -R go-rwx on the data dir`
      : 'data dir 0700, its files 0600',
  });
  return results;
}

export function formatDoctor(results: CheckResult[]): string {
  const label = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' } as const;
  return results.map((r) => `${label[r.status]} ${r.id.padEnd(26)} ${r.detail}`).join('\n') + '\n';
}

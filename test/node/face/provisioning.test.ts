// scripts/models.js: verification, idempotence and repair, using the cached npm tarball (never the network here).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModels } from '../../../models/runtime/manifest.js';
import { projectRoot } from '../../helpers/fixtures.js';

const script = path.join(projectRoot, 'scripts', 'models.js');
const tarball = path.join(projectRoot, 'node_modules', '.cache', 'kiosk-models', 'faceplugin-face-recognition-js-0.0.1.tgz');
const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, KIOSK_MODELS_DIR: dir }, timeout: 120_000 });

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'kiosk-provision-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('scripts/models.js --check', () => {
  it('exits 1 naming each missing file, without downloading', () => {
    const dir = tmp();
    const r = run(dir, '--check');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fr_detect\.onnx\): missing/);
    expect(r.stderr).toMatch(/refuses to start without verified models/);
    expect(existsSync(path.join(dir, 'fr_detect.onnx'))).toBe(false);
  });
});

const cached = existsSync(tarball);
if (!cached) console.warn(`\n*** MODEL TARBALL NOT CACHED (${tarball}) — provisioning test SKIPPED (it must not reach the network). Run \`npm run models\`. ***\n`);

describe.skipIf(!cached)('scripts/models.js provisioning from the cached tarball', () => {
  it('extracts and verifies the six files, is idempotent, and repairs a corrupt file', async () => {
    const dir = tmp();
    const first = run(dir);
    expect(first.status, first.stderr).toBe(0);
    expect((await checkModels(dir)).ok).toBe(true);
    const mtime = statSync(path.join(dir, 'fr_pose.onnx')).mtimeMs;

    const again = run(dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/all 6 models present and verified/);
    expect(statSync(path.join(dir, 'fr_pose.onnx')).mtimeMs).toBe(mtime);

    appendFileSync(path.join(dir, 'fr_eye.onnx'), 'tampered');
    expect((await checkModels(dir)).models.find((m) => m.id === 'eye')!.status).toBe('corrupt');
    const repair = run(dir);
    expect(repair.status).toBe(0);
    expect(repair.stdout).toMatch(/provisioned 1 model file/);
    expect((await checkModels(dir)).ok).toBe(true);
  });
});

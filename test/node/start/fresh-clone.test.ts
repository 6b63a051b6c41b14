// Issue 17, item 1: a fresh clone runs with `npm install && npm start`. The build-state check decides when start
// builds; the clone test runs the real `scripts/start.js` in a clone without dist/ (node_modules linked, as after
// install) and waits for the browser shell's login URL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/fixtures.js';
// @ts-expect-error plain JS module of the start script
import { buildState } from '../../../scripts/build-state.js';

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function tree(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiosk-build-state-'));
  tmp.push(root);
  mkdirSync(path.join(root, 'main', 'cli'), { recursive: true });
  writeFileSync(path.join(root, 'main', 'cli', 'main.ts'), 'export {};\n');
  return root;
}

describe('build state (npm start builds when needed)', () => {
  it('is missing without dist/, fresh after a build, stale once a source is newer', () => {
    const root = tree();
    expect(buildState(root)).toBe('missing');
    mkdirSync(path.join(root, 'dist', 'main', 'cli'), { recursive: true });
    mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'main', 'cli', 'main.js'), '');
    writeFileSync(path.join(root, 'dist', 'renderer', 'index.html'), '');
    const src = path.join(root, 'main', 'cli', 'main.ts');
    const past = new Date(Date.now() - 60_000);
    utimesSync(src, past, past);
    expect(buildState(root)).toBe('fresh');
    const future = new Date(Date.now() + 60_000);
    utimesSync(src, future, future);
    expect(buildState(root)).toBe('stale');
  });
});

describe('a fresh clone', () => {
  it('starts with `npm start` alone (it builds first, then serves the browser shell)', { timeout: 420_000 }, async () => {
    const clone = mkdtempSync(path.join(os.tmpdir(), 'kiosk-clone-'));
    tmp.push(clone);
    // The committed state of this checkout, whether on a branch or a detached HEAD (as CI may be).
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).stdout.trim();
    const git = spawnSync('git', ['clone', '--quiet', '--no-checkout', projectRoot, clone], { encoding: 'utf8' });
    expect(git.status, git.stderr).toBe(0);
    const checkout = spawnSync('git', ['checkout', '--quiet', head], { cwd: clone, encoding: 'utf8' });
    expect(checkout.status, checkout.stderr).toBe(0);
    // What `npm install` leaves behind: node_modules and the provisioned model files (postinstall).
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'));
    symlinkSync(path.join(projectRoot, 'models', 'files'), path.join(clone, 'models', 'files'));
    const dataDir = path.join(clone, '.kiosk-data');
    const child = spawn(process.execPath, [path.join(clone, 'scripts', 'start.js'), '--port', '0', '--data-dir', dataDir], { cwd: clone, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d) => (out += String(d)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.on('line', (line) => {
          out += line + '\n';
          if (line.startsWith('{') && line.includes('"ready"')) resolve((JSON.parse(line) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${out.slice(-2000)}`)));
      });
      expect(out).toContain('building the app');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?token=/);
      // The one-time token sets the session cookie; with it the renderer is served.
      const auth = await fetch(url, { redirect: 'manual' });
      expect([302, 303]).toContain(auth.status);
      const cookie = auth.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/', url), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

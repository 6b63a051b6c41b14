// Starts the real kiosk browser shell (`kiosk web`) as a child process and returns its login URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from './fixtures.js';

export interface RunningKiosk {
  child: ChildProcess;
  /** A fresh single-use launch URL on every read (the shell exchanges each one once for a session cookie). */
  readonly loginUrl: string;
  origin: string;
  dataDir: string;
  readyMs: number;
  /** What the shell wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startKioskWeb(options: { dataDir?: string; extraArgs?: string[]; env?: Record<string, string> } = {}): Promise<RunningKiosk> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'kiosk.js'), 'web', '--data-dir', dataDir, '--port', '0', '--launch-urls', '64', ...(options.extraArgs ?? [])], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const ready = await new Promise<{ url: string; urls: string[]; readyMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiosk web did not start in 60 s: ${stderr}`)), 60_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as { event?: string; url?: string; urls?: string[]; readyMs?: number };
      if (msg.event === 'ready' && msg.url) {
        clearTimeout(timer);
        resolve({ url: msg.url, urls: msg.urls ?? [msg.url], readyMs: msg.readyMs ?? NaN });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiosk web exited with ${code}: ${stderr}`));
    });
  });
  const unused = [...ready.urls];
  return {
    child,
    get loginUrl(): string {
      const next = unused.shift();
      if (!next) throw new Error('all launch URLs of this kiosk were used: raise --launch-urls in test/helpers/kiosk-process.ts');
      return next;
    },
    origin: new URL(ready.url).origin,
    dataDir,
    readyMs: ready.readyMs,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

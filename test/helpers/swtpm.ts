// A software TPM 2.0 (swtpm, Debian package `swtpm`) for tests of the TPM key protector: started on free loopback
// ports with its own state folder; `tcti` is what tpm2-tools need (TPM2TOOLS_TCTI).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export function hasSwtpm(): { ok: boolean; reason: string } {
  for (const tool of ['swtpm', 'tpm2_createprimary', 'tpm2_create', 'tpm2_load', 'tpm2_unseal', 'tpm2_getrandom']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { ok: false, reason: `${tool} not installed (Debian packages swtpm, swtpm-tools, tpm2-tools)` };
  }
  return { ok: true, reason: '' };
}

export interface SoftTpm {
  tcti: string;
  stop(): Promise<void>;
}

export async function startSwtpm(): Promise<SoftTpm> {
  const state = mkdtempSync(path.join(os.tmpdir(), 'kiosk-swtpm-'));
  for (let attempt = 0; attempt < 10; attempt++) {
    // The swtpm TCTI finds the control channel at port + 1.
    const port = await freePort();
    const ctrl = port + 1;
    const child: ChildProcess = spawn('swtpm', ['socket', '--tpm2', '--tpmstate', `dir=${state}`, '--server', `type=tcp,port=${port},bindaddr=127.0.0.1`, '--ctrl', `type=tcp,port=${ctrl},bindaddr=127.0.0.1`, '--flags', 'not-need-init,startup-clear'], { stdio: 'ignore' });
    const up = await new Promise<boolean>((resolve) => {
      const deadline = Date.now() + 10_000;
      const probe = () => {
        if (child.exitCode !== null) return resolve(false);
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => (Date.now() > deadline ? resolve(false) : setTimeout(probe, 100)));
      };
      probe();
    });
    if (!up) {
      child.kill('SIGKILL');
      continue;
    }
    return {
      tcti: `swtpm:host=127.0.0.1,port=${port}`,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(state, { recursive: true, force: true });
      },
    };
  }
  rmSync(state, { recursive: true, force: true });
  throw new Error('swtpm did not start');
}

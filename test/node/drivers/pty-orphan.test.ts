// Issue 17 item 7: a kiosk killed with SIGKILL (no exit hooks run) must not leave its socat (the emulated sensor's
// pty pair) running as an orphan.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { socatCommand } from '../../../drivers/emulators/pty.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const haveSocat = spawnSync('socat', ['-V']).status === 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('pty pair (socat) lifetime', () => {
  it('runs socat under setpriv --pdeathsig KILL when setpriv is there', () => {
    expect(socatCommand(['-d'], '/usr/bin/setpriv')).toEqual(['/usr/bin/setpriv', ['--pdeathsig', 'KILL', '--', 'socat', '-d']]);
    expect(socatCommand(['-d'], null)).toEqual(['socat', ['-d']]);
  });

  it.skipIf(!haveSocat || process.platform !== 'linux')('socat dies with a SIGKILLed parent', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'pty-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += String(d);
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { pid: number }).pid);
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(alive(pid)).toBe(true);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const end = Date.now() + 5000;
    while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});

// A pseudo-terminal pair from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): one end for the emulated device,
// the other for the driver under test. Stable symlinks (link=) let an "unplug" (socat killed) be followed by a
// "replug" at the same host path, as a USB adapter that comes back as the same /dev/serial/by-id name.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeviceNotFoundError } from '../errors.js';

export interface PtyPairInfo {
  /** The pty paths socat printed ("PTY is /dev/pts/N"): [device end, host end]. */
  ptyPaths: [string, string];
  /** Stable symlink to the device end. */
  devicePath: string;
  /** Stable symlink to the host end: give this to the driver. */
  hostPath: string;
}

// A SIGKILLed kiosk runs no exit hook: on Linux socat is started under `setpriv --pdeathsig KILL` (util-linux), so the
// kernel kills it with its parent and no orphan keeps the pty pair alive. Elsewhere, the exit hook below only.
const SETPRIV = '/usr/bin/setpriv';
export function socatCommand(args: string[], setpriv: string | null = process.platform === 'linux' && existsSync(SETPRIV) ? SETPRIV : null): [string, string[]] {
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', 'socat', ...args]] : ['socat', args];
}

// socat children still running when this process exits (e.g. a test worker torn down mid-test) are killed with it.
const live = new Set<ChildProcess>();
let exitHook = false;
function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL');
    });
  }
}

export class PtyPair {
  private proc: ChildProcess | undefined;
  private readonly dir: string;
  private info: PtyPairInfo | undefined;
  private disposed = false;

  private constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'kiosk-pty-'));
  }

  static async start(): Promise<PtyPair> {
    const pair = new PtyPair();
    try {
      await pair.spawn();
    } catch (error) {
      await pair.dispose();
      throw error;
    }
    return pair;
  }

  get paths(): PtyPairInfo {
    if (!this.info) throw new DeviceNotFoundError('The pty pair is not running');
    return this.info;
  }

  /** socat's process id (setpriv execs it, so it is the spawned pid). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private spawn(): Promise<void> {
    const devicePath = path.join(this.dir, 'device');
    const hostPath = path.join(this.dir, 'host');
    return new Promise((resolve, reject) => {
      let proc: ChildProcess;
      try {
        const [command, args] = socatCommand(['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`]);
        proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (error) {
        reject(new DeviceNotFoundError('socat could not be started (apt-get install socat)', { cause: error }));
        return;
      }
      this.proc = proc;
      track(proc);
      let stderr = '';
      const timer = setTimeout(() => fail(new DeviceNotFoundError('socat did not create the pty pair within 5 s', { details: { stderr: stderr.slice(0, 500) } })), 5000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(error);
      };
      proc.once('error', (error) => fail(new DeviceNotFoundError('socat is not installed (apt-get install socat)', { cause: error })));
      proc.once('exit', (code) => {
        if (!this.info || this.proc === proc) clearTimeout(timer);
        if (this.info === undefined) reject(new DeviceNotFoundError(`socat exited early (code ${code})`, { details: { stderr: stderr.slice(0, 500) } }));
      });
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (text: string) => {
        if (stderr.length < 8192) stderr += text;
        if (this.info || !/starting data transfer loop/.test(stderr)) return;
        const ptys = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!);
        if (ptys.length < 2) return fail(new DeviceNotFoundError('socat did not report two ptys', { details: { stderr: stderr.slice(0, 500) } }));
        clearTimeout(timer);
        this.info = { ptyPaths: [ptys[0]!, ptys[1]!], devicePath, hostPath };
        resolve();
      });
    });
  }

  private async kill(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    this.info = undefined;
    if (!proc) return;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      proc.stderr?.destroy();
      return;
    }
    // 'close' (not 'exit'): also waits for socat's stderr pipe to close, so no handle outlives dispose().
    await new Promise<void>((resolve) => {
      proc.once('close', () => resolve());
      proc.kill('SIGTERM');
    });
    // The process handle itself closes on the next turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Simulates pulling the cable: both ptys vanish; open ports on them see a disconnect. */
  async unplug(): Promise<void> {
    await this.kill();
  }

  /** Brings the pair back at the same symlinks (new pty numbers). */
  async replug(): Promise<void> {
    if (this.disposed) return;
    await this.kill();
    await this.spawn();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

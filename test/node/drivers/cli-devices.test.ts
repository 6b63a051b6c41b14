import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { leaksSince, resourceSnapshot } from './helpers.js';
import { commands } from '../../../main/cli/commands/devices.js';
import type { CliIo } from '../../../main/cli/command.js';
import { listSerialPorts } from '../../../drivers/ports.js';

const socat = (() => {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — CLI emulator tests are SKIPPED. ***\n');
    return false;
  }
})();

class Capture extends Writable {
  text = '';
  private waiters: (() => void)[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    for (const w of this.waiters.splice(0)) w();
    cb();
  }
  async firstLine(): Promise<string> {
    while (!this.text.includes('\n')) await new Promise<void>((r) => this.waiters.push(r));
    return this.text.split('\n')[0]!;
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-cli-devices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(stop = new AbortController()): { io: CliIo; out: Capture; stop: AbortController } {
  const out = new Capture();
  return { io: { stdout: out, stderr: new Capture(), cwd: dir, stopSignal: stop.signal }, out, stop };
}

const cmd = (...p: string[]) => commands.find((c) => c.path.join(' ') === p.join(' '))!;

describe('port discovery', () => {
  it('reports when enumeration is unavailable and falls back to configured paths', async () => {
    const file = path.join(dir, 'fake-tty');
    writeFileSync(file, '');
    const listing = await listSerialPorts({ configuredPaths: [file, '/dev/nope-kiosk'], list: () => Promise.reject(new Error('spawn udevadm ENOENT')) });
    expect(listing.enumerated).toBe(false);
    expect(listing.reason).toMatch(/udevadm/);
    expect(listing.ports).toEqual([{ path: file, configured: true }]);
  });
  it('names well-known USB-UART bridges from vendor/product ids', async () => {
    const listing = await listSerialPorts({ list: async () => [{ path: '/dev/ttyUSB0', vendorId: '10C4', productId: 'EA60', manufacturer: 'Silicon Labs' }] });
    expect(listing).toEqual({ enumerated: true, ports: [{ path: '/dev/ttyUSB0', vendorId: '10C4', productId: 'EA60', manufacturer: 'Silicon Labs', bridge: 'Silicon Labs CP210x' }] });
  });
});

describe.skipIf(!socat)('kiosk emulate / devices test', () => {
  it.each(['r30x', 'gt511c3'])('emulate %s, then devices test captures through the driver and saves a PNG', async (kind) => {
    const before = resourceSnapshot();
    const emu = io();
    const running = cmd('emulate').run([kind, '--no-pacing', '--subject', 'cli-subject'], emu.io);
    try {
      const line = JSON.parse(await emu.out.firstLine()) as { path: string; pty: string };
      expect(line.pty).toMatch(/^\/dev\/pts\/\d+$/);
      const t = io();
      const png = path.join(dir, `${kind}.png`);
      const code = await cmd('devices', 'test').run(['--device', `${kind}:${line.path}`, '--out', png, '--json', ...(kind === 'gt511c3' ? ['--baud', '9600'] : [])], t.io);
      expect(code).toBe(0);
      const report = JSON.parse(t.out.text) as { width: number; height: number };
      const meta = await sharp(png).metadata();
      expect([meta.width, meta.height]).toEqual([report.width, report.height]);
      expect(kind === 'r30x' ? [256, 288] : [258, 202]).toEqual([report.width, report.height]);
    } finally {
      emu.stop.abort();
    }
    expect(await running).toBe(0);
    expect(leaksSince(before)).toEqual([]);
  });

  it('emulate sbi; devices list finds it; devices test verifies it against its trust root', async () => {
    const emu = io();
    const running = cmd('emulate').run(['sbi'], emu.io);
    try {
      const line = JSON.parse(await emu.out.firstLine()) as { port: number; trustRootPem: string };
      const root = path.join(dir, 'root.pem');
      writeFileSync(root, line.trustRootPem);
      const l = io();
      expect(await cmd('devices', 'list').run(['--json'], l.io)).toBe(0);
      const listing = JSON.parse(l.out.text) as { serial: { enumerated: boolean }; sbi: { port: number }[] };
      expect(listing.sbi.map((d) => d.port)).toContain(line.port);
      const t = io();
      expect(await cmd('devices', 'test').run(['--device', `sbi:${line.port}`, '--trust-root', root, '--json'], t.io)).toBe(0);
      expect(JSON.parse(t.out.text)).toMatchObject({ device: 'sbi', position: 2 });
      const refused = io();
      await expect(cmd('devices', 'test').run(['--device', `sbi:${line.port}`], refused.io)).rejects.toMatchObject({ code: 'DEVICE_UNTRUSTED' });
    } finally {
      emu.stop.abort();
    }
    expect(await running).toBe(0);
  });

  it('rejects bad usage', async () => {
    await expect(cmd('emulate').run(['nope'], io().io)).rejects.toThrow(/r30x, gt511c3 or sbi/);
    await expect(cmd('emulate').run(['r30x', '--fault', 'fire'], io().io)).rejects.toThrow(/--fault/);
    await expect(cmd('devices', 'test').run(['--device', 'x'], io().io)).rejects.toThrow(/--device/);
  });
});

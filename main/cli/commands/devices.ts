// `kiosk emulate …` and `kiosk devices list|test`: emulated sensors on ptys / HTTP, port and SBI discovery,
// and a one-image capture through the real driver.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { FingerprintDevice } from '../../../drivers/device.js';
import { Gt511c3Emulator } from '../../../drivers/emulators/gt511c3-emulator.js';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { SBI_FAULTS, SbiService, type SbiFault } from '../../../drivers/emulators/sbi-service.js';
import { SERIAL_FAULTS, type SerialFault } from '../../../drivers/emulators/serial-emulator.js';
import { Gt511c3Device } from '../../../drivers/gt511c3/driver.js';
import { listSerialPorts } from '../../../drivers/ports.js';
import { R30xDevice } from '../../../drivers/r30x/driver.js';
import { SbiDevice, discoverSbi } from '../../../drivers/sbi/client.js';
import { flag, option, options, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new CliUsageError(`--${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

function waitForStop(io: CliIo): Promise<void> {
  if (io.stopSignal.aborted) return Promise.resolve();
  return new Promise((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
}

const emulate: CliCommand = {
  path: ['emulate'],
  summary: 'run an emulated fingerprint device (R30x / GT-511C3 on a pty pair, or an SBI service on 127.0.0.1)',
  usage: `kiosk emulate r30x|gt511c3|sbi [--subject ID] [--fault MODE] [--baud B] [--no-pacing] [--port P]   (faults: ${SBI_FAULTS.join(', ')})`,
  async run(args, io) {
    const parsed = parseArgs(args, { string: ['subject', 'fault', 'baud', 'port'], boolean: ['no-pacing'] });
    const [kind, extra] = parsed.positionals;
    if (extra !== undefined) throw new CliUsageError(`unexpected argument ${extra}`);
    const subject = option(parsed, 'subject') ?? 'demo-subject';
    const fault = option(parsed, 'fault') ?? null;
    const baudRate = positiveInt('baud', option(parsed, 'baud'));
    const pacing = !flag(parsed, 'no-pacing');
    if (kind === 'r30x' || kind === 'gt511c3') {
      if (fault !== null && !(SERIAL_FAULTS as readonly string[]).includes(fault)) throw new CliUsageError(`--fault must be one of ${SERIAL_FAULTS.join(', ')}`);
      if (kind === 'r30x' && baudRate !== undefined && (baudRate % 9600 !== 0 || baudRate / 9600 > 12)) throw new CliUsageError('--baud for r30x must be 9600 × N, N = 1..12');
      const opts = { subject, fault: fault as SerialFault | null, pacing, ...(baudRate ? { baudRate } : {}) };
      const emu = kind === 'r30x' ? await R30xEmulator.start(opts) : await Gt511c3Emulator.start(opts);
      try {
        io.stdout.write(`${JSON.stringify({ device: kind, path: emu.hostPath, pty: emu.ptyPaths[1], devicePty: emu.ptyPaths[0], baud: emu.currentBaudRate, fault, pacing })}\n`);
        await waitForStop(io);
      } finally {
        await emu.dispose();
      }
      return 0;
    }
    if (kind === 'sbi') {
      if (fault !== null && !(SBI_FAULTS as readonly string[]).includes(fault)) throw new CliUsageError(`--fault must be one of ${SBI_FAULTS.join(', ')}`);
      const port = positiveInt('port', option(parsed, 'port'));
      const service = await SbiService.start({ subject, fault: fault as SbiFault | null, ...(port ? { port } : {}) });
      try {
        io.stdout.write(`${JSON.stringify({ device: 'sbi', host: '127.0.0.1', port: service.port, deviceId: service.deviceId, fault, trustRootPem: service.trustRootPem })}\n`);
        await waitForStop(io);
      } finally {
        await service.dispose();
      }
      return 0;
    }
    throw new CliUsageError('emulate needs a device kind: r30x, gt511c3 or sbi');
  },
};

const list: CliCommand = {
  path: ['devices', 'list'],
  summary: 'list serial ports (with USB vendor/product ids) and SBI devices on 127.0.0.1:4501–4600',
  usage: 'kiosk devices list [--json] [--path /dev/ttyUSB0 ...]',
  async run(args, io) {
    const parsed = parseArgs(args, { boolean: ['json'], string: ['path'] });
    if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument ${parsed.positionals[0]}`);
    const [serial, sbi] = await Promise.all([listSerialPorts({ configuredPaths: options(parsed, 'path') }), discoverSbi({ timeoutMs: 400 })]);
    if (flag(parsed, 'json')) {
      io.stdout.write(`${JSON.stringify({ serial, sbi })}\n`);
      return 0;
    }
    if (!serial.enumerated) io.stdout.write(`serial: ${serial.reason}\n`);
    for (const p of serial.ports) io.stdout.write(`serial  ${p.path}${p.vendorId ? `  ${p.vendorId}:${p.productId}` : ''}${p.bridge ? `  (${p.bridge})` : ''}${p.configured ? '  (configured)' : ''}\n`);
    if (serial.ports.length === 0) io.stdout.write('serial: no ports\n');
    for (const d of sbi) io.stdout.write(`sbi     127.0.0.1:${d.port}  ${d.deviceId}  ${d.deviceStatus}  ${d.certification}  ${d.digitalId?.make ?? ''} ${d.digitalId?.model ?? ''}\n`);
    if (sbi.length === 0) io.stdout.write('sbi: no devices on 127.0.0.1:4501–4600\n');
    return 0;
  },
};

const test: CliCommand = {
  path: ['devices', 'test'],
  summary: 'capture one fingerprint through the real driver and report size and time (optionally save a PNG)',
  usage: 'kiosk devices test --device r30x:PATH|gt511c3:PATH|sbi:PORT [--out FILE.png] [--json] [--baud B] [--timeout MS] [--finger POS] [--trust-root CA.pem] [--allow-untrusted]',
  async run(args, io) {
    const parsed = parseArgs(args, { boolean: ['json', 'allow-untrusted'], string: ['device', 'out', 'baud', 'timeout', 'finger', 'trust-root'] });
    if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument ${parsed.positionals[0]}`);
    const spec = option(parsed, 'device');
    const m = spec ? /^(r30x|gt511c3|sbi):(.+)$/.exec(spec) : null;
    if (!m) throw new CliUsageError('--device must be r30x:PATH, gt511c3:PATH or sbi:PORT');
    const kind = m[1]!;
    const target = m[2]!;
    const baudRate = positiveInt('baud', option(parsed, 'baud'));
    const timeoutMs = positiveInt('timeout', option(parsed, 'timeout')) ?? 20_000;
    const finger = positiveInt('finger', option(parsed, 'finger')) ?? (kind === 'sbi' ? 2 : 2);
    let device: FingerprintDevice;
    if (kind === 'r30x') device = new R30xDevice({ path: path.resolve(io.cwd, target), ...(baudRate ? { baudRate } : {}) });
    else if (kind === 'gt511c3') device = new Gt511c3Device({ path: path.resolve(io.cwd, target), ...(baudRate ? { baudRate } : {}) });
    else {
      const port = positiveInt('device port', target);
      if (!port || port < 4501 || port > 4600) throw new CliUsageError('sbi:PORT must be in 4501..4600');
      const rootFiles = options(parsed, 'trust-root');
      const trustRoots = await Promise.all(rootFiles.map((f) => readFile(path.resolve(io.cwd, f), 'utf8')));
      device = new SbiDevice({ port, trustRoots, allowUntrusted: flag(parsed, 'allow-untrusted'), captureTimeoutMs: timeoutMs });
    }
    try {
      const t0 = performance.now();
      const info = await device.info({ signal: io.stopSignal });
      const result = await device.capture({ positions: [finger], timeoutMs, signal: io.stopSignal });
      const elapsedMs = performance.now() - t0;
      const img = result.images[0]!;
      const outPath = option(parsed, 'out');
      if (outPath) {
        await sharp(Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength), { raw: { width: img.width, height: img.height, channels: 1 } })
          .toColourspace('b-w')
          .withDensity(img.ppi)
          .png()
          .toFile(path.resolve(io.cwd, outPath));
      }
      const report = {
        device: kind,
        address: info.address,
        model: info.model,
        width: img.width,
        height: img.height,
        ppi: img.ppi,
        position: img.position,
        quality: img.quality ?? null,
        bytes: img.timing.bytes,
        waitMs: Math.round(img.timing.waitMs),
        uploadMs: Math.round(img.timing.uploadMs),
        totalMs: Math.round(elapsedMs),
        out: outPath ? path.resolve(io.cwd, outPath) : null,
      };
      if (flag(parsed, 'json')) io.stdout.write(`${JSON.stringify(report)}\n`);
      else
        io.stdout.write(
          `${report.model} at ${report.address}: ${report.width}×${report.height} @ ${report.ppi} ppi, finger ${report.position}, ${report.bytes} bytes, wait ${report.waitMs} ms, upload ${report.uploadMs} ms, total ${report.totalMs} ms${report.out ? `, saved ${report.out}` : ''}\n`,
        );
      return 0;
    } finally {
      await device.dispose();
    }
  },
};

export const commands: CliCommand[] = [emulate, list, test];

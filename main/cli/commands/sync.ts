// `kiosk register | sync | export | import-receipts`: registry sync over the network or a USB drive.
// Sync state lives in DATA_DIR/sync/ (identity, registration, file outbox) until the store-backed outbox is wired.
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { RegistryClient, registerKiosk } from '../../../sync/engine/client.js';
import { loadIdentity, loadOrCreateIdentity, loadRegistration, openFileOutbox, saveRegistration } from '../../../sync/engine/kiosk-state.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { exportToUsb, importReceiptsFromUsb } from '../../../sync/engine/usb.js';
import { NotRegisteredError } from '../../../sync/errors.js';
import { flag, option, parseArgs, type ParsedArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

async function dataDirOf(parsed: ParsedArgs, io: CliIo): Promise<{ dataDir: string; kioskId: string; centreId: string }> {
  const file = option(parsed, 'config');
  const dataDir = option(parsed, 'data-dir');
  const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
  return { dataDir: !file && !dataDir ? path.resolve(io.cwd, '.kiosk-data') : config.dataDir, kioskId: config.kioskId, centreId: config.centreId };
}

function registered(dataDir: string) {
  const identity = loadIdentity(dataDir);
  if (!identity) throw new NotRegisteredError();
  return { identity, registration: loadRegistration(dataDir) };
}

const out = (io: CliIo, v: unknown) => io.stdout.write(JSON.stringify(v) + '\n');

export const commands: CliCommand[] = [
  {
    path: ['register'],
    summary: 'Register this kiosk with the registry using a one-time enrollment token',
    usage: 'kiosk register --registry URL --token TOKEN [--data-dir D] [--config FILE]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['registry', 'token', 'data-dir', 'config'] });
      const url = option(parsed, 'registry');
      const token = option(parsed, 'token');
      if (!url || !token) throw new CliUsageError('--registry and --token are required');
      const { dataDir, kioskId, centreId } = await dataDirOf(parsed, io);
      const identity = loadOrCreateIdentity(dataDir, { kioskId, centreId });
      const registration = await registerKiosk(url, token, identity);
      saveRegistration(dataDir, registration);
      out(io, { registered: identity.kioskId, centreId: identity.centreId, registry: url, serial: registration.certificate.payload.serial });
      return 0;
    },
  },
  {
    path: ['sync'],
    summary: 'Upload sealed packets to the registry (background until stopped, or --once)',
    usage: 'kiosk sync [--once] [--data-dir D] [--config FILE] [--bandwidth BYTES_PER_S]',
    async run(args, io) {
      const parsed = parseArgs(args, { boolean: ['once'], string: ['data-dir', 'config', 'bandwidth'] });
      const { dataDir } = await dataDirOf(parsed, io);
      const { identity, registration } = registered(dataDir);
      const outbox = openFileOutbox(dataDir);
      const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { bandwidthBytesPerSec: Number(option(parsed, 'bandwidth') ?? 0) });
      engine.on('outcome', (e) => out(io, { event: 'outcome', packetId: e.packetId, status: e.status.status, reason: e.status.reason, duplicateOf: e.status.duplicateOf }));
      engine.on('failed', (e) => out(io, { event: 'failed', ...e }));
      engine.on('clock-skew', (e) => out(io, { event: 'clock-skew', ...e }));
      try {
        if (flag(parsed, 'once')) {
          const r = await engine.runOnce();
          out(io, { event: 'pass', ...r });
          return r.failures ? 1 : 0;
        }
        engine.on('pass', (r) => out(io, { event: 'pass', ...r }));
        engine.start();
        await new Promise<void>((resolve) => (io.stopSignal.aborted ? resolve() : io.stopSignal.addEventListener('abort', () => resolve(), { once: true })));
        return 0;
      } finally {
        await engine.dispose();
        await outbox.dispose();
      }
    },
  },
  {
    path: ['export'],
    summary: 'Write sealed packets and a signed manifest to a USB drive',
    usage: 'kiosk export --to DIR [--data-dir D] [--config FILE]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['to', 'data-dir', 'config'] });
      const to = option(parsed, 'to');
      if (!to) throw new CliUsageError('--to DIR is required');
      const { dataDir } = await dataDirOf(parsed, io);
      const { identity } = registered(dataDir);
      const m = await exportToUsb(openFileOutbox(dataDir), identity, path.resolve(io.cwd, to));
      out(io, { exported: m.payload.files.length, exportId: m.payload.exportId });
      return 0;
    },
  },
  {
    path: ['import-receipts'],
    summary: 'Import the registry-signed receipts from a USB drive',
    usage: 'kiosk import-receipts DIR [--data-dir D] [--config FILE]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['data-dir', 'config'] });
      const dir = parsed.positionals[0];
      if (!dir) throw new CliUsageError('DIR is required');
      const { dataDir } = await dataDirOf(parsed, io);
      const { identity, registration } = registered(dataDir);
      const outbox = openFileOutbox(dataDir);
      const r = await importReceiptsFromUsb(outbox, identity, registration, path.resolve(io.cwd, dir));
      await outbox.dispose();
      out(io, r);
      return 0;
    },
  },
];


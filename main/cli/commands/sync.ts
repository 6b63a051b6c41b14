// `kiosk register | sync | export | import-receipts`: registry sync over the network or a USB drive.
// The kiosk identity is the store's Ed25519 key (encrypted under the KEK; it also signs sealed packets), the
// outbox is the store's sealed packets; DATA_DIR/sync/registration.json holds only the registry's public answer.
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config/load-config.js';
import type { KioskConfig } from '../../config/schema.js';
import { openStoreServices, selectProtector, type StoreServices } from '../../store/index.js';
import { RegistryClient, registerKiosk } from '../../../sync/engine/client.js';
import type { KioskIdentity } from '../../../sync/engine/identity.js';
import { loadRegistration, saveRegistration } from '../../../sync/engine/kiosk-state.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { exportToUsb, importReceiptsFromUsb } from '../../../sync/engine/usb.js';
import { publicKeyOf } from '../../../sync/packet/keys.js';
import { flag, option, parseArgs, type ParsedArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

async function configOf(parsed: ParsedArgs, io: CliIo): Promise<KioskConfig> {
  const file = option(parsed, 'config');
  const dataDir = option(parsed, 'data-dir');
  return loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
}

async function withStore<T>(config: KioskConfig, io: CliIo, fn: (store: StoreServices, identity: KioskIdentity) => Promise<T>): Promise<T> {
  const store = await openStoreServices({ config, logger: pino({ level: 'warn' }, io.stderr), protector: selectProtector(config.dataDir, process.env, { demo: config.demo }) });
  try {
    return await fn(store, { kioskId: config.kioskId, centreId: config.centreId, privateKey: store.kiosk.signingKey });
  } finally {
    await store.dispose();
  }
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
      const config = await configOf(parsed, io);
      return withStore(config, io, async (store, identity) => {
        const registration = await registerKiosk(url, token, identity);
        saveRegistration(config.dataDir, registration);
        // Packets from now on are sealed to the registry's key; records waiting in `approved` are sealed now.
        const sealed = await store.enrollment.setRegistryPublicKey(publicKeyOf(registration.encryptionPublicKey, 'X25519'));
        out(io, { registered: identity.kioskId, centreId: identity.centreId, registry: url, serial: registration.certificate.payload.serial, sealed });
        return 0;
      });
    },
  },
  {
    path: ['sync'],
    summary: 'Upload sealed packets to the registry (background until stopped, or --once)',
    usage: 'kiosk sync [--once] [--data-dir D] [--config FILE] [--bandwidth BYTES_PER_S]',
    async run(args, io) {
      const parsed = parseArgs(args, { boolean: ['once'], string: ['data-dir', 'config', 'bandwidth'] });
      const config = await configOf(parsed, io);
      const registration = loadRegistration(config.dataDir);
      return withStore(config, io, async (store, identity) => {
      const outbox = store.outbox;
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
      }
      });
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
      const config = await configOf(parsed, io);
      loadRegistration(config.dataDir);
      return withStore(config, io, async (store, identity) => {
        const m = await exportToUsb(store.outbox, identity, path.resolve(io.cwd, to));
        out(io, { exported: m.payload.files.length, exportId: m.payload.exportId });
        return 0;
      });
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
      const config = await configOf(parsed, io);
      const registration = loadRegistration(config.dataDir);
      return withStore(config, io, async (store, identity) => {
        const r = await importReceiptsFromUsb(store.outbox, identity, registration, path.resolve(io.cwd, dir));
        out(io, r);
        return 0;
      });
    },
  },
];


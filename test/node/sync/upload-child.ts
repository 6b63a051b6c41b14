// Child of kiosk-kill.test.ts: a kiosk process uploading its on-disk outbox until it is SIGKILLed or done.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';

const [outboxDir, configFile] = process.argv.slice(2) as [string, string];
const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as { kioskId: string; centreId: string; privateKeyPem: string; registration: ConstructorParameters<typeof RegistryClient>[1] };
const identity = { kioskId: cfg.kioskId, centreId: cfg.centreId, privateKey: createPrivateKey(cfg.privateKeyPem) };
const outbox = new FileOutbox(outboxDir);
const engine = new SyncEngine(outbox, new RegistryClient(identity, cfg.registration, { timeoutMs: 5000 }), { chunkBytes: 8192, retentionMs: 0, backoffBaseMs: 5, backoffCapMs: 200, stepAttempts: 12 });
process.stdout.write('ready\n');
const report = await engine.syncUntilIdle(200);
await engine.dispose();
process.stdout.write(`done ${report.pending}\n`);
process.exit(0);

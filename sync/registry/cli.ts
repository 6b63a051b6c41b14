#!/usr/bin/env node
// `registry` CLI: serve | admin issue-token | admin revoke-kiosk | admin revoke-operator | admin publish | import | export-receipts | status | partner …
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KioskError } from '../../main/contract/errors.js';
import { DOWNLOAD_KINDS } from '../protocol/schemas.js';
import { openRegistry, serveRegistry } from './runtime.js';
import { exportReceiptsToUsb, importFromUsb } from './usb.js';
import { runMakeBundle } from './bundle.js';
import { PARTNER_USAGE, PartnerCliUsageError, runPartnerCli } from './partners/cli.js';

const USAGE = `registry — reference registry server
  registry serve --data-dir D [--port P] [--host H] [--postgres URL] [--public-origin URL] [--biometric-dedup on|off]
                 [--lease-seconds N] [--process-id NAME] [--postgres-schema S] [--concurrency N]   (several processes over one --postgres)
                 [--packet-store s3://BUCKET/PREFIX [--s3-endpoint URL] [--s3-region R] [--s3-credentials FILE]]
                 (S3 credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] or the FILE, never flags;
                  every command takes the same --packet-store options)
                 [--verify-fingers N|all]   (kiosk finger templates spot-checked on N random fingers, default 2; all: extract every finger)
  registry admin issue-token --data-dir D [--centre ID] [--ttl-hours N] [--postgres URL]
  registry admin revoke-kiosk KIOSK_ID --data-dir D [--postgres URL]
  registry admin revoke-operator OPERATOR_ID --data-dir D [--postgres URL]
  registry admin publish KIND FILE.json --data-dir D [--postgres URL]   (KIND: config | id-schema | locations | operators)
  registry admin gc-uploads --data-dir D [--older-than-hours N] [--postgres URL]
  registry admin make-bundle --kiosk ID --centre ID --kiosk-key KEY|FILE --registry-url URL --out DIR --data-dir D [--postgres URL]
  registry import DIR --data-dir D [--postgres URL] [--biometric-dedup on|off]
  registry export-receipts DIR --data-dir D [--postgres URL]
  registry status --data-dir D [--postgres URL]
  registry household list|show HOUSEHOLD_ID|of RID --data-dir D [--postgres URL]   (members linked, PMT score)
${PARTNER_USAGE}`;

export class RegistryCliUsageError extends Error {}

function parse(args: string[]): { pos: string[]; opt: Map<string, string> } {
  const pos: string[] = [];
  const opt = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), args[++i]];
      if (v === undefined) throw new RegistryCliUsageError(`--${k} needs a value`);
      opt.set(k!, v);
    } else pos.push(a);
  }
  return { pos, opt };
}

export interface RegistryCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  stopSignal: AbortSignal;
}

export async function runRegistryCli(argv: string[], io: RegistryCliIo): Promise<number> {
  const out = (v: unknown) => io.stdout.write(JSON.stringify(v) + '\n');
  try {
    const { pos, opt } = parse(argv);
    if (pos[0] === 'partner') return await runPartnerCli(pos.slice(1), opt, io);
    const dataDir = opt.get('data-dir');
    if (!dataDir || pos.length === 0) throw new RegistryCliUsageError('missing command or --data-dir');
    for (const k of ['s3-access-key', 's3-secret-key', 's3-secret', 'aws-secret-access-key', 'aws-access-key-id']) {
      if (opt.has(k)) throw new RegistryCliUsageError(`--${k}: S3 credentials are never given on the command line (set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or --s3-credentials FILE)`);
    }
    const s3Only = ['s3-endpoint', 's3-region', 's3-credentials'].find((k) => opt.has(k) && !opt.has('packet-store'));
    if (s3Only) throw new RegistryCliUsageError(`--${s3Only} needs --packet-store s3://BUCKET/PREFIX`);
    const packetStoreSpec = opt.get('packet-store')
      ? {
          url: opt.get('packet-store')!,
          ...(opt.get('s3-endpoint') ? { endpoint: opt.get('s3-endpoint')! } : {}),
          ...(opt.get('s3-region') ? { region: opt.get('s3-region')! } : {}),
          ...(opt.get('s3-credentials') ? { credentialsFile: path.resolve(io.cwd, opt.get('s3-credentials')!) } : {}),
        }
      : undefined;
    const base = { dataDir: path.resolve(io.cwd, dataDir), ...(opt.get('postgres') ? { postgresUrl: opt.get('postgres')! } : {}), ...(opt.get('postgres-schema') ? { postgresSchema: opt.get('postgres-schema')! } : {}), ...(packetStoreSpec ? { packetStoreSpec } : {}) };
    const [cmd, sub, arg1, arg2] = pos;
    // Global face + finger dedup (project matchers) wherever packets are processed: serve and import.
    const bio = opt.get('biometric-dedup') ?? 'on';
    if (bio !== 'on' && bio !== 'off') throw new RegistryCliUsageError('--biometric-dedup must be on or off');
    const vf = opt.get('verify-fingers');
    if (vf !== undefined && vf !== 'all' && !(Number.isInteger(Number(vf)) && Number(vf) >= 1 && Number(vf) <= 10)) throw new RegistryCliUsageError('--verify-fingers must be 1..10 or all');
    const matchers = bio === 'on' && vf !== undefined ? { verifyFingers: vf === 'all' ? ('all' as const) : Number(vf) } : bio === 'on';
    if (cmd === 'serve') {
      const host = opt.get('host') ?? '127.0.0.1';
      // Off loopback the signed "@target-uri" must not come from the client's Host header.
      if (!opt.get('public-origin') && !['127.0.0.1', '::1', 'localhost'].includes(host)) throw new RegistryCliUsageError(`--public-origin is required when serving on ${host} (the origin kiosks sign requests for)`);
      const lease = opt.get('lease-seconds');
      if (lease !== undefined && !(Number(lease) > 0)) throw new RegistryCliUsageError('--lease-seconds must be a positive number');
      const conc = opt.get('concurrency');
      if (conc !== undefined && !(Number.isInteger(Number(conc)) && Number(conc) >= 1 && Number(conc) <= 16)) throw new RegistryCliUsageError('--concurrency must be an integer 1..16');
      const shared = { ...(conc ? { processingConcurrency: Number(conc) } : {}), ...(lease ? { leaseMs: Number(lease) * 1000 } : {}), ...(opt.get('process-id') ? { processId: opt.get('process-id')! } : {}) };
      const r = await serveRegistry({ ...base, ...shared, matchers, port: Number(opt.get('port') ?? 8443), host, logger: true, ...(opt.get('public-origin') ? { publicOrigin: opt.get('public-origin')! } : {}) });
      out({ event: 'ready', url: r.url, processId: r.registry.processId, signingPublicKey: r.registry.keys.signingPublicKey, encryptionPublicKey: r.registry.keys.encryptionPublicKey });
      await new Promise<void>((resolve) => (io.stopSignal.aborted ? resolve() : io.stopSignal.addEventListener('abort', () => resolve(), { once: true })));
      await r.close();
      return 0;
    }
    const registry = await openRegistry(cmd === 'import' ? { ...base, matchers } : base);
    // SIGTERM/SIGINT stop processing between packets (the loop yields to the event loop after each one).
    const stop = () => void registry.dispose();
    io.stopSignal.addEventListener('abort', stop, { once: true });
    try {
      if (cmd === 'admin' && sub === 'issue-token') {
        const ttl = opt.get('ttl-hours');
        out({ token: await registry.issueToken({ ...(opt.get('centre') ? { centreId: opt.get('centre')! } : {}), ...(ttl ? { ttlHours: Number(ttl) } : {}) }) });
      } else if (cmd === 'admin' && sub === 'revoke-kiosk' && arg1) {
        const ok = await registry.revokeKiosk(arg1);
        if (!ok) throw new KioskError('NOT_FOUND', `Unknown kiosk ${arg1}`);
        out({ revoked: arg1 });
      } else if (cmd === 'admin' && sub === 'revoke-operator' && arg1) {
        await registry.revokeOperator(arg1);
        out({ revoked: arg1 });
      } else if (cmd === 'admin' && sub === 'publish' && arg1 && arg2) {
        if (!['config', 'id-schema', 'locations', 'operators'].includes(arg1)) throw new RegistryCliUsageError(`KIND must be one of ${DOWNLOAD_KINDS.slice(0, 4).join(', ')}`);
        const doc = await registry.publish(arg1 as 'config', JSON.parse(readFileSync(path.resolve(io.cwd, arg2), 'utf8')) as unknown);
        out({ published: arg1, version: doc.payload.version });
      } else if (cmd === 'admin' && sub === 'make-bundle') {
        out(await runMakeBundle(registry, opt, io.cwd));
      } else if (cmd === 'admin' && sub === 'gc-uploads') {
        out({ collected: await registry.gcUploads(Number(opt.get('older-than-hours') ?? 168) * 3600_000) });
      } else if (cmd === 'import' && sub) {
        out(await importFromUsb(registry, path.resolve(io.cwd, sub)));
      } else if (cmd === 'export-receipts' && sub) {
        const doc = await exportReceiptsToUsb(registry, path.resolve(io.cwd, sub));
        out({ receipts: doc.payload.receipts.length, exportId: doc.payload.exportId });
      } else if (cmd === 'household' && sub === 'list') {
        out({ households: await registry.households!.list(Number(opt.get('limit') ?? 100)) });
      } else if (cmd === 'household' && sub === 'show' && arg1) {
        const h = await registry.households!.get(arg1);
        if (!h) throw new KioskError('NOT_FOUND', `Unknown household ${arg1}`);
        out(h);
      } else if (cmd === 'household' && sub === 'of' && arg1) {
        const id = await registry.households!.ofPerson(arg1);
        if (!id) throw new KioskError('NOT_FOUND', `RID ${arg1} is linked to no household`);
        out(await registry.households!.get(id));
      } else if (cmd === 'status') {
        out({ packets: await registry.store.countPackets(), received: (await registry.store.listPacketsByStatus('received', 100000)).length });
      } else throw new RegistryCliUsageError(`unknown command ${pos.join(' ')}`);
      await registry.idle();
      return 0;
    } finally {
      io.stopSignal.removeEventListener('abort', stop);
      await registry.dispose();
      await registry.closeStore();
    }
  } catch (e) {
    if (e instanceof RegistryCliUsageError || e instanceof PartnerCliUsageError) {
      io.stderr.write(`registry: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof KioskError) {
      io.stderr.write(`registry: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Process entry: `bin/registry.js` calls this (argv without node and script). */
export function main(argv: string[]): void {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  runRegistryCli(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), stopSignal: ac.signal }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`registry: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));

// Diagnostics and maintenance commands: full doctor report, PII-free diagnostics bundle, factory reset.
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config/load-config.js';
import type { KioskConfig } from '../../config/schema.js';
import { DiskSpaceGuard } from '../../diagnostics/disk-space.js';
import { exportDiagnostics } from '../../diagnostics/export.js';
import { factoryReset } from '../../diagnostics/factory-reset.js';
import { runFullDiagnostics, type DiagnosticsReport } from '../../diagnostics/report.js';
import { explain, troubleshootingTable } from '../../diagnostics/troubleshooting.js';
import { openStoreServices } from '../../enrollment/services.js';
import { selectProtector } from '../../store/protector-select.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';
import { formatDoctor } from '../doctor.js';

async function configFor(parsed: ReturnType<typeof parseArgs>, io: CliIo): Promise<KioskConfig> {
  const file = option(parsed, 'config');
  const dataDir = option(parsed, 'data-dir');
  const overrides: Record<string, unknown> = dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {};
  const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, overrides);
  return { ...config, dataDir: path.resolve(io.cwd, config.dataDir) };
}

export function diskGuardFor(config: KioskConfig): DiskSpaceGuard {
  return new DiskSpaceGuard({ dataDir: config.dataDir, warnMegabytes: config.thresholds.lowDiskMegabytes, blockMegabytes: config.thresholds.blockDiskMegabytes });
}

/** The full report from the data dir alone (no passphrase: integrity and audit need only the public key). */
export function fullReport(config: KioskConfig): Promise<DiagnosticsReport> {
  return runFullDiagnostics({ config, disk: diskGuardFor(config), shell: 'cli' });
}

export function formatFullReport(r: DiagnosticsReport): string {
  const lines = [formatDoctor(r.checks).trimEnd()];
  lines.push('', `versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.models.length) lines.push(`model pins: ${r.models.map((m) => `${m.file}=${m.sha256 ? m.sha256.slice(0, 12) : m.status}`).join(', ')}`);
  lines.push(`result: ${r.ok ? 'no failures' : 'FAILURES — see the lines marked FAIL and docs/DEPLOYMENT.md (troubleshooting)'}`);
  return lines.join('\n') + '\n';
}

export const commands: CliCommand[] = [
  {
    path: ['explain'],
    summary: 'what to do about an error code (or the whole troubleshooting table as markdown)',
    usage: 'kiosk explain CODE [--lang en|ar] | kiosk explain --markdown en|ar',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['lang', 'markdown'] });
      const markdown = option(parsed, 'markdown');
      if (markdown) {
        if (markdown !== 'en' && markdown !== 'ar') throw new CliUsageError('--markdown must be en or ar');
        io.stdout.write(troubleshootingTable(markdown));
        return 0;
      }
      const code = parsed.positionals[0];
      if (!code) throw new CliUsageError('name an error code, e.g. kiosk explain DISK_SPACE_LOW');
      const entry = explain(code.toUpperCase());
      if (!entry) {
        io.stderr.write(`unknown error code ${code}; see docs/DEPLOYMENT.md (troubleshooting)\n`);
        return 1;
      }
      const lang = option(parsed, 'lang') === 'ar' ? 'ar' : 'en';
      io.stdout.write(`${entry.code} (${entry.area}): ${entry[lang]}\n`);
      return 0;
    },
  },
  {
    path: ['diagnostics', 'export'],
    summary: 'write a diagnostics bundle (report, config, scrubbed logs; no personal data) into a new folder under DIR',
    usage: 'kiosk diagnostics export --to DIR [--config FILE] [--data-dir D] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['to', 'config', 'data-dir'], boolean: ['json'] });
      const to = option(parsed, 'to');
      if (!to) throw new CliUsageError('--to DIR is required (e.g. a mounted USB drive)');
      const config = await configFor(parsed, io);
      const report = await fullReport(config);
      const result = exportDiagnostics({ report, config, to: path.resolve(io.cwd, to) });
      io.stdout.write(flag(parsed, 'json') ? JSON.stringify(result, null, 2) + '\n' : `Diagnostics bundle written to ${result.dir} (${result.files.length} files; no personal data)\n`);
      return 0;
    },
  },
  {
    path: ['factory-reset'],
    summary: 'technician: crypto-erase the store key ring and wipe the data dir (PIN from KIOSK_OPERATOR_PIN)',
    usage: 'kiosk factory-reset --operator ID --confirm KIOSK_ID [--config FILE] [--data-dir D]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['operator', 'confirm', 'config', 'data-dir'] });
      const operatorId = option(parsed, 'operator');
      const confirm = option(parsed, 'confirm');
      if (!operatorId || !confirm) throw new CliUsageError('--operator ID and --confirm KIOSK_ID are required');
      const pin = process.env.KIOSK_OPERATOR_PIN;
      if (!pin) throw new CliUsageError('set KIOSK_OPERATOR_PIN to the technician’s PIN');
      const config = await configFor(parsed, io);
      const logger = pino({ level: 'warn' }, io.stderr);
      const store = await openStoreServices({ config, logger, protector: selectProtector(config.dataDir, process.env, { demo: config.demo }), create: false });
      let record;
      try {
        const { role } = await store.auth.verifyCredentials(operatorId, pin);
        record = await factoryReset({ dataDir: config.dataDir, kioskId: config.kioskId, actor: { operatorId, role }, confirm, store, logger });
      } finally {
        await store.dispose();
      }
      io.stdout.write(`Factory reset done at ${record.at}: key ring destroyed, data dir wiped${record.leftovers.length ? `; remove by hand: ${record.leftovers.join(', ')}` : ''}\n`);
      return record.leftovers.length ? 1 : 0;
    },
  },
];

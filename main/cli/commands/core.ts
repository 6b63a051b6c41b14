// Core CLI commands: version, config check, doctor, web (browser shell).
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { loadQuestionnaireFile } from '../../household/questionnaire-file.js';
import { createKioskCore } from '../../core/kiosk-core.js';
import { packageInfo } from '../../platform/package-info.js';
import { startBrowserShell } from '../../web/browser-shell.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { formatDoctor, runDoctor } from '../doctor.js';
import { formatFullReport, fullReport } from './diagnostics.js';

export const commands: CliCommand[] = [
  {
    path: ['version'],
    summary: 'print the kiosk version',
    usage: 'kiosk --version',
    async run(_args, io) {
      io.stdout.write(`${packageInfo().version}\n`);
      return 0;
    },
  },
  {
    path: ['config', 'check'],
    summary: 'validate a config file (or the embedded defaults)',
    usage: 'kiosk config check [--config FILE] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['config'], boolean: ['json'] });
      const file = option(parsed, 'config');
      const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined);
      // The household questionnaire is part of the configuration: validated here as the kiosk will at start.
      const q = config.household.questionnaire ? loadQuestionnaireFile(config.household.questionnaire, io.cwd).def : null;
      const questionnaire = q ? { id: q.id, version: q.version } : null;
      if (flag(parsed, 'json')) io.stdout.write(JSON.stringify({ ok: true, config, questionnaire }, null, 2) + '\n');
      else io.stdout.write(`OK ${file ?? '(embedded defaults: demo mode)'}: kiosk ${config.kioskId}, centre ${config.centreId}, data dir ${config.dataDir}${q ? `, household questionnaire ${q.id} ${q.version}` : ''}\n`);
      return 0;
    },
  },
  {
    path: ['doctor'],
    summary: 'check this machine: Node, native modules, Chromium, models, devices (--full: also store integrity, audit chain, disk, key mode, sync, versions)',
    usage: 'kiosk doctor [--full] [--config FILE] [--data-dir D] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['config', 'data-dir'], boolean: ['json', 'full'] });
      const file = option(parsed, 'config');
      const dataDir = option(parsed, 'data-dir');
      const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
      if (flag(parsed, 'full')) {
        const report = await fullReport({ ...config, dataDir: path.resolve(io.cwd, config.dataDir) });
        io.stdout.write(flag(parsed, 'json') ? JSON.stringify(report, null, 2) + '\n' : formatFullReport(report));
        return report.ok ? 0 : 1;
      }
      const results = await runDoctor(config);
      io.stdout.write(flag(parsed, 'json') ? JSON.stringify(results, null, 2) + '\n' : formatDoctor(results));
      return results.some((r) => r.status === 'fail') ? 1 : 0;
    },
  },
  {
    path: ['web'],
    summary: 'run the kiosk core under Node and serve the renderer to a browser on 127.0.0.1',
    usage: 'kiosk web [--config FILE] [--port P] [--data-dir D] [--launch-urls N]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['config', 'port', 'data-dir', 'launch-urls'] });
      // Each launch URL works once (it is exchanged for a session cookie); N > 1 for several windows or test browsers.
      const launchCount = Number(option(parsed, 'launch-urls') ?? 1);
      if (!Number.isInteger(launchCount) || launchCount < 1 || launchCount > 64) throw new CliUsageError('--launch-urls must be an integer 1–64');
      const file = option(parsed, 'config');
      const overrides: Record<string, unknown> = {};
      const dataDir = option(parsed, 'data-dir');
      if (dataDir) overrides.dataDir = path.resolve(io.cwd, dataDir);
      const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, overrides);
      const port = option(parsed, 'port');
      // After a factory reset the browser shell exits (code 3) so that its service manager restarts it into first run.
      let reset = false;
      let wake: (() => void) | null = null;
      const core = await createKioskCore({ config, shell: 'browser', warmFace: true, onFactoryReset: () => ((reset = true), wake?.()) });
      const shell = await startBrowserShell({
        core,
        rendererDir: path.join(packageInfo().root, 'dist', 'renderer'),
        port: port !== undefined ? Number(port) : config.web.port,
      });
      const urls = [shell.loginUrl, ...Array.from({ length: launchCount - 1 }, () => shell.newLaunchUrl())];
      io.stdout.write(`${JSON.stringify({ event: 'ready', url: shell.loginUrl, urls, readyMs: Math.round(core.readyMs) })}\n`);
      io.stdout.write(`Kiosk ready: open ${shell.loginUrl}\n`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (io.stopSignal.aborted) return resolve();
        io.stopSignal.addEventListener('abort', () => resolve(), { once: true });
      });
      // A stop must end: if disposal hangs (a worker that does not answer), say so and exit with the same code.
      const DISPOSE_LIMIT_MS = 20_000;
      let limit: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        (async () => (await shell.dispose(), await core.dispose(), true))(),
        new Promise<false>((resolve) => (limit = setTimeout(() => resolve(false), DISPOSE_LIMIT_MS))),
      ]);
      clearTimeout(limit);
      if (!finished) io.stderr.write(`kiosk web: shutting down took over ${DISPOSE_LIMIT_MS / 1000} s; exiting without waiting\n`);
      return reset ? 3 : 0;
    },
  },
];

// `kiosk provision`: the technician wizard's steps without a screen, for mass provisioning (one file per kiosk or
// one shared file plus per-kiosk tokens), offline from a USB bundle, and the kiosk identity `registry admin
// make-bundle` needs. Every step reports ok / its typed error; the kiosk enters service only when the checklist
// is green or waived.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { loadConfig } from '../../config/load-config.js';
import type { KioskConfig } from '../../config/schema.js';
import { toKioskErrorShape } from '../../contract/errors.js';
import { FileSettingsService } from '../../core/services/settings-service.js';
import { openStoreServices, selectProtector } from '../../store/index.js';
import { createProvisioningService, type ProvisioningService } from '../../provisioning/index.js';
import { ProvisioningError } from '../../provisioning/errors.js';
import { CHECKLIST_ITEMS, deviceAssignmentSchema, type ChecklistItemId } from '../../provisioning/state.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

const fingerprintSchema = z.string().regex(/^[0-9a-fA-F:]{32,64}$/, 'registry key fingerprint: 32 hex digits');

/** The provisioning file of `kiosk provision --config FILE`. */
export const provisioningFileSchema = z
  .object({
    language: z.enum(['ar', 'en']).optional(),
    registry: z.object({ url: z.string().min(1), token: z.string().min(16), keyFingerprint: fingerprintSchema }).strict().optional(),
    bundle: z.object({ dir: z.string().min(1), keyFingerprint: fingerprintSchema }).strict().optional(),
    station: z.string().min(1).optional(),
    devices: z.array(deviceAssignmentSchema.omit({ test: true })).default([]),
    /** Items to waive, with the reason (audited). */
    waive: z.partialRecord(z.enum(CHECKLIST_ITEMS), z.string()).default({}),
    enterService: z.boolean().default(true),
  })
  .strict()
  .refine((f) => !(f.registry && f.bundle), 'give either registry or bundle, not both');
export type ProvisioningFile = z.infer<typeof provisioningFileSchema>;

interface StepReport {
  step: string;
  ok: boolean;
  code?: string;
  message?: string;
  messageKey?: string;
  details?: Record<string, unknown>;
}

async function kioskConfig(parsed: ReturnType<typeof parseArgs>, io: CliIo): Promise<KioskConfig> {
  const file = option(parsed, 'kiosk-config');
  const dataDir = option(parsed, 'data-dir');
  return loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
}

function readProvisioningFile(file: string): ProvisioningFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ProvisioningError('PROVISION_FILE_INVALID', `${file} is not a readable JSON file`, { cause, details: { file } });
  }
  const parsed = provisioningFileSchema.safeParse(raw);
  if (!parsed.success) throw new ProvisioningError('PROVISION_FILE_INVALID', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`, { details: { file } });
  return parsed.data;
}

/** Runs the file's steps in wizard order; stops after a failed registration (nothing else can work without it). */
export async function runProvisioningFile(prov: ProvisioningService, file: ProvisioningFile, actor: string, cwd: string): Promise<StepReport[]> {
  const steps: StepReport[] = [];
  const run = async (step: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      steps.push({ step, ok: true });
      return true;
    } catch (error) {
      const s = toKioskErrorShape(error);
      steps.push({ step, ok: false, code: s.code, message: s.message, ...(typeof s.details?.messageKey === 'string' ? { messageKey: s.details.messageKey } : {}), ...(s.details ? { details: s.details } : {}) });
      return false;
    }
  };
  if (file.language) await run('language', () => prov.setLanguage(actor, file.language!));
  const done = (id: ChecklistItemId) => prov.view().items.find((i) => i.id === id)!.status === 'ok';
  if (file.bundle) {
    const b = file.bundle;
    if (!(await run('bundle', () => prov.applyBundle(actor, path.resolve(cwd, b.dir), b.keyFingerprint)))) return steps;
  } else if (file.registry) {
    const r = file.registry;
    if (!(await run('registration', () => prov.register(actor, { registryUrl: r.url, token: r.token, registryKeyFingerprint: r.keyFingerprint })))) return steps;
    await run('downloads', () => prov.download(actor));
  } else if (!done('registration')) {
    steps.push({ step: 'registration', ok: false, code: 'PROVISION_NOT_REGISTERED', message: 'The file names neither registry nor bundle and this kiosk is not registered' });
    return steps;
  }
  if (file.station) await run('site', () => prov.setStation(actor, file.station!));
  for (const d of file.devices) await run(`device:${d.id}`, () => prov.testDevice(actor, d));
  await run('models', () => prov.checkModels(actor));
  await run('clock', () => prov.checkClock(actor));
  for (const [item, reason] of Object.entries(file.waive)) {
    if (!done(item as ChecklistItemId)) await run(`waive:${item}`, () => prov.waive(actor, item as ChecklistItemId, reason ?? ''));
  }
  if (file.enterService) await run('in-service', () => prov.enterService(actor));
  return steps;
}

async function withProvisioning<T>(config: KioskConfig, io: CliIo, fn: (prov: ProvisioningService, identity: { publicKeyRaw: string; fingerprint: string }) => Promise<T>): Promise<T> {
  const logger = pino({ level: 'warn' }, io.stderr);
  const store = await openStoreServices({ config, logger, protector: selectProtector(config.dataDir, process.env, { demo: config.demo }) });
  try {
    const settings = new FileSettingsService(config.dataDir, { locale: config.defaultLocale, cameraDeviceId: config.devices.cameraDeviceId });
    const prov = createProvisioningService({ config, store, settings, logger });
    return await fn(prov, { publicKeyRaw: store.kiosk.publicKeyRaw, fingerprint: store.kiosk.fingerprint });
  } finally {
    await store.dispose();
  }
}

function printChecklist(io: CliIo, prov: ProvisioningService): void {
  const v = prov.view();
  const label = { ok: 'OK    ', failed: 'FAIL  ', waived: 'WAIVED', pending: '...   ' } as const;
  for (const i of v.items) io.stdout.write(`${label[i.status]} ${i.id.padEnd(13)} ${i.error && i.status === 'failed' ? `${i.error.code}: ${i.error.message}` : i.waiver ? `waived: ${i.waiver.reason}` : ''}\n`);
  io.stdout.write(v.inService ? `kiosk ${v.kioskId} is IN SERVICE\n` : `kiosk ${v.kioskId} is not in service\n`);
}

export const commands: CliCommand[] = [
  {
    path: ['provision'],
    summary: 'provision this kiosk: from a provisioning file (registry + token, or --bundle DIR offline); --identity prints what make-bundle needs',
    usage:
      'kiosk provision --config PROVISIONING.json | --bundle DIR --registry-fingerprint FP | --identity | --status  [--data-dir D] [--kiosk-config FILE] [--by NAME] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['config', 'bundle', 'registry-fingerprint', 'data-dir', 'kiosk-config', 'by'], boolean: ['json', 'identity', 'status', 'no-service'] });
      if (parsed.positionals.length) throw new CliUsageError(`unexpected argument ${parsed.positionals[0]}`);
      const json = flag(parsed, 'json');
      const actor = `cli:${option(parsed, 'by') ?? 'technician'}`.slice(0, 64);
      const modes = ['config', 'bundle', 'identity', 'status'].filter((m) => parsed.flags.has(m));
      if (modes.length !== 1) throw new CliUsageError('give exactly one of --config FILE, --bundle DIR, --identity, --status');
      const config = await kioskConfig(parsed, io);
      return withProvisioning(config, io, async (prov, identity) => {
        if (flag(parsed, 'identity')) {
          const id = { kioskId: config.kioskId, centreId: config.centreId, publicKey: identity.publicKeyRaw, fingerprint: identity.fingerprint };
          io.stdout.write(json ? `${JSON.stringify(id)}\n` : `kiosk ${id.kioskId}  centre ${id.centreId}\npublic key  ${id.publicKey}\nfingerprint ${id.fingerprint}\n(registry admin make-bundle --kiosk ${id.kioskId} --centre ${id.centreId} --kiosk-key ${id.publicKey} …)\n`);
          return 0;
        }
        if (flag(parsed, 'status')) {
          if (json) io.stdout.write(`${JSON.stringify(prov.view())}\n`);
          else printChecklist(io, prov);
          return prov.inService ? 0 : 1;
        }
        let file: ProvisioningFile;
        if (parsed.flags.has('bundle')) {
          const fp = option(parsed, 'registry-fingerprint');
          if (!fp) throw new CliUsageError('--bundle needs --registry-fingerprint FP (from the work order, not from the bundle)');
          file = provisioningFileSchema.parse({ bundle: { dir: option(parsed, 'bundle'), keyFingerprint: fp }, enterService: false });
        } else file = readProvisioningFile(path.resolve(io.cwd, option(parsed, 'config')!));
        if (flag(parsed, 'no-service')) file = { ...file, enterService: false };
        const steps = await runProvisioningFile(prov, file, actor, io.cwd);
        const v = prov.view();
        const ok = file.enterService ? v.inService : steps.every((s) => s.ok);
        if (json) io.stdout.write(`${JSON.stringify({ kioskId: v.kioskId, ok, inService: v.inService, steps, checklist: v.items })}\n`);
        else {
          for (const s of steps) io.stdout.write(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}${s.ok ? '' : `  ${s.code}: ${s.message}`}\n`);
          printChecklist(io, prov);
        }
        return ok ? 0 : 1;
      });
    },
  },
];

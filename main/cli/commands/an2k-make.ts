// `kiosk an2k make --enrollment RID`: an ANSI/NIST-ITL tenprint transaction (Type-1, Type-2, Type-14 WSQ,
// Type-10 face) from a record still held decrypted in the store. Reading PII is a staff action: the operator signs
// in with their PIN (KIOSK_OPERATOR_PIN) and the view is audited; Type-2 carries only the RID, not the names.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { buildTenprint, writeAn2k } from '../../../models/formats/an2k/index.js';
import { loadConfig } from '../../config/load-config.js';
import { KioskError } from '../../contract/errors.js';
import { openStoreServices, selectProtector } from '../../store/index.js';
import { option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand } from '../command.js';

export const commands: CliCommand[] = [
  {
    path: ['an2k', 'make'],
    summary: 'write an ANSI/NIST-ITL tenprint transaction for an enrollment still in the store',
    usage: 'kiosk an2k make --enrollment RID --operator ID -o out.an2 [--data-dir D] [--config FILE]   (PIN from KIOSK_OPERATOR_PIN)',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['enrollment', 'operator', 'o', 'out', 'data-dir', 'config'] });
      const rid = option(parsed, 'enrollment');
      const operatorId = option(parsed, 'operator');
      const out = option(parsed, 'o') ?? option(parsed, 'out');
      if (!rid || !operatorId || !out) throw new CliUsageError('--enrollment RID, --operator ID and -o FILE are required');
      const pin = process.env.KIOSK_OPERATOR_PIN;
      if (!pin) throw new CliUsageError('set KIOSK_OPERATOR_PIN to the operator’s PIN');
      const file = option(parsed, 'config');
      const dataDir = option(parsed, 'data-dir');
      const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
      const store = await openStoreServices({ config, logger: pino({ level: 'warn' }, io.stderr), protector: selectProtector(config.dataDir, process.env, { demo: config.demo }), create: false });
      try {
        const session = await store.auth.signIn(operatorId, pin);
        const actor = { operatorId: session.operatorId, role: session.role };
        const id = await store.enrollment.findByRid(actor, rid);
        if (!id) throw new KioskError('NOT_FOUND', `No enrollment with RID ${rid} on this kiosk`);
        const record = await store.enrollment.get(actor, id);
        if (record.fingers.length === 0 && !record.face) {
          throw new KioskError('NO_BIOMETRICS', `Enrollment ${rid} holds no biometric data (status ${record.status}; sealed records keep none)`);
        }
        const face = record.face ? { jpeg: record.face.image, ...(await sharp(record.face.image).metadata().then((m) => ({ width: m.width ?? 0, height: m.height ?? 0 }))) } : undefined;
        const date = new Date(record.createdAt).toISOString().slice(0, 10).replace(/-/g, '');
        const tx = buildTenprint({
          tot: 'NFUF',
          dai: 'REGISTRY',
          ori: config.centreId,
          tcn: rid,
          date,
          demographics: { 18: rid },
          fingers: record.fingers.map((f) => ({ position: f.position, impression: 'plain' as const, pixels: f.image.pixels, width: f.image.width, height: f.image.height, quality: f.quality })),
          ...(face ? { face } : {}),
        });
        const bytes = writeAn2k(tx);
        writeFileSync(path.resolve(io.cwd, out), bytes);
        io.stdout.write(`${JSON.stringify({ rid, file: out, bytes: bytes.length, fingers: record.fingers.length, face: !!face })}\n`);
        return 0;
      } finally {
        await store.dispose();
      }
    },
  },
];

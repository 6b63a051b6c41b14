// `kiosk store …`: initialise, inspect and verify the enrollment store; export the kiosk public key; seed demo data.
// The KEK comes from KIOSK_PASSPHRASE or a 0600 key file in the data dir (see main/store/protector-select.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../../config/load-config.js';
import type { KioskConfig } from '../../config/schema.js';
import { supervisorDedupDecision } from '../../enrollment/evidence.js';
import { KioskError } from '../../contract/errors.js';
import { demoPerson } from '../../enrollment/demo-people.js';
import { DEMO_OPERATORS } from '../../auth/service.js';
import { FINGER_POSITIONS, type BiometricException, type FaceCapture, type FingerCapture, type FingerPosition } from '../../enrollment/model.js';
import { proceduralFingerCapture, syntheticFace } from '../../enrollment/synthetic.js';
import sharp from 'sharp';
import { FINGER_TEMPLATE_FORMAT } from '../../capture/draft.js';
import { createFaceService, type FaceService } from '../../../models/face/service.js';
import { analyzeFinger, qualityOfAnalysis, serializeTemplate, templateFromAnalysis, toWorkingResolution } from '../../../models/finger/index.js';
import { openStoreServices, readStoreStatus, verifyStoreAudit } from '../../enrollment/services.js';
import { keyFingerprint, publicKeyFromRaw, publicKeyPem } from '../../store/crypto/identity.js';
import { readKeyring } from '../../store/crypto/keyring.js';
import { selectProtector } from '../../store/protector-select.js';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

async function configFor(parsed: ReturnType<typeof parseArgs>, io: CliIo): Promise<KioskConfig> {
  const file = option(parsed, 'config');
  const dataDir = option(parsed, 'data-dir');
  const overrides: Record<string, unknown> = dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {};
  const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, overrides);
  return !file && !dataDir ? { ...config, dataDir: path.resolve(io.cwd, '.kiosk-data') } : config;
}

function logger(io: CliIo) {
  return pino({ level: 'warn' }, io.stderr);
}

async function open(config: KioskConfig, io: CliIo, create: boolean) {
  return openStoreServices({ config, logger: logger(io), protector: selectProtector(config.dataDir, process.env, { demo: config.demo }), create });
}

/** Single-face JPEG fixtures (../shared/fixtures/faces or $KIOSK_FIXTURES/faces), sorted; [] when absent. */
export function fixtureFaces(projectRoot: string): string[] {
  const root = process.env.KIOSK_FIXTURES ? path.resolve(process.env.KIOSK_FIXTURES) : path.resolve(projectRoot, '..', 'shared', 'fixtures');
  try {
    return readdirSync(path.join(root, 'faces'))
      .filter((f) => /\.jpe?g$/i.test(f) && !/^group_|partial|_\d+p\.|1080p/i.test(f))
      .sort()
      .map((f) => path.join(root, 'faces', f));
  } catch {
    return [];
  }
}

/**
 * A synthetic finger (drivers/synth) through the capture pipeline's own extraction: working resolution, quality
 * (NFIQ 2 scale), minutiae and the compact template local dedup reads — what a capture of that finger would store.
 */
function synthFinger(subject: string, position: FingerPosition, capturedAt: string): FingerCapture {
  const imp = synthesizeImpression({ subject, finger: position, impression: 0 });
  const work = toWorkingResolution({ width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels });
  const analysis = analyzeFinger(work);
  return {
    position,
    image: { width: work.width, height: work.height, ppi: 500, pixels: work.pixels },
    template: serializeTemplate(templateFromAnalysis(analysis)),
    templateFormat: FINGER_TEMPLATE_FORMAT,
    quality: qualityOfAnalysis(analysis).score,
    attempts: 1,
    capturedAt,
  };
}

/** One photo per fixture identity (`<name>_<n>.jpg` → the lowest n), so seeded people are different people. */
export function onePhotoPerIdentity(photos: string[]): string[] {
  const byName = new Map<string, string>();
  for (const p of photos) {
    const name = path.basename(p).replace(/_\d+\.[a-z]+$/i, '');
    if (!byName.has(name)) byName.set(name, p);
  }
  return [...byName.values()];
}

/** A fixture photo through the face pipeline: ICAO token image, embedding and quality report as a capture stores them. */
async function pipelineFace(face: FaceService, file: string, capturedAt: string): Promise<FaceCapture> {
  const c = await face.analyzeCapture({ data: new Uint8Array(readFileSync(file)) });
  if (!c.embedding || !c.tokenJpeg) throw new KioskError('FACE_NOT_FOUND', `No face found in ${path.basename(file)}`, { details: { file: path.basename(file) } });
  const failed = Object.entries(c.report.measures)
    .filter(([, m]) => !(m as { pass?: boolean }).pass)
    .map(([k]) => k);
  return {
    image: c.tokenJpeg,
    embedding: Float32Array.from(c.embedding),
    quality: { unifiedScore: c.report.unifiedScore, pass: c.report.pass, failed, pad: c.pad?.decision ?? null, source: path.basename(file) },
    capturedAt,
  };
}

const common = ['data-dir', 'config'];

export const commands: CliCommand[] = [
  {
    path: ['store', 'init'],
    summary: 'create the enrollment store, key ring and kiosk identity (KIOSK_PASSPHRASE, else a 0600 key file)',
    usage: 'kiosk store init [--data-dir D] [--config FILE] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: common, boolean: ['json'] });
      const config = await configFor(parsed, io);
      const s = await open(config, io, true);
      try {
        const out = { dataDir: config.dataDir, keyMode: s.keyMode, kioskKeyFingerprint: s.kiosk.fingerprint, registryKey: s.registry, demoOperators: config.demo };
        io.stdout.write(flag(parsed, 'json') ? JSON.stringify(out, null, 2) + '\n' : `store ready in ${out.dataDir}\nkey mode: ${s.keyMode.mode}${s.keyMode.weak ? ' (WEAK)' : ''} — ${s.keyMode.description}\nkiosk key: ${s.kiosk.fingerprint}\nregistry key: ${s.registry.source}${s.registry.weak ? ' (demo, WEAK)' : ''}\n`);
      } finally {
        await s.dispose();
      }
      return 0;
    },
  },
  {
    path: ['store', 'status'],
    summary: 'counts per state, storage size and key mode (never decrypts)',
    usage: 'kiosk store status [--json] [--data-dir D] [--config FILE]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: common, boolean: ['json'] });
      const config = await configFor(parsed, io);
      const st = await readStoreStatus(config.dataDir);
      if (flag(parsed, 'json')) {
        io.stdout.write(JSON.stringify(st, null, 2) + '\n');
      } else if (!st.initialised) {
        io.stdout.write(`no store in ${st.dataDir} (run: kiosk store init)\n`);
      } else {
        const counts = Object.entries(st.counts!.byStatus).map(([k, n]) => `  ${k.padEnd(17)} ${n}`).join('\n');
        io.stdout.write(
          `store ${st.dataDir} (schema v${st.userVersion})\nkey mode: ${st.keyMode?.mode ?? 'none'}${st.keyMode?.weak ? ' (WEAK)' : ''}\nsize: ${(st.sizeBytes.total / 1048576).toFixed(2)} MiB\ntotal ${st.counts!.total}, today ${st.counts!.today}\n${counts}\n`,
        );
      }
      return 0;
    },
  },
  {
    path: ['store', 'audit', 'verify'],
    summary: 'walk the audit hash chain and check the signed checkpoints; names the first broken entry',
    usage: 'kiosk store audit verify [--data-dir D] [--config FILE] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: common, boolean: ['json'] });
      const config = await configFor(parsed, io);
      const report = await verifyStoreAudit(config.dataDir);
      if (flag(parsed, 'json')) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else if (report.ok) io.stdout.write(`audit OK: ${report.entries} entries, ${report.checkpoints} signed checkpoints\n`);
      else io.stdout.write(`audit BROKEN at entry ${report.firstBroken!.seq}: ${report.firstBroken!.reason}\n`);
      return report.ok ? 0 : 1;
    },
  },
  {
    path: ['store', 'export-public-key'],
    summary: "print the kiosk's Ed25519 public key (PEM, raw base64, fingerprint)",
    usage: 'kiosk store export-public-key [--data-dir D] [--config FILE] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: common, boolean: ['json'] });
      const config = await configFor(parsed, io);
      const ring = readKeyring(config.dataDir);
      const raw = Buffer.from(ring.kioskPublicKey, 'base64');
      const out = { kioskId: ring.kioskId, algorithm: 'Ed25519', pem: publicKeyPem(publicKeyFromRaw(raw)), raw: ring.kioskPublicKey, fingerprint: keyFingerprint(raw) };
      io.stdout.write(flag(parsed, 'json') ? JSON.stringify(out, null, 2) + '\n' : `${out.pem}raw (base64): ${out.raw}\nfingerprint: ${out.fingerprint}\n`);
      return 0;
    },
  },
  {
    path: ['store', 'operator', 'add'],
    summary: 'add an operator (PIN from KIOSK_OPERATOR_PIN, never from the command line); bootstraps a non-demo kiosk',
    usage: 'kiosk store operator add --id ID --role clerk|supervisor|technician --name NAME [--data-dir D] [--config FILE]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: [...common, 'id', 'role', 'name'] });
      const id = option(parsed, 'id');
      const role = option(parsed, 'role');
      const name = option(parsed, 'name');
      if (!id || !name || (role !== 'clerk' && role !== 'supervisor' && role !== 'technician')) throw new CliUsageError('--id, --name and --role clerk|supervisor|technician are required');
      const pin = process.env.KIOSK_OPERATOR_PIN;
      if (!pin) throw new CliUsageError('set KIOSK_OPERATOR_PIN (4–8 digits) for the new operator');
      const config = await configFor(parsed, io);
      const s = await open(config, io, true);
      try {
        const op = await s.auth.createOperator('bootstrap', { id, role, displayName: name, pin });
        io.stdout.write(`operator ${op.id} (${op.role}) added\n`);
      } finally {
        await s.dispose();
      }
      return 0;
    },
  },
  {
    path: ['store', 'dev', 'seed'],
    summary: 'demo mode: create N realistic synthetic enrollments (optionally approved and sealed)',
    usage: 'kiosk store dev seed --count N [--approve] [--procedural] [--data-dir D] [--config FILE] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: [...common, 'count', 'seed'], boolean: ['approve', 'json', 'procedural'] });
      const count = Number(option(parsed, 'count'));
      if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new CliUsageError('--count must be an integer 1–10000');
      const seed = Number(option(parsed, 'seed') ?? Date.now() % 100_000);
      const config = await configFor(parsed, io);
      if (!config.demo) throw new KioskError('DEMO_ONLY', 'dev seed needs demo mode (it signs in as the demo operators)');
      const procedural = flag(parsed, 'procedural');
      // Real photos through the real face pipeline (one identity per seeded person); procedural mode keeps the fast
      // synthetic placeholders for load tests.
      const faces = procedural ? [] : onePhotoPerIdentity(fixtureFaces(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')));
      const faceService = faces.length ? await createFaceService({ workers: 1 }) : null;
      const s = await open(config, io, true);
      const created: Record<string, unknown>[] = [];
      try {
        const clerkOp = DEMO_OPERATORS.find((o) => o.role === 'clerk')!;
        const supOp = DEMO_OPERATORS.find((o) => o.role === 'supervisor')!;
        const clerk = await s.auth.signIn(clerkOp.id, clerkOp.pin);
        const actor = { operatorId: clerk.operatorId, role: clerk.role };
        for (let i = 0; i < count; i++) {
          const person = demoPerson(i, seed);
          const subject = `seed-${seed}-${i}`;
          const at = new Date().toISOString();
          const facePhoto = faces[i] ?? null;
          let face: FaceCapture | null = null;
          const exceptions: BiometricException[] = [];
          if (procedural) face = syntheticFace(subject, at, await proceduralPortraitJpeg(i + seed));
          else if (facePhoto && faceService) face = await pipelineFace(faceService, facePhoto, at);
          // More people than fixture identities: no invented face — recorded as a face exception instead.
          else exceptions.push({ modality: 'face', kind: 'unable', reason: 'dev seed: no more fixture face identities' });
          const fingers = FINGER_POSITIONS.map((p) => (procedural ? proceduralFingerCapture(subject, p, at) : synthFinger(subject, p, at)));
          const draft = await s.enrollment.createDraft(actor, {
            demographics: person,
            consent: { textVersion: 'demo-1', timestamp: at, method: 'signed_paper' },
            face,
            fingers,
            exceptions,
            // Demo seeding runs no duplicate search: the demo supervisor's decision is what approval sees.
            workflow: supervisorDedupDecision({ face, fingers, exceptions }, supOp.id, 'demo seed', at),
          });
          await s.enrollment.transition(actor, draft.id, 'captured');
          let summary = await s.enrollment.transition(actor, draft.id, 'pending_approval');
          if (flag(parsed, 'approve')) summary = await s.enrollment.transition(actor, draft.id, 'approved', { supervisor: { operatorId: supOp.id, pin: supOp.pin } });
          created.push({
            id: draft.id,
            rid: draft.rid,
            status: summary.status,
            nameAr: `${person.givenNameAr} ${person.familyNameAr}`,
            nameLatin: `${person.givenNameLatin} ${person.familyNameLatin}`,
            nationalNumber: person.nationalNumber,
            dateOfBirth: person.dateOfBirth,
            facePhoto: facePhoto && !procedural ? path.basename(facePhoto) : null,
            fingerSource: procedural ? 'procedural' : 'drivers/synth',
            fingerSubject: subject,
          });
        }
      } finally {
        await s.dispose();
        await faceService?.dispose();
      }
      if (flag(parsed, 'json')) io.stdout.write(JSON.stringify({ dataDir: config.dataDir, created }, null, 2) + '\n');
      else for (const c of created) io.stdout.write(`${c.rid}  ${c.status}  ${c.nameLatin} / ${c.nameAr}  ${c.nationalNumber}  ${c.facePhoto ?? '(no face)'}  fingers ${c.fingerSubject}\n`);
      return 0;
    },
  },
];

/** A decodable stand-in portrait for --procedural load seeding: a flat grey oval on a gradient, labelled by its seed
 * in its grey level (never a real face, so face search over procedural data is not meaningful and says so in docs). */
async function proceduralPortraitJpeg(seed: number): Promise<Uint8Array> {
  const w = 240, h = 320;
  const px = new Uint8Array(w * h);
  const level = 90 + (seed % 100);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (x - w / 2) / (w * 0.3), dy = (y - h / 2) / (h * 0.35);
      px[y * w + x] = dx * dx + dy * dy <= 1 ? level : 40 + Math.round((y / h) * 160);
    }
  }
  return new Uint8Array(await sharp(px, { raw: { width: w, height: h, channels: 1 } }).jpeg({ quality: 80 }).toBuffer());
}

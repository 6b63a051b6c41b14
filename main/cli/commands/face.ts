// `kiosk face …`: analyse photos, compare faces, and the model check used by `kiosk doctor`.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import { checkModels as checkModelFiles, defaultModelsDir, type ModelsCheckReport } from '../../../models/runtime/manifest.js';
import { createFaceService, type FaceService } from '../../../models/face/service.js';
import type { FaceQualityReport } from '../../../models/face/types.js';
import { collectPadSets, scorePadSet, summarisePad } from '../../../models/face/calibration/pad-eval.js';
import { DEFAULT_PAD_THRESHOLD } from '../../../models/face/pad.js';
import { calibrate, calibrationText } from '../../../models/face/calibration/report.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

/** Verifies every pinned face model file (for `kiosk doctor`); never throws for missing/corrupt files. */
export async function checkModels(modelsDir: string = defaultModelsDir()): Promise<ModelsCheckReport> {
  return checkModelFiles(modelsDir);
}

async function withService<T>(io: CliIo, models: string | undefined, fn: (s: FaceService) => Promise<T>): Promise<T> {
  const service = await createFaceService({ modelsDir: models ? path.resolve(io.cwd, models) : undefined });
  try {
    return await fn(service);
  } finally {
    await service.dispose();
  }
}

async function readImage(io: CliIo, file: string): Promise<Uint8Array> {
  try {
    return await readFile(path.resolve(io.cwd, file));
  } catch (cause) {
    throw new KioskError('NOT_FOUND', `Cannot read ${file}`, { cause, details: { file } });
  }
}

function summaryLine(file: string, r: FaceQualityReport): string {
  const m = r.measures;
  const face = r.face;
  const parts = [
    `${file}: ${r.width}×${r.height}`,
    `faces ${r.faces.filter((f) => f.score >= 0.99).length}`,
    `score ${r.unifiedScore}`,
    r.pass ? 'PASS' : 'FAIL',
  ];
  if (face) parts.push(`IED ${face.interEyeDistance}px`, `yaw ${face.pose.yaw}° pitch ${face.pose.pitch}° roll ${face.pose.roll}°`, `sharpness ${m.sharpness.raw}`);
  if (r.messages.length) parts.push(`→ ${r.messages.join(', ')}`);
  return parts.join('  ');
}

const round4 = (v: number) => Math.round(v * 10000) / 10000;

/** `face analyze --json`: the quality report plus the passive liveness result (null when no face). */
type AnalyzeOutput = FaceQualityReport & {
  liveness: { score: number; decision: 'bona_fide' | 'attack_suspected'; threshold: number; eyesVisible: boolean; challengeRequired: boolean } | null;
};

const analyze: CliCommand = {
  path: ['face', 'analyze'],
  summary: 'Analyse face image quality (ISO/IEC 29794-5 style measures) of one or more photos',
  usage: 'kiosk face analyze <image…> [--json] [--models DIR]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['models'] });
    if (p.positionals.length === 0) throw new CliUsageError('face analyze needs at least one image');
    return withService(io, option(p, 'models'), async (s) => {
      const out: Record<string, AnalyzeOutput | { error: unknown }> = {};
      let failed = false;
      for (const file of p.positionals) {
        try {
          const c = await s.analyzeCapture({ data: await readImage(io, file) });
          const liveness = c.pad ? { score: round4(c.pad.score), decision: c.pad.decision, threshold: c.pad.threshold, eyesVisible: c.pad.eyesVisible, challengeRequired: c.pad.challengeRequired } : null;
          out[file] = { ...c.report, liveness };
          if (!flag(p, 'json')) io.stdout.write(`${summaryLine(file, c.report)}${liveness ? `  liveness ${liveness.score} (${liveness.decision}${liveness.challengeRequired ? ', challenge' : ''}, threshold ${liveness.threshold})` : ''}\n`);
        } catch (error) {
          failed = true;
          const shape = error instanceof KioskError ? error.toShape() : { code: 'INTERNAL', message: 'Internal error' };
          out[file] = { error: shape };
          if (!flag(p, 'json')) io.stderr.write(`${file}: ${shape.code}: ${shape.message}\n`);
        }
      }
      if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(p.positionals.length === 1 ? out[p.positionals[0]!] : out, null, 2)}\n`);
      return failed ? 1 : 0;
    });
  },
};

const compareCmd: CliCommand = {
  path: ['face', 'compare'],
  summary: 'Compare the faces in two photos (cosine similarity of embeddings), or all pairs in a folder',
  usage: 'kiosk face compare <a> <b> [--json] | kiosk face compare --all <dir> [--csv] [--models DIR]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json', 'csv'], string: ['all', 'models'] });
    const dir = option(p, 'all');
    if (dir === undefined && p.positionals.length !== 2) throw new CliUsageError('face compare needs two images, or --all <dir>');
    if (dir !== undefined && p.positionals.length > 0) throw new CliUsageError('face compare --all takes no other images');
    return withService(io, option(p, 'models'), async (s) => {
      const files =
        dir === undefined
          ? p.positionals
          : (await readdir(path.resolve(io.cwd, dir)).catch((cause: unknown) => {
              throw new KioskError('NOT_FOUND', `Cannot read folder ${dir}`, { cause });
            }))
              .filter((f) => IMAGE_EXT.test(f))
              .sort()
              .map((f) => path.join(dir, f));
      const embeddings = new Map<string, number[] | null>();
      for (const f of files) {
        try {
          const c = await s.analyzeCapture({ data: await readImage(io, f) });
          embeddings.set(f, c.embedding);
        } catch (error) {
          if (dir === undefined) throw error;
          embeddings.set(f, null);
          io.stderr.write(`${f}: ${error instanceof KioskError ? `${error.code}: ${error.message}` : 'internal error'}\n`);
        }
      }
      if (dir === undefined) {
        const [a, b] = files as [string, string];
        const ea = embeddings.get(a);
        const eb = embeddings.get(b);
        if (!ea || !eb) throw new KioskError('FACE_NOT_FOUND', `No face found in ${!ea ? a : b}`);
        const r = s.compare(ea, eb);
        io.stdout.write(flag(p, 'json') ? `${JSON.stringify({ a, b, ...r })}\n` : `${a} ${b} score ${r.score.toFixed(4)} ${r.match ? 'MATCH' : 'NO MATCH'} (threshold ${r.threshold})\n`);
        return 0;
      }
      const rows: { a: string; b: string; score: number | null }[] = [];
      for (let i = 0; i < files.length; i++) {
        for (let j = i + 1; j < files.length; j++) {
          const ea = embeddings.get(files[i]!);
          const eb = embeddings.get(files[j]!);
          rows.push({ a: path.basename(files[i]!), b: path.basename(files[j]!), score: ea && eb ? s.compare(ea, eb).score : null });
        }
      }
      if (flag(p, 'csv')) {
        io.stdout.write('file_a,file_b,score\n');
        for (const r of rows) io.stdout.write(`${r.a},${r.b},${r.score === null ? '' : r.score.toFixed(6)}\n`);
      } else {
        io.stdout.write(`${JSON.stringify(rows, null, flag(p, 'json') ? 2 : undefined)}\n`);
      }
      return 0;
    });
  },
};

const padCmd: CliCommand = {
  path: ['face', 'pad'],
  summary: 'Presentation-attack detection error rates (BPCER/APCER, ISO/IEC 30107-3) on folders of bona fide and attack images',
  usage: 'kiosk face pad <dir…> [--threshold T] [--json] [--models DIR]   (each dir is bonafide/ or attack/, or holds both)',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['threshold', 'models'] });
    if (p.positionals.length === 0) throw new CliUsageError('face pad needs at least one folder');
    const tOpt = option(p, 'threshold');
    const threshold = tOpt === undefined ? DEFAULT_PAD_THRESHOLD : Number(tOpt);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new CliUsageError('--threshold must be a number in 0..1');
    const sets = await collectPadSets(p.positionals.map((d) => path.resolve(io.cwd, d)));
    if (!sets.some((x) => x.label === 'bonafide') && !sets.some((x) => x.label === 'attack')) throw new CliUsageError('no images found');
    return withService(io, option(p, 'models'), async (s) => {
      const items = [];
      for (const x of sets) items.push({ ...x, data: await readImage(io, x.file) });
      const samples = await scorePadSet(s, items, threshold);
      const summary = summarisePad(samples, threshold);
      if (flag(p, 'json')) {
        io.stdout.write(`${JSON.stringify({ summary, samples: samples.map((x) => ({ ...x, file: path.relative(io.cwd, x.file) })) }, null, 2)}\n`);
        return 0;
      }
      for (const x of samples) {
        io.stdout.write(`${path.relative(io.cwd, x.file)}  ${x.label}  score ${x.score === null ? 'no face' : x.score.toFixed(3)}${x.eyesVisible ? '' : '  eyes not visible'}  → ${x.passiveAccepted ? 'accepted' : x.challengePassed === null ? 'challenge' : x.challengePassed ? 'challenge passed' : 'challenge failed'}\n`);
      }
      const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : 'n/a');
      io.stdout.write(
        `threshold ${threshold}  bona fide ${summary.bonaFide}  attacks ${summary.attacks}\n` +
          `passive only: BPCER ${pct(summary.bpcerPassive)}  APCER ${pct(summary.apcerPassive)}\n` +
          `as the kiosk decides (challenge below the threshold): BPCER ${pct(summary.bpcer)}  APCER ${pct(summary.apcer)}  live asked for the challenge ${pct(summary.challengeRate)}\n`,
      );
      return 0;
    });
  },
};

const calibrateCmd: CliCommand = {
  path: ['face', 'calibrate'],
  summary: 'Measure the face thresholds on labelled sets: verification (all pairs, TAR at FMR 1 % / 0.1 %), sharpness, PAD; writes plots',
  usage: 'kiosk face calibrate [--lfw DIR] [--pad DIR] [--out DIR] [--every N] [--blur-every N] [--json] [--models DIR]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['lfw', 'pad', 'out', 'every', 'blur-every', 'models'] });
    const lfw = option(p, 'lfw');
    const pad = option(p, 'pad');
    if (!lfw && !pad) throw new CliUsageError('face calibrate needs --lfw DIR and/or --pad DIR');
    const every = Number(option(p, 'every') ?? 1);
    const blurEvery = Number(option(p, 'blur-every') ?? 1);
    if (!Number.isInteger(every) || every < 1 || !Number.isInteger(blurEvery) || blurEvery < 1) throw new CliUsageError('--every and --blur-every must be whole numbers ≥ 1');
    const out = option(p, 'out');
    const result = await withService(io, option(p, 'models'), (s) => calibrate(s, { lfwDir: lfw ? path.resolve(io.cwd, lfw) : undefined, padDir: pad ? path.resolve(io.cwd, pad) : undefined, outDir: out ? path.resolve(io.cwd, out) : undefined, every, blurEvery }));
    io.stdout.write(flag(p, 'json') ? `${JSON.stringify(result, null, 2)}\n` : `${calibrationText(result)}\n`);
    return 0;
  },
};

export const commands: CliCommand[] = [analyze, compareCmd, padCmd, calibrateCmd];

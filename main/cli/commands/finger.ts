// `kiosk finger …`: quality analysis and 1:1 / all-pairs comparison of fingerprint images (models/finger).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import { flag, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';
import { analyzeFinger } from '../../../models/finger/extract.js';
import { loadGrayImage } from '../../../models/finger/load.js';
import { compareTemplates, MATCH_THRESHOLD, templateFromAnalysis } from '../../../models/finger/matcher.js';
import { assessQuality } from '../../../models/finger/quality.js';
import { type FingerTemplate } from '../../../models/finger/template.js';

const IMAGE_EXT = /\.(png|jpe?g|bmp|tiff?|webp|gif|pgm)$/i;

function write(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function templateOf(file: string): Promise<FingerTemplate> {
  const a = analyzeFinger(await loadGrayImage(file));
  return templateFromAnalysis(a);
}

const analyze: CliCommand = {
  path: ['finger', 'analyze'],
  summary: 'Fingerprint quality (NFIQ 2 scale), feedback and minutiae count',
  usage: 'kiosk finger analyze <image…> [--json]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'] });
    if (p.positionals.length === 0) throw new CliUsageError('finger analyze needs at least one image');
    const results: Record<string, unknown>[] = [];
    let failed = false;
    for (const rel of p.positionals) {
      const file = path.resolve(io.cwd, rel);
      try {
        const img = await loadGrayImage(file);
        const q = assessQuality(img);
        results.push({ file: rel, quality: q.score, feedback: q.feedback, minutiae: q.minutiaeCount });
      } catch (e) {
        if (!(e instanceof KioskError)) throw e;
        failed = true;
        results.push({ file: rel, error: { code: e.code, message: e.message } });
      }
    }
    if (flag(p, 'json')) write(io, JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    else {
      for (const r of results) {
        if (r.error) write(io, `${String(r.file)}: error ${(r.error as { code: string }).code}: ${(r.error as { message: string }).message}`);
        else write(io, `${String(r.file)}: quality ${String(r.quality)}  minutiae ${String(r.minutiae)}  feedback ${(r.feedback as string[]).join(',') || 'none'}`);
      }
    }
    return failed ? 1 : 0;
  },
};

const compare: CliCommand = {
  path: ['finger', 'compare'],
  summary: `Compare two fingerprints (score ≥ ${MATCH_THRESHOLD} ⇔ FMR ≤ 0.01 %), or every pair in a folder`,
  usage: 'kiosk finger compare <a> <b> [--json] | kiosk finger compare --all <dir> [--csv]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json', 'csv'], string: ['all'] });
    const dirs = p.flags.get('all');
    if (dirs) {
      const dir = path.resolve(io.cwd, dirs[dirs.length - 1]!);
      const files = (await readdir(dir)).filter((f) => IMAGE_EXT.test(f)).sort();
      const templates: (FingerTemplate | undefined)[] = [];
      for (const f of files) {
        try {
          templates.push(await templateOf(path.join(dir, f)));
        } catch (e) {
          if (!(e instanceof KioskError)) throw e;
          io.stderr.write(`${f}: ${e.code}: ${e.message}\n`);
          templates.push(undefined);
        }
        if (io.stopSignal.aborted) return 130;
      }
      const csv = flag(p, 'csv');
      if (csv) write(io, 'file_a,file_b,score');
      for (let i = 0; i < files.length; i++) {
        for (let j = i + 1; j < files.length; j++) {
          const a = templates[i], b = templates[j];
          const s = a && b ? compareTemplates(a, b) : 0;
          write(io, csv ? `${files[i]},${files[j]},${s.toFixed(2)}` : `${files[i]} ${files[j]} ${s.toFixed(2)}${s >= MATCH_THRESHOLD ? ' match' : ''}`);
        }
        if (io.stopSignal.aborted) return 130;
      }
      return 0;
    }
    if (p.positionals.length !== 2) throw new CliUsageError('finger compare needs two images (or --all <dir>)');
    const [a, b] = await Promise.all(p.positionals.map((f) => templateOf(path.resolve(io.cwd, f))));
    const score = compareTemplates(a!, b!);
    const result = { a: p.positionals[0], b: p.positionals[1], score: Number(score.toFixed(2)), threshold: MATCH_THRESHOLD, match: score >= MATCH_THRESHOLD };
    if (flag(p, 'json')) write(io, JSON.stringify(result, null, 2));
    else write(io, `score ${result.score} (threshold ${MATCH_THRESHOLD}): ${result.match ? 'match' : 'no match'}`);
    return 0;
  },
};

export const commands: CliCommand[] = [analyze, compare];

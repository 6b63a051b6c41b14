// `kiosk dedup …`: search a capture against the local gallery, and gallery statistics.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KioskError } from '../../contract/errors.js';
import pino from 'pino';
import { loadConfig } from '../../config/load-config.js';
import type { KioskConfig } from '../../config/schema.js';
import { openStoreDedup } from '../../dedup/local.js';
import { StoreGallerySync } from '../../dedup/store-sync.js';
import type { DedupOutcome, DedupService, DedupStats } from '../../dedup/service.js';
import { openStoreServices, readStoreStatus, selectProtector } from '../../store/index.js';
import { createFaceService } from '../../../models/face/service.js';
import { loadGrayImage } from '../../../models/finger/load.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import type { FingerPos } from '../../../models/dedup/types.js';
import { flag, option, options, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';

async function configOf(io: CliIo, p: ReturnType<typeof parseArgs>): Promise<KioskConfig> {
  const file = option(p, 'config');
  const dataDir = option(p, 'data-dir');
  const config = await loadConfig(file ? path.resolve(io.cwd, file) : undefined, dataDir ? { dataDir: path.resolve(io.cwd, dataDir) } : {});
  // Same default as `kiosk store`: ./.kiosk-data.
  return !file && !dataDir ? { ...config, dataDir: path.resolve(io.cwd, '.kiosk-data') } : config;
}

/** Opens the store (key ring unlocked via KIOSK_PASSPHRASE or the key file) and the dedup gallery keyed from it. */
async function withDedup<T>(io: CliIo, config: KioskConfig, fn: (d: DedupService) => Promise<T>): Promise<T> {
  const store = await openStoreServices({ config, logger: pino({ level: 'warn' }, io.stderr), protector: selectProtector(config.dataDir, process.env, { demo: config.demo }), create: false });
  try {
    // No checkpoint from the CLI: the kiosk that owns the gallery writes snapshots.
    const dedup = await openStoreDedup(store, config.dataDir, { thresholds: config.dedup, workers: config.dedup.workers, checkpointBytes: Number.POSITIVE_INFINITY });
    try {
      // The reconcile the kiosk core runs at start, adding only: records sealed since the kiosk last ran (e.g. by
      // `kiosk store dev seed --approve`) join the gallery, so a search never answers from a stale gallery. Removing
      // stale entries stays the kiosk's job.
      const sync = new StoreGallerySync(
        dedup,
        {
          galleryIds: () => store.client.call('gallery.ids', {}),
          galleryEntry: (id) => store.enrollment.galleryEntry(id),
          onCommitted: (l) => store.client.onCommitted(l),
          operatorFingerTemplates: () => store.auth.operatorFingerTemplates(),
        },
        pino({ level: 'warn' }, io.stderr),
      );
      try {
        await sync.reconcile({ removeStale: false });
        await sync.syncOperators();
      } finally {
        await sync.dispose();
      }
      return await fn(dedup);
    } finally {
      await dedup.dispose();
    }
  } finally {
    await store.dispose();
  }
}

async function faceEmbedding(io: CliIo, file: string, models: string | undefined): Promise<Float32Array> {
  const data = await readFile(path.resolve(io.cwd, file)).catch((cause: unknown) => {
    throw new KioskError('NOT_FOUND', `Cannot read ${file}`, { cause, details: { file } });
  });
  const s = await createFaceService({ workers: 1, modelsDir: models ? path.resolve(io.cwd, models) : undefined });
  try {
    const c = await s.analyzeCapture({ data });
    if (!c.embedding) throw new KioskError('FACE_NOT_FOUND', `No face found in ${file}`);
    return Float32Array.from(c.embedding);
  } finally {
    await s.dispose();
  }
}

function parseFinger(spec: string): { position: FingerPos; file: string } {
  const m = /^(\d{1,2})=(.+)$/.exec(spec);
  const position = m ? Number(m[1]) : NaN;
  if (!m || !Number.isInteger(position) || position < 1 || position > 10) throw new CliUsageError(`--finger wants POS=IMG with POS 1–10, got "${spec}"`);
  return { position: position as FingerPos, file: m[2]! };
}

function formatOutcome(r: DedupOutcome): string {
  const lines = [`decision: ${r.decision.toUpperCase()}  (searched ${r.searched}, ${r.timings.totalMs.toFixed(0)} ms; thresholds LLR ${r.thresholds.possibleLlr.toFixed(1)} / ${r.thresholds.duplicateLlr.toFixed(1)})`];
  if (r.probeMissing.length) lines.push(`probe missing: ${r.probeMissing.join(', ')}`);
  for (const c of r.candidates.filter((c) => c.decision !== 'no_match').concat(r.candidates.filter((c) => c.decision === 'no_match').slice(0, 3))) {
    const face = c.face.available ? `face ${c.face.score!.toFixed(3)} (LLR ${c.face.llr.toFixed(1)})` : 'face —';
    const fingers = c.fingers.map((f) => `${f.position}:${f.score === null ? '—' : `${f.score.toFixed(0)}(${f.llr.toFixed(1)})`}${f.matched ? '*' : ''}`).join(' ');
    lines.push(`  ${c.decision.padEnd(18)} ${c.id} [${c.source}] LLR ${c.llr.toFixed(1)}  ${face}  fingers ${fingers || '—'}`);
  }
  for (const m of r.operatorMatches) lines.push(`  OPERATOR MATCH ${m.operatorId}${m.signedIn ? ' (signed-in operator)' : ''}: ${m.decision}, LLR ${m.llr.toFixed(1)}`);
  return lines.join('\n') + '\n';
}

export function formatStats(s: DedupStats): string {
  return (
    `gallery: ${s.entries} entries (${s.local} local, ${s.regional} regional), ${s.faces} faces, ${s.fingers} fingers; ` +
    `${(s.bytes / 1048576).toFixed(1)} MiB in memory; loaded in ${s.loadMs.toFixed(0)} ms; operators: ${s.operatorEntries}`
  );
}

const search: CliCommand = {
  path: ['dedup', 'search'],
  summary: 'Search a face photo and finger images against the local dedup gallery (1:N, fused)',
  usage: 'kiosk dedup search --data-dir D [--config FILE] [--face IMG] [--finger POS=IMG …] [--operator ID] [--models DIR] [--json]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['data-dir', 'config', 'face', 'finger', 'operator', 'models'] });
    if (p.positionals.length) throw new CliUsageError(`unexpected argument ${p.positionals[0]}`);
    const faceFile = option(p, 'face');
    const fingerSpecs = options(p, 'finger').map(parseFinger);
    if (!faceFile && fingerSpecs.length === 0) throw new CliUsageError('dedup search needs --face and/or --finger');
    if (new Set(fingerSpecs.map((f) => f.position)).size !== fingerSpecs.length) throw new CliUsageError('each finger position may be given once');
    const face = faceFile ? await faceEmbedding(io, faceFile, option(p, 'models')) : null;
    const fingers: { position: FingerPos; template: Uint8Array }[] = [];
    for (const f of fingerSpecs) fingers.push({ position: f.position, template: serializeTemplate(extractTemplate(await loadGrayImage(path.resolve(io.cwd, f.file)))) });
    const config = await configOf(io, p);
    const r = await withDedup(io, config, (d) => d.search({ face, fingers }, { signedInOperatorId: option(p, 'operator') ?? null }));
    io.stdout.write(flag(p, 'json') ? `${JSON.stringify(r, null, 2)}\n` : formatOutcome(r));
    return 0;
  },
};

const stats: CliCommand = {
  path: ['dedup', 'stats'],
  summary: 'Size, memory and load time of the local dedup gallery',
  usage: 'kiosk dedup stats [--data-dir D] [--config FILE] [--json]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['data-dir', 'config'] });
    if (p.positionals.length) throw new CliUsageError(`unexpected argument ${p.positionals[0]}`);
    const s = await withDedup(io, await configOf(io, p), (d) => d.stats());
    io.stdout.write(flag(p, 'json') ? `${JSON.stringify(s)}\n` : `${formatStats(s)}\n`);
    return 0;
  },
};

/** `kiosk status`: the store's counts and the dedup gallery's size and load time (opens both; needs the key ring). */
const status: CliCommand = {
  path: ['status'],
  summary: 'Kiosk status: enrollment store counts and the dedup gallery (size, memory, load time)',
  usage: 'kiosk status [--data-dir D] [--config FILE] [--json]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'], string: ['data-dir', 'config'] });
    if (p.positionals.length) throw new CliUsageError(`unexpected argument ${p.positionals[0]}`);
    const config = await configOf(io, p);
    const store = await readStoreStatus(config.dataDir);
    const gallery = store.initialised ? await withDedup(io, config, (d) => d.stats()) : null;
    if (flag(p, 'json')) {
      io.stdout.write(`${JSON.stringify({ dataDir: config.dataDir, store, dedup: gallery })}\n`);
      return 0;
    }
    const lines = [`data dir: ${config.dataDir}`];
    if (!store.initialised || !store.counts) lines.push('store: not initialised');
    else lines.push(`store: ${store.counts.total} enrollments (${Object.entries(store.counts.byStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}), key mode ${store.keyMode?.mode ?? '—'}`);
    if (gallery) lines.push(`dedup ${formatStats(gallery)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

export const commands: CliCommand[] = [search, stats, status];

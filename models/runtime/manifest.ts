// The model manifest (models/manifest.json) and the integrity check every capture start relies on.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelCorruptError, ModelMissingError } from './errors.js';

export interface ModelInputSpec {
  name: string;
  layout: 'NCHW';
  shape: number[];
  colour: 'RGB' | 'BGR' | 'grey';
  normalisation: string;
  crop: string;
}

export interface ModelEntry {
  file: string;
  source: string;
  pathInPackage: string;
  declaredLicense: string;
  sizeBytes: number;
  sha256: string;
  architecture: string;
  input: ModelInputSpec;
  outputs: { name: string; shape: number[]; meaning: string }[];
}

export interface ModelManifest {
  version: number;
  sources: Record<string, { package: string; version: string; tarballIntegrity: string; declaredLicense: string; repository: string }>;
  models: Record<string, ModelEntry>;
}

export const FACE_MODEL_IDS = ['detect', 'landmark', 'eye', 'pose', 'liveness', 'feature'] as const;
export type FaceModelId = (typeof FACE_MODEL_IDS)[number];

const modelsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** models/ in the source tree; from dist/ the manifest is looked up next to the sources (dist/models → ../../models). */
export function defaultModelsRoot(): string {
  // Packaged Electron app: models ship as extra resources (electron-builder.yml) in resources/models.
  // Worker threads may lack process.resourcesPath: the Electron bootstrap then passes KIOSK_MODELS_DIR (= …/models/files).
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const fromEnv = process.env.KIOSK_MODELS_DIR ? path.dirname(path.resolve(process.env.KIOSK_MODELS_DIR)) : null;
  const candidates = [...(resources ? [path.join(resources, 'models')] : []), ...(fromEnv ? [fromEnv] : []), modelsRoot, path.resolve(modelsRoot, '..', '..', 'models')];
  return candidates.find((c) => existsSync(path.join(c, 'manifest.json'))) ?? modelsRoot;
}

export function defaultModelsDir(): string {
  return process.env.KIOSK_MODELS_DIR ? path.resolve(process.env.KIOSK_MODELS_DIR) : path.join(defaultModelsRoot(), 'files');
}

let cached: ModelManifest | undefined;
export function loadManifest(): ModelManifest {
  cached ??= JSON.parse(readFileSync(path.join(defaultModelsRoot(), 'manifest.json'), 'utf8')) as ModelManifest;
  return cached;
}

export type ModelStatus = 'ok' | 'missing' | 'corrupt';

export interface ModelCheck {
  id: string;
  file: string;
  path: string;
  status: ModelStatus;
  sha256?: string;
}

export interface ModelsCheckReport {
  ok: boolean;
  modelsDir: string;
  models: ModelCheck[];
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Hashes each model file against its pin. Never throws for missing/corrupt files: reports them. */
export async function checkModels(modelsDir: string = defaultModelsDir(), ids: readonly string[] = FACE_MODEL_IDS): Promise<ModelsCheckReport> {
  const manifest = loadManifest();
  const models: ModelCheck[] = [];
  for (const id of ids) {
    const entry = manifest.models[id];
    if (!entry) throw new ModelMissingError(`Model ${id} is not in the manifest`, { model: id });
    const file = path.join(modelsDir, entry.file);
    if (!existsSync(file) || !statSync(file).isFile()) {
      models.push({ id, file: entry.file, path: file, status: 'missing' });
      continue;
    }
    const digest = await sha256(file);
    models.push({ id, file: entry.file, path: file, status: digest === entry.sha256 ? 'ok' : 'corrupt', sha256: digest });
  }
  return { ok: models.every((m) => m.status === 'ok'), modelsDir, models };
}

/** Throws ModelMissingError / ModelCorruptError naming the first bad model; capture refuses to start on either. */
export async function assertModels(modelsDir: string = defaultModelsDir(), ids: readonly string[] = FACE_MODEL_IDS): Promise<ModelsCheckReport> {
  const report = await checkModels(modelsDir, ids);
  const missing = report.models.filter((m) => m.status === 'missing');
  const corrupt = report.models.filter((m) => m.status === 'corrupt');
  if (missing.length) {
    throw new ModelMissingError(`Model file(s) missing: ${missing.map((m) => m.file).join(', ')}. Run \`npm run models\`.`, {
      models: missing.map((m) => m.id),
      modelsDir,
    });
  }
  if (corrupt.length) {
    throw new ModelCorruptError(`Model file(s) fail their SHA-256 pin: ${corrupt.map((m) => m.file).join(', ')}. Run \`npm run models -- --force\`.`, {
      models: corrupt.map((m) => m.id),
      modelsDir,
    });
  }
  return report;
}

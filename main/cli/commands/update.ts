// Signed updates: release-key generation and manifest signing (release machine), check + verified download (kiosk).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageInfo } from '../../platform/package-info.js';
import { checkForUpdate, downloadVerified } from '../../update/client.js';
import { makeUpdateManifest } from '../../update/make-manifest.js';
import { generateReleaseKeyPair, loadReleasePrivateKey, loadReleasePublicKey } from '../../update/manifest.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand } from '../command.js';

/** The release public key: --key FILE, else resources/update-release-key.pem (packaged), else build/update-release-key.pem. */
function releaseKeyFile(explicit: string | undefined, cwd: string): string {
  if (explicit) return path.resolve(cwd, explicit);
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const packaged = resources ? path.join(resources, 'update-release-key.pem') : null;
  return packaged && existsSync(packaged) ? packaged : path.join(packageInfo().root, 'build', 'update-release-key.pem');
}

export const commands: CliCommand[] = [
  {
    path: ['update', 'keygen'],
    summary: 'release machine: create an Ed25519 release key pair (keep the private key offline)',
    usage: 'kiosk update keygen --out-private FILE --out-public FILE',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['out-private', 'out-public'] });
      const priv = option(parsed, 'out-private');
      const pub = option(parsed, 'out-public');
      if (!priv || !pub) throw new CliUsageError('--out-private FILE and --out-public FILE are required');
      const pair = generateReleaseKeyPair();
      writeFileSync(path.resolve(io.cwd, priv), pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      writeFileSync(path.resolve(io.cwd, pub), pair.publicKeyPem, { mode: 0o644 });
      io.stdout.write(`Release key pair written; ship ${pub} as build/update-release-key.pem\n`);
      return 0;
    },
  },
  {
    path: ['update', 'make-manifest'],
    summary: 'release machine: hash installers and write a manifest signed with the release key',
    usage: 'kiosk update make-manifest --key PRIVATE.pem --version X.Y.Z [--channel stable] --out manifest.json FILE...',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['key', 'version', 'channel', 'out'] });
      const key = option(parsed, 'key');
      const version = option(parsed, 'version') ?? packageInfo().version;
      const out = option(parsed, 'out');
      if (!key || !out || parsed.positionals.length === 0) throw new CliUsageError('--key, --out and at least one installer file are required');
      const manifest = await makeUpdateManifest({
        files: parsed.positionals.map((f) => path.resolve(io.cwd, f)),
        appVersion: version,
        ...(option(parsed, 'channel') ? { channel: option(parsed, 'channel')! } : {}),
        privateKey: loadReleasePrivateKey(readFileSync(path.resolve(io.cwd, key), 'utf8')),
        outFile: path.resolve(io.cwd, out),
      });
      io.stdout.write(`Signed manifest for ${manifest.appVersion} (${manifest.files.length} files, key ${manifest.keyId}) written to ${out}\n`);
      return 0;
    },
  },
  {
    path: ['update', 'check'],
    summary: 'kiosk: fetch and verify an update manifest; with --download, stage the verified installer',
    usage: 'kiosk update check --url MANIFEST_URL [--key PUBLIC.pem] [--download DIR] [--kind deb|AppImage|nsis] [--json]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['url', 'key', 'download', 'kind'], boolean: ['json'] });
      const url = option(parsed, 'url');
      if (!url) throw new CliUsageError('--url MANIFEST_URL is required');
      const kind = option(parsed, 'kind');
      if (kind && !['deb', 'AppImage', 'nsis'].includes(kind)) throw new CliUsageError('--kind must be deb, AppImage or nsis');
      const releaseKey = loadReleasePublicKey(readFileSync(releaseKeyFile(option(parsed, 'key'), io.cwd), 'utf8'));
      const result = await checkForUpdate({ manifestUrl: url, releaseKey, currentVersion: packageInfo().version, ...(kind ? { kind: kind as 'deb' } : {}) });
      let staged: string | null = null;
      const dir = option(parsed, 'download');
      if (result.status === 'available' && dir) staged = await downloadVerified({ manifestUrl: url, file: result.file, stagingDir: path.resolve(io.cwd, dir) });
      if (flag(parsed, 'json')) io.stdout.write(JSON.stringify({ status: result.status, version: result.manifest.appVersion, staged }, null, 2) + '\n');
      else if (result.status === 'current') io.stdout.write(`Up to date (${packageInfo().version}); manifest signature verified\n`);
      else io.stdout.write(`Update ${result.manifest.appVersion} available (signature verified)${staged ? `; verified installer staged at ${staged}` : ''}\n`);
      return 0;
    },
  },
];

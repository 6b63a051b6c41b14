// Signed updates against a local update server on loopback: a good manifest is accepted and its installer's hash
// verified; a bad signature, another release key, a tampered file, a wrong size and a downgrade are each refused
// with their typed error, and nothing unverified is left in the staging folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/kiosk.js';
import { checkForUpdate, downloadVerified } from '../../../main/update/client.js';
import { describeArtifact, makeUpdateManifest } from '../../../main/update/make-manifest.js';
import { canonicalJson, compareVersions, generateReleaseKeyPair, loadReleasePrivateKey, loadReleasePublicKey, verifyManifest, type UpdateManifest } from '../../../main/update/manifest.js';
import { tempDataDir } from '../store/helpers.js';

const release = generateReleaseKeyPair();
const releaseKey = loadReleasePublicKey(release.publicKeyPem);
const privateKey = loadReleasePrivateKey(release.privateKeyPem);

/** A tiny update server: serves whatever `routes` holds at request time. */
function startServer(routes: Map<string, Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = routes.get(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) });
    }),
  );
}

describe('update manifest', () => {
  it('canonical JSON sorts keys at every depth; versions order numerically with pre-releases first', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
    expect(compareVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });

  it('names artifacts from electron-builder’s artifactName pattern and refuses others', () => {
    expect(describeArtifact('enrollment-kiosk-0.2.0-linux-x64.AppImage')).toEqual({ platform: 'linux', arch: 'x64', kind: 'AppImage' });
    expect(describeArtifact('enrollment-kiosk-0.2.0-linux-amd64.deb')).toEqual({ platform: 'linux', arch: 'x64', kind: 'deb' });
    expect(describeArtifact('enrollment-kiosk-0.2.0-win-x64.exe')).toEqual({ platform: 'win32', arch: 'x64', kind: 'nsis' });
    expect(() => describeArtifact('notes.txt')).toThrow(expect.objectContaining({ code: 'UPDATE_MANIFEST_INVALID' }));
  });

  it('rejects keys of the wrong type', () => {
    expect(() => loadReleasePublicKey('not a key')).toThrow(expect.objectContaining({ code: 'UPDATE_KEY_INVALID' }));
  });
});

describe('update client against a local update server', () => {
  const t = tempDataDir('kiosk-update-');
  const routes = new Map<string, Buffer>();
  let server: Awaited<ReturnType<typeof startServer>>;
  const installer = randomBytes(300_000);
  const name = 'enrollment-kiosk-0.2.0-linux-x64.deb';
  let manifest: UpdateManifest;
  const manifestUrl = () => `${server.url}/stable/manifest.json`;
  const publish = (m: unknown) => routes.set('/stable/manifest.json', Buffer.from(JSON.stringify(m)));

  beforeAll(async () => {
    server = await startServer(routes);
    const file = path.join(t.dir, name);
    writeFileSync(file, installer);
    manifest = await makeUpdateManifest({ files: [file], appVersion: '0.2.0', privateKey, outFile: path.join(t.dir, 'manifest.json') });
    routes.set(`/stable/${name}`, installer);
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  it('accepts a good manifest and stages the installer after verifying its SHA-512', async () => {
    publish(manifest);
    const r = await checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0', platform: 'linux', arch: 'x64' });
    expect(r.status).toBe('available');
    if (r.status !== 'available') return;
    expect(r.file.name).toBe(name);
    const staging = path.join(t.dir, 'staging-ok');
    const staged = await downloadVerified({ manifestUrl: manifestUrl(), file: r.file, stagingDir: staging });
    expect(readFileSync(staged).equals(installer)).toBe(true);
    expect(readdirSync(staging)).toEqual([name]);
  });

  it('the same version is "current"; an older one is a refused downgrade', async () => {
    publish(manifest);
    expect((await checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.2.0' })).status).toBe('current');
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.3.1' })).rejects.toMatchObject({ code: 'UPDATE_DOWNGRADE', details: { offered: '0.2.0', installed: '0.3.1' } });
  });

  it('refuses a bad signature: an edited version, a flipped signature byte, and another release key', async () => {
    publish({ ...manifest, appVersion: '9.0.0' });
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_SIGNATURE_INVALID' });
    const sig = Buffer.from(manifest.signature, 'base64');
    sig[5]! ^= 0x01;
    publish({ ...manifest, signature: sig.toString('base64') });
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_SIGNATURE_INVALID' });
    const other = generateReleaseKeyPair();
    const forged = await makeUpdateManifest({ files: [path.join(t.dir, name)], appVersion: '0.2.0', privateKey: loadReleasePrivateKey(other.privateKeyPem) });
    publish(forged);
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_SIGNATURE_INVALID', details: { reason: 'signed by a different release key' } });
    // The forger's manifest, re-labelled with our key id, still fails the signature itself.
    publish({ ...forged, keyId: manifest.keyId });
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_SIGNATURE_INVALID', details: { reason: 'the signature does not match the manifest' } });
  });

  it('refuses a malformed manifest', async () => {
    routes.set('/stable/manifest.json', Buffer.from('<html>captive portal</html>'));
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_MANIFEST_INVALID' });
    expect(() => verifyManifest({ ...manifest, extra: 1 }, releaseKey, '0.1.0')).toThrow(expect.objectContaining({ code: 'UPDATE_MANIFEST_INVALID' }));
  });

  it('refuses a tampered installer (same size, wrong hash) and a longer one, leaving nothing staged', async () => {
    publish(manifest);
    const r = await checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0', platform: 'linux', arch: 'x64' });
    if (r.status !== 'available') throw new Error('expected an update');
    const staging = path.join(t.dir, 'staging-bad');
    const tampered = Buffer.from(installer);
    tampered[1000]! ^= 0xff;
    routes.set(`/stable/${name}`, tampered);
    await expect(downloadVerified({ manifestUrl: manifestUrl(), file: r.file, stagingDir: staging })).rejects.toMatchObject({ code: 'UPDATE_HASH_MISMATCH', details: { reason: 'sha512' } });
    routes.set(`/stable/${name}`, Buffer.concat([installer, Buffer.from('extra')]));
    await expect(downloadVerified({ manifestUrl: manifestUrl(), file: r.file, stagingDir: staging })).rejects.toMatchObject({ code: 'UPDATE_HASH_MISMATCH', details: { reason: 'size' } });
    routes.delete(`/stable/${name}`);
    await expect(downloadVerified({ manifestUrl: manifestUrl(), file: r.file, stagingDir: staging })).rejects.toMatchObject({ code: 'UPDATE_DOWNLOAD_FAILED' });
    expect(readdirSync(staging)).toEqual([]);
    routes.set(`/stable/${name}`, installer);
  });

  it('no installer for this platform; unreachable server', async () => {
    publish(manifest);
    await expect(checkForUpdate({ manifestUrl: manifestUrl(), releaseKey, currentVersion: '0.1.0', platform: 'win32', arch: 'x64' })).rejects.toMatchObject({ code: 'UPDATE_NO_FILE' });
    await expect(checkForUpdate({ manifestUrl: 'http://127.0.0.1:1/manifest.json', releaseKey, currentVersion: '0.1.0' })).rejects.toMatchObject({ code: 'UPDATE_DOWNLOAD_FAILED' });
  });

  it('CLI: keygen, make-manifest, check --download', async () => {
    const dir = path.join(t.dir, 'cli');
    mkdirSync(dir);
    let out = '';
    const io = {
      stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
      stderr: new Writable({ write: (_c, _e, cb) => cb() }),
      cwd: dir,
      stopSignal: new AbortController().signal,
    };
    expect(await runCli(['update', 'keygen', '--out-private', 'release.pem', '--out-public', 'release.pub.pem'], io)).toBe(0);
    const file = path.join(dir, 'enrollment-kiosk-99.0.0-linux-x64.deb');
    writeFileSync(file, installer);
    expect(await runCli(['update', 'make-manifest', '--key', 'release.pem', '--version', '99.0.0', '--out', 'manifest.json', file], io)).toBe(0);
    routes.set('/cli/manifest.json', readFileSync(path.join(dir, 'manifest.json')));
    routes.set('/cli/enrollment-kiosk-99.0.0-linux-x64.deb', installer);
    out = '';
    const code = await runCli(['update', 'check', '--url', `${server.url}/cli/manifest.json`, '--key', 'release.pub.pem', '--download', 'staged', '--kind', 'deb', '--json'], io);
    expect(code).toBe(process.platform === 'linux' && process.arch === 'x64' ? 0 : 1);
    if (code === 0) {
      expect(JSON.parse(out)).toMatchObject({ status: 'available', version: '99.0.0' });
      expect(existsSync(path.join(dir, 'staged', 'enrollment-kiosk-99.0.0-linux-x64.deb'))).toBe(true);
    }
    // The shipped placeholder release key did not sign this manifest.
    expect(await runCli(['update', 'check', '--url', `${server.url}/cli/manifest.json`], io)).toBe(1);
  });
});

// Raw 32-byte public keys (X25519 registry keys, Ed25519 kiosk and partner keys) come from the SPKI export: the same
// bytes as the JWK `x`, without the JWK export's hang under garbage collection (Node 20: it holds the key's mutex
// while allocating, and a collection that frees the key's generation job takes the mutex again).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicKeyFromRaw, publicKeyRaw } from '../../../main/store/crypto/identity.js';
import { publicKeyOf, rawPublicKeyOf } from '../../../sync/packet/keys.js';
import { bundleChild } from '../../helpers/bundle-child.js';
import { projectRoot } from '../../helpers/fixtures.js';

const outDir = path.join(projectRoot, 'test-artifacts', `raw-key-child-${process.pid}`);

describe('raw public keys', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('are the 32 bytes the key is made from: raw → key → raw is the identity, key → raw → key the same key', () => {
    // The JWK import (createPublicKey of { kty: 'OKP', x }) is the independent path; the JWK export is never called.
    for (const crv of ['X25519', 'Ed25519'] as const) {
      const raw = crv === 'X25519' ? randomBytes(32) : publicKeyRaw(generateKeyPairSync('ed25519').publicKey);
      expect(rawPublicKeyOf(publicKeyOf(raw, crv))).toEqual(raw);
      const { publicKey, privateKey } = generateKeyPairSync(crv === 'X25519' ? 'x25519' : ('ed25519' as 'x25519'));
      expect(publicKeyOf(rawPublicKeyOf(publicKey), crv).equals(publicKey)).toBe(true);
      expect(rawPublicKeyOf(privateKey)).toEqual(rawPublicKeyOf(publicKey));
    }
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(publicKeyFromRaw(publicKeyRaw(publicKey)).equals(publicKey)).toBe(true);
  });

  it('refuses other key types with a clear error', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => rawPublicKeyOf(publicKey)).toThrow(/not an X25519 or Ed25519 public key/);
  });

  it('do not hang when garbage collections run inside the export (100,000 keys in a 1 MB young generation)', async () => {
    const childJs = await bundleChild({ entries: ['test/node/sync/raw-key-child.ts'], outDir, external: 'all' });
    const child = spawn(process.execPath, ['--max-semi-space-size=1', childJs, '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    expect({ code, signal, err: err.slice(0, 500) }).toEqual({ code: 0, signal: null, err: '' });
    expect(out.trim()).toBe('done 100000');
  }, 120_000);
});

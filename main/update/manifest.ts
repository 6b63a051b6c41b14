// Signed update manifests. The release key (Ed25519) signs the canonical JSON of the manifest; the kiosk holds only
// the public half (resources/update-release-key.pem) and refuses a manifest whose signature, version or file hashes
// do not check out — before anything is applied.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { UpdateDowngradeError, UpdateKeyInvalidError, UpdateManifestInvalidError, UpdateSignatureInvalidError } from './errors.js';

const versionSchema = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'semantic version x.y.z[-pre]');

export const updateFileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}$/, 'a plain file name'),
    platform: z.enum(['linux', 'win32']),
    arch: z.enum(['x64', 'arm64']),
    /** deb, AppImage or nsis (exe). */
    kind: z.enum(['AppImage', 'deb', 'nsis']),
    size: z.number().int().positive(),
    /** base64 SHA-512 of the file. */
    sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  })
  .strict();
export type UpdateFile = z.infer<typeof updateFileSchema>;

export const updateManifestSchema = z
  .object({
    format: z.literal('kiosk-update'),
    formatVersion: z.literal(1),
    appVersion: versionSchema,
    channel: z.string().regex(/^[a-z]{1,16}$/),
    releasedAt: z.string().datetime(),
    files: z.array(updateFileSchema).min(1),
    /** SHA-256 (hex, first 16 bytes) of the release public key's SPKI DER. */
    keyId: z.string().regex(/^[0-9a-f]{32}$/),
    /** base64 Ed25519 signature over canonicalJson(manifest without `signature`). */
    signature: z.string().min(1),
  })
  .strict();
export type UpdateManifest = z.infer<typeof updateManifestSchema>;
export type UnsignedManifest = Omit<UpdateManifest, 'keyId' | 'signature'>;

/** JSON with object keys sorted at every depth: the exact bytes that are signed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function releaseKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

export function loadReleasePublicKey(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
    return key;
  } catch (cause) {
    throw new UpdateKeyInvalidError('The update release public key is not a valid Ed25519 PEM key', cause);
  }
}

export function loadReleasePrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
    return key;
  } catch (cause) {
    throw new UpdateKeyInvalidError('The release signing key is not a valid Ed25519 PEM private key', cause);
  }
}

export function generateReleaseKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signManifest(unsigned: UnsignedManifest, privateKey: KeyObject): UpdateManifest {
  const keyId = releaseKeyId(createPublicKey(privateKey));
  const body = { ...unsigned, keyId };
  const signature = sign(null, Buffer.from(canonicalJson(body), 'utf8'), privateKey).toString('base64');
  return updateManifestSchema.parse({ ...body, signature });
}

/** Orders x.y.z[-pre]: numeric parts, then a pre-release sorts before its release (enough for our tags). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2) as [string, string | undefined];
    return { nums: core.split('.').map(Number), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/**
 * Parses and verifies a manifest: schema, key id, Ed25519 signature, then version (a manifest older than the
 * running app is a downgrade — refused; the same version means "up to date"). Throws a typed error on any failure.
 */
export function verifyManifest(raw: unknown, releaseKey: KeyObject, currentVersion: string): { manifest: UpdateManifest; newer: boolean } {
  const parsed = updateManifestSchema.safeParse(raw);
  if (!parsed.success) throw new UpdateManifestInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).slice(0, 5));
  const manifest = parsed.data;
  if (manifest.keyId !== releaseKeyId(releaseKey)) throw new UpdateSignatureInvalidError('signed by a different release key', { keyId: manifest.keyId, expected: releaseKeyId(releaseKey) });
  const { signature, ...body } = manifest;
  let ok = false;
  try {
    ok = verify(null, Buffer.from(canonicalJson(body), 'utf8'), releaseKey, Buffer.from(signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw new UpdateSignatureInvalidError('the signature does not match the manifest', { keyId: manifest.keyId });
  const order = compareVersions(manifest.appVersion, currentVersion);
  if (order < 0) throw new UpdateDowngradeError(manifest.appVersion, currentVersion);
  return { manifest, newer: order > 0 };
}

// Offline provisioning bundle (`registry admin make-bundle`): everything a kiosk at a site with no link needs to enter
// service, carried on USB. bundle.json is a registry-signed manifest naming the kiosk, its certificate (the kiosk's
// Ed25519 public key, read from the kiosk with `kiosk provision --identity`), the registry's public keys and the
// SHA-256 of every file; every download inside is itself a signed download document, exactly as served online.
import { mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';
import { publicKeyOf } from '../packet/keys.js';
import { SyncError } from '../errors.js';
import { signDoc, type SignedDoc } from '../protocol/signed-doc.js';
import { idSchema, type CertificatePayload, type DownloadKind, type DownloadPayload } from '../protocol/schemas.js';
import { sha256Hex } from './blobs.js';
import type { Registry } from './registry.js';

export const BUNDLE_MANIFEST_FILE = 'bundle.json';
export const BUNDLE_FORMAT_VERSION = 1;
/** Published downloads copied into a bundle (revocations and the regional gallery are generated). */
export const BUNDLE_PUBLISHED_KINDS = ['config', 'id-schema', 'locations', 'operators'] as const satisfies readonly DownloadKind[];

export interface BundleFileEntry {
  /** Path relative to the bundle directory (always `downloads/<kind>[.<n>].json`). */
  name: string;
  kind: DownloadKind;
  sha256: string;
  size: number;
}

export interface BundleManifest {
  type: 'provisioning-bundle';
  format: number;
  bundleId: string;
  kioskId: string;
  centreId: string;
  createdAt: string;
  /** The registry's URL, used once the site gets a link (sync also works by USB without it). */
  registryUrl: string;
  registry: { encryptionPublicKey: string; signingPublicKey: string };
  certificate: SignedDoc<CertificatePayload>;
  files: BundleFileEntry[];
}

export interface MakeBundleOptions {
  kioskId: string;
  centreId: string;
  /** The kiosk's Ed25519 public key, raw base64 (from `kiosk provision --identity`). */
  kioskPublicKey: string;
  outDir: string;
  registryUrl: string;
}

/**
 * Registers the kiosk (admin-authorised, no token: whoever runs this holds the registry's data dir) and writes the
 * bundle. Idempotent for the same kiosk and key; refuses a kiosk id already registered with another key.
 */
export async function makeBundle(registry: Registry, o: MakeBundleOptions): Promise<BundleManifest> {
  if (!idSchema.safeParse(o.kioskId).success || !idSchema.safeParse(o.centreId).success) throw new SyncError('VALIDATION_FAILED', 'kiosk and centre ids must be 1–128 of A-Z a-z 0-9 _ . : -', 400);
  try {
    publicKeyOf(o.kioskPublicKey, 'Ed25519');
  } catch (cause) {
    throw new SyncError('VALIDATION_FAILED', '--kiosk-key is not a raw base64 Ed25519 public key (run `kiosk provision --identity` on the kiosk)', 400, { cause });
  }
  const now = registry.time();
  let kiosk = await registry.store.getKiosk(o.kioskId);
  if (kiosk && kiosk.publicKey !== o.kioskPublicKey) throw new SyncError('KIOSK_CONFLICT', `Kiosk ${o.kioskId} is already registered with another key`, 409, { details: { kioskId: o.kioskId } });
  if (kiosk && kiosk.centreId !== o.centreId) throw new SyncError('KIOSK_CONFLICT', `Kiosk ${o.kioskId} is registered for centre ${kiosk.centreId}`, 409, { details: { kioskId: o.kioskId } });
  if (kiosk?.revokedAt) throw new SyncError('KIOSK_REVOKED', `Kiosk ${o.kioskId} is revoked`, 403, { details: { kioskId: o.kioskId } });
  if (!kiosk) {
    const payload: CertificatePayload = { type: 'kiosk-certificate', kioskId: o.kioskId, centreId: o.centreId, publicKey: o.kioskPublicKey, serial: randomUUID(), issuedAt: now };
    const certificate = signDoc(payload, registry.keys.signingPrivateKey);
    const row = { kioskId: o.kioskId, centreId: o.centreId, publicKey: o.kioskPublicKey, registeredAt: now, revokedAt: null, certificate: JSON.stringify(certificate) };
    if (!(await registry.store.insertKiosk(row))) throw new SyncError('KIOSK_CONFLICT', `Kiosk ${o.kioskId} registered concurrently`, 409);
    await registry.store.audit('kiosk.registered', o.kioskId, null, { centreId: o.centreId, via: 'bundle' }, now);
    kiosk = row;
  }

  const docs: { kind: DownloadKind; name: string; doc: SignedDoc<DownloadPayload> }[] = [];
  for (const kind of BUNDLE_PUBLISHED_KINDS) {
    const d = await registry.store.getDownload(kind);
    if (d) docs.push({ kind, name: `downloads/${kind}.json`, doc: JSON.parse(d.doc) as SignedDoc<DownloadPayload> });
  }
  docs.push({ kind: 'revocations', name: 'downloads/revocations.json', doc: await registry.download('revocations', kiosk, {}) });
  for (let since = 0, page = 0; ; page++) {
    const doc = await registry.download('gallery-delta', kiosk, { since: String(since) });
    const entries = (doc.payload.data as { entries: unknown[] }).entries;
    if (entries.length === 0 && page > 0) break;
    docs.push({ kind: 'gallery-delta', name: `downloads/gallery-delta.${page}.json`, doc });
    if (entries.length === 0 || doc.payload.version === since) break;
    since = doc.payload.version;
  }

  mkdirSync(path.join(o.outDir, 'downloads'), { recursive: true });
  const files: BundleFileEntry[] = [];
  for (const d of docs) {
    const bytes = Buffer.from(JSON.stringify(d.doc));
    writeFileAtomic(path.join(o.outDir, d.name), bytes, 0o644);
    files.push({ name: d.name, kind: d.kind, sha256: sha256Hex(bytes), size: bytes.length });
  }
  const manifest: BundleManifest = {
    type: 'provisioning-bundle',
    format: BUNDLE_FORMAT_VERSION,
    bundleId: randomUUID(),
    kioskId: o.kioskId,
    centreId: o.centreId,
    createdAt: now,
    registryUrl: o.registryUrl,
    registry: { encryptionPublicKey: registry.keys.encryptionPublicKey, signingPublicKey: registry.keys.signingPublicKey },
    certificate: JSON.parse(kiosk.certificate) as SignedDoc<CertificatePayload>,
    files,
  };
  writeFileAtomic(path.join(o.outDir, BUNDLE_MANIFEST_FILE), JSON.stringify(signDoc(manifest, registry.keys.signingPrivateKey), null, 1), 0o644);
  await registry.store.audit('bundle.created', o.kioskId, null, { bundleId: manifest.bundleId, files: files.length }, now);
  return manifest;
}

/** `registry admin make-bundle` arguments → makeBundle. `--kiosk-key` may be the key itself or a file holding it. */
export async function runMakeBundle(registry: Registry, opt: Map<string, string>, cwd: string): Promise<Record<string, unknown>> {
  const kioskId = opt.get('kiosk');
  const centreId = opt.get('centre');
  const keyArg = opt.get('kiosk-key');
  const out = opt.get('out');
  const registryUrl = opt.get('registry-url');
  if (!kioskId || !centreId || !keyArg || !out || !registryUrl) throw new SyncError('VALIDATION_FAILED', 'make-bundle needs --kiosk ID --centre ID --kiosk-key KEY|FILE --registry-url URL --out DIR', 400);
  let key = keyArg;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(keyArg)) {
    try {
      const text = readFileSync(path.resolve(cwd, keyArg), 'utf8');
      key = (/"publicKey"\s*:\s*"([A-Za-z0-9+/]{43}=)"/.exec(text)?.[1] ?? text).trim();
    } catch (cause) {
      throw new SyncError('VALIDATION_FAILED', `--kiosk-key is neither a base64 key nor a readable file: ${keyArg}`, 400, { cause });
    }
  }
  const m = await makeBundle(registry, { kioskId, centreId, kioskPublicKey: key, outDir: path.resolve(cwd, out), registryUrl });
  return { bundle: path.resolve(cwd, out), bundleId: m.bundleId, kioskId, centreId, files: m.files.map((f) => f.name), serial: m.certificate.payload.serial };
}

// Reads and verifies an offline provisioning bundle (written by `registry admin make-bundle`, sync/registry/bundle.ts):
// the manifest must be signed by the registry key whose fingerprint the technician was given (pinned), name this
// kiosk and this kiosk's key, and every file must match its SHA-256 and be a signed download of its kind.
import path from 'node:path';
import { z } from 'zod';
import { readRegularFile, UnsafeFileError } from '../platform/safe-read.js';
import { verifyDownload } from '../../sync/engine/client.js';
import type { Registration } from '../../sync/engine/identity.js';
import { publicKeyFingerprint, publicKeyOf } from '../../sync/packet/keys.js';
import { verifyDoc, type SignedDoc } from '../../sync/protocol/signed-doc.js';
import type { DownloadPayload } from '../../sync/protocol/schemas.js';
import { BUNDLE_FORMAT_VERSION, BUNDLE_MANIFEST_FILE, type BundleManifest } from '../../sync/registry/bundle.js';
import { ProvisioningError } from './errors.js';
import type { DownloadSet } from './downloads.js';
import { checkPinnedKey } from './registration.js';

export interface VerifiedBundle {
  manifest: BundleManifest;
  registration: Registration;
  set: DownloadSet;
}

/** Caps before anything is parsed: a manifest of a few KB, downloads of at most 16 MiB each, 64 files. */
export const BUNDLE_LIMITS = { manifestBytes: 1024 * 1024, fileBytes: 16 * 1024 * 1024, files: 64 } as const;

const signedShape = z.object({ payload: z.record(z.string(), z.unknown()), alg: z.literal('ed25519'), keyId: z.string().max(128), signature: z.string().max(200) }).strict();
/** Strict schema of the manifest (checked after its signature: a signed document is not a well-formed one). */
const manifestSchema = z
  .object({
    type: z.literal('provisioning-bundle'),
    format: z.number().int(),
    bundleId: z.string().min(1).max(64),
    kioskId: z.string().min(1).max(128),
    centreId: z.string().min(1).max(128),
    createdAt: z.string().max(40),
    registryUrl: z.string().max(2048),
    registry: z.object({ encryptionPublicKey: z.string().max(100), signingPublicKey: z.string().max(100) }).strict(),
    certificate: signedShape,
    files: z
      .array(z.object({ name: z.string().max(200), kind: z.enum(['config', 'id-schema', 'locations', 'operators', 'revocations', 'gallery-delta']), size: z.number().int().nonnegative().max(BUNDLE_LIMITS.fileBytes), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
      .max(BUNDLE_LIMITS.files),
  })
  .strict();

function readBundleFile(file: string, maxBytes: number, onUnsafe: (reason: string) => never): { bytes: Buffer; sha256: string } {
  try {
    return readRegularFile(file, maxBytes);
  } catch (e) {
    if (e instanceof UnsafeFileError) onUnsafe((e.details as { reason: string }).reason);
    throw e;
  }
}

const tampered = (reason: string, details: Record<string, unknown> = {}) => new ProvisioningError('PROVISION_BUNDLE_TAMPERED', `Provisioning bundle refused: ${reason}`, { details: { reason, ...details } });

export function verifyBundle(dir: string, expect: { pinnedFingerprint: string; kioskId: string; centreId: string; kioskPublicKey: string }): VerifiedBundle {
  const file = path.join(dir, BUNDLE_MANIFEST_FILE);
  const { bytes: manifestBytes } = readBundleFile(file, BUNDLE_LIMITS.manifestBytes, (reason) => {
    if (reason === 'missing') throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `No ${BUNDLE_MANIFEST_FILE} in ${dir}: not a provisioning bundle`, { details: { dir } });
    throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `${BUNDLE_MANIFEST_FILE} refused: ${reason.replace('_', ' ')}`, { details: { dir, reason } });
  });
  let doc: SignedDoc<BundleManifest>;
  try {
    doc = JSON.parse(manifestBytes.toString('utf8')) as SignedDoc<BundleManifest>;
  } catch (cause) {
    throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `${BUNDLE_MANIFEST_FILE} is not JSON`, { cause, details: { dir } });
  }
  const m = doc?.payload;
  if (!m || m.type !== 'provisioning-bundle' || typeof m.registry?.signingPublicKey !== 'string') throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `${BUNDLE_MANIFEST_FILE} is not a provisioning bundle manifest`, { details: { dir } });
  if (m.format !== BUNDLE_FORMAT_VERSION) throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `Bundle format ${String(m.format)} is not supported (expected ${BUNDLE_FORMAT_VERSION})`, { details: { format: m.format } });
  let signingKey;
  try {
    signingKey = publicKeyOf(m.registry.signingPublicKey, 'Ed25519');
    publicKeyOf(m.registry.encryptionPublicKey, 'X25519');
  } catch (cause) {
    throw tampered('registry keys unreadable', { cause: String(cause) });
  }
  // The pin first: a bundle re-signed by someone else's key is "wrong registry", not merely "tampered".
  checkPinnedKey(publicKeyFingerprint(signingKey), expect.pinnedFingerprint);
  if (!verifyDoc(doc, signingKey)) throw tampered('manifest signature does not verify');
  const strict = manifestSchema.safeParse(doc.payload);
  if (!strict.success) throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `${BUNDLE_MANIFEST_FILE} does not match the bundle schema`, { details: { issues: strict.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)') } });
  if (m.kioskId !== expect.kioskId || m.centreId !== expect.centreId) {
    throw new ProvisioningError('PROVISION_BUNDLE_WRONG_KIOSK', `This bundle is for kiosk ${m.kioskId} (centre ${m.centreId}), not ${expect.kioskId} (${expect.centreId})`, { details: { bundleKiosk: m.kioskId, bundleCentre: m.centreId } });
  }
  const c = m.certificate?.payload;
  if (!verifyDoc(m.certificate, signingKey) || c?.type !== 'kiosk-certificate' || c.kioskId !== expect.kioskId || c.centreId !== expect.centreId) throw tampered('kiosk certificate does not verify');
  if (c.publicKey !== expect.kioskPublicKey) {
    throw new ProvisioningError('PROVISION_BUNDLE_WRONG_KIOSK', 'The bundle registers another key for this kiosk id (made for a different installation of it)', { details: { bundleKiosk: m.kioskId } });
  }
  const set: DownloadSet = { docs: [] };
  const root = path.resolve(dir);
  for (const f of m.files ?? []) {
    const p = path.resolve(root, f.name);
    if (!p.startsWith(root + path.sep) || !/^downloads\/[a-z-]+(\.\d+)?\.json$/.test(f.name)) throw tampered(`file name ${f.name} is not allowed`);
    // Never more than the signed size is read; symlinks, FIFOs and devices are refused; hashed before parsing.
    const { bytes, sha256 } = readBundleFile(p, f.size, (reason) => {
      if (reason === 'missing') throw tampered(`file ${f.name} is missing`, { file: f.name });
      if (reason === 'too_large') throw tampered(`file ${f.name} was changed after signing`, { file: f.name });
      throw tampered(`file ${f.name} refused: ${reason.replace('_', ' ')}`, { file: f.name, problem: reason });
    });
    if (bytes.length !== f.size || sha256 !== f.sha256) throw tampered(`file ${f.name} was changed after signing`, { file: f.name });
    let d: SignedDoc<DownloadPayload>;
    try {
      d = verifyDownload(JSON.parse(bytes.toString('utf8')) as unknown, signingKey, f.kind);
    } catch {
      throw tampered(`file ${f.name} is not a signed ${f.kind} download`, { file: f.name });
    }
    set.docs.push({ kind: f.kind, name: path.basename(f.name), doc: d });
  }
  const registration: Registration = {
    registryUrl: m.registryUrl,
    kioskId: m.kioskId,
    centreId: m.centreId,
    encryptionPublicKey: m.registry.encryptionPublicKey,
    signingPublicKey: m.registry.signingPublicKey,
    certificate: m.certificate,
    registeredAt: m.createdAt,
  };
  return { manifest: m, registration, set };
}

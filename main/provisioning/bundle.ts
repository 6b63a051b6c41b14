// Reads and verifies an offline provisioning bundle (written by `registry admin make-bundle`, sync/registry/bundle.ts):
// the manifest must be signed by the registry key whose fingerprint the technician was given (pinned), name this
// kiosk and this kiosk's key, and every file must match its SHA-256 and be a signed download of its kind.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

const tampered = (reason: string, details: Record<string, unknown> = {}) => new ProvisioningError('PROVISION_BUNDLE_TAMPERED', `Provisioning bundle refused: ${reason}`, { details: { reason, ...details } });

export function verifyBundle(dir: string, expect: { pinnedFingerprint: string; kioskId: string; centreId: string; kioskPublicKey: string }): VerifiedBundle {
  const file = path.join(dir, BUNDLE_MANIFEST_FILE);
  if (!existsSync(file)) throw new ProvisioningError('PROVISION_BUNDLE_INVALID', `No ${BUNDLE_MANIFEST_FILE} in ${dir}: not a provisioning bundle`, { details: { dir } });
  let doc: SignedDoc<BundleManifest>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as SignedDoc<BundleManifest>;
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
    if (!existsSync(p)) throw tampered(`file ${f.name} is missing`, { file: f.name });
    const bytes = readFileSync(p);
    if (bytes.length !== f.size || createHash('sha256').update(bytes).digest('hex') !== f.sha256) throw tampered(`file ${f.name} was changed after signing`, { file: f.name });
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

// Signed downloads a kiosk needs before service: config, master data (id-schema, locations), operators,
// revocations and the regional gallery. Each is verified against the registry's signing key (online: by the sync
// client; from a bundle: here) and kept as received in DATA_DIR/provisioning/downloads/.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { RegistryRequestError } from '../../sync/errors.js';
import type { RegistryClient } from '../../sync/engine/client.js';
import { verifyDownload } from '../../sync/engine/client.js';
import type { SignedDoc } from '../../sync/protocol/signed-doc.js';
import type { DownloadKind, DownloadPayload } from '../../sync/protocol/schemas.js';
import { compileIdSchema, idSchemaDescriptionSchema, type IdSchemaDescription } from '../enrollment/id-schema.js';
import { writeFileAtomic } from '../platform/atomic-file.js';
import { installMasterData, masterDataSchema } from '../workflow/master-data.js';
import { ProvisioningError } from './errors.js';
import { explainRegistrationError } from './registration.js';
import { provisioningDir } from './state.js';

export const REQUIRED_DOWNLOADS = ['config', 'id-schema', 'locations', 'operators'] as const satisfies readonly DownloadKind[];

export interface DownloadSet {
  docs: { kind: DownloadKind; name: string; doc: SignedDoc<DownloadPayload> }[];
}

export interface DownloadSummary {
  versions: Partial<Record<DownloadKind, number>>;
  operators: number;
  revokedOperators: number;
  galleryEntries: number;
  missing: DownloadKind[];
}

export function downloadsDir(dataDir: string): string {
  return path.join(provisioningDir(dataDir), 'downloads');
}

/** Fetches every download over the signed API. Kinds the registry never published are listed in `missing`. */
export async function fetchDownloads(client: RegistryClient): Promise<{ set: DownloadSet; missing: DownloadKind[] }> {
  const docs: DownloadSet['docs'] = [];
  const missing: DownloadKind[] = [];
  const url = client.baseUrl();
  const get = async (kind: DownloadKind, since?: number) => {
    try {
      return await client.download(kind, since === undefined ? {} : { since });
    } catch (error) {
      if (error instanceof RegistryRequestError && error.code === 'NOT_FOUND') return null;
      throw explainRegistrationError(error, url);
    }
  };
  for (const kind of REQUIRED_DOWNLOADS) {
    const doc = await get(kind);
    if (doc) docs.push({ kind, name: `${kind}.json`, doc });
    else missing.push(kind);
  }
  const revocations = await get('revocations');
  if (revocations) docs.push({ kind: 'revocations', name: 'revocations.json', doc: revocations });
  for (let since = 0, page = 0; page < 10_000; page++) {
    const doc = await get('gallery-delta', since);
    if (!doc) break;
    const n = (doc.payload.data as { entries?: unknown[] }).entries?.length ?? 0;
    if (n === 0 && page > 0) break;
    docs.push({ kind: 'gallery-delta', name: `gallery-delta.${page}.json`, doc });
    if (n === 0 || doc.payload.version === since) break;
    since = doc.payload.version;
  }
  return { set: { docs }, missing };
}

/** Re-verifies (defence in depth) and writes the set; returns what it holds. */
export function saveDownloads(dataDir: string, set: DownloadSet, signingKey: KeyObject): DownloadSummary {
  const dir = downloadsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Everything is checked before anything is written: a bad set leaves the previous one in place.
  for (const d of set.docs) {
    try {
      verifyDownload(d.doc, signingKey, d.kind);
    } catch (cause) {
      throw new ProvisioningError('PROVISION_DOWNLOAD_INVALID', `Download ${d.kind} is not signed by the registry`, { cause, details: { kind: d.kind, reason: 'signature' } });
    }
    if (d.kind === 'id-schema') checkIdSchema(d.doc.payload.data);
    if (d.kind === 'locations') checkLocationMasterData(d.doc.payload.data);
  }
  for (const f of readdirSync(dir)) if (f.startsWith('gallery-delta.')) rmSync(path.join(dir, f));
  for (const d of set.docs) writeFileAtomic(path.join(dir, d.name), JSON.stringify(d.doc));
  const locations = set.docs.find((d) => d.kind === 'locations');
  const masterData = locations ? locationMasterDataOf(locations.doc.payload.data) : null;
  if (masterData) installMasterData(dataDir, masterData);
  return summarise(set);
}

/**
 * The location pickers' master data inside the locations download (`{ version, country, governorates, centres? }`),
 * or null when the download only lists centres and stations (the bundled master data then stays).
 */
export function locationMasterDataOf(data: unknown): unknown {
  const d = data as { version?: unknown; country?: unknown; governorates?: unknown } | null;
  if (!d || typeof d !== 'object' || d.governorates === undefined) return null;
  return { version: d.version, country: d.country, governorates: d.governorates };
}

function checkLocationMasterData(data: unknown): void {
  const md = locationMasterDataOf(data);
  if (md === null) return;
  const parsed = masterDataSchema.safeParse(md);
  if (!parsed.success) {
    throw new ProvisioningError('PROVISION_DOWNLOAD_INVALID', 'The locations download is not valid location master data', { details: { kind: 'locations', reason: 'master-data', issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) } });
  }
}

export function summarise(set: DownloadSet): DownloadSummary {
  const versions: DownloadSummary['versions'] = {};
  let galleryEntries = 0;
  for (const d of set.docs) {
    if (d.kind === 'gallery-delta') galleryEntries += (d.doc.payload.data as { entries?: unknown[] }).entries?.length ?? 0;
    else versions[d.kind] = d.doc.payload.version;
  }
  const ops = set.docs.find((d) => d.kind === 'operators');
  const rev = set.docs.find((d) => d.kind === 'revocations');
  return {
    versions,
    operators: ops ? operatorsOf(ops.doc.payload.data).length : 0,
    revokedOperators: rev ? revokedOperatorsOf(rev.doc.payload.data).length : 0,
    galleryEntries,
    missing: REQUIRED_DOWNLOADS.filter((k) => !set.docs.some((d) => d.kind === k)),
  };
}

/** A saved download (already verified when saved), or null. */
export function readSavedDownload(dataDir: string, kind: Exclude<DownloadKind, 'gallery-delta'>): SignedDoc<DownloadPayload> | null {
  const file = path.join(downloadsDir(dataDir), `${kind}.json`);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as SignedDoc<DownloadPayload>;
}

/** The id-schema download must be an enrollment form the kiosk can compile (main/enrollment/id-schema.ts). */
export function checkIdSchema(data: unknown): IdSchemaDescription {
  const parsed = idSchemaDescriptionSchema.safeParse(data);
  if (!parsed.success) {
    throw new ProvisioningError('PROVISION_DOWNLOAD_INVALID', 'The id-schema download is not a valid enrollment form definition', { details: { kind: 'id-schema', reason: 'schema', issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) } });
  }
  try {
    compileIdSchema(data as IdSchemaDescription);
  } catch (cause) {
    throw new ProvisioningError('PROVISION_DOWNLOAD_INVALID', 'The id-schema download does not compile', { cause, details: { kind: 'id-schema', reason: 'schema' } });
  }
  return data as IdSchemaDescription;
}

/** The enrollment form from the registry (provisioning download), or undefined when none is saved or it is invalid. */
export function provisionedIdSchema(dataDir: string): IdSchemaDescription | undefined {
  try {
    const doc = readSavedDownload(dataDir, 'id-schema');
    return doc ? checkIdSchema(doc.payload.data) : undefined;
  } catch {
    return undefined;
  }
}

export interface RegistryOperator {
  id: string;
  role: 'clerk' | 'supervisor' | 'technician';
  displayName: string;
}

/** The operators download: `{ operators: [{ id, role, displayName }] }` or the bare array. Malformed entries are skipped. */
export function operatorsOf(data: unknown): RegistryOperator[] {
  const list = Array.isArray(data) ? data : (data as { operators?: unknown } | null)?.operators;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (o): o is RegistryOperator =>
      typeof o === 'object' && o !== null && typeof (o as RegistryOperator).id === 'string' && ['clerk', 'supervisor', 'technician'].includes((o as RegistryOperator).role) && typeof (o as RegistryOperator).displayName === 'string',
  );
}

export function revokedOperatorsOf(data: unknown): string[] {
  const list = (data as { operators?: unknown } | null)?.operators;
  return Array.isArray(list) ? list.map((o) => (o as { operatorId?: unknown }).operatorId).filter((x): x is string => typeof x === 'string') : [];
}

/** Stations of a centre from the locations download: `{ centres: [{ id, stations: [id | { id }] }] }`; null when it names none. */
export function stationsOf(data: unknown, centreId: string): string[] | null {
  const centres = (data as { centres?: unknown } | null)?.centres;
  if (!Array.isArray(centres)) return null;
  const c = centres.find((x) => (x as { id?: unknown }).id === centreId) as { stations?: unknown } | undefined;
  if (!c || !Array.isArray(c.stations)) return null;
  return c.stations.map((s) => (typeof s === 'string' ? s : (s as { id?: unknown }).id)).filter((s): s is string => typeof s === 'string');
}

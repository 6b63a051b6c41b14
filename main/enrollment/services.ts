// Composition of the store: unlocks (or creates) the key ring, starts the store worker, builds the audit, auth and
// enrollment services and their IPC handlers. The composition root calls openStoreServices once and disposes it.
import { HouseholdService } from '../household/service.js';
import { HouseholdWorkflow } from '../household/workflow.js';
import { loadQuestionnaireFile } from '../household/questionnaire-file.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { KioskConfig } from '../config/schema.js';
import { KioskError } from '../contract/errors.js';
import { authHandlers, type AuthHandlerMap } from '../auth/handlers.js';
import { AuthService } from '../auth/service.js';
import { generateRegistryKeyPair, publicKeyFingerprint, publicKeyOf } from '../../sync/packet/index.js';
import { AuditService, verifyAudit, type AuditVerifyReport } from '../store/audit-service.js';
import { StoreClient } from '../store/client.js';
import { FieldCipher } from '../store/crypto/aead.js';
import { deriveStoreKey } from '../store/crypto/derive.js';
import { writeFileAtomic } from '../store/crypto/atomic.js';
import { BlindIndexer } from '../store/crypto/blind-index.js';
import { keyFingerprint, publicKeyFromRaw, publicKeyPem } from '../store/crypto/identity.js';
import { createKeyring, keyringExists, keyringPath, readKeyring, unlockKeyring, type KeyMaterial } from '../store/crypto/keyring.js';
import type { KeyModeReport, KeyProtector } from '../store/crypto/protectors.js';
import { KeyringMissingError, StoreCorruptError } from '../store/errors.js';
import type { StatusCounts } from '../store/protocol.js';
import { readStoreSettings } from '../store/settings.js';
import { enrollmentHandlers, type EnrollmentHandlerMap } from './handlers.js';
import { DEFAULT_ID_SCHEMA, compileIdSchema, type CompiledIdSchema, type IdSchemaDescription } from './id-schema.js';
import { ENROLLMENT_SCHEMA_VERSION } from './model.js';
import { WorkerWsqEncoder } from './packet-parts.js';
import { EnrollmentService, REGISTRY_KEY_META } from './service.js';
import { StoreOutbox } from './outbox.js';
import { ulid } from './ulid.js';

export const DB_FILE = 'enrollment.db';
const META_KIOSK_KEY = 'kiosk.publicKey';

export interface OpenStoreServicesOptions {
  config: Pick<KioskConfig, 'dataDir' | 'kioskId' | 'centreId' | 'demo' | 'security' | 'registry'> & Partial<Pick<KioskConfig, 'household'>>;
  logger: Logger;
  protector: KeyProtector;
  /** Overrides store-settings.json: base64 raw X25519, PEM, or a KeyObject. */
  registryPublicKey?: string | KeyObject;
  idSchema?: IdSchemaDescription;
  clock?: () => number;
  softwareVersion?: string;
  /** Test hooks. */
  store?: { maxPageCount?: number; slowMs?: number; quickCheckOnOpen?: 'auto' | 'always' | 'never' };
  /** Create the store when absent (default true). The CLI's status/verify commands pass false. */
  create?: boolean;
  /** Refuses new drafts when the data disk is too full (the composition root passes a DiskSpaceGuard). */
  storageGuard?: { assertCanSave(): void };
}

export interface RegistryKeyInfo {
  /** option > store-settings.json > key set at run time (registration, persisted in meta) > demo-local > none */
  source: 'option' | 'settings' | 'registration' | 'demo-local' | 'none';
  fingerprint: string | null;
  /** True for the demo key pair whose private half sits on this kiosk. */
  weak: boolean;
}

export type StoreHandlerMap = AuthHandlerMap & EnrollmentHandlerMap;

export interface StoreServices {
  enrollment: EnrollmentService;
  /** The sync engine's Outbox (sync/engine/outbox.ts) over this store. */
  outbox: StoreOutbox;
  auth: AuthService;
  audit: AuditService;
  /** Households and their members (issue 19). */
  households: HouseholdService;
  /** The household wizard (questionnaire, packet section); the core attaches the enrollment workflow to it. */
  householdWorkflow: HouseholdWorkflow;
  client: StoreClient;
  /** The record field cipher (the workflow encrypts receipt files with it, bound to the record id). */
  cipher: FieldCipher;
  /** The compiled ID schema (the workflow generates the demographics form from it). */
  idSchema: CompiledIdSchema;
  /** Spread into the composition root's HandlerMap once the channel maps are merged into main/contract/ipc.ts. */
  handlers: StoreHandlerMap;
  keyMode: KeyModeReport;
  registry: RegistryKeyInfo;
  /**
   * The kiosk identity. `signingKey` is the Ed25519 private key that signs packets and audit checkpoints; pass it to
   * the sync engine as KioskIdentity.privateKey so that registration, requests and packets use ONE key. Never serialise it.
   */
  kiosk: { publicKeyPem: string; publicKeyRaw: string; fingerprint: string; publicKey: KeyObject; signingKey: KeyObject };
  verifyAudit(): Promise<AuditVerifyReport>;
  /** A 32-byte key for another encrypted file of this kiosk, derived from the key ring (purposes: 'dedup-gallery'). */
  deriveKey(purpose: 'dedup-gallery'): Buffer;
  dispose(): Promise<void>;
}

export const DEMO_REGISTRY_DIR = 'demo-registry';

/** Demo mode: a local registry key pair so sealing works out of the box. Its private key is for the demo registry. */
export function demoRegistryKey(dataDir: string): KeyObject {
  const dir = path.join(dataDir, DEMO_REGISTRY_DIR);
  const file = path.join(dir, 'registry-x25519.pem');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = generateRegistryKeyPair();
    writeFileAtomic(file, Buffer.from(pair.privateKeyPem, 'utf8'), 0o600);
    writeFileAtomic(path.join(dir, 'registry-x25519.pub'), Buffer.from(pair.publicKeyRaw.toString('base64') + '\n', 'utf8'), 0o644);
  }
  return publicKeyOf(createPrivateKey(readFileSync(file, 'utf8')), 'X25519');
}

export function demoRegistryPrivateKey(dataDir: string): KeyObject {
  return createPrivateKey(readFileSync(path.join(dataDir, DEMO_REGISTRY_DIR, 'registry-x25519.pem'), 'utf8'));
}

function resolveRegistryKey(options: OpenStoreServicesOptions, settingsKey: string | null, storedKey: string | null): { key: KeyObject | null; info: RegistryKeyInfo } {
  let key: KeyObject | null = null;
  let source: RegistryKeyInfo['source'] = 'none';
  if (options.registryPublicKey !== undefined) {
    key = publicKeyOf(options.registryPublicKey, 'X25519');
    source = 'option';
  } else if (settingsKey) {
    key = publicKeyOf(settingsKey, 'X25519');
    source = 'settings';
  } else if (storedKey) {
    key = publicKeyOf(storedKey, 'X25519');
    source = 'registration';
  } else if (options.config.demo) {
    key = demoRegistryKey(options.config.dataDir);
    source = 'demo-local';
  }
  const fingerprint = key ? publicKeyFingerprint(key) : null;
  const expected = options.config.registry.publicKeyFingerprint;
  if (key && expected && expected.toLowerCase() !== fingerprint) {
    throw new KioskError('REGISTRY_KEY_MISMATCH', 'The registry public key does not match config registry.publicKeyFingerprint', { details: { expected, fingerprint } });
  }
  return { key, info: { source, fingerprint, weak: source === 'demo-local' } };
}

async function openClient(options: OpenStoreServicesOptions, file: string, slowMs: number): Promise<StoreClient> {
  return StoreClient.open({
    file,
    slowMs: options.store?.slowMs ?? slowMs,
    logger: options.logger,
    ...(options.store?.maxPageCount !== undefined ? { maxPageCount: options.store.maxPageCount } : {}),
    ...(options.store?.quickCheckOnOpen !== undefined ? { quickCheckOnOpen: options.store.quickCheckOnOpen } : {}),
  });
}

/**
 * First run: database first, then key ring, then the kiosk public key into the database. On later runs a database
 * that records a kiosk key but has no key ring is refused (crypto-erased), and a key ring without its database is
 * refused (never silently recreated).
 */
export async function openStoreServices(options: OpenStoreServicesOptions): Promise<StoreServices> {
  const { config, logger, protector } = options;
  const dataDir = config.dataDir;
  ensurePrivateDir(dataDir);
  const dbFile = path.join(dataDir, DB_FILE);
  const settings = readStoreSettings(dataDir);
  const dbExisted = existsSync(dbFile);
  if (!dbExisted && keyringExists(dataDir)) {
    throw new StoreCorruptError('The enrollment database is missing but its key ring exists; refusing to recreate it', { details: { file: dbFile } });
  }
  if (!dbExisted && options.create === false) throw new KioskError('STORE_NOT_INITIALISED', `No enrollment store in ${dataDir}; run "kiosk store init"`, { details: { dataDir } });
  const client = await openClient(options, dbFile, settings.slowQueryMs);
  let keys: KeyMaterial;
  try {
    const recordedKey = await client.call('meta.get', { key: META_KIOSK_KEY });
    if (keyringExists(dataDir)) {
      keys = await unlockKeyring(dataDir, protector);
      if (recordedKey && recordedKey !== keys.publicKeyRaw.toString('base64')) {
        throw new KioskError('KEYRING_MISMATCH', 'The key ring belongs to a different store', { details: { file: keyringPath(dataDir) } });
      }
    } else {
      if (recordedKey) throw new KeyringMissingError(keyringPath(dataDir));
      keys = await createKeyring(dataDir, config.kioskId, protector);
    }
    if (!recordedKey) await client.call('meta.set', { key: META_KIOSK_KEY, value: keys.publicKeyRaw.toString('base64') });
  } catch (error) {
    await client.dispose();
    throw error;
  }
  const clock = options.clock ?? Date.now;
  const cipher = new FieldCipher(keys.dataKey, ENROLLMENT_SCHEMA_VERSION);
  const indexer = new BlindIndexer(keys.indexKey);
  const audit = new AuditService(client, keys.identity, clock);
  const auth = new AuthService({ store: client, cipher, indexer, audit, security: config.security, clock });
  const idSchema = compileIdSchema(options.idSchema ?? (settings.idSchema as IdSchemaDescription | undefined) ?? DEFAULT_ID_SCHEMA);
  let registry: ReturnType<typeof resolveRegistryKey>;
  try {
    registry = resolveRegistryKey(options, settings.registryPublicKey, await client.call('meta.get', { key: REGISTRY_KEY_META }));
    if (config.demo) await auth.seedDemoOperators();
  } catch (error) {
    await client.dispose();
    throw error;
  }
  const households = new HouseholdService({ store: client, cipher, audit, kioskId: config.kioskId, centreId: config.centreId, clock, newId: ulid });
  let householdWorkflow: HouseholdWorkflow;
  try {
    const questionnaire = config.household?.questionnaire ? loadQuestionnaireFile(config.household.questionnaire) : null;
    householdWorkflow = new HouseholdWorkflow({ households, questionnaire, childAgeYears: config.household?.childAgeYears ?? 5, clock });
  } catch (error) {
    await client.dispose();
    throw error;
  }
  // Sealing WSQ-encodes ten fingers (≈ 10 ms CPU each): on a worker, started on the first seal.
  const wsqEncoder = new WorkerWsqEncoder();
  const enrollment = new EnrollmentService({
    store: client,
    cipher,
    indexer,
    identity: keys.identity,
    idSchema,
    audit,
    auth,
    kioskId: config.kioskId,
    centreId: config.centreId,
    registryPublicKey: registry.key,
    expectedRegistryFingerprint: config.registry.publicKeyFingerprint,
    clock,
    newId: ulid,
    softwareVersion: options.softwareVersion ?? '0.1.0',
    fingerEncoder: wsqEncoder.encode,
    ...(options.storageGuard ? { storageGuard: options.storageGuard } : {}),
    households: { packetSection: (id) => householdWorkflow.packetSection(id), assertReadyForApproval: (id) => householdWorkflow.assertHeadReady(id) },
  });
  householdWorkflow.attachEnrollment(enrollment);
  let resealed: number;
  try {
    resealed = await enrollment.sealPendingApproved();
  } catch (error) {
    await wsqEncoder.dispose();
    await client.dispose();
    throw error;
  }
  const keyMode = protector.report();
  logger.info({ keyMode: keyMode.mode, weak: keyMode.weak, registryKey: registry.info.source, resealed }, 'enrollment store open');
  if (keyMode.weak) logger.warn({ keyMode: keyMode.mode }, 'store key mode is WEAK: a stolen kiosk may expose enrollment data');
  const publicKey = publicKeyFromRaw(keys.publicKeyRaw);
  let disposed = false;
  return {
    enrollment,
    outbox: new StoreOutbox({ store: client, cipher, audit, clock }),
    auth,
    audit,
    households,
    householdWorkflow,
    client,
    cipher,
    idSchema,
    handlers: { ...authHandlers(auth), ...enrollmentHandlers(enrollment, auth) },
    keyMode,
    registry: registry.info,
    kiosk: { publicKeyPem: publicKeyPem(publicKey), publicKeyRaw: keys.publicKeyRaw.toString('base64'), fingerprint: keyFingerprint(keys.publicKeyRaw), publicKey, signingKey: keys.identity.privateKey },
    verifyAudit: () => audit.verify(publicKey),
    deriveKey: (purpose) => deriveStoreKey(keys.dataKey, purpose),
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await audit.checkpoint();
        // Fold the WAL into the database (secure_delete zeroes freed pages there) and truncate it, so ciphertext
        // removed by sealing does not linger in old WAL frames.
        await client.call('store.checkpointWal', {});
      } catch (error) {
        logger.warn({ err: error }, 'final audit checkpoint or WAL checkpoint failed');
      }
      await wsqEncoder.dispose();
      await client.dispose();
      keys.dataKey.fill(0);
      keys.indexKey.fill(0);
    },
  };
}

export interface StoreStatusReport {
  dataDir: string;
  initialised: boolean;
  userVersion: number | null;
  sizeBytes: { db: number; wal: number; total: number };
  counts: StatusCounts | null;
  keyMode: { mode: string; weak: boolean } | null;
  kioskKeyFingerprint: string | null;
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Status without unlocking anything: counts per state, file sizes, key mode from the key ring's clear header. */
export async function readStoreStatus(dataDir: string, logger?: Logger): Promise<StoreStatusReport> {
  const dbFile = path.join(dataDir, DB_FILE);
  const sizeBytes = { db: sizeOf(dbFile), wal: sizeOf(`${dbFile}-wal`), total: 0 };
  sizeBytes.total = sizeBytes.db + sizeBytes.wal + sizeOf(`${dbFile}-shm`);
  const ring = keyringExists(dataDir) ? readKeyring(dataDir) : null;
  const keyMode = ring
    ? { mode: ring.wrapped.mode, weak: ring.wrapped.mode === 'key-file' || (ring.wrapped.mode === 'os-keystore' && ring.wrapped.params.backend === 'basic_text') }
    : null;
  const kioskKeyFingerprint = ring ? keyFingerprint(Buffer.from(ring.kioskPublicKey, 'base64')) : null;
  if (!existsSync(dbFile)) return { dataDir, initialised: false, userVersion: null, sizeBytes, counts: null, keyMode, kioskKeyFingerprint };
  const client = await StoreClient.open({ file: dbFile, slowMs: 1000, quickCheckOnOpen: 'never', trackSession: false, ...(logger ? { logger } : {}) });
  try {
    const s = await client.call('store.status', {});
    return { dataDir, initialised: true, userVersion: s.userVersion, sizeBytes, counts: s.counts, keyMode, kioskKeyFingerprint };
  } finally {
    await client.dispose();
  }
}

/** Audit verification with only the public key from the key ring (no passphrase needed). */
export async function verifyStoreAudit(dataDir: string): Promise<AuditVerifyReport> {
  const ring = readKeyring(dataDir);
  const client = await StoreClient.open({ file: path.join(dataDir, DB_FILE), slowMs: 5000, quickCheckOnOpen: 'never', trackSession: false });
  try {
    return await verifyAudit(client, publicKeyFromRaw(Buffer.from(ring.kioskPublicKey, 'base64')));
  } finally {
    await client.dispose();
  }
}

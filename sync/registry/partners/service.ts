// Cross-matching at the registry: partner registration, the registry's per-partner HMAC index (kept from the sealed
// national numbers of accepted people, built when a partner is added and updated before every run), authenticated
// and rate-limited match runs, audit with counts.
import { randomBytes, randomUUID } from 'node:crypto';
import { openPacket } from '../../packet/index.js';
import { publicKeyOf, rawPublicKeyOf } from '../../packet/keys.js';
import { authError, SyncError } from '../../errors.js';
import { contentDigest, parseSignature, verifyRequestSignature } from '../../protocol/http-signature.js';
import { signDoc, verifyDoc, type SignedDoc } from '../../protocol/signed-doc.js';
import type { Registry } from '../registry.js';
import { canonicalNationalNumber } from './canonical.js';
import { partnerError, PartnerInputError } from './errors.js';
import { HASH_BYTES, newPartnerSecret, parsePartnerSecret, partnerHash } from './hash.js';
import { FLAG, matchRequestFileSchema, matchRequestPayloadSchema, PARTNER_ID, type PartnerMatchResult } from './protocol.js';
import { PartnerStore, type PartnerRow, type PersonRow, type RunRow } from './store.js';
import { Vault } from './vault.js';
import { KeyedLock } from '../keyed-lock.js';

export interface PartnerLimits {
  /** Fewest distinct hashes a run may carry (single-person probing is refused). Default 1000. */
  minBatch: number;
  /** Runs allowed per partner in any 24 h window. Default 4. */
  runsPerDay: number;
}

export const DEFAULT_LIMITS: PartnerLimits = { minBatch: 1000, runsPerDay: 4 };
/** Largest batch a run may carry (memory bound of one request). */
export const MAX_BATCH = 2_000_000;
const DAY_MS = 24 * 3600_000;
const SKEW_MS = 300_000;
/** How old a USB request file may be when it is answered. */
const USB_REQUEST_MAX_AGE_MS = 14 * DAY_MS;

export interface PartnerSummary {
  partnerId: string;
  name: string;
  publicKey: string;
  allowedFlags: string[];
  minBatch: number;
  runsPerDay: number;
  createdAt: string;
  revokedAt: string | null;
}

const summary = (p: PartnerRow): PartnerSummary => ({ partnerId: p.partnerId, name: p.name, publicKey: p.publicKey, allowedFlags: p.allowedFlags, minBatch: p.minBatch, runsPerDay: p.runsPerDay, createdAt: p.createdAt, revokedAt: p.revokedAt });

/** Programme flags a record carries (record.programmes), kept to the flag syntax. */
function flagsOf(record: Record<string, unknown>): string[] {
  const p = record.programmes;
  return Array.isArray(p) ? [...new Set(p.filter((f): f is string => typeof f === 'string' && FLAG.test(f)))].sort() : [];
}

export class PartnerService {
  private readonly people: Vault;
  private readonly secrets: Vault;
  private readonly locks = new KeyedLock();

  constructor(
    private readonly registry: Registry,
    readonly store: PartnerStore,
  ) {
    this.people = new Vault(registry.keys.dedupSecret, 'national-numbers');
    this.secrets = new Vault(registry.keys.dedupSecret, 'partner-secrets');
  }

  static async open(registry: Registry): Promise<PartnerService> {
    const store = new PartnerStore(registry.store.sqlAdapter());
    await store.init();
    return new PartnerService(registry, store);
  }

  private nowMs(): number {
    return Date.parse(this.registry.time());
  }

  /** Serialises work on one key inside this process. */
  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  // --- administration -----------------------------------------------------------------------------------------

  /** Registers a partner; returns the shared secret (shown once: hand it to the partner out of band). */
  async add(input: { partnerId: string; name?: string; publicKey: string; allowedFlags?: string[]; limits?: Partial<PartnerLimits> }): Promise<{ partner: PartnerSummary; secret: string }> {
    if (!PARTNER_ID.test(input.partnerId)) throw new PartnerInputError('PARTNER_ID_INVALID', 'Partner id must be 2–63 lowercase letters, digits or dashes');
    const bad = (input.allowedFlags ?? []).find((f) => !FLAG.test(f));
    if (bad !== undefined) throw new PartnerInputError('PARTNER_FLAG_INVALID', 'Flags are 1–40 lowercase letters, digits or dashes', { index: (input.allowedFlags ?? []).indexOf(bad) });
    let publicKey: string;
    try {
      publicKey = rawPublicKeyOf(publicKeyOf(input.publicKey.trim(), 'Ed25519')).toString('base64');
    } catch (e) {
      throw new PartnerInputError('PARTNER_KEY_INVALID', 'Partner public key must be Ed25519 (PEM, or base64 of the raw 32 bytes)', { cause: String(e) });
    }
    const limits = { ...DEFAULT_LIMITS, ...input.limits };
    if (!Number.isSafeInteger(limits.minBatch) || limits.minBatch < 1 || !Number.isSafeInteger(limits.runsPerDay) || limits.runsPerDay < 1) throw new PartnerInputError('PARTNER_LIMIT_INVALID', 'minBatch and runsPerDay must be positive integers');
    const secret = newPartnerSecret();
    const row: PartnerRow = {
      partnerId: input.partnerId,
      name: input.name ?? input.partnerId,
      publicKey,
      secretSealed: this.secrets.seal(secret, input.partnerId),
      allowedFlags: [...new Set(input.allowedFlags ?? [])].sort(),
      ...limits,
      createdAt: this.registry.time(),
      revokedAt: null,
    };
    if (!(await this.store.insertPartner(row))) throw partnerError('PARTNER_EXISTS', `Partner ${input.partnerId} is already registered`, 409, { partnerId: input.partnerId });
    await this.refreshPeople();
    await this.updateIndex(row);
    await this.registry.store.audit('partner.added', null, null, { partnerId: row.partnerId, allowedFlags: row.allowedFlags, ...limits }, row.createdAt);
    return { partner: summary(row), secret };
  }

  async list(): Promise<PartnerSummary[]> {
    return (await this.store.listPartners()).map(summary);
  }

  async revoke(partnerId: string): Promise<void> {
    if (!(await this.store.revokePartner(partnerId, this.registry.time()))) throw partnerError('PARTNER_UNKNOWN', `Unknown partner ${partnerId}`, 404, { partnerId });
    await this.store.dropIndex(partnerId);
    await this.registry.store.audit('partner.revoked', null, null, { partnerId }, this.registry.time());
  }

  async runs(partnerId: string | null, limit?: number): Promise<RunRow[]> {
    return this.store.listRuns(partnerId, limit);
  }

  // --- the registry's side of the index ------------------------------------------------------------------------

  /**
   * Adds the national numbers of accepted records not yet known (opening their packets), sealed. Incremental; run
   * before every match and by `registry partner refresh`.
   */
  async refreshPeople(): Promise<{ added: number; withoutNationalNumber: number }> {
    const known = await this.store.knownPacketIds();
    const pending = (await this.registry.store.listPackets(null)).filter((p) => p.status === 'accepted' && p.rid && !known.has(p.packetId));
    const kioskKeys = new Map<string, string | null>();
    const rows: PersonRow[] = [];
    let without = 0;
    for (const p of pending) {
      if (!kioskKeys.has(p.kioskId)) kioskKeys.set(p.kioskId, (await this.registry.store.getKiosk(p.kioskId))?.publicKey ?? null);
      const key = kioskKeys.get(p.kioskId);
      if (!key) continue;
      const opened = openPacket(await this.registry.blobs.getPacket(p.kioskId, p.packetId, p.sha256), this.registry.keys.encryptionPrivateKey, key);
      const record = opened.manifest.record as Record<string, unknown>;
      const nn = (record.demographics as Record<string, unknown> | undefined)?.nationalNumber;
      const canonical = typeof nn === 'string' ? canonicalNationalNumber(nn) : null;
      if (canonical === null) {
        without++;
        continue;
      }
      rows.push({ rid: p.rid!, packetId: p.packetId, nnSealed: this.people.seal(canonical, p.rid!), flags: flagsOf(record) });
    }
    return { added: await this.store.addPeople(rows), withoutNationalNumber: without };
  }

  /** Bulk load of people from another register (and benchmark seeding): national numbers are sealed here. */
  async importPeople(people: { rid: string; packetId: string; nationalNumber: string; flags?: string[] }[]): Promise<number> {
    const rows: PersonRow[] = [];
    for (const p of people) {
      const c = canonicalNationalNumber(p.nationalNumber);
      if (c !== null) rows.push({ rid: p.rid, packetId: p.packetId, nnSealed: this.people.seal(c, p.rid), flags: (p.flags ?? []).filter((f) => FLAG.test(f)) });
    }
    const added = await this.store.addPeople(rows);
    for (const p of await this.store.listPartners()) await this.updateIndex(p);
    return added;
  }

  /** Brings one partner's HMAC index up to date with the people known (incremental; the first call builds it). */
  async updateIndex(partner: PartnerRow): Promise<number> {
    if (partner.revokedAt) return 0;
    const missing = await this.store.peopleMissingFromIndex(partner.partnerId);
    if (missing.length === 0) return 0;
    const secret = parsePartnerSecret(this.secrets.open(partner.secretSealed, partner.partnerId));
    try {
      return await this.store.addToIndex(partner.partnerId, missing.map((p) => ({ rid: p.rid, hash: partnerHash(secret, this.people.open(p.nnSealed, p.rid)).toString('hex') })));
    } finally {
      secret.fill(0);
    }
  }

  /** Adds new accepted people, then updates every active partner's index. */
  async refresh(): Promise<{ added: number; withoutNationalNumber: number; indexed: number }> {
    const r = await this.refreshPeople();
    let indexed = 0;
    for (const p of await this.store.listPartners()) indexed += await this.updateIndex(p);
    return { ...r, indexed };
  }

  // --- runs ----------------------------------------------------------------------------------------------------

  /** Authenticates a partner's HTTP request (RFC 9421 profile of the kiosks, keyid "partner:<id>"). */
  /** Signed request with its body: the header check below, then the body against the signed Content-Digest. */
  async authenticate(req: { method: string; targetUri: string; headers: Record<string, string | string[] | undefined>; body: Uint8Array }): Promise<PartnerRow> {
    const partner = await this.authenticateHeaders(req);
    this.checkDigest(req.headers, req.body, partner);
    return partner;
  }

  /** The body matches the Content-Digest the partner signed (checked once the body has been read). */
  checkDigest(headers: Record<string, string | string[] | undefined>, body: Uint8Array, partner: PartnerRow): void {
    const v = headers['content-digest'];
    const digest = Array.isArray(v) ? v.join(', ') : v;
    if (!digest || digest !== contentDigest(body)) throw authError('CONTENT_DIGEST_MISMATCH', 'Content-Digest missing or does not match the body', { partnerId: partner.partnerId });
  }

  /** Signature, key, revocation, clock and nonce from the headers alone, before any body byte is buffered (the
   * signature covers Content-Digest, checked against the body by checkDigest). */
  async authenticateHeaders(req: { method: string; targetUri: string; headers: Record<string, string | string[] | undefined> }): Promise<PartnerRow> {
    const h = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const parsed = parseSignature(h('signature-input'), h('signature'));
    if (!parsed.ok) throw authError(h('signature') ? 'SIGNATURE_INVALID' : 'SIGNATURE_MISSING', `Request signature refused: ${parsed.reason}`);
    const digest = h('content-digest');
    if (!digest) throw authError('CONTENT_DIGEST_MISMATCH', 'Content-Digest missing');
    const id = /^partner:(.+)$/.exec(parsed.params.keyid)?.[1];
    const partner = id ? await this.store.getPartner(id) : undefined;
    if (!partner) throw partnerError('PARTNER_UNKNOWN', `Unknown partner key ${parsed.params.keyid}`, 401, { keyid: parsed.params.keyid });
    if (!verifyRequestSignature({ method: req.method, targetUri: req.targetUri, digest, params: parsed.params, signature: parsed.signature, publicKey: publicKeyOf(partner.publicKey, 'Ed25519') })) {
      throw authError('SIGNATURE_INVALID', 'Request signature does not verify with the registered partner key', { partnerId: partner.partnerId });
    }
    if (partner.revokedAt) throw partnerError('PARTNER_REVOKED', `Partner ${partner.partnerId} is revoked`, 403, { partnerId: partner.partnerId });
    const now = this.nowMs();
    if (Math.abs(now - parsed.params.created * 1000) > SKEW_MS) throw authError('SIGNATURE_STALE', 'Request signature is outside the accepted clock window', { partnerId: partner.partnerId });
    if (!(await this.registry.store.rememberNonce(`partner:${partner.partnerId}`, parsed.params.nonce, parsed.params.created * 1000, now - 2 * SKEW_MS))) {
      throw authError('NONCE_REPLAYED', 'Request nonce was already used (replay)', { partnerId: partner.partnerId });
    }
    return partner;
  }

  /** One match run: `body` is the concatenation of 32-byte hashes. Refusals are typed and audited. */
  async match(partner: PartnerRow, body: Uint8Array, via: 'online' | 'usb', runId: string = randomUUID()): Promise<SignedDoc<PartnerMatchResult>> {
    return this.locked(partner.partnerId, async () => {
      try {
        return await this.runMatch(partner, body, via, runId);
      } catch (e) {
        if (e instanceof SyncError) await this.registry.store.audit('partner.refused', `partner:${partner.partnerId}`, e.code, { partnerId: partner.partnerId, via, bytes: body.byteLength }, this.registry.time()).catch(() => undefined);
        throw e;
      }
    });
  }

  private async runMatch(partner: PartnerRow, body: Uint8Array, via: 'online' | 'usb', runId: string): Promise<SignedDoc<PartnerMatchResult>> {
    if (partner.revokedAt) throw partnerError('PARTNER_REVOKED', `Partner ${partner.partnerId} is revoked`, 403, { partnerId: partner.partnerId });
    if (await this.store.hasRun(runId)) throw authError('NONCE_REPLAYED', 'This request was already answered', { partnerId: partner.partnerId });
    if (body.byteLength % HASH_BYTES !== 0) throw partnerError('PARTNER_REQUEST_INVALID', `Body must be a whole number of ${HASH_BYTES}-byte hashes`, 400, { bytes: body.byteLength });
    const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const count = buf.byteLength / HASH_BYTES;
    if (count > MAX_BATCH) throw partnerError('PARTNER_BATCH_TOO_LARGE', `At most ${MAX_BATCH} hashes per run`, 413, { submitted: count, maxBatch: MAX_BATCH });
    const distinct = new Map<string, Buffer>();
    for (let i = 0; i < count; i++) {
      const h = buf.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
      distinct.set(h.toString('latin1'), h);
    }
    if (distinct.size < partner.minBatch) throw partnerError('PARTNER_BATCH_TOO_SMALL', `A run needs at least ${partner.minBatch} distinct hashes (got ${distinct.size})`, 422, { submitted: distinct.size, minBatch: partner.minBatch });
    const now = this.nowMs();
    const used = await this.store.countRunsSince(partner.partnerId, now - DAY_MS);
    if (used >= partner.runsPerDay) throw partnerError('PARTNER_RATE_LIMITED', `At most ${partner.runsPerDay} runs per 24 hours`, 429, { runsPerDay: partner.runsPerDay, used });
    await this.refreshPeople();
    await this.updateIndex(partner);
    const allowed = new Set(partner.allowedFlags);
    const found = await this.store.lookup(partner.partnerId, [...distinct.values()].map((h) => h.toString('hex')));
    const matches: PartnerMatchResult['matches'] = [...found].map(([hash, flags]) => ({ hash, flags: [...new Set(flags.filter((f) => allowed.has(f)))].sort() }));
    const at = new Date(now).toISOString();
    await this.store.addRun({ runId, partnerId: partner.partnerId, at, via, submitted: distinct.size, matched: matches.length }, now);
    await this.registry.store.audit('partner.match', `partner:${partner.partnerId}`, null, { partnerId: partner.partnerId, runId, via, received: count, submitted: distinct.size, matched: matches.length }, at);
    const payload: PartnerMatchResult = { type: 'partner-match-result', runId, partnerId: partner.partnerId, at, via, submitted: distinct.size, matched: matches.length, matches };
    return signDoc(payload, this.registry.keys.signingPrivateKey);
  }

  /** Answers a signed request file brought over USB (same limits; the request's nonce is its run id: no replay). */
  async answerRequestFile(doc: unknown): Promise<SignedDoc<PartnerMatchResult>> {
    const file = matchRequestFileSchema.safeParse(doc);
    const payload = matchRequestPayloadSchema.safeParse(file.success ? file.data.payload : undefined);
    if (!file.success || !payload.success) throw partnerError('PARTNER_REQUEST_INVALID', 'Not a partner match request file', 400);
    const p = payload.data;
    const partner = await this.store.getPartner(p.partnerId);
    if (!partner) throw partnerError('PARTNER_UNKNOWN', `Unknown partner ${p.partnerId}`, 401, { partnerId: p.partnerId });
    if (!verifyDoc(doc, publicKeyOf(partner.publicKey, 'Ed25519'))) throw authError('SIGNATURE_INVALID', 'Request file signature does not verify with the registered partner key', { partnerId: p.partnerId });
    const age = this.nowMs() - Date.parse(p.createdAt);
    if (age > USB_REQUEST_MAX_AGE_MS || age < -SKEW_MS) throw authError('SIGNATURE_STALE', 'Request file is too old (or from the future)', { partnerId: p.partnerId, createdAt: p.createdAt });
    return this.match(partner, Buffer.from(p.hashes, 'base64'), 'usb', `usb-${p.nonce}`);
  }
}

/** Partner side: a signed request file for USB transport. */
export function makeRequestFile(partnerId: string, hashes: Buffer[], privateKey: Parameters<typeof signDoc>[1], now = Date.now()): SignedDoc<Record<string, unknown>> {
  const payload = { type: 'partner-match-request', partnerId, createdAt: new Date(now).toISOString(), nonce: randomBytes(18).toString('base64url'), hashes: Buffer.concat(hashes).toString('base64') };
  return signDoc(payload, privateKey);
}

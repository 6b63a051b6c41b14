// MOSIP SBI client: discovery on 127.0.0.1:4501–4600, signed device info, registration capture (slaps, thumbs, face)
// with the capture hash chain, and the MJPEG preview stream. Protocol: /work/shared/docs/devices.md.
import { randomUUID, X509Certificate } from 'node:crypto';
import { FINGER_POSITION_NAMES, ProgressHub, type CaptureOptions, type CaptureProgress, type CaptureResult, type DeviceInfo, type FingerImage, type FingerprintDevice } from '../device.js';
import { ChecksumError, DeviceBusyError, DeviceDisposedError, DeviceReportedError, DeviceTimeoutError, DeviceUntrustedError, NoFingerError, ProtocolError, UnsupportedError } from '../errors.js';
import { chainHash } from './hash-chain.js';
import { parseJson, sbiRequest, sbiStream } from './http.js';
import { decodeFaceRecord, decodeFingerRecord, FIR_COMPRESSION } from './iso-record.js';
import { b64url, verifyJws } from './jws.js';

export const SBI_PORTS = { first: 4501, last: 4600 } as const;
export const SBI_SPEC_VERSION = '0.9.5';

/** Error codes the client interprets (SBI error table): 0 success, 101 no biometric object detected, 111 busy. */
export const SBI_ERROR = { ok: '0', noBiometric: '101', busy: '111' } as const;

export interface DigitalId {
  serialNo?: string;
  make?: string;
  model?: string;
  type?: string;
  deviceSubType?: string;
  deviceProvider?: string;
  dateTime?: string;
}

export interface DiscoveredDevice {
  port: number;
  deviceId: string;
  deviceStatus: string;
  certification: string;
  deviceSubId: number[];
  digitalId: DigitalId | undefined;
  purpose: string;
  specVersion: string[];
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);

function decodeDigitalId(value: unknown, trust?: { trustRoots: X509Certificate[]; allowUntrusted: boolean }): DigitalId | undefined {
  if (typeof value !== 'string' || value.length > 64 * 1024) return undefined;
  try {
    // Signed (JWS) inside device info; plain base64url JSON in discovery.
    const json = value.includes('.') && trust ? verifyJws<unknown>(value, trust).payload : JSON.parse(b64url.decode(value).toString('utf8'));
    return json && typeof json === 'object' ? (json as DigitalId) : undefined;
  } catch (error) {
    if (error instanceof DeviceUntrustedError) throw error;
    return undefined;
  }
}

function toDiscovered(port: number, raw: unknown): DiscoveredDevice | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const d = raw as Record<string, unknown>;
  const subIds = Array.isArray(d.deviceSubId) ? d.deviceSubId : [d.deviceSubId];
  return {
    port,
    deviceId: str(d.deviceId),
    deviceStatus: str(d.deviceStatus, 'Not Ready'),
    certification: str(d.certification),
    deviceSubId: subIds.map(Number).filter((n) => Number.isInteger(n)),
    digitalId: decodeDigitalId(d.digitalId),
    purpose: str(d.purpose),
    specVersion: Array.isArray(d.specVersion) ? d.specVersion.map((s) => str(s)) : [str(d.specVersion)],
  };
}

/** Decodes a MOSIPDISC answer (an array of device objects); entries that are not objects are skipped. */
export function decodeDiscoveryResponse(port: number, body: Buffer): DiscoveredDevice[] {
  const json = parseJson(body, 'MOSIPDISC');
  const out: DiscoveredDevice[] = [];
  for (const raw of (Array.isArray(json) ? json : [json]).slice(0, 64)) {
    const d = toDiscovered(port, raw);
    if (d) out.push(d);
  }
  return out;
}

export interface DiscoverOptions {
  type?: 'Biometric Device' | 'Finger' | 'Face' | 'Iris';
  ports?: number[];
  /** Ports probed at once (default 16). */
  concurrency?: number;
  /** Per-port timeout (default 500 ms; closed ports refuse at once). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Scans 127.0.0.1:4501–4600 with MOSIPDISC and returns every device that answered. */
export async function discoverSbi(options: DiscoverOptions = {}): Promise<DiscoveredDevice[]> {
  const ports = options.ports ?? Array.from({ length: SBI_PORTS.last - SBI_PORTS.first + 1 }, (_, i) => SBI_PORTS.first + i);
  const found: DiscoveredDevice[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ports.length && !options.signal?.aborted) {
      const port = ports[next++]!;
      try {
        const res = await sbiRequest({ port, method: 'MOSIPDISC', path: '/device', body: { type: options.type ?? 'Biometric Device' }, timeoutMs: options.timeoutMs ?? 500, signal: options.signal });
        if (res.status !== 200) continue;
        found.push(...decodeDiscoveryResponse(port, res.body));
      } catch {
        // Closed port, not an SBI service, or garbage: not a device.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, ports.length) }, worker));
  return found.sort((a, b) => a.port - b.port);
}

export interface SbiOptions {
  port: number;
  /** PEM certificates (or X509Certificate) of device providers' roots the kiosk trusts. */
  trustRoots: (string | X509Certificate)[];
  /** Development only: accept unsigned or untrusted devices. */
  allowUntrusted?: boolean;
  env?: string;
  /** Discovery/info timeout (default 5 s). */
  infoTimeoutMs?: number;
  /** Registration capture timeout (default 40 s). */
  captureTimeoutMs?: number;
  /** Default requested score (0–100, default 40 for slaps and thumbs). */
  requestedScore?: number;
}

export interface SbiDeviceInfo {
  deviceId: string;
  deviceStatus: string;
  certification: string;
  firmware: string;
  serviceVersion: string;
  deviceSubId: number[];
  digitalId: DigitalId | undefined;
  purpose: string;
  specVersion: string[];
  env: string;
  trusted: boolean;
}

export interface FaceCapture {
  jpeg: Uint8Array;
  width: number;
  height: number;
  quality: number;
}

interface Slap {
  subId: number;
  position: number;
  fingers: number[];
}

const SLAPS: Slap[] = [
  { subId: 1, position: 14, fingers: [7, 8, 9, 10] },
  { subId: 2, position: 13, fingers: [2, 3, 4, 5] },
  { subId: 3, position: 15, fingers: [1, 6] },
];

function slapFor(position: number): Slap {
  const slap = SLAPS.find((s) => s.position === position || s.fingers.includes(position));
  if (!slap) throw new UnsupportedError(`SBI finger devices capture slaps (13, 14, 15) or fingers 1..10, not ${position}`, { details: { position } });
  return slap;
}

export class SbiDevice implements FingerprintDevice {
  readonly kind = 'sbi' as const;
  private readonly progress = new ProgressHub();
  private readonly roots: X509Certificate[];
  private previousHash = '';
  private disposed = false;
  private readonly inflight = new Set<AbortController>();
  private cachedInfo: SbiDeviceInfo | undefined;

  constructor(private readonly options: SbiOptions) {
    this.roots = options.trustRoots.map((r) => (typeof r === 'string' ? new X509Certificate(r) : r));
  }

  onProgress(listener: (event: CaptureProgress) => void): () => void {
    return this.progress.add(listener);
  }

  private get trust() {
    return { trustRoots: this.roots, allowUntrusted: this.options.allowUntrusted ?? false };
  }

  /** MOSIPDINFO, signature-checked against the trust roots. */
  async deviceInfo(signal?: AbortSignal): Promise<SbiDeviceInfo> {
    this.assertLive();
    const res = await this.call('MOSIPDINFO', '/info', undefined, this.options.infoTimeoutMs ?? 5000, signal);
    const body = parseJson(res.body, 'MOSIPDINFO');
    const first = (Array.isArray(body) ? body[0] : body) as { deviceInfo?: unknown; error?: { errorCode?: unknown; errorInfo?: unknown } } | undefined;
    if (!first || typeof first !== 'object') throw new ProtocolError('SBI MOSIPDINFO: empty answer', res.body.subarray(0, 64));
    if (first.error && str(first.error.errorCode, '0') !== '0') throw sbiDeviceError(first.error);
    const { payload, trusted } = verifyJws<Record<string, unknown>>(first.deviceInfo, this.trust);
    if (!payload || typeof payload !== 'object') throw new ProtocolError('SBI MOSIPDINFO: device info is not an object');
    const d = toDiscovered(this.options.port, { ...payload, digitalId: undefined });
    this.cachedInfo = {
      deviceId: d?.deviceId ?? '',
      deviceStatus: d?.deviceStatus ?? 'Not Ready',
      certification: d?.certification ?? '',
      firmware: str(payload.firmware),
      serviceVersion: str(payload.serviceVersion),
      deviceSubId: d?.deviceSubId ?? [],
      digitalId: decodeDigitalId(payload.digitalId, this.trust),
      purpose: d?.purpose ?? '',
      specVersion: d?.specVersion ?? [],
      env: str(payload.env),
      trusted,
    };
    return this.cachedInfo;
  }

  async info(options: { signal?: AbortSignal } = {}): Promise<DeviceInfo> {
    const i = await this.deviceInfo(options.signal);
    return {
      kind: 'sbi',
      address: `127.0.0.1:${this.options.port}`,
      model: [i.digitalId?.make, i.digitalId?.model].filter(Boolean).join(' ') || 'SBI device',
      ...(i.digitalId?.serialNo ? { serialNumber: i.digitalId.serialNo } : {}),
      firmware: i.firmware,
      imageWidth: 0,
      imageHeight: 0,
      ppi: 500,
      positions: i.deviceSubId.map((s) => SLAPS.find((x) => x.subId === s)?.position ?? 0).filter((p) => p > 0),
      details: { deviceStatus: i.deviceStatus, certification: i.certification, trusted: i.trusted, specVersion: i.specVersion, purpose: i.purpose },
    };
  }

  async capture(options: CaptureOptions): Promise<CaptureResult> {
    this.assertLive();
    // Fresh each time: the status (Ready/Busy/Not Ready) is what matters here.
    const info = await this.deviceInfo(options.signal);
    if (info.deviceStatus === 'Busy') throw new DeviceBusyError(`SBI device ${info.deviceId} is busy`);
    // Group requested positions by slap, in request order.
    const groups = new Map<Slap, Set<number>>();
    for (const p of options.positions) {
      const slap = slapFor(p);
      const set = groups.get(slap) ?? new Set<number>();
      for (const f of p === slap.position ? slap.fingers : [p]) set.add(f);
      groups.set(slap, set);
    }
    const exceptions = new Set(options.exceptions ?? []);
    const images: FingerImage[] = [];
    for (const [slap, fingers] of groups) {
      const wanted = [...fingers].filter((f) => !exceptions.has(f));
      const missing = slap.fingers.filter((f) => exceptions.has(f) || !fingers.has(f));
      const bio = {
        type: 'Finger',
        count: wanted.length,
        bioSubType: wanted.map((f) => FINGER_POSITION_NAMES[f]!),
        exception: missing.map((f) => FINGER_POSITION_NAMES[f]!),
        requestedScore: options.requestedScore ?? this.options.requestedScore ?? 40,
        deviceId: info.deviceId,
        deviceSubId: slap.subId,
        previousHash: this.previousHash,
      };
      const emit = (e: CaptureProgress) => this.progress.emit(e, options.onProgress);
      const t0 = performance.now();
      emit({ phase: 'waiting_for_finger', position: slap.position });
      const entries = await this.rcapture(bio, options, (received, total) => {
        if (received === 0) emit({ phase: 'finger_detected', position: slap.position });
        emit({ phase: 'uploading', position: slap.position, percent: total ? Math.floor((100 * received) / total) : 0 });
      });
      const t1 = performance.now();
      for (const e of entries) {
        const record = decodeFingerRecord(e.bioValue);
        for (const view of record.views) {
          if (record.compression !== FIR_COMPRESSION.raw || record.pixelDepth !== 8) throw new UnsupportedError(`SBI finger record compression ${record.compression} is not decoded here (raw 8-bit only)`, { details: { compression: record.compression } });
          images.push({
            width: view.width,
            height: view.height,
            ppi: record.scaleUnits === 2 ? Math.round(record.imageResolution[0] * 2.54) : record.imageResolution[0],
            pixels: view.data,
            position: view.position,
            quality: e.qualityScore,
            timing: { waitMs: t1 - t0, uploadMs: 0, totalMs: t1 - t0, bytes: e.bioValue.length },
          });
        }
      }
      emit({ phase: 'done', position: slap.position });
    }
    return { images };
  }

  async captureFace(options: { timeoutMs?: number; signal?: AbortSignal; requestedScore?: number } = {}): Promise<FaceCapture> {
    this.assertLive();
    const info = this.cachedInfo ?? (await this.deviceInfo(options.signal));
    const bio = { type: 'Face', count: 1, bioSubType: [], exception: [], requestedScore: options.requestedScore ?? 9, deviceId: info.deviceId, deviceSubId: 0, previousHash: this.previousHash };
    const [entry] = await this.rcapture(bio, { positions: [], ...options }, () => undefined);
    if (!entry) throw new ProtocolError('SBI face capture returned no biometrics');
    const [face] = decodeFaceRecord(entry.bioValue);
    if (!face) throw new ProtocolError('SBI face record holds no image');
    return { jpeg: face.data, width: face.width, height: face.height, quality: entry.qualityScore };
  }

  /** MJPEG preview: yields one JPEG per frame until the caller stops iterating or aborts. */
  async *stream(options: { deviceSubId?: number; signal?: AbortSignal; timeoutMs?: number } = {}): AsyncGenerator<Buffer> {
    this.assertLive();
    const controller = new AbortController();
    this.inflight.add(controller);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const chunks = sbiStream({
        port: this.options.port,
        method: 'STREAM',
        path: '/stream',
        body: { deviceId: this.cachedInfo?.deviceId ?? '', deviceSubId: options.deviceSubId ?? 1, timeout: options.timeoutMs ?? 60_000 },
        timeoutMs: options.timeoutMs ?? 5000,
        signal: controller.signal,
      });
      yield* jpegFrames(chunks);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.inflight.delete(controller);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const c of this.inflight) c.abort();
  }

  // ---- internals ----

  private assertLive(): void {
    if (this.disposed) throw new DeviceDisposedError();
  }

  private async call(method: string, path: string, body: unknown, timeoutMs: number, signal?: AbortSignal, onProgress?: (r: number, t: number | undefined) => void) {
    const controller = new AbortController();
    this.inflight.add(controller);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await sbiRequest({ port: this.options.port, method, path, body, timeoutMs, signal: controller.signal, onProgress });
      if (res.status !== 200) throw new ProtocolError(`SBI ${method}: HTTP ${res.status}`, res.body.subarray(0, 64));
      return res;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.inflight.delete(controller);
    }
  }

  private async rcapture(
    bio: Record<string, unknown>,
    options: CaptureOptions,
    onProgress: (received: number, total: number | undefined) => void,
  ): Promise<CaptureEntry[]> {
    const timeout = options.timeoutMs ?? this.options.captureTimeoutMs ?? 40_000;
    const request = {
      env: this.options.env ?? 'Staging',
      purpose: 'Registration',
      specVersion: SBI_SPEC_VERSION,
      timeout,
      captureTime: new Date().toISOString(),
      transactionId: randomUUID(),
      bio: [bio],
      customOpts: null,
    };
    onProgress(0, undefined);
    // The device holds the request open while it waits for the finger: allow its timeout plus slack.
    const res = await this.call('RCAPTURE', '/capture', request, timeout + 2000, options.signal, onProgress);
    const { entries, lastHash } = decodeCaptureResponse(res.body, { ...this.trust, previousHash: this.previousHash, transactionId: request.transactionId });
    this.previousHash = lastHash;
    return entries;
  }
}

export function sbiDeviceError(error: { errorCode?: unknown; errorInfo?: unknown }): Error {
  const code = str(error.errorCode);
  const info = str(error.errorInfo).slice(0, 200);
  if (code === SBI_ERROR.noBiometric) return new NoFingerError(`SBI device: ${info || 'no biometric detected'}`, { details: { errorCode: code } });
  if (code === SBI_ERROR.busy) return new DeviceBusyError(`SBI device: ${info || 'busy'}`, { details: { errorCode: code } });
  return new DeviceReportedError(`SBI device error ${code}: ${info}`, Number(code) || -1, { details: { errorCode: code } });
}

export interface CaptureEntry {
  bioValue: Uint8Array;
  qualityScore: number;
  bioSubType: string;
}

/**
 * Decodes an RCAPTURE response: device errors, the signed `data` JWTs (verified against the trust roots), the
 * transaction id, and the hash chain from `previousHash`. Pure, so it can be fuzzed; throws only KioskErrors.
 */
export function decodeCaptureResponse(
  body: Buffer,
  ctx: { trustRoots: X509Certificate[]; allowUntrusted: boolean; previousHash: string; transactionId: string },
): { entries: CaptureEntry[]; lastHash: string } {
  const json = parseJson(body, 'RCAPTURE') as { biometrics?: unknown } | null;
  if (!json || typeof json !== 'object' || !Array.isArray(json.biometrics)) throw new ProtocolError('SBI RCAPTURE: no biometrics array', body.subarray(0, 64));
  let previousHash = ctx.previousHash;
  const entries: CaptureEntry[] = [];
  for (const raw of json.biometrics as unknown[]) {
    const b = (raw && typeof raw === 'object' ? raw : {}) as { data?: unknown; hash?: unknown; error?: { errorCode?: unknown; errorInfo?: unknown } | null };
    if (b.error && typeof b.error === 'object' && str(b.error.errorCode, '0') !== '0') throw sbiDeviceError(b.error);
    const { payload } = verifyJws<Record<string, unknown> | null>(b.data, ctx);
    if (!payload || typeof payload !== 'object' || typeof payload.bioValue !== 'string') throw new ProtocolError('SBI RCAPTURE: data has no bioValue');
    if (str(payload.transactionId) !== ctx.transactionId) throw new ProtocolError('SBI RCAPTURE: transactionId does not match the request');
    if (!/^[A-Za-z0-9_-]*$/.test(payload.bioValue)) throw new ProtocolError('SBI RCAPTURE: bioValue is not base64url');
    const bioValue = b64url.decode(payload.bioValue);
    const expected = chainHash(previousHash, bioValue);
    if (str(b.hash).toLowerCase() !== expected) throw new ChecksumError('SBI capture hash does not chain (SHA-256(previousHash ‖ SHA-256(bioValue)))', Buffer.from(str(b.hash).slice(0, 64)), 0, 0);
    previousHash = expected;
    entries.push({ bioValue, qualityScore: Number(payload.qualityScore) || 0, bioSubType: str(payload.bioSubType) });
  }
  if (entries.length === 0) throw new DeviceTimeoutError('SBI RCAPTURE returned no capture');
  return { entries, lastHash: previousHash };
}

/** Splits an MJPEG byte stream into JPEG images (SOI FFD8 … EOI FFD9); bounded per frame. */
export async function* jpegFrames(chunks: AsyncIterable<Buffer>, maxFrame = 4 * 1024 * 1024): AsyncGenerator<Buffer> {
  let buf = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const start = buf.indexOf(Buffer.from([0xff, 0xd8]));
      if (start < 0) {
        buf = buf.subarray(Math.max(0, buf.length - 1));
        break;
      }
      const end = buf.indexOf(Buffer.from([0xff, 0xd9]), start + 2);
      if (end < 0) {
        buf = buf.subarray(start);
        if (buf.length > maxFrame) throw new ProtocolError(`MJPEG frame larger than ${maxFrame} bytes`, buf.subarray(0, 32));
        break;
      }
      yield Buffer.from(buf.subarray(start, end + 2));
      buf = buf.subarray(end + 2);
    }
  }
}


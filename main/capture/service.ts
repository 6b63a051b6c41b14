// Finger capture from the configured devices: one finger (single-finger sensors) or a 4-4-2 slap (SBI slap
// scanners) per call, quality and template in worker threads, best attempt kept, exceptions, and the sequence check
// (a single finger is matched against the slap segments: one captured under the wrong position is caught).
import type { DeviceInfo, FingerImage, FingerprintDevice } from '../../drivers/device.js';
import type { CapturePlanView, FingerDeviceView, FingerProgress, FingerSessionView, FingerStateView } from '../contract/channels/finger.js';
import { KioskError } from '../contract/errors.js';
import type { FingerAnalyzer } from './analysis-pool.js';
import {
  FingerAttemptsExhaustedError,
  FingerCaptureBusyError,
  FingerDeviceUnavailableError,
  FingerExceptionPhotoInvalidError,
  FingerNothingToCaptureError,
  FingerSegmentUnexpectedError,
  FingerSessionNotFoundError,
  FingerStepUnsupportedError,
} from './errors.js';
import { ALL_FINGERS, DEFAULT_CAPTURE_ORDER, capturePlan, captureModeOf, fingersOf, isFinger, isSlap, supportsStep, type CaptureOrder, type CaptureStep, type FingerPos } from './positions.js';

export type FingerExceptionKind = 'missing' | 'amputated' | 'bandaged' | 'unable';

/** One analysed image of one finger. Pixels are 8-bit grey at 500 ppi. */
export interface FingerAttempt {
  position: FingerPos;
  step: CaptureStep;
  deviceId: string;
  /** 1-based count of this finger's analysed images when it was taken. */
  attempt: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Compact template (models/finger serializeTemplate, format FINGER_TEMPLATE_FORMAT). */
  template: Uint8Array;
  quality: number;
  feedback: string[];
  minutiae: number;
  capturedAt: string;
}

export interface FingerExceptionRecord {
  kind: FingerExceptionKind;
  reason: string;
  /** JPEG bytes of the exception photo, when one was taken. */
  photo: Uint8Array | null;
}

export interface FingerSlot {
  attempts: number;
  lastQuality: number | null;
  /** Best slap segment (also the reference of the sequence check). */
  bestSlap: FingerAttempt | null;
  /** Best single capture that passed the sequence check (or could not be checked). */
  bestSingle: FingerAttempt | null;
  exception: FingerExceptionRecord | null;
}

export interface SequenceMismatch {
  position: FingerPos;
  matchedPosition: FingerPos;
  score: number;
  claimedScore: number | null;
}

export interface CaptureRequest {
  sessionId: string;
  deviceId: string;
  step: CaptureStep;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CaptureOutcome {
  session: FingerSessionView;
  captured: { position: FingerPos; quality: number; feedback: string[]; attempt: number; kept: boolean }[];
}

/** What the service needs from the device manager: the configured devices, opened or not. */
export interface FingerDeviceSource {
  list(): { id: string; device: FingerprintDevice | null; info: DeviceInfo | null; detail?: string }[];
  /** Demo mode: before a capture, the emulated sensor is shown the person of this session (enrollment). */
  present?(deviceId: string, sessionId: string): Promise<void>;
}

export interface FingerCaptureConfig {
  /** Capture calls per step (retries included). */
  maxAttempts: number;
  /** Quality (0–100, NFIQ 2 scale) at which a finger is accepted. */
  qualityMin: number;
  order: CaptureOrder;
  /** Normalised matcher score above which a single "is" a slap segment (30 ⇔ FMR 0.1 % on the evaluation set). */
  sequenceThreshold: number;
  /** Per-capture wait for a finger (ms). */
  timeoutMs: number;
  /** Sessions kept in memory at once (oldest idle ones are dropped). */
  maxSessions: number;
}

export const DEFAULT_FINGER_CAPTURE_CONFIG: FingerCaptureConfig = {
  maxAttempts: 3,
  qualityMin: 40,
  order: DEFAULT_CAPTURE_ORDER,
  sequenceThreshold: 30,
  timeoutMs: 20_000,
  maxSessions: 16,
};

export interface FingerCaptureService {
  listDevices(): Promise<FingerDeviceView[]>;
  plan(deviceId: string): Promise<CapturePlanView>;
  capture(request: CaptureRequest): Promise<CaptureOutcome>;
  /** Aborts the session's running capture; false when none was running. */
  cancel(sessionId: string): boolean;
  session(sessionId: string): FingerSessionView;
  recordException(input: { sessionId: string; position: FingerPos; kind: FingerExceptionKind; reason: string; photo?: Uint8Array }): FingerSessionView;
  reset(sessionId: string, position: FingerPos): FingerSessionView;
  /** The kept (best) image of one finger, 8-bit grey, for the clerk to look at; null when none was captured. */
  image(sessionId: string, position: FingerPos): { width: number; height: number; pixels: Uint8Array } | null;
  /** The kept data of a session (best attempt per finger, exceptions) for the enrollment draft: see toDraftFingerPatch(). */
  snapshot(sessionId: string): FingerSessionSnapshot;
  /** Forgets a session (after the workflow stored it). */
  discard(sessionId: string): void;
  onProgress(listener: (event: FingerProgress) => void): () => void;
  dispose(): Promise<void>;
}

export interface FingerSessionSnapshot {
  sessionId: string;
  fingers: { position: FingerPos; best: FingerAttempt; attempts: number }[];
  exceptions: { position: FingerPos; exception: FingerExceptionRecord }[];
  view: FingerSessionView;
}

interface Session {
  id: string;
  slots: Map<FingerPos, FingerSlot>;
  stepAttempts: Map<CaptureStep, number>;
  mismatches: Map<FingerPos, SequenceMismatch>;
  checked: number;
  inflight: AbortController | null;
  touchedAt: number;
}

function emptySlot(): FingerSlot {
  return { attempts: 0, lastQuality: null, bestSlap: null, bestSingle: null, exception: null };
}

/** The attempt kept for the record: the better of the best slap segment and the best single (single on a tie). */
export function bestOf(slot: FingerSlot): FingerAttempt | null {
  const a = slot.bestSlap, b = slot.bestSingle;
  if (!a) return b;
  if (!b) return a;
  return b.quality >= a.quality ? b : a;
}

const JPEG_MAX_BYTES = 3_000_000;

export function checkExceptionPhoto(photo: Uint8Array): void {
  if (photo.length < 4 || photo[0] !== 0xff || photo[1] !== 0xd8 || photo[2] !== 0xff) throw new FingerExceptionPhotoInvalidError('no JPEG start-of-image marker');
  if (photo.length > JPEG_MAX_BYTES) throw new FingerExceptionPhotoInvalidError(`larger than ${JPEG_MAX_BYTES} bytes`);
}

export class DeviceFingerCaptureService implements FingerCaptureService {
  private readonly sessions = new Map<string, Session>();
  private readonly deviceOwner = new Map<string, string>();
  private readonly listeners = new Set<(event: FingerProgress) => void>();
  private readonly infos = new Map<string, DeviceInfo>();
  private readonly config: FingerCaptureConfig;
  private disposed = false;

  constructor(
    private readonly devices: FingerDeviceSource,
    private readonly analyzer: FingerAnalyzer,
    config: Partial<FingerCaptureConfig> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.config = { ...DEFAULT_FINGER_CAPTURE_CONFIG, ...config };
  }

  onProgress(listener: (event: FingerProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: FingerProgress): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not break the capture.
      }
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Finger capture service is disposed');
  }

  private async infoOf(id: string, device: FingerprintDevice, known: DeviceInfo | null): Promise<DeviceInfo> {
    const cached = this.infos.get(id) ?? known;
    if (cached) return cached;
    const info = await device.info();
    this.infos.set(id, info);
    return info;
  }

  async listDevices(): Promise<FingerDeviceView[]> {
    this.assertLive();
    const out: FingerDeviceView[] = [];
    for (const entry of this.devices.list()) {
      if (!entry.device) {
        out.push({ id: entry.id, kind: entry.info?.kind ?? 'r30x', model: entry.info?.model ?? entry.id, mode: 'single', state: 'error', ...(entry.detail ? { detail: entry.detail } : {}) });
        continue;
      }
      try {
        const info = await this.infoOf(entry.id, entry.device, entry.info);
        out.push({ id: entry.id, kind: info.kind, model: info.model, mode: captureModeOf(info), state: 'ready' });
      } catch (error) {
        out.push({ id: entry.id, kind: entry.device.kind, model: entry.id, mode: 'single', state: 'error', detail: error instanceof KioskError ? error.code : 'INTERNAL' });
      }
    }
    return out;
  }

  private async openDevice(deviceId: string): Promise<{ device: FingerprintDevice; info: DeviceInfo }> {
    const entry = this.devices.list().find((d) => d.id === deviceId);
    if (!entry?.device) throw new FingerDeviceUnavailableError(deviceId, entry?.detail);
    return { device: entry.device, info: await this.infoOf(deviceId, entry.device, entry.info) };
  }

  async plan(deviceId: string): Promise<CapturePlanView> {
    this.assertLive();
    const { info } = await this.openDevice(deviceId);
    return capturePlan(deviceId, info, this.config.order, { maxAttempts: this.config.maxAttempts, qualityMin: this.config.qualityMin });
  }

  private sessionOf(id: string, create: boolean): Session {
    let s = this.sessions.get(id);
    if (!s) {
      if (!create) throw new FingerSessionNotFoundError();
      s = { id, slots: new Map(ALL_FINGERS.map((p) => [p, emptySlot()])), stepAttempts: new Map(), mismatches: new Map(), checked: 0, inflight: null, touchedAt: this.clock() };
      this.sessions.set(id, s);
      this.evict();
    }
    s.touchedAt = this.clock();
    return s;
  }

  private evict(): void {
    if (this.sessions.size <= this.config.maxSessions) return;
    const idle = [...this.sessions.values()].filter((s) => !s.inflight).sort((a, b) => a.touchedAt - b.touchedAt);
    for (const s of idle.slice(0, this.sessions.size - this.config.maxSessions)) this.sessions.delete(s.id);
  }

  session(sessionId: string): FingerSessionView {
    this.assertLive();
    return this.view(this.sessionOf(sessionId, true));
  }

  async capture(request: CaptureRequest): Promise<CaptureOutcome> {
    this.assertLive();
    const { sessionId, deviceId, step } = request;
    const session = this.sessionOf(sessionId, true);
    if (session.inflight) throw new FingerCaptureBusyError('session', sessionId);
    const owner = this.deviceOwner.get(deviceId);
    if (owner !== undefined && owner !== sessionId) throw new FingerCaptureBusyError('device', deviceId);
    const controller = new AbortController();
    session.inflight = controller;
    this.deviceOwner.set(deviceId, sessionId);
    const onAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) controller.abort();
    const progress = (phase: FingerProgress['phase'], extra: Partial<FingerProgress> = {}) => this.emit({ sessionId, deviceId, step, phase, ...extra });
    try {
      const { device, info } = await this.openDevice(deviceId);
      if (!supportsStep(info, step)) throw new FingerStepUnsupportedError(deviceId, step);
      await this.devices.present?.(deviceId, sessionId);
      const used = session.stepAttempts.get(step) ?? 0;
      if (used >= this.config.maxAttempts) throw new FingerAttemptsExhaustedError(step, this.config.maxAttempts);
      const wanted = fingersOf(step).filter((p) => !session.slots.get(p)!.exception);
      if (wanted.length === 0) throw new FingerNothingToCaptureError(step);
      const excepted = fingersOf(step).filter((p) => !wanted.includes(p));

      let images: FingerImage[];
      try {
        const result = await device.capture({
          positions: isSlap(step) && excepted.length === 0 ? [step] : [...wanted],
          timeoutMs: request.timeoutMs ?? this.config.timeoutMs,
          signal: controller.signal,
          ...(info.kind === 'sbi' && excepted.length ? { exceptions: excepted } : {}),
          onProgress: (e) => {
            if (e.phase === 'waiting_for_finger') progress('place_finger');
            else if (e.phase === 'finger_detected') progress('finger_detected');
            else if (e.phase === 'uploading') progress('uploading', { percent: Math.max(0, Math.min(100, e.percent)) });
            else progress('lift_finger');
          },
        });
        images = result.images;
      } catch (error) {
        progress(controller.signal.aborted ? 'cancelled' : 'failed', { code: error instanceof KioskError ? error.code : 'INTERNAL' });
        throw error;
      }
      // Every segment must be a finger this step asked for, once (a slap device labels them per finger).
      const seen = new Set<number>();
      for (const img of images) {
        if (!isFinger(img.position) || !wanted.includes(img.position) || seen.has(img.position)) throw new FingerSegmentUnexpectedError(step, img.position);
        seen.add(img.position);
      }
      progress('analysing');
      let analysed;
      try {
        analysed = await Promise.all(images.map((img) => this.analyzer.analyse({ width: img.width, height: img.height, ppi: img.ppi, pixels: img.pixels })));
      } catch (error) {
        progress('failed', { code: error instanceof KioskError ? error.code : 'INTERNAL' });
        throw error;
      }
      if (this.disposed) throw new KioskError('DISPOSED', 'Finger capture service is disposed');
      session.stepAttempts.set(step, used + 1);
      const capturedAt = new Date(this.clock()).toISOString();
      const captured: CaptureOutcome['captured'] = [];
      for (let i = 0; i < images.length; i++) {
        const img = images[i]!, a = analysed[i]!;
        const position = img.position as FingerPos;
        const slot = session.slots.get(position)!;
        slot.attempts++;
        slot.lastQuality = a.quality;
        const attempt: FingerAttempt = {
          position,
          step,
          deviceId,
          attempt: slot.attempts,
          width: a.width,
          height: a.height,
          pixels: a.pixels,
          template: a.template,
          quality: a.quality,
          feedback: a.feedback,
          minutiae: a.minutiae,
          capturedAt,
        };
        let kept: boolean;
        if (isSlap(step)) {
          kept = !slot.bestSlap || attempt.quality > slot.bestSlap.quality;
          if (kept) slot.bestSlap = attempt;
        } else {
          const ok = await this.checkSequence(session, attempt);
          kept = ok && (!slot.bestSingle || attempt.quality > slot.bestSingle.quality);
          if (kept) slot.bestSingle = attempt;
        }
        const feedback = [...a.feedback, ...(a.quality < this.config.qualityMin ? ['LOW_QUALITY'] : []), ...(session.mismatches.has(position) && !kept ? ['SEQUENCE_MISMATCH'] : [])];
        captured.push({ position, quality: a.quality, feedback, attempt: attempt.attempt, kept });
        progress('captured', { position, quality: a.quality, attempt: attempt.attempt });
      }
      // New slap segments: the singles captured before them are checked now.
      if (isSlap(step)) {
        for (const p of ALL_FINGERS) {
          const single = session.slots.get(p)!.bestSingle;
          if (single && !(await this.checkSequence(session, single))) session.slots.get(p)!.bestSingle = null;
        }
      }
      return { session: this.view(session), captured };
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      session.inflight = null;
      if (this.deviceOwner.get(deviceId) === sessionId) this.deviceOwner.delete(deviceId);
    }
  }

  /**
   * Matches a single finger against every slap segment of the session. A mismatch (it matches another position's
   * segment and not its own) is recorded and the attempt is refused; without slap segments there is nothing to check.
   */
  private async checkSequence(session: Session, single: FingerAttempt): Promise<boolean> {
    const segments = ALL_FINGERS.map((p) => session.slots.get(p)!.bestSlap).filter((a): a is FingerAttempt => a !== null);
    if (segments.length === 0) return true;
    const scores = await this.analyzer.compare(single.template, segments.map((s) => s.template));
    session.checked++;
    let claimed: number | null = null;
    let best: { position: FingerPos; score: number } | null = null;
    segments.forEach((s, i) => {
      const score = scores[i]!;
      if (s.position === single.position) claimed = score;
      else if (!best || score > best.score) best = { position: s.position, score };
    });
    const t = this.config.sequenceThreshold;
    const other = best as { position: FingerPos; score: number } | null;
    if (other && other.score >= t && (claimed === null || claimed < t)) {
      session.mismatches.set(single.position, { position: single.position, matchedPosition: other.position, score: other.score, claimedScore: claimed });
      return false;
    }
    session.mismatches.delete(single.position);
    return true;
  }

  cancel(sessionId: string): boolean {
    const s = this.sessions.get(sessionId);
    if (!s?.inflight) return false;
    s.inflight.abort();
    return true;
  }

  recordException(input: { sessionId: string; position: FingerPos; kind: FingerExceptionKind; reason: string; photo?: Uint8Array }): FingerSessionView {
    this.assertLive();
    const session = this.sessionOf(input.sessionId, true);
    if (session.inflight) throw new FingerCaptureBusyError('session', input.sessionId);
    if (input.photo) checkExceptionPhoto(input.photo);
    // An exception replaces whatever was captured for that finger.
    session.slots.set(input.position, { ...emptySlot(), attempts: session.slots.get(input.position)!.attempts, exception: { kind: input.kind, reason: input.reason, photo: input.photo ?? null } });
    session.mismatches.delete(input.position);
    return this.view(session);
  }

  reset(sessionId: string, position: FingerPos): FingerSessionView {
    this.assertLive();
    const session = this.sessionOf(sessionId, false);
    if (session.inflight) throw new FingerCaptureBusyError('session', sessionId);
    session.slots.set(position, emptySlot());
    session.mismatches.delete(position);
    session.stepAttempts.delete(position);
    return this.view(session);
  }

  image(sessionId: string, position: FingerPos): { width: number; height: number; pixels: Uint8Array } | null {
    this.assertLive();
    const slot = this.sessions.get(sessionId)?.slots.get(position);
    const best = slot && !slot.exception ? bestOf(slot) : null;
    return best ? { width: best.width, height: best.height, pixels: best.pixels } : null;
  }

  snapshot(sessionId: string): FingerSessionSnapshot {
    this.assertLive();
    const session = this.sessionOf(sessionId, false);
    const fingers: FingerSessionSnapshot['fingers'] = [];
    const exceptions: FingerSessionSnapshot['exceptions'] = [];
    for (const p of ALL_FINGERS) {
      const slot = session.slots.get(p)!;
      if (slot.exception) exceptions.push({ position: p, exception: slot.exception });
      else {
        const best = bestOf(slot);
        if (best) fingers.push({ position: p, best, attempts: slot.attempts });
      }
    }
    return { sessionId, fingers, exceptions, view: this.view(session) };
  }

  discard(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    s?.inflight?.abort();
    this.sessions.delete(sessionId);
  }

  private view(session: Session): FingerSessionView {
    const { maxAttempts, qualityMin } = this.config;
    const fingers: FingerStateView[] = ALL_FINGERS.map((position) => {
      const slot = session.slots.get(position)!;
      const best = bestOf(slot);
      const mismatch = session.mismatches.has(position);
      const feedback = best ? [...best.feedback, ...(best.quality < qualityMin ? ['LOW_QUALITY'] : [])] : [];
      if (mismatch) feedback.push('SEQUENCE_MISMATCH');
      return {
        position,
        state: slot.exception ? 'excepted' : best ? 'captured' : 'pending',
        quality: best?.quality ?? null,
        lastQuality: slot.lastQuality,
        feedback,
        attempts: slot.attempts,
        maxAttempts,
        accepted: !!best && best.quality >= qualityMin,
        minutiae: best?.minutiae ?? null,
        source: best?.step ?? null,
        exception: slot.exception ? { kind: slot.exception.kind, reason: slot.exception.reason, hasPhoto: slot.exception.photo !== null } : null,
      };
    });
    const done = (f: FingerStateView) => f.state === 'excepted' || (f.state === 'captured' && (f.accepted || f.attempts >= maxAttempts));
    return {
      sessionId: session.id,
      fingers,
      sequence: { checked: session.checked, mismatches: [...session.mismatches.values()] },
      complete: fingers.every(done) && session.mismatches.size === 0,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.sessions.values()) s.inflight?.abort();
    this.sessions.clear();
    this.deviceOwner.clear();
    this.listeners.clear();
    await this.analyzer.dispose();
  }
}

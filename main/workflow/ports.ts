// What the workflow needs from other areas, as small interfaces (implemented by main/face, main/capture, main/dedup;
// unit tests pass their own).
import type { DedupOutcome, DedupProbe } from '../dedup/service.js';
import type { LastFaceCapture } from '../face/face-handlers.js';
import type { BiometricException, FingerCapture, FingerPosition } from '../enrollment/model.js';

export interface FaceCaptureSource {
  /** This connection's last full face capture (token image, embedding, report, PAD), or null. */
  lastCapture(connectionId: string): LastFaceCapture | null;
}

/** The finger capture session of one draft, in the enrollment draft format. */
export interface FingerSessionResult {
  /** Best attempt per captured finger. */
  fingers: FingerCapture[];
  /** Finger exceptions (missing, amputated, bandaged, unable), with their photo when taken. */
  exceptions: BiometricException[];
  /** Positions whose single-finger capture matched another slap segment (open sequence-check mismatches). */
  sequenceMismatches: FingerPosition[];
}

export interface FingerSessionSource {
  /** The capture session keyed by `sessionId` (the workflow uses the draft id), or null when none exists. */
  sessionResult(sessionId: string): Promise<FingerSessionResult | null>;
  /** Configured capture order and attempts (for the form definition). */
  plan(): { positions: FingerPosition[]; maxAttempts: number };
  /** Forgets the session (its images stay only in the encrypted draft once the record leaves the draft state). */
  discard?(sessionId: string): void;
}

export interface DedupSearch {
  search(probe: DedupProbe, opts?: { signedInOperatorId?: string | null; limit?: number }): Promise<DedupOutcome>;
}

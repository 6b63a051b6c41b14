// The enrollment record model (schema version 1). Biometric bytes are Uint8Array; everything else is JSON-safe.
import type { EnrollmentStatus } from './lifecycle.js';
import type { Demographics } from './id-schema.js';

export const ENROLLMENT_SCHEMA_VERSION = 1;

/** ISO/IEC 19794-4 finger positions: 1 right thumb … 5 right little, 6 left thumb … 10 left little. */
export type FingerPosition = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export const FINGER_POSITIONS: readonly FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export interface GreyImage {
  width: number;
  height: number;
  ppi: number;
  /** 8-bit grey, row-major, width*height bytes. */
  pixels: Uint8Array;
}

export interface FingerCapture {
  position: FingerPosition;
  image: GreyImage;
  template: Uint8Array;
  templateFormat: string;
  /** 0–100 (NFIQ 2 scale). */
  quality: number;
  attempts: number;
  capturedAt: string;
}

export interface FaceCapture {
  /** Token JPEG (ICAO crop). */
  image: Uint8Array;
  quality: Record<string, unknown>;
  /** 512-d face embedding. */
  embedding: Float32Array;
  capturedAt: string;
}

export type ExceptionKind = 'missing' | 'amputated' | 'bandaged' | 'unable';

export interface BiometricException {
  modality: 'face' | 'finger';
  position?: FingerPosition;
  kind: ExceptionKind;
  reason: string;
  photo?: Uint8Array;
}

export interface Consent {
  textVersion: string;
  timestamp: string;
  method: 'signed_paper' | 'verbal' | 'thumbprint';
}

export interface GeoPoint {
  lat: number;
  lon: number;
  accuracyM?: number;
}

export interface Versions {
  software: string;
  models: Record<string, string>;
}

export interface DraftPatch {
  demographics?: Partial<Demographics>;
  consent?: Consent | null;
  face?: FaceCapture | null;
  fingers?: FingerCapture[];
  removeFingers?: FingerPosition[];
  exceptions?: BiometricException[];
  geo?: GeoPoint | null;
  versions?: Versions;
  /** 'replace' sets the demographics to exactly `demographics` (cleared fields are removed); default 'merge'. */
  demographicsMode?: 'merge' | 'replace';
  /** The wizard's persisted state (main/workflow/state.ts), kept encrypted with the record's details. */
  workflow?: WorkflowStateJson | null;
}

/** Opaque JSON to the enrollment layer; typed and validated by main/workflow. */
export type WorkflowStateJson = Record<string, unknown>;

export interface EnrollmentRecord {
  id: string;
  rid: string;
  status: EnrollmentStatus;
  schemaVersion: number;
  rev: number;
  centreId: string;
  kioskId: string;
  operatorId: string;
  supervisorId: string | null;
  createdAt: string;
  updatedAt: string;
  sealedAt: string | null;
  idSchema: { id: string; version: number };
  demographics: Partial<Demographics>;
  consent: Consent | null;
  face: FaceCapture | null;
  fingers: FingerCapture[];
  exceptions: BiometricException[];
  geo: GeoPoint | null;
  versions: Versions | null;
  workflow: WorkflowStateJson | null;
}

/** What survives sealing in clear: no PII. */
export interface Receipt {
  fingersCaptured: number;
  faceCaptured: boolean;
  exceptions: number;
  packetSha256?: string;
  packetBytes?: number;
}

export interface EnrollmentSummary {
  id: string;
  rid: string;
  status: EnrollmentStatus;
  createdAt: string;
  updatedAt: string;
  operatorId: string;
  supervisorId: string | null;
  /** Display names (decrypted) while the record is still held in the store; null after sealing. */
  displayName: { ar: string | null; latin: string | null } | null;
  receipt: Receipt | null;
}

// The fingerprint device interface every driver (R30x, GT-511C3, MOSIP SBI) implements.
import type { Disposable } from '../main/platform/disposable.js';

/** ISO/IEC 19794-4 finger positions: 0 unknown, 1..5 right thumb..little, 6..10 left thumb..little, 13/14/15 slaps. */
export type FingerPosition = number;

export const FINGER_POSITION_NAMES: Record<number, string> = {
  0: 'Unknown',
  1: 'Right Thumb',
  2: 'Right IndexFinger',
  3: 'Right MiddleFinger',
  4: 'Right RingFinger',
  5: 'Right LittleFinger',
  6: 'Left Thumb',
  7: 'Left IndexFinger',
  8: 'Left MiddleFinger',
  9: 'Left RingFinger',
  10: 'Left LittleFinger',
  13: 'Right Slap',
  14: 'Left Slap',
  15: 'Two Thumbs',
};

export function isFingerPosition(n: number): boolean {
  return Number.isInteger(n) && ((n >= 0 && n <= 10) || (n >= 13 && n <= 15));
}

export type DeviceKind = 'r30x' | 'gt511c3' | 'sbi';

export interface DeviceInfo {
  kind: DeviceKind;
  /** Where the device is: a serial path or `127.0.0.1:PORT`. */
  address: string;
  model: string;
  serialNumber?: string;
  firmware?: string;
  /** Native image size and resolution of a single capture. */
  imageWidth: number;
  imageHeight: number;
  ppi: number;
  /** Finger positions one capture call can return (single-finger sensors: any one finger). */
  positions: FingerPosition[];
  details?: Record<string, unknown>;
}

export type CaptureProgress =
  | { phase: 'waiting_for_finger'; position: FingerPosition }
  | { phase: 'finger_detected'; position: FingerPosition }
  | { phase: 'uploading'; position: FingerPosition; percent: number }
  | { phase: 'done'; position: FingerPosition };

export interface CaptureTiming {
  /** From the start of the capture until the finger was detected. */
  waitMs: number;
  /** From finger detected until the image was fully received. */
  uploadMs: number;
  totalMs: number;
  /** Bytes received from the device for this image. */
  bytes: number;
}

export interface FingerImage {
  width: number;
  height: number;
  ppi: number;
  /** 8-bit grey, row-major, 0 = black. */
  pixels: Uint8Array;
  position: FingerPosition;
  /** Quality the device itself reported (0–100), when it reports one. */
  quality?: number;
  timing: CaptureTiming;
}

export interface CaptureOptions {
  /** One image is captured per position, in order. Single-finger sensors take any single finger 0..10. */
  positions: FingerPosition[];
  /** Per-finger time to wait for a finger (and then for the image). Default 20 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (event: CaptureProgress) => void;
  /** SBI only: fingers that cannot be captured (ISO positions). */
  exceptions?: FingerPosition[];
  /** SBI only: quality the device should wait for (0–100). */
  requestedScore?: number;
}

export interface CaptureResult {
  images: FingerImage[];
  /** Bytes the parser had to skip to resynchronise (line noise). */
  resyncedBytes?: number;
}

export interface FingerprintDevice extends Disposable {
  readonly kind: DeviceKind;
  info(options?: { signal?: AbortSignal }): Promise<DeviceInfo>;
  capture(options: CaptureOptions): Promise<CaptureResult>;
  /** Listen to progress of every capture; returns an unsubscribe function. */
  onProgress(listener: (event: CaptureProgress) => void): () => void;
  dispose(): Promise<void>;
}

/** Small helper shared by drivers for progress fan-out. */
export class ProgressHub {
  private readonly listeners = new Set<(event: CaptureProgress) => void>();
  add(listener: (event: CaptureProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: CaptureProgress, extra?: (event: CaptureProgress) => void): void {
    for (const l of [...this.listeners, ...(extra ? [extra] : [])]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not break the capture.
      }
    }
  }
}

// Public types of the synthetic fingerprint generator (re-exported by index.ts).

/** ISO/IEC 19794-2 finger positions: 1 right thumb .. 5 right little, 6 left thumb .. 10 left little. */
export type FingerPosition = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

export type FingerprintClass = 'arch' | 'tented_arch' | 'left_loop' | 'right_loop' | 'whorl';

export interface GroundTruthMinutia {
  /** Pixel column (0 = left). */
  x: number;
  /** Pixel row (0 = top). */
  y: number;
  /**
   * Radians in [0, 2π), ISO convention: counter-clockwise from the +x axis as seen on screen (image y grows downwards,
   * so a direction d points to (cos d, -sin d) in pixel coordinates). Endings: along the ridge, away from the end
   * (into the ridge). Bifurcations: along the valley that ends there, i.e. bisecting the two branches, away from the fork.
   */
  direction: number;
  type: 'ending' | 'bifurcation';
}

export interface SynthImpression {
  width: number;
  height: number;
  ppi: 500;
  /** 8-bit grey, row-major, dark ridges on a light background. */
  pixels: Uint8Array;
  minutiae: GroundTruthMinutia[];
  fingerClass: FingerprintClass;
}

export interface SynthImpressionOptions {
  subject: string;
  finger: FingerPosition;
  /** 0, 1, 2, ... */
  impression: number;
  /** Default 288. */
  width?: number;
  /** Default 384. */
  height?: number;
  /** Default 0. */
  seed?: number;
}

export interface SynthMasterOptions {
  subject: string;
  finger: FingerPosition;
  seed?: number;
  width?: number;
  height?: number;
}

export interface SynthMasterPrint {
  width: number;
  height: number;
  /** Binary ridge map as 8-bit grey, row-major: 0 = ridge, 255 = valley (same polarity as impressions). */
  ridges: Uint8Array;
  minutiae: GroundTruthMinutia[];
  fingerClass: FingerprintClass;
}

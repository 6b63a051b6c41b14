// Synthetic fingerprint generator (SFinGe-style; Cappelli, Maio & Maltoni): deterministic master prints and impressions at
// 500 ppi with ground-truth minutiae, for device emulators and matcher evaluation. See docs/SYNTHETIC_FINGERPRINTS.md.
export type { FingerPosition, FingerprintClass, GroundTruthMinutia, SynthImpression, SynthImpressionOptions } from './types.js';
export { synthesizeImpression } from './impression.js';
// Extras beyond the core API: impression geometry for evaluation code, and the error class.
export { impressionGeometryOf, type ImpressionGeometry } from './impression.js';
export { synthesizeMasterPrint } from './master.js';
export { SynthOptionsError } from './errors.js';

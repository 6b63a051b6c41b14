// MOSIP-style BIRs from ISO records: one BIR per finger view (its BDB a single-view ISO/IEC 19794-4 record) and one per
// face image (ISO/IEC 19794-5), with the format types and subtypes MOSIP packets use.
import { writeFaceImageRecord, type FaceImageRecord } from '../iso/face-image.js';
import { writeFingerImageRecord, type FingerImageRecord } from '../iso/finger-image.js';
import { CBEFF_FORMAT_TYPE, FINGER_SUBTYPE, type CbeffBir, type CbeffPurpose } from './cbeff.js';

export interface BirOptions {
  creationDate?: string;
  purpose?: CbeffPurpose;
  organization?: string;
  qualityAlgorithm?: { organization: string; type: string };
}

export function fingerBirs(rec: FingerImageRecord, opts: BirOptions = {}): CbeffBir[] {
  return rec.views.map((view) => {
    const bir: CbeffBir = {
      format: { organization: opts.organization ?? 'Mosip', type: CBEFF_FORMAT_TYPE.fingerImage },
      creationDate: opts.creationDate ?? new Date().toISOString(),
      type: 'Finger',
      subtype: FINGER_SUBTYPE[view.position] ?? 'UNKNOWN',
      level: 'Raw',
      purpose: opts.purpose ?? 'Enroll',
      bdb: writeFingerImageRecord({ ...rec, views: [view] }),
    };
    // 254/255 are "not computed"/"failed" in 19794-4; only real scores go to Quality.
    if (view.quality <= 100) bir.quality = opts.qualityAlgorithm ? { score: view.quality, algorithm: opts.qualityAlgorithm } : { score: view.quality };
    return bir;
  });
}

export function faceBirs(rec: FaceImageRecord, opts: BirOptions & { quality?: number } = {}): CbeffBir[] {
  return rec.images.map((image) => {
    const bir: CbeffBir = {
      format: { organization: opts.organization ?? 'Mosip', type: CBEFF_FORMAT_TYPE.faceImage },
      creationDate: opts.creationDate ?? new Date().toISOString(),
      type: 'Face',
      subtype: '',
      level: 'Raw',
      purpose: opts.purpose ?? 'Enroll',
      bdb: writeFaceImageRecord({ images: [image] }),
    };
    if (opts.quality !== undefined) bir.quality = opts.qualityAlgorithm ? { score: opts.quality, algorithm: opts.qualityAlgorithm } : { score: opts.quality };
    return bir;
  });
}

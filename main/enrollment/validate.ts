// Structural checks on biometric captures (the ID schema validates demographics).
import { EnrollmentValidationError } from './errors.js';
import { FINGER_POSITIONS, type DraftPatch } from './model.js';

export const FACE_EMBEDDING_DIMS = 512;

export function validatePatchBiometrics(patch: DraftPatch): void {
  const problems: { field: string; message: string }[] = [];
  if (patch.face) {
    if (!(patch.face.image instanceof Uint8Array) || patch.face.image.length < 4) problems.push({ field: 'face.image', message: 'JPEG bytes required' });
    else if (patch.face.image[0] !== 0xff || patch.face.image[1] !== 0xd8) problems.push({ field: 'face.image', message: 'not a JPEG' });
    if (!(patch.face.embedding instanceof Float32Array) || patch.face.embedding.length !== FACE_EMBEDDING_DIMS) problems.push({ field: 'face.embedding', message: `Float32Array(${FACE_EMBEDDING_DIMS}) required` });
  }
  const seen = new Set<number>();
  for (const f of patch.fingers ?? []) {
    const field = `finger.${f.position}`;
    if (!FINGER_POSITIONS.includes(f.position)) problems.push({ field, message: 'position must be 1–10 (ISO/IEC 19794-4)' });
    if (seen.has(f.position)) problems.push({ field, message: 'duplicate position' });
    seen.add(f.position);
    const { width, height, ppi, pixels } = f.image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 2000 || height > 2000) problems.push({ field, message: 'bad image size' });
    else if (!(pixels instanceof Uint8Array) || pixels.length !== width * height) problems.push({ field, message: 'pixels must be width*height 8-bit grey' });
    if (ppi !== 500) problems.push({ field, message: 'image must be 500 ppi' });
    if (!(f.template instanceof Uint8Array) || f.template.length === 0) problems.push({ field, message: 'template bytes required' });
    if (!(f.quality >= 0 && f.quality <= 100)) problems.push({ field, message: 'quality must be 0–100' });
    if (!Number.isInteger(f.attempts) || f.attempts < 1 || f.attempts > 10) problems.push({ field, message: 'attempts must be 1–10' });
  }
  for (const e of patch.exceptions ?? []) {
    if (e.modality === 'finger' && (e.position === undefined || !FINGER_POSITIONS.includes(e.position))) problems.push({ field: 'exceptions', message: 'finger exception needs a position 1–10' });
    if (e.modality === 'face' && e.position !== undefined) problems.push({ field: 'exceptions', message: 'face exception takes no position' });
    if (!e.reason || e.reason.length > 500) problems.push({ field: 'exceptions', message: 'reason required (≤ 500 chars)' });
  }
  if (problems.length) throw new EnrollmentValidationError('Invalid biometric capture', problems);
}

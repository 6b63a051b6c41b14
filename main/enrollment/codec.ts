// Converts an enrollment record to encrypted row fields and blobs and back. Every field and blob is sealed with
// AAD = (record id, field name, schema version): see main/store/crypto/aead.ts.
import type { FieldCipher } from '../store/crypto/aead.js';
import type { BlobRow, EnrollmentRow } from '../store/protocol.js';
import type { BiometricException, Consent, EnrollmentRecord, FaceCapture, FingerCapture, FingerPosition, GeoPoint, Versions, WorkflowStateJson } from './model.js';

interface DetailsJson {
  idSchema: { id: string; version: number };
  consent: Consent | null;
  face: { quality: Record<string, unknown>; capturedAt: string; embeddingDims: number } | null;
  fingers: { position: FingerPosition; width: number; height: number; ppi: number; quality: number; attempts: number; templateFormat: string; capturedAt: string }[];
  exceptions: (Omit<BiometricException, 'photo'> & { hasPhoto: boolean })[];
  geo: GeoPoint | null;
  versions: Versions | null;
  /** Absent in records written before the workflow existed. */
  workflow?: WorkflowStateJson | null;
}

function exceptionField(e: Pick<BiometricException, 'modality' | 'position'>): string {
  return e.modality === 'face' ? 'exception.face.photo' : `exception.finger.${e.position ?? 0}.photo`;
}

export function encodeDetails(r: EnrollmentRecord): DetailsJson {
  return {
    idSchema: r.idSchema,
    consent: r.consent,
    face: r.face ? { quality: r.face.quality, capturedAt: r.face.capturedAt, embeddingDims: r.face.embedding.length } : null,
    fingers: r.fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: f.image.ppi, quality: f.quality, attempts: f.attempts, templateFormat: f.templateFormat, capturedAt: f.capturedAt })),
    exceptions: r.exceptions.map(({ photo, ...e }) => ({ ...e, hasPhoto: photo !== undefined })),
    geo: r.geo,
    versions: r.versions,
    ...(r.workflow ? { workflow: r.workflow } : {}),
  };
}

/** Plaintext blobs of a record, by field name. */
export function recordBlobs(r: EnrollmentRecord): { field: string; data: Uint8Array }[] {
  const out: { field: string; data: Uint8Array }[] = [];
  if (r.face) {
    out.push({ field: 'face.image', data: r.face.image });
    out.push({ field: 'face.embedding', data: new Uint8Array(r.face.embedding.buffer, r.face.embedding.byteOffset, r.face.embedding.byteLength) });
  }
  for (const f of r.fingers) {
    out.push({ field: `finger.${f.position}.image`, data: f.image.pixels });
    out.push({ field: `finger.${f.position}.template`, data: f.template });
  }
  for (const e of r.exceptions) if (e.photo) out.push({ field: exceptionField(e), data: e.photo });
  return out;
}

export function encryptBlobs(cipher: FieldCipher, r: EnrollmentRecord, only?: Set<string>): BlobRow[] {
  return recordBlobs(r)
    .filter((b) => !only || only.has(b.field))
    .map((b) => ({ field: b.field, data: cipher.encrypt(r.id, b.field, b.data, r.schemaVersion) }));
}

export function encryptRowFields(cipher: FieldCipher, r: EnrollmentRecord): Pick<EnrollmentRow, 'demographics' | 'details'> {
  return {
    demographics: cipher.encryptJson(r.id, 'demographics', r.demographics, r.schemaVersion),
    details: cipher.encryptJson(r.id, 'details', encodeDetails(r), r.schemaVersion),
  };
}

function float32Of(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes); // aligned copy
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Decrypts a full record; throws TamperDetectedError (naming the record and field) on any failed authentication. */
export function decodeRecord(cipher: FieldCipher, row: EnrollmentRow, blobs: BlobRow[]): EnrollmentRecord {
  const v = row.schemaVersion;
  const rid = cipher.decrypt(row.id, 'rid', row.rid, v).toString('utf8');
  const demographics = row.demographics ? cipher.decryptJson<Record<string, string>>(row.id, 'demographics', row.demographics, v) : {};
  const details = row.details ? cipher.decryptJson<DetailsJson>(row.id, 'details', row.details, v) : null;
  const plain = new Map<string, Buffer>();
  for (const b of blobs) plain.set(b.field, cipher.decrypt(row.id, b.field, b.data, v));
  const blob = (field: string): Uint8Array => {
    const b = plain.get(field);
    if (!b) throw new Error(`missing blob ${field}`);
    return new Uint8Array(b);
  };
  let face: FaceCapture | null = null;
  if (details?.face && plain.has('face.image')) {
    face = { image: blob('face.image'), quality: details.face.quality, embedding: float32Of(blob('face.embedding')), capturedAt: details.face.capturedAt };
  }
  const fingers: FingerCapture[] = (details?.fingers ?? [])
    .filter((f) => plain.has(`finger.${f.position}.image`))
    .map((f) => ({
      position: f.position,
      image: { width: f.width, height: f.height, ppi: f.ppi, pixels: blob(`finger.${f.position}.image`) },
      template: blob(`finger.${f.position}.template`),
      templateFormat: f.templateFormat,
      quality: f.quality,
      attempts: f.attempts,
      capturedAt: f.capturedAt,
    }));
  const exceptions: BiometricException[] = (details?.exceptions ?? []).map(({ hasPhoto, ...e }) => {
    const photo = hasPhoto ? plain.get(exceptionField(e)) : undefined;
    return photo ? { ...e, photo: new Uint8Array(photo) } : e;
  });
  return {
    id: row.id,
    rid,
    status: row.status,
    schemaVersion: v,
    rev: row.rev,
    centreId: row.centreId,
    kioskId: row.kioskId,
    operatorId: row.operatorId,
    supervisorId: row.supervisorId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    sealedAt: row.sealedAt === null ? null : new Date(row.sealedAt).toISOString(),
    idSchema: details?.idSchema ?? { id: 'unknown', version: 0 },
    demographics,
    consent: details?.consent ?? null,
    face,
    fingers,
    exceptions,
    geo: details?.geo ?? null,
    versions: details?.versions ?? null,
    workflow: details?.workflow ?? null,
  };
}

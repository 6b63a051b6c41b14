// IPC handlers for enrollments: role gate (AuthService.requireRole) first, then the same EnrollmentService API the
// CLI uses. Base64 on the wire, Uint8Array inside main.
import type { z } from 'zod';
import type { draftPatchSchema, enrollmentChannels, EnrollmentView } from '../contract/channels/enrollment.js';
import type { CallContext } from '../core/handlers.js';
import type { AuthService } from '../auth/service.js';
import type { BiometricException, DraftPatch, EnrollmentRecord, FingerPosition } from './model.js';
import type { EnrollmentService } from './service.js';

type Channels = typeof enrollmentChannels;
export type EnrollmentHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

function float32(b64: string): Float32Array {
  const b = bytes(b64);
  return new Float32Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 4));
}

export function patchFromWire(w: z.output<typeof draftPatchSchema>): DraftPatch {
  const patch: DraftPatch = {};
  if (w.demographics !== undefined) patch.demographics = w.demographics;
  if (w.consent !== undefined) patch.consent = w.consent;
  if (w.geo !== undefined) patch.geo = w.geo ?? null;
  if (w.face !== undefined) {
    patch.face = w.face === null ? null : { image: bytes(w.face.imageBase64), embedding: float32(w.face.embeddingBase64), quality: w.face.quality, capturedAt: w.face.capturedAt };
  }
  if (w.fingers) {
    patch.fingers = w.fingers.map((f) => ({
      position: f.position as FingerPosition,
      image: { width: f.width, height: f.height, ppi: f.ppi, pixels: bytes(f.pixelsBase64) },
      template: bytes(f.templateBase64),
      templateFormat: f.templateFormat,
      quality: f.quality,
      attempts: f.attempts,
      capturedAt: f.capturedAt,
    }));
  }
  if (w.removeFingers) patch.removeFingers = w.removeFingers as FingerPosition[];
  if (w.exceptions) {
    patch.exceptions = w.exceptions.map((e) => {
      const out: BiometricException = { modality: e.modality, kind: e.kind, reason: e.reason };
      if (e.position !== undefined) out.position = e.position as FingerPosition;
      if (e.photoBase64 !== undefined) out.photo = bytes(e.photoBase64);
      return out;
    });
  }
  return patch;
}

export function viewOf(r: EnrollmentRecord, missing: string[]): EnrollmentView {
  return {
    id: r.id,
    rid: r.rid,
    status: r.status,
    rev: r.rev,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    operatorId: r.operatorId,
    supervisorId: r.supervisorId,
    demographics: r.demographics as Record<string, string>,
    consent: r.consent,
    face: r.face ? { imageBase64: Buffer.from(r.face.image).toString('base64'), quality: r.face.quality, capturedAt: r.face.capturedAt } : null,
    fingers: r.fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, quality: f.quality, attempts: f.attempts, capturedAt: f.capturedAt })),
    exceptions: r.exceptions.map((e) => ({ modality: e.modality, ...(e.position !== undefined ? { position: e.position } : {}), kind: e.kind, reason: e.reason, hasPhoto: e.photo !== undefined })),
    missing,
  };
}

export function enrollmentHandlers(enrollment: EnrollmentService, auth: AuthService): EnrollmentHandlerMap {
  const staff = ['clerk', 'supervisor'] as const;
  return {
    'kiosk:enrollment.list': async (req, ctx) => {
      const actor = auth.requireRole(ctx, ['clerk', 'supervisor', 'technician'], 'list enrollments');
      return { items: await enrollment.list(actor, req) };
    },
    'kiosk:enrollment.get': async (req, ctx) => {
      const actor = auth.requireRole(ctx, staff, 'view enrollment data');
      const r = await enrollment.get(actor, req.id);
      return viewOf(r, enrollment.missing(r));
    },
    'kiosk:store.counts': async (_req, ctx) => {
      auth.requireRole(ctx, ['clerk', 'supervisor', 'technician'], 'view counts');
      return enrollment.counts();
    },
  };
}

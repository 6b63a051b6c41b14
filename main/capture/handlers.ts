// IPC handlers of finger capture. Every call needs a signed-in operator; capturing and recording exceptions need the
// clerk or supervisor role (checked here, in main, through the same role gate the store's handlers use).
import type { z } from 'zod';
import type { fingerChannels } from '../contract/channels/finger.js';
import type { CallContext, Role } from '../core/handlers.js';
import { UnauthorizedError } from '../auth/errors.js';
import { ForbiddenRoleError } from '../enrollment/lifecycle.js';
import type { CaptureStep, FingerPos } from './positions.js';
import type { FingerCaptureService } from './service.js';

type Channels = typeof fingerChannels;
export type FingerHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

/** Throws UNAUTHORIZED / FORBIDDEN_ROLE; the store's AuthService.requireRole (idle timeout included) fits. */
export type RoleGate = (ctx: CallContext, roles: readonly Role[], action: string) => void;

/** A gate on the connection's session alone, for cores opened without the store (tests, tools). */
export const sessionRoleGate: RoleGate = (ctx, roles, action) => {
  const s = ctx.session;
  if (!s) throw new UnauthorizedError('not_signed_in');
  if (!roles.includes(s.role)) throw new ForbiddenRoleError(s.role, action);
};

const ANY: readonly Role[] = ['clerk', 'supervisor', 'technician'];
const ENROLLERS: readonly Role[] = ['clerk', 'supervisor'];

export function createFingerHandlers(service: FingerCaptureService, gate: RoleGate): FingerHandlerMap {
  return {
    'kiosk:finger.devices': async (_req, ctx) => {
      gate(ctx, ANY, 'list fingerprint devices');
      return { devices: await service.listDevices() };
    },
    'kiosk:finger.plan': async (req, ctx) => {
      gate(ctx, ANY, 'read the finger capture plan');
      return service.plan(req.deviceId);
    },
    'kiosk:finger.capture': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'capture fingers');
      return service.capture({ sessionId: req.sessionId, deviceId: req.deviceId, step: req.step as CaptureStep, ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
    },
    'kiosk:finger.cancel': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'cancel a finger capture');
      return { cancelled: service.cancel(req.sessionId) };
    },
    'kiosk:finger.session': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'read a finger capture session');
      return service.session(req.sessionId);
    },
    'kiosk:finger.exception': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'record a finger exception');
      return service.recordException({
        sessionId: req.sessionId,
        position: req.position as FingerPos,
        kind: req.kind,
        reason: req.reason,
        ...(req.photoBase64 ? { photo: new Uint8Array(Buffer.from(req.photoBase64, 'base64')) } : {}),
      });
    },
    'kiosk:finger.image': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'look at a captured finger');
      const img = service.image(req.sessionId, req.position as FingerPos);
      return img ? { width: img.width, height: img.height, pixelsBase64: Buffer.from(img.pixels).toString('base64') } : null;
    },
    'kiosk:finger.reset': async (req, ctx) => {
      gate(ctx, ENROLLERS, 'reset a finger');
      return service.reset(req.sessionId, req.position as FingerPos);
    },
  };
}

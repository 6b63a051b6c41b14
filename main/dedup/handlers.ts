// IPC handlers of kiosk:dedup.*: role gate first (the signed-in operator is also the one checked for an operator
// match), then DedupService.
import type { z } from 'zod';
import type { dedupChannels } from '../contract/channels/dedup.js';
import type { CallContext, Role } from '../core/handlers.js';
import { DedupInputError } from '../../models/dedup/errors.js';
import type { FingerPos } from '../../models/dedup/types.js';
import type { DedupProbe, DedupService } from './service.js';

type Channels = typeof dedupChannels;
export type DedupHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

/** The part of AuthService the handlers need. */
export interface RoleGate {
  requireRole(ctx: CallContext, roles: readonly Role[], action: string): { operatorId: string };
}

export function probeFromWire(w: z.output<Channels['kiosk:dedup.search']['request']>): DedupProbe {
  let face: Float32Array | null = null;
  if (w.embeddingBase64 !== null) {
    const b = Buffer.from(w.embeddingBase64, 'base64');
    if (b.length !== 2048) throw new DedupInputError('Face embedding must be 512 float32 values (2048 bytes)', { bytes: b.length });
    face = new Float32Array(new Uint8Array(b).buffer);
  }
  return { face, fingers: w.fingers.map((f) => ({ position: f.position as FingerPos, template: new Uint8Array(Buffer.from(f.templateBase64, 'base64')) })) };
}

export function createDedupHandlers(deps: { dedup: DedupService; auth: RoleGate }): DedupHandlerMap {
  return {
    'kiosk:dedup.search': async (req, ctx) => {
      const actor = deps.auth.requireRole(ctx, ['clerk', 'supervisor'], 'search for duplicates');
      const r = await deps.dedup.search(probeFromWire(req), { signedInOperatorId: actor.operatorId, limit: req.limit ?? 10 });
      return r;
    },
    'kiosk:dedup.stats': async (_req, ctx) => {
      deps.auth.requireRole(ctx, ['clerk', 'supervisor', 'technician'], 'view dedup gallery status');
      return deps.dedup.stats();
    },
  };
}

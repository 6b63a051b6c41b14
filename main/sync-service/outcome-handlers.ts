// IPC handler of kiosk:sync.outcomes (supervisor only): registry processing outcomes stored by the outbox — central
// duplicates (with the registry's per-modality evidence) and rejections that need a re-enrollment.
import type { z } from 'zod';
import { syncEvidenceSchema, type syncChannels, type SyncOutcomeView } from '../contract/channels/sync.js';
import type { CallContext, Role } from '../core/handlers.js';
import type { RegistryOutcome } from '../enrollment/outbox.js';

type Channels = typeof syncChannels;
export type SyncHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

export interface OutcomeSource {
  outcomes(limit?: number): Promise<RegistryOutcome[]>;
}

export interface RoleGate {
  requireRole(ctx: CallContext, roles: readonly Role[], action: string): { operatorId: string; role: string };
}

export function outcomeView(o: RegistryOutcome): SyncOutcomeView {
  const s = o.status;
  // Evidence from an older or foreign registry that does not fit the contract is left out, not passed through.
  const evidence = syncEvidenceSchema.safeParse(s.evidence);
  const kind = s.status === 'duplicate' ? 'duplicate' : 'rejected';
  return {
    recordId: o.recordId,
    rid: s.rid,
    kind,
    action: kind === 'duplicate' ? 'review' : 'reenroll',
    reason: s.reason,
    duplicateOf: s.duplicateOf,
    decidedAt: s.updatedAt,
    sealedAt: o.sealedAt,
    evidence: evidence.success ? evidence.data : null,
  };
}

export function createSyncOutcomeHandlers(deps: { outbox: OutcomeSource; auth: RoleGate }): SyncHandlerMap {
  return {
    'kiosk:sync.outcomes': async (req, ctx) => {
      deps.auth.requireRole(ctx, ['supervisor'], 'view registry outcomes');
      const outcomes = (await deps.outbox.outcomes(req.limit ?? 200)).map(outcomeView);
      return { outcomes, counts: { duplicate: outcomes.filter((o) => o.kind === 'duplicate').length, rejected: outcomes.filter((o) => o.kind === 'rejected').length } };
    },
  };
}

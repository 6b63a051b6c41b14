// IPC handlers of kiosk:household.*: role gate first (clerk or supervisor), then the household wizard service.
import type { z } from 'zod';
import type { householdChannels } from '../contract/channels/household.js';
import type { CallContext } from '../core/handlers.js';
import type { WorkflowRoleGate } from '../workflow/handlers.js';
import { HouseholdWorkflowError, type HouseholdWorkflow } from './workflow.js';

type Channels = typeof householdChannels;
export type HouseholdHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

const STAFF = ['clerk', 'supervisor'] as const;

export interface HouseholdAuth extends WorkflowRoleGate {
  verifyCredentials(operatorId: string, pin: string): Promise<{ operatorId: string; role: string }>;
}

export function createHouseholdHandlers(deps: { households: HouseholdWorkflow; auth: HouseholdAuth }): HouseholdHandlerMap {
  const { households: h, auth } = deps;
  const staff = (ctx: CallContext, action: string) => auth.requireRole(ctx, STAFF, action);
  return {
    'kiosk:household.config': async (_req, ctx) => {
      staff(ctx, 'open households');
      return { questionnaire: h.questionnaireView(), childAgeYears: h.childAgeYears };
    },
    'kiosk:household.list': async (req, ctx) => ({ items: await h.list(staff(ctx, 'list households'), req.limit ?? 50) }),
    'kiosk:household.create': async (req, ctx) => h.create(staff(ctx, 'create households'), req.details),
    'kiosk:household.get': async (req, ctx) => h.view(staff(ctx, 'view households'), req.id),
    'kiosk:household.updateDetails': async (req, ctx) => h.updateDetails(staff(ctx, 'edit households'), req.id, req.details),
    'kiosk:household.addMember': async (req, ctx) => h.addMember(staff(ctx, 'add household members'), req.id, req.relationship),
    'kiosk:household.goTo': async (req, ctx) => h.goTo(staff(ctx, 'edit households'), req.id, req.step),
    'kiosk:household.saveAnswers': async (req, ctx) => h.saveAnswers(staff(ctx, 'answer questionnaires'), req.id, req.answers as Record<string, unknown>, req.page),
    'kiosk:household.moveMember': async (req, ctx) => {
      const actor = staff(ctx, 'move household members');
      // The supervisor's own credentials (counted toward their lockout), as for face exceptions and approvals.
      const sup = await auth.verifyCredentials(req.supervisor.operatorId, req.supervisor.pin);
      if (sup.role !== 'supervisor') throw new HouseholdWorkflowError('SUPERVISOR_REQUIRED', `${sup.operatorId} is not a supervisor and may not move household members`, { details: { operatorId: sup.operatorId } });
      return h.moveMember(actor, sup.operatorId, req);
    },
    'kiosk:household.photo': async (req, ctx) => h.photo(staff(ctx, 'answer questionnaires'), req.id, req.question, req.jpegBase64),
  };
}

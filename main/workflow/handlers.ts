// IPC handlers of kiosk:workflow.*: role gate first (AuthService.requireRole), then WorkflowService. Supervisor
// actions take the supervisor's own credentials in the request (verified in main) whoever is signed in.
import type { z } from 'zod';
import type { workflowChannels } from '../contract/channels/workflow.js';
import type { CallContext, Role } from '../core/handlers.js';
import type { Actor } from '../enrollment/lifecycle.js';
import type { LocationMasterData } from './master-data.js';
import type { WorkflowService } from './service.js';
import { transliterateArabicName } from './transliterate.js';

type Channels = typeof workflowChannels;
export type WorkflowHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

export interface WorkflowRoleGate {
  requireRole(ctx: CallContext, roles: readonly Role[], action: string): Actor;
}

const STAFF = ['clerk', 'supervisor'] as const;
const SUPERVISOR = ['supervisor'] as const;

export function createWorkflowHandlers(deps: { workflow: WorkflowService; auth: WorkflowRoleGate; locations: LocationMasterData }): WorkflowHandlerMap {
  const { workflow: w, auth } = deps;
  const staff = (ctx: CallContext, action: string) => auth.requireRole(ctx, STAFF, action);
  return {
    'kiosk:workflow.formDefinition': async (_req, ctx) => {
      staff(ctx, 'open the enrollment form');
      return w.formDefinition();
    },
    'kiosk:workflow.locations': async (req, ctx) => {
      staff(ctx, 'read master data');
      return { level: req.level, items: deps.locations.list(req.level, req.parent), version: deps.locations.version, source: deps.locations.source };
    },
    'kiosk:workflow.transliterate': async (req, ctx) => {
      staff(ctx, 'transliterate names');
      return { latin: transliterateArabicName(req.arabic) };
    },
    'kiosk:workflow.checkDemographics': async (req, ctx) => {
      staff(ctx, 'check demographics');
      return w.checkDemographics(req.values);
    },
    'kiosk:workflow.start': async (_req, ctx) => w.start(staff(ctx, 'start enrollments')),
    'kiosk:workflow.get': async (req, ctx) => w.get(staff(ctx, 'view enrollments'), req.id),
    'kiosk:workflow.drafts': async (req, ctx) => ({ items: await w.drafts(staff(ctx, 'list drafts'), req.limit ?? 50) }),
    'kiosk:workflow.goTo': async (req, ctx) => w.goTo(staff(ctx, 'edit enrollments'), req.id, req.step),
    'kiosk:workflow.consent': async (req, ctx) => w.consent(staff(ctx, 'record consent'), req.id, { language: req.language, textVersion: req.textVersion, method: req.method }),
    'kiosk:workflow.demographics': async (req, ctx) => w.demographics(staff(ctx, 'edit enrollments'), req.id, req.values, req.submit),
    'kiosk:workflow.face': async (req, ctx) => w.bindFace(staff(ctx, 'capture faces'), ctx.connectionId, req.id, req.override, req.skip === true),
    'kiosk:workflow.faceException': async (req, ctx) => w.faceException(staff(ctx, 'record exceptions'), req.id, { kind: req.kind, reason: req.reason, supervisor: req.supervisor }),
    'kiosk:workflow.fingers': async (req, ctx) => (req.save ? w.saveFingers(staff(ctx, 'capture fingers'), req.id) : w.bindFingers(staff(ctx, 'capture fingers'), req.id)),
    'kiosk:workflow.dedup': async (req, ctx) => w.runDedup(staff(ctx, 'search for duplicates'), req.id),
    'kiosk:workflow.adjudicate': async (req, ctx) => w.adjudicate(staff(ctx, 'adjudicate duplicates'), req.id, { supervisor: req.supervisor, decision: req.decision, reason: req.reason }),
    'kiosk:workflow.confirm': async (req, ctx) => w.confirm(staff(ctx, 'confirm enrollments'), req.id),
    'kiosk:workflow.approve': async (req, ctx) => w.approve(staff(ctx, 'approve enrollments'), req.id, req.supervisor),
    'kiosk:workflow.reject': async (req, ctx) => w.reject(staff(ctx, 'reject enrollments'), req.id, req.supervisor, req.reason),
    'kiosk:workflow.abandon': async (req, ctx) => w.abandon(staff(ctx, 'abandon enrollments'), req.id, req.reason),
    'kiosk:workflow.approvalQueue': async (_req, ctx) => ({ items: await w.approvalQueue(auth.requireRole(ctx, SUPERVISOR, 'see the approval queue')) }),
    'kiosk:workflow.adjudicationQueue': async (_req, ctx) => ({ items: await w.adjudicationQueue(auth.requireRole(ctx, SUPERVISOR, 'see the adjudication queue')) }),
    'kiosk:workflow.history': async (req, ctx) => ({ items: await w.history(staff(ctx, 'search enrollments'), req) }),
    'kiosk:workflow.receipt': async (req, ctx) => w.receipt(staff(ctx, 'print receipts'), req.id, req.language),
  };
}

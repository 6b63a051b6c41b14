// IPC handlers for operator sign-in. Sessions are set on the connection's CallContext; roles are checked here, in main.
import type { z } from 'zod';
import type { authChannels } from '../contract/channels/auth.js';
import type { CallContext, OperatorSession } from '../core/handlers.js';
import type { AuthService } from './service.js';

type Channels = typeof authChannels;
export type AuthHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

export function authHandlers(auth: AuthService, idleTimeoutSeconds?: number): AuthHandlerMap {
  const view = (s: OperatorSession) => ({ operatorId: s.operatorId, role: s.role, signedInAt: new Date(s.signedInAt).toISOString(), idleTimeoutSeconds: idleTimeoutSeconds ?? auth.idleTimeoutSeconds, pinChangeRequired: s.pinChangeRequired === true });
  return {
    'kiosk:auth.signIn': async (req, ctx) => {
      const session = await auth.signIn(req.operatorId, req.pin);
      ctx.setSession(session);
      return view(session);
    },
    'kiosk:auth.signOut': async (_req, ctx) => {
      const had = ctx.session !== null;
      await auth.signOut(ctx.session);
      ctx.setSession(null);
      return { signedOut: had };
    },
    'kiosk:auth.session': async (_req, ctx) => {
      const s = auth.peek(ctx);
      return { session: s ? view(s) : null };
    },
    'kiosk:auth.listOperators': async (_req, ctx) => {
      auth.requireRole(ctx, ['technician'], 'list operators');
      return { operators: await auth.listOperators() };
    },
    'kiosk:auth.createOperator': async (req, ctx) => auth.createOperator(auth.requireRole(ctx, ['technician'], 'create operators'), req),
  };
}

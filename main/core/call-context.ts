// Creates the per-connection call context (one per Electron window or browser-shell WebSocket).
import { randomUUID } from 'node:crypto';
import type { CallContext, OperatorSession } from './handlers.js';

export function createCallContext(connectionId: string = randomUUID()): CallContext {
  let session: OperatorSession | null = null;
  return {
    connectionId,
    get session() {
      return session;
    },
    setSession(next) {
      session = next;
    },
  };
}

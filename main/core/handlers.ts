// Handler types for IPC channels. Each area exports a `HandlerMap` for its channels; the composition root merges them.
import type { z } from 'zod';
import type { ChannelName, Channels, EventName, EventOf, ResponseOf } from '../contract/ipc.js';

export type Role = 'clerk' | 'supervisor' | 'technician';

export interface OperatorSession {
  sessionId: string;
  operatorId: string;
  role: Role;
  signedInAt: number;
  lastActivityAt: number;
  /** Signed in with a temporary PIN: every privileged call is refused until the operator sets their own. */
  pinChangeRequired?: boolean;
  /** Screen locked: every privileged call is refused until the same operator re-enters the PIN (open drafts stay). */
  locked?: boolean;
}

/** Per-connection state (one Electron window or one browser-shell WebSocket). */
export interface CallContext {
  connectionId: string;
  /** The signed-in operator of this connection, or null. Role checks happen in main against this, never only in the UI. */
  session: OperatorSession | null;
  setSession(session: OperatorSession | null): void;
}

export type Handler<C extends ChannelName> = (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<ResponseOf<C>>;

export type HandlerMap = { [C in ChannelName]?: Handler<C> };

export type EventEmitterFn = <E extends EventName>(event: E, payload: EventOf<E>) => void;

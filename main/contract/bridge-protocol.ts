// Messages of the browser-shell WebSocket bridge. The same contract as Electron IPC, framed as JSON.
import { z } from 'zod';
import type { Envelope } from './envelope.js';

export const BRIDGE_PATH = '/bridge';
export const TOKEN_COOKIE = 'kiosk_token';
/** Largest accepted client message (camera frames are sent downscaled). */
export const BRIDGE_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: z.number().int().nonnegative(), channel: z.string().max(128), payload: z.unknown() }).strict(),
  z.object({ type: z.literal('subscribe'), event: z.string().max(128) }).strict(),
  z.object({ type: z.literal('unsubscribe'), event: z.string().max(128) }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'error'; envelope: Envelope<never> };

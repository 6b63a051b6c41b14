// The typed IPC contract: every channel's request/response schema and every event's payload schema.
// Main validates with these schemas; the renderer imports only the types (`import type`).
import type { z } from 'zod';
import { appChannels, appEvents } from './channels/app.js';
import { authChannels } from './channels/auth.js';
import { dedupChannels } from './channels/dedup.js';
import { demoChannels } from './channels/demo.js';
import { diagnosticsChannels } from './channels/diagnostics.js';
import { enrollmentChannels } from './channels/enrollment.js';
import { faceChannels } from './channels/face.js';
import { householdChannels } from './channels/household.js';
import { fingerChannels, fingerEvents } from './channels/finger.js';
import { provisioningChannels } from './channels/provisioning.js';
import { syncChannels } from './channels/sync.js';
import { workflowChannels, workflowEvents } from './channels/workflow.js';
import type { Envelope } from './envelope.js';

export const CHANNEL_PREFIX = 'kiosk:';

export const channels = {
  ...appChannels,
  ...authChannels,
  ...dedupChannels,
  ...demoChannels,
  ...diagnosticsChannels,
  ...enrollmentChannels,
  ...faceChannels,
  ...householdChannels,
  ...fingerChannels,
  ...provisioningChannels,
  ...syncChannels,
  ...workflowChannels,
} as const;

export const events = {
  ...appEvents,
  ...fingerEvents,
  ...workflowEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

/** What the preload (Electron) and the WebSocket client (browser shell) both give the renderer. */
export interface KioskBridgeApi {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

export type { Envelope } from './envelope.js';
export type { KioskErrorShape } from './errors.js';
export type { Locale, DeviceStatus, SyncStatus } from './channels/app.js';

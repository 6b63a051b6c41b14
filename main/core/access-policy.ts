// Which channels answer without a signed-in operator, and which answer on a locked screen: checked by the router
// before any handler runs (the handlers still check roles). Before sign-in only status and sign-in answer; on a
// locked screen only unlocking (and reading that the screen is locked, or signing out) does.
import { ScreenLockedError, UnauthorizedError } from '../auth/errors.js';
import type { ChannelName } from '../contract/ipc.js';
import type { CallContext } from './handlers.js';

/** Status and sign-in: what the sign-in screen needs. */
export const PUBLIC_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'kiosk:app.info',
  'kiosk:auth.session',
  'kiosk:auth.signIn',
  'kiosk:auth.signOut',
  'kiosk:lock.state',
  'kiosk:provisioning.status',
  'kiosk:operators.fingerSignIn',
  // Device and sync status only: counts are left out before sign-in (app-handlers.ts).
  'kiosk:home.summary',
  // The interface language (settings.update takes only the locale before sign-in).
  'kiosk:settings.get',
  'kiosk:settings.update',
]);

/** What a locked screen answers. */
export const LOCKED_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>(['kiosk:lock.unlock', 'kiosk:lock.state', 'kiosk:auth.session', 'kiosk:auth.signOut']);

/** Throws UNAUTHORIZED / SCREEN_LOCKED when `channel` may not answer on this connection now. */
export function checkAccess(channel: ChannelName, ctx: CallContext): void {
  const s = ctx.session;
  if (!s) {
    if (!PUBLIC_CHANNELS.has(channel)) throw new UnauthorizedError('not_signed_in');
    return;
  }
  if (s.locked && !LOCKED_CHANNELS.has(channel)) throw new ScreenLockedError();
}

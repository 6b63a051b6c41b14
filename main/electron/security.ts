// Navigation, window, webview and permission policies, and the IPC sender check.
import type { FrameLike, PermissionCheckHandler, PermissionRequestHandler, SessionLike, WebContentsLike } from './electron-api.js';
import { isAppUrl } from './origin.js';

/** Denies every navigation, new window and webview; the app is one page on app://kiosk. */
export function hardenWebContents(contents: WebContentsLike, onDenied: (what: string, url: string) => void = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    onDenied('navigation', url);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    onDenied('redirect', url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onDenied('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onDenied('new-window', url);
    return { action: 'deny' };
  });
}

/** Only the camera ("media" with video only), only for our own origin. */
export const permissionRequestHandler: PermissionRequestHandler = (_contents, permission, callback, details) => {
  const videoOnly = (details.mediaTypes ?? []).every((m) => m === 'video');
  callback(permission === 'media' && videoOnly && isAppUrl(details.requestingUrl ?? ''));
};

export const permissionCheckHandler: PermissionCheckHandler = (_contents, permission, requestingOrigin, details) =>
  permission === 'media' && (details.mediaType === undefined || details.mediaType === 'video') && isAppUrl(requestingOrigin);

export function applySessionPolicies(session: SessionLike): void {
  session.setPermissionRequestHandler(permissionRequestHandler);
  session.setPermissionCheckHandler(permissionCheckHandler);
}

/** An IPC message is accepted only from our own top-level frame. */
export function isTrustedSender(frame: FrameLike | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

import type { Session } from 'electron';
import { APP_SCHEME } from './appOrigin';

/** Schemes the window may load from: our protocol, and DevTools' own pages. */
const ALLOWED_REQUEST_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'chrome-extension:']);

/**
 * The window needs no camera, notifications, geolocation, USB or any other permission, and no network:
 * the engine is reached over IPC. Denying all of it means an injected script gains nothing either.
 */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    let allowed: boolean;
    try {
      allowed = ALLOWED_REQUEST_SCHEMES.has(new URL(details.url).protocol);
    } catch {
      allowed = false; // an unparsable URL is not ours
    }
    if (!allowed) console.warn(`bullpen: blocked a request for remote content: ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
}

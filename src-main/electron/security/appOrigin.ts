/**
 * The app is served from `app://bullpen/…` (a privileged, standard, secure custom scheme) instead of
 * file://, so it has a real origin: CSP 'self' means our files only, and IPC can check who is asking.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bullpen';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for a URL that parses and whose origin is exactly ours (no prefix tricks, no userinfo). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

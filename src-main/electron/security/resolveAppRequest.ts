import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './appOrigin';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppRequestResolution =
  { ok: true; filePath: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps `app://bullpen/<path>` to a file under the renderer's build folder. Refuses other hosts,
 * any path that escapes the folder (`..`, encoded or not) and unknown file types, so the protocol
 * can never serve anything but the built UI.
 */
export function resolveAppRequest(rendererRoot: string, requestUrl: string): AppRequestResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) {
    return { ok: false, status: 403, reason: `not an ${APP_SCHEME}://${APP_HOST} URL` };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = resolve(rendererRoot);
  const filePath = resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + sep)) {
    return { ok: false, status: 403, reason: 'path escapes the renderer folder' };
  }
  const contentType = MIME_TYPES[extname(filePath).toLowerCase()];
  if (!contentType) return { ok: false, status: 404, reason: 'unknown file type' };
  return { ok: true, filePath, contentType };
}

import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME } from './security/appOrigin';
import { APP_RESPONSE_HEADERS } from './security/contentSecurityPolicy';
import { resolveAppRequest } from './security/resolveAppRequest';

/**
 * Must run before `ready`: makes app:// a standard, secure scheme, so pages served from it get a real
 * origin (CSP 'self', same-origin checks, module scripts) instead of file://'s special privileges.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

const plain = (status: number, text: string): Response =>
  new Response(text, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

/** Serves the built renderer (out/renderer) on app://bullpen/ with the CSP and hardening headers. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const resolved = resolveAppRequest(rendererRoot, request.url);
    if (!resolved.ok) return plain(resolved.status, resolved.reason);
    try {
      const body = await readFile(resolved.filePath);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': resolved.contentType },
      });
    } catch {
      return plain(404, 'not found');
    }
  });
}

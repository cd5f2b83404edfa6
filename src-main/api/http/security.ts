import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

/** A fresh bearer token per launch: 256 random bits, URL-safe so it fits in the printed URL's fragment. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares tokens in constant time (hashing first makes lengths equal). */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

const bracket = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/**
 * The Host header values this server answers to (`name:port`). Anything else is refused, which stops DNS
 * rebinding: a page on evil.example resolving to 127.0.0.1 still sends `Host: evil.example`.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (WILDCARDS.has(boundHost)) {
    names.add(hostname());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracket(a.address));
  } else {
    names.add(bracket(boundHost));
  }
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

/** The origins a browser shows for pages this server served: `http://` + an allowed Host. */
export function allowedOrigins(hosts: Set<string>): Set<string> {
  return new Set([...hosts].map((h) => `http://${h}`));
}

/**
 * The Content-Security-Policy for the served renderer: only our own scripts, no inline script, no
 * framing, no plugins; network access only back to this server (HTTP and its event WebSocket).
 * Inline styles are allowed because Svelte transitions and chart libraries set style attributes.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${host}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

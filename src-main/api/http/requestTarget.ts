/**
 * The one reading of a request target that the server's access decision uses. The router decodes
 * percent-encoding and accepts absolute-form targets on its own; if the access check read the raw
 * target differently, `/%61pi/…` or `http://host/api/…` would reach the API while looking like
 * something else. So every target either has exactly one meaning (decoded once, no dot segments,
 * no empty segments, nothing encoded that needs no encoding) or is refused before any route runs.
 */

export type RequestTarget =
  | { ok: true; /** decoded once; starts with a single '/' */ path: string; query: URLSearchParams }
  | { ok: false; status: 400 | 403; code: 'BAD_REQUEST_TARGET' | 'FORBIDDEN_PATH'; message: string };

/** Paths echoed in error messages are cut to this many characters: the message names the path, not a megabyte of it. */
const SHOWN_PATH_CHARS = 120;

/**
 * ASCII characters a client may percent-encode in a path: only those RFC 3986 does not allow raw.
 * Encoding anything else (a letter, a digit, `/`, `.`, `%`, `\`, `?`, `#`, `;`…) has no purpose
 * but to make two readers of the path disagree, so it is refused. Bytes >= 0x80 (UTF-8) are allowed.
 */
const ENCODABLE_ASCII = new Set([' ', '"', '<', '>', '[', ']', '^', '`', '{', '|', '}'].map((c) => c.charCodeAt(0)));

const PERCENT_ESCAPE = /%(..)?/gs;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** C0 controls and DEL: never part of a path a browser sends, and a way to split log lines. */
function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const shown = (path: string): string => (path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path);

function badTarget(message: string): RequestTarget {
  return { ok: false, status: 400, code: 'BAD_REQUEST_TARGET', message };
}

function forbiddenPath(path: string, why: string): RequestTarget {
  return { ok: false, status: 403, code: 'FORBIDDEN_PATH', message: `${shown(path)} is outside the served UI (${why})` };
}

/** Reads a raw HTTP request target (`req.raw.url`) into its single decoded path and its query, or says why not. */
export function parseRequestTarget(raw: string): RequestTarget {
  if (!raw.startsWith('/')) {
    return badTarget('the request target must be a path starting with / (absolute-form or other targets are not served)');
  }
  if (hasControlChar(raw)) return badTarget('the request target contains control characters');
  if (raw.includes('#')) return badTarget('the request target contains # (browsers never send the fragment)');
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));

  if (rawPath.includes('\\')) return forbiddenPath(rawPath, 'paths may not contain backslashes');
  for (const m of rawPath.matchAll(PERCENT_ESCAPE)) {
    const hex = m[1] ?? '';
    if (!HEX_PAIR.test(hex)) return badTarget(`malformed percent-encoding in ${shown(rawPath)}`);
    const byte = parseInt(hex, 16);
    if (byte < 0x80 && !ENCODABLE_ASCII.has(byte)) {
      return forbiddenPath(rawPath, 'paths may not percent-encode letters, digits, dots, slashes or other separators');
    }
  }
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return badTarget(`percent-encoding in ${shown(rawPath)} is not UTF-8`);
  }
  // No '%' survives decoding (an encoded '%' is refused above), so decoding again cannot change the path.
  if (hasControlChar(path)) return badTarget('the request path decodes to control characters');
  const segments = path.slice(1).split('/');
  // An empty segment is allowed only as the last one (a trailing slash, including the root path '/').
  if (segments.slice(0, -1).some((s) => s === '')) return forbiddenPath(rawPath, 'paths may not contain //');
  if (segments.some((s) => s === '.' || s === '..')) return forbiddenPath(rawPath, 'paths may not climb with . or ..');
  return { ok: true, path, query };
}

/** True for `/api` and everything under it, in any letter case (the router is case-sensitive, the check need not trust that). */
export function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === '/api' || lower.startsWith('/api/');
}

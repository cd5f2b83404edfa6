/**
 * The desktop renderer's Content Security Policy, sent as a response header by the app:// protocol
 * handler (a header, unlike a <meta> tag, also covers frame-ancestors and cannot be removed by the page).
 * Everything comes from our own origin; no inline script, no eval, no remote content, no plugins
 * (inline styles only, which plotly.js needs for its charts).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // plotly.js (the research charts) injects its stylesheet as <style> elements; styles cannot run code,
  // and scripts stay 'self' only.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Serializes directives in the header syntax: `name value value; name value`. */
export function buildCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = buildCsp(CSP_DIRECTIVES);

/** Headers every app:// response carries besides its content type. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

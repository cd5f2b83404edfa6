/**
 * Hosts the app may hand to the operating system's browser: documentation the UI links to. Anything
 * else is refused rather than opened, because shell.openExternal with an attacker's URL can run
 * programs (Electron security checklist, "do not use shell.openExternal with untrusted content").
 */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  'github.com',
  'mlflow.org',
  'www.mlflow.org',
  'lightgbm.readthedocs.io',
  'duckdb.org',
  'www.retrosheet.org',
  'optuna.readthedocs.io',
];

/** True only for a plain https URL on the default port, without credentials, to an allow-listed host. */
export function isVettedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_HOST_ALLOWLIST): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.port !== '') return false;
  return allowlist.includes(parsed.hostname);
}

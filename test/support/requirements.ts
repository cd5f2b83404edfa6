/**
 * One way for tests to say they need something optional (shared data, /usr/bin/chromium, Python
 * packages). Returns true when it is there. When it is missing the test file skips
 * with a message saying how to get it — unless BULLPEN_REQUIRE_ALL=1 (set by .ci/run), where a missing
 * requirement is an error, so CI can never pass by skipping.
 *
 *   const ok = needs('Debian chromium', existsSync('/usr/bin/chromium'), 'apt-get install -y chromium');
 *   describe.skipIf(!ok)('…', () => { … });
 */
export function needs(what: string, available: boolean, howToGet: string): boolean {
  if (available) return true;
  const message = `requirement missing: ${what}; to get it: ${howToGet}`;
  if (process.env.BULLPEN_REQUIRE_ALL === '1') throw new Error(`${message} (BULLPEN_REQUIRE_ALL=1 turns skips into failures)`);
  console.warn(`[skip] ${message}`);
  return false;
}

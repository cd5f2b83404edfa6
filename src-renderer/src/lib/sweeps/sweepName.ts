/**
 * A name for a sweep the user did not name (`sweep-20250401-142233`, local time), so the screen can follow
 * the sweep by name before the job answers with its id. Sweep names are unique in a workspace.
 */
export function generatedSweepName(nowMs: number): string {
  const now = new Date(nowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  return `sweep-${day}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

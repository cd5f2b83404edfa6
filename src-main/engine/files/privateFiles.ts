/**
 * DuckDB recreates a workspace's `.wal` after every checkpoint with the process umask's mode, so a
 * chmod at creation cannot keep it private (a workspace in a shared folder would leak its latest
 * changes). The engine therefore runs with umask 077; files meant for the user (exports, predictions)
 * get the mode the user's own umask would have given them, explicitly.
 */
const PRIVATE_UMASK = 0o077;

let userUmask: number | undefined;

/** Makes every file this process creates from now on owner-only; idempotent. */
export function useOwnerOnlyUmask(): void {
  if (userUmask !== undefined) return;
  userUmask = process.umask(PRIVATE_UMASK);
}

/** The mode a regular file would have had under the user's umask (0644 with the usual 022). */
export function userFileMode(): number {
  return 0o666 & ~(userUmask ?? currentUmask());
}

/** Reads the umask without changing it (process.umask() without an argument is deprecated). */
function currentUmask(): number {
  const mask = process.umask(PRIVATE_UMASK);
  process.umask(mask);
  return mask;
}

import { closeSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../../shared/errors';

/**
 * Files beside the workspace that belong to it: DuckDB's write-ahead log and the announcement of a
 * running `bullpen serve` (named by api/http/serverFile.ts; the engine cannot import the api layer).
 */
const COMPANION_SUFFIXES = ['.wal', '.serve.json'] as const;

/** DuckDB's file header carries this magic at byte 8 (after an 8-byte checksum). */
const DUCKDB_MAGIC = Buffer.from('DUCK', 'ascii');
const DUCKDB_MAGIC_OFFSET = 8;

/** Where a path really is: symlinks in its folder resolved, the last component kept (it may not exist yet). */
function realLocation(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** True when the file starts like a DuckDB database; an unreadable header counts as one, to stay on the safe side. */
export function isDuckDbFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  try {
    const head = Buffer.alloc(DUCKDB_MAGIC_OFFSET + DUCKDB_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.subarray(DUCKDB_MAGIC_OFFSET).equals(DUCKDB_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses to let any write replace the open workspace, its companions (also through a symlink or a
 * hard link), or any DuckDB database: an export is never allowed to destroy data it cannot recreate.
 * `workspacePath` is null for an in-memory workspace.
 */
export function assertReplaceable(target: string, workspacePath: string | null): void {
  const real = realLocation(target);
  const existing = statOrNull(target);
  if (workspacePath && workspacePath !== ':memory:') {
    const ws = realLocation(workspacePath);
    for (const suffix of ['', ...COMPANION_SUFFIXES]) {
      const own = `${ws}${suffix}`;
      const ownStat = existing ? statOrNull(own) : null;
      const sameFile = ownStat !== null && existing !== null && ownStat.dev === existing.dev && ownStat.ino === existing.ino;
      if (real === own || sameFile) {
        const what =
          suffix === ''
            ? 'the open workspace'
            : suffix === '.wal'
              ? "the open workspace's write-ahead log"
              : "the open workspace's server file";
        throw inputError('WOULD_OVERWRITE_WORKSPACE', `${target} is ${what} (${workspacePath}); choose another file name for the output`, {
          path: target,
          workspace: workspacePath,
        });
      }
    }
  }
  if (existing?.isFile() && isDuckDbFile(target)) {
    throw inputError(
      'WOULD_OVERWRITE_DATABASE',
      `${target} is a DuckDB database, which Bullpen never replaces with an output file; choose another file name or remove it first`,
      {
        path: target,
      },
    );
  }
}

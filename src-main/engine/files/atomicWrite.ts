import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BullpenError, inputError } from '../../shared/errors';
import { userFileMode } from './privateFiles';
import { assertReplaceable } from './replaceGuard';

/** The file name's last extensions (`.csv.gz`), kept on the temp file so writers that look at them behave the same. */
const SUFFIX_PATTERN = /(\.[A-Za-z0-9]{1,10}){1,2}$/;

/** A hidden sibling of `target`: same folder (so the rename is atomic), never a name a user would pick. */
export function tempSiblingOf(target: string): string {
  const suffix = SUFFIX_PATTERN.exec(basename(target))?.[0] ?? '';
  return join(dirname(target), `.bullpen-${randomBytes(6).toString('hex')}.partial${suffix}`);
}

export interface AtomicWriteOptions {
  /** The open workspace, which (with its companions and any DuckDB file) the rename must not replace. */
  workspacePath?: string | null;
}

/**
 * Writes `target` all at once: `write` fills a temp file beside it, which is renamed over the target
 * only when complete. On any failure the temp file is removed and the target is left as it was, so a
 * reader never finds half an export. The replace guard runs again right before the rename, since a job
 * may write long after its path was checked.
 */
export async function writeAtomically<T>(
  target: string,
  write: (tempPath: string) => Promise<T> | T,
  options: AtomicWriteOptions = {},
): Promise<T> {
  const temp = tempSiblingOf(target);
  try {
    const result = await write(temp);
    assertReplaceable(target, options.workspacePath ?? null);
    // The engine's umask is owner-only (privateFiles.ts); an export is the user's file and gets their usual mode.
    chmodSync(temp, userFileMode());
    renameSync(temp, target);
    return result;
  } catch (err) {
    rmSync(temp, { force: true, recursive: true });
    throw asOutputError(err, temp, target);
  }
}

/** Failures of the file system under the output (no permission, a full or read-only disk) are the caller's to fix. */
const OUTPUT_ERRNO = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EISDIR',
  'ENOTDIR',
  'ENOENT',
  'ENAMETOOLONG',
  'EEXIST',
  'EXDEV',
]);

/** Says a write failure in terms of the target the user named, never the temp file they did not. */
function asOutputError(err: unknown, temp: string, target: string): unknown {
  if (err instanceof BullpenError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if ((code && OUTPUT_ERRNO.has(code)) || message.includes(temp)) {
    const said = message.split(temp).join(target);
    return inputError('OUTPUT_NOT_WRITABLE', `cannot write ${target}: ${said}; nothing was written`, {
      path: target,
      ...(code ? { errno: code } : {}),
    });
  }
  return err;
}

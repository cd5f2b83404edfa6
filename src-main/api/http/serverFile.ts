import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * A running `bullpen serve` announces itself beside its workspace (`<workspace>.serve.json`, readable by
 * the owner only), so CLI commands on the same workspace go through it instead of fighting it for the
 * DuckDB file lock, and `--detach`ed jobs keep running in it after the command exits.
 */
export const serverFileSchema = z.object({
  origin: z.string(),
  token: z.string(),
  /**
   * The owner token: it marks requests as the local user's (full file access), unlike the URL token the
   * browser holds. Only whoever can read this owner-only file has it. Absent in files of older builds.
   */
  ownerToken: z.string().optional(),
  pid: z.number().int(),
  workspace: z.string(),
});
export type ServerFile = z.infer<typeof serverFileSchema>;

/** Owner read/write only: the file holds the launch and owner tokens. */
const OWNER_ONLY = 0o600;

/**
 * The workspace's path with symlinks resolved, so a server and a CLI naming the same file by different
 * paths (a symlink, a symlinked folder) find the same announcement instead of meeting at DuckDB's lock.
 * A workspace not created yet is resolved through its folder; a missing folder is taken as given.
 */
export function canonicalWorkspacePath(workspacePath: string): string {
  try {
    return realpathSync(workspacePath);
  } catch {
    try {
      return join(realpathSync(dirname(workspacePath)), basename(workspacePath));
    } catch {
      return workspacePath;
    }
  }
}

export const serverFilePath = (workspacePath: string): string => `${canonicalWorkspacePath(workspacePath)}.serve.json`;

/** Written as a new owner-only file renamed into place, so the tokens are never readable by others, not even briefly. */
export function writeServerFile(info: ServerFile): void {
  const path = serverFilePath(info.workspace);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(info), { mode: OWNER_ONLY, flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The server serving this workspace right now, or null (a file left by a dead server is removed). */
export function readLiveServerFile(workspacePath: string): ServerFile | null {
  const path = serverFilePath(workspacePath);
  let parsed: ServerFile;
  try {
    parsed = serverFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null; // absent or unreadable: no server to talk to
  }
  if (alive(parsed.pid)) return parsed;
  rmSync(path, { force: true });
  return null;
}

/** Removes the file if it is this process's announcement. */
export function removeServerFile(workspacePath: string, pid: number = process.pid): void {
  const live = readLiveServerFile(workspacePath);
  if (live && live.pid === pid) rmSync(serverFilePath(workspacePath), { force: true });
}

import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A running `bullpen serve` announces itself beside its workspace (`<workspace>.serve.json`, readable by
 * the owner only), so CLI commands on the same workspace go through it instead of fighting it for the
 * DuckDB file lock, and `--detach`ed jobs keep running in it after the command exits.
 */
export const serverFileSchema = z.object({
  origin: z.string(),
  token: z.string(),
  pid: z.number().int(),
  workspace: z.string(),
});
export type ServerFile = z.infer<typeof serverFileSchema>;

/** Owner read/write only: the file holds the launch token. */
const OWNER_ONLY = 0o600;

export const serverFilePath = (workspacePath: string): string => `${workspacePath}.serve.json`;

export function writeServerFile(info: ServerFile): void {
  const path = serverFilePath(info.workspace);
  writeFileSync(path, JSON.stringify(info), { mode: OWNER_ONLY });
  chmodSync(path, OWNER_ONLY);
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

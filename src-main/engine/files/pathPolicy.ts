import { lstatSync, mkdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Caller } from '../../shared/caller';
import { BullpenError, inputError } from '../../shared/errors';
import { assertReplaceable } from './replaceGuard';

/** Longer paths are refused before touching the file system (Linux's PATH_MAX; real paths are far shorter). */
export const MAX_PATH_LENGTH = 4096;
/** Longest file name (one path component) common file systems accept. */
const MAX_NAME_BYTES = 255;
/** The workspace's export folder: `<workspace folder>/exports`, owner-only. */
export const EXPORT_FOLDER_NAME = 'exports';
const OWNER_ONLY_DIR = 0o700;

export interface PathPolicyOptions {
  /** The open workspace (`:memory:` has no folder, hence no export folder). */
  workspacePath: string;
  /** Where data.upload stores files: the only place remote callers read from. */
  uploadRoot: string;
  /** Extra folders remote callers may write into (`bullpen serve --allow-write DIR`). */
  allowWrite?: readonly string[];
}

/** A folder a remote caller may use, as given and as it really is (symlinks resolved). */
interface Root {
  shown: string;
  real: string | null;
}

/** True when `path` is `root` or inside it (both absolute and normalized). */
function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

const statOrNull = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return null; // absent, or a dangling link (checked separately for remote callers)
  }
};

const realOrNull = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
};

/** A file-system failure on a path the caller gave, said as their input error (never a 5xx). */
function pathProblem(err: unknown, path: string, folder: string): BullpenError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return inputError('FOLDER_NOT_FOUND', `folder ${folder} does not exist: create it first or choose a file in an existing folder`, {
        path,
        folder,
      });
    case 'ENOTDIR':
      return inputError('FOLDER_NOT_FOUND', `${folder} is not a folder, so ${path} cannot be written`, { path, folder });
    case 'ENAMETOOLONG':
      return inputError('PATH_TOO_LONG', `${path.slice(0, 200)}… has a name too long for the file system`, { length: path.length });
    case 'EACCES':
    case 'EPERM':
      return inputError('PATH_NOT_ACCESSIBLE', `folder ${folder} cannot be opened by Bullpen (permission denied)`, { path, folder });
    case 'ELOOP':
      return inputError('PATH_LOOP', `${path} goes through a loop of symbolic links`, { path });
    default:
      return inputError('PATH_UNUSABLE', `cannot use ${path}: ${(err as Error).message}`, { path, folder });
  }
}

/** Refusals every path gets, whoever calls: NUL bytes (C APIs would cut the name there) and absurd lengths. */
function assertSanePath(raw: string, flag: string): void {
  if (raw.length > MAX_PATH_LENGTH) {
    throw inputError('PATH_TOO_LONG', `${flag} is ${raw.length} characters long (at most ${MAX_PATH_LENGTH}): ${raw.slice(0, 80)}…`, {
      flag,
      length: raw.length,
      max: MAX_PATH_LENGTH,
    });
  }
  if (raw.includes('\0')) {
    throw inputError('PATH_HAS_NUL', `${flag} ${JSON.stringify(raw)} contains a NUL byte, which no file name may hold`, {
      flag,
      path: raw,
    });
  }
}

/** Paths come from the caller; a relative one would resolve against the engine's directory, not theirs. */
function assertAbsolute(raw: string, flag: string): void {
  if (!isAbsolute(raw)) {
    throw new BullpenError(
      'usage',
      'PATH_NOT_ABSOLUTE',
      `${flag} ${raw} is relative: give an absolute path (the CLI resolves it against your working directory)`,
      { path: raw },
    );
  }
}

const climbs = (raw: string): boolean => raw.split(/[\\/]+/).includes('..');

/**
 * The one place that decides which files an op may read or write, given who asks (see shared/caller.ts).
 *
 * - Everyone: no NUL bytes, no path over 4096 characters, an output's folder must exist, and no write
 *   may replace the open workspace, its write-ahead log or server file, or any DuckDB database.
 * - Local callers (the user who runs Bullpen) read and write where their account may, with absolute
 *   paths (the CLI resolves relative ones against the caller's directory before sending).
 * - Remote callers (the served UI's URL token) read only uploaded files (data.upload) and write only
 *   into the export folder or a folder `bullpen serve --allow-write` named; relative names land in the
 *   export folder; `..` and symbolic links leading out are refused.
 */
export class PathPolicy {
  /** Null for an in-memory workspace. */
  readonly exportDir: string | null;
  private readonly workspacePath: string;
  private readonly uploadRoot: string;
  private readonly allowWrite: readonly string[];

  constructor(options: PathPolicyOptions) {
    this.workspacePath = options.workspacePath;
    this.exportDir = options.workspacePath === ':memory:' ? null : join(dirname(resolve(options.workspacePath)), EXPORT_FOLDER_NAME);
    this.uploadRoot = resolve(options.uploadRoot);
    this.allowWrite = (options.allowWrite ?? []).map((d) => resolve(d));
  }

  /** The folders a remote caller may write into, for messages and for `workspace.info`-like displays. */
  get writableFolders(): string[] {
    return [...(this.exportDir ? [this.exportDir] : []), ...this.allowWrite];
  }

  /** The path to read for `raw` (given as `flag`), or an input error saying why this caller may not read it. */
  readable(raw: string, caller: Caller, flag: string): string {
    assertSanePath(raw, flag);
    if (caller.access === 'local') {
      assertAbsolute(raw, flag);
      return raw;
    }
    const refuse = (): BullpenError =>
      inputError(
        'PATH_NOT_ALLOWED',
        `${flag} ${raw} is not an uploaded file: over the served API Bullpen reads only files sent with data.upload (the Import panel does this) into ${this.uploadRoot}; to import other files run the bullpen CLI on the server`,
        { flag, path: raw, allowed: [this.uploadRoot] },
      );
    if (climbs(raw)) throw refuse();
    const root = { shown: this.uploadRoot, real: realOrNull(this.uploadRoot) };
    const abs = isAbsolute(raw) ? resolve(raw) : resolve(this.uploadRoot, raw);
    // Decided on the name alone first, so a refused path is never looked at (no probing for files).
    if (!within(abs, root.shown) && !(root.real && within(abs, root.real))) throw refuse();
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw inputError(
          'FILE_NOT_FOUND',
          `${flag} ${raw} does not exist (uploads are removed after import and after 24 hours): upload the file again`,
          { flag, path: raw },
        );
      }
      throw pathProblem(err, raw, dirname(abs));
    }
    if (!root.real || !within(real, root.real)) {
      throw inputError('PATH_ESCAPES', `${flag} ${raw} leads outside the upload folder ${this.uploadRoot} through a symbolic link`, {
        flag,
        path: raw,
        allowed: [this.uploadRoot],
      });
    }
    return real;
  }

  /**
   * The absolute file to write for `raw` (given as `flag`), checked for this caller: its folder exists,
   * it is allowed, and it is not the workspace or a database. The write itself goes through writeAtomically.
   */
  writable(raw: string, caller: Caller, flag: string): string {
    assertSanePath(raw, flag);
    let abs: string;
    let root: Root | null = null;
    if (caller.access === 'local') {
      assertAbsolute(raw, flag);
      abs = resolve(raw);
    } else {
      ({ abs, root } = this.remoteTarget(raw, flag));
    }
    const name = basename(abs);
    const folder = dirname(abs);
    if (name === '' || raw.endsWith('/') || raw.endsWith(sep)) {
      throw inputError('PATH_IS_FOLDER', `${flag} ${raw} names a folder; give a file name`, { flag, path: raw });
    }
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw inputError('PATH_TOO_LONG', `${flag}: the file name ${name.slice(0, 80)}… is too long (at most ${MAX_NAME_BYTES} bytes)`, {
        flag,
        length: name.length,
        max: MAX_NAME_BYTES,
      });
    }
    let realFolder: string;
    try {
      realFolder = realpathSync(folder);
      if (!statSync(realFolder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (err) {
      throw pathProblem(err, raw, folder);
    }
    let target = join(realFolder, name);
    if (root) this.assertStaysInside(raw, flag, target, realFolder, root);
    const existing = statOrNull(target);
    if (existing?.isDirectory()) throw inputError('PATH_IS_FOLDER', `${flag} ${raw} is a folder; give a file name`, { flag, path: raw });
    if (existing && !existing.isFile()) {
      // A rename over /dev/null or a socket would replace the node itself.
      throw inputError('PATH_NOT_A_FILE', `${flag} ${raw} exists and is not a regular file; give the name of a new or ordinary file`, {
        flag,
        path: raw,
      });
    }
    // Through a symlink the user meant the file it points to (the rename would otherwise replace the link).
    if (existing) target = realOrNull(target) ?? target;
    assertReplaceable(target, this.workspacePath);
    return target;
  }

  /** Where a remote caller's output goes: a relative name into the export folder, an absolute one only inside an allowed folder. */
  private remoteTarget(raw: string, flag: string): { abs: string; root: Root } {
    const allowed = this.writableFolders;
    const refuse = (): BullpenError =>
      inputError(
        'PATH_NOT_ALLOWED',
        allowed.length
          ? `${flag} ${raw} is outside the folders this server writes to (${allowed.join(', ')}): give a plain file name and it lands in ${allowed[0]}`
          : `${flag} ${raw}: this server has no export folder (an in-memory workspace); restart it with --allow-write DIR`,
        { flag, path: raw, allowed },
      );
    if (climbs(raw)) throw refuse();
    if (!isAbsolute(raw) && !this.exportDir) throw refuse();
    const abs = isAbsolute(raw) ? resolve(raw) : resolve(this.exportDir ?? '', raw);
    for (const shown of allowed) {
      const real = realOrNull(shown);
      if (abs === shown || abs === real)
        throw inputError('PATH_IS_FOLDER', `${flag} ${raw} is a folder; give a file name`, { flag, path: raw });
      if (within(abs, shown) || (real && within(abs, real))) {
        if (shown === this.exportDir) this.ensureExportDir();
        return { abs, root: { shown, real: realOrNull(shown) } };
      }
    }
    throw refuse();
  }

  /** Refuses an output whose folder, or whose existing name, is a symbolic link out of the allowed folder. */
  private assertStaysInside(raw: string, flag: string, target: string, realFolder: string, root: Root): void {
    const escapes = (): BullpenError =>
      inputError(
        'PATH_ESCAPES',
        `${flag} ${raw} leads outside ${root.shown} through a symbolic link; write to a plain file in that folder`,
        {
          flag,
          path: raw,
          allowed: [root.shown],
        },
      );
    if (!root.real || !within(realFolder, root.real)) throw escapes();
    let link: string | null = null;
    try {
      if (lstatSync(target).isSymbolicLink()) link = readlinkSync(target);
    } catch {
      return; // nothing there yet
    }
    if (link === null) return;
    const pointsTo = realOrNull(target) ?? resolve(realFolder, link);
    if (!within(pointsTo, root.real)) throw escapes();
  }

  /** Creates the export folder (owner-only) the first time a remote caller writes. */
  private ensureExportDir(): void {
    if (!this.exportDir) return;
    try {
      mkdirSync(this.exportDir, { recursive: true, mode: OWNER_ONLY_DIR });
    } catch (err) {
      throw pathProblem(err, this.exportDir, dirname(this.exportDir));
    }
  }
}

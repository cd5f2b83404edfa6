import { randomBytes } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullpenError, inputError, notFoundError } from '../../shared/errors';

/**
 * Files a browser sends to the engine before an import. In serve mode the page cannot name a path on
 * the server, so it uploads the file in chunks (each a small JSON op, under the HTTP body limit) into
 * `<tmp>/bullpen-uploads-<uid>/<id>/<original name>`, then calls the ordinary import op with that path.
 * The original name is kept so import errors still say `GL2016.TXT line 3, field …`. Remote callers may
 * read nothing else (engine/files/pathPolicy.ts), so the folder must be this user's alone.
 */

/** Largest raw chunk the renderer sends: its base64 (4/3 larger) plus JSON fits the 1 MiB HTTP body limit. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
/** Base64 length of a full chunk, the most one call may carry. */
export const UPLOAD_CHUNK_BASE64_MAX = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;
/** Far above any game log (a season is ~1.7 MB) or odds history (the 2016 Pinnacle lines are 1.6 MB gzipped). */
export const UPLOAD_MAX_BYTES = 200 * 1024 * 1024;
/** Uploads never imported (a closed tab) are removed after this long, at the next upload. */
const UPLOAD_TTL_MS = 24 * 3600_000;

export const UPLOAD_ID_PATTERN = /^upl_[a-f0-9]{24}$/;
/** A plain file name: no directories, nothing hidden, so an upload cannot write outside its own folder. */
export const UPLOAD_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._()+-]{0,199}$/;

/**
 * One folder per OS user (another user could otherwise create it first and read or plant files), under
 * the real temp folder so the paths handed out compare equal after realpath.
 */
export const uploadRoot = (): string => join(realpathSync(tmpdir()), `bullpen-uploads-${process.getuid?.() ?? 'user'}`);

const OWNER_ONLY_DIR = 0o700;

/** Creates the upload folder owner-only, and refuses one that is a link, someone else's, or open to others. */
function ensurePrivateRoot(root: string): void {
  mkdirSync(root, { recursive: true, mode: OWNER_ONLY_DIR });
  const st = lstatSync(root);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) {
    throw new BullpenError(
      'internal',
      'UPLOAD_FOLDER_UNSAFE',
      `the upload folder ${root} is not a private folder of this user (a link, another owner, or open to others); remove it and try again`,
      {
        root,
      },
    );
  }
}

export interface UploadChunk {
  uploadId?: string;
  name: string;
  /** Where this chunk starts in the file; chunks arrive in order, so it must equal the bytes stored so far. */
  offset: number;
  base64: string;
}

export interface UploadState {
  uploadId: string;
  name: string;
  path: string;
  bytes: number;
}

function pruneOld(root: string, now: number): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return; // no uploads yet
  }
  for (const id of entries) {
    const dir = join(root, id);
    try {
      if (now - statSync(dir).mtimeMs > UPLOAD_TTL_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another engine: nothing to prune
    }
  }
}

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
};

/** Appends one chunk (the first one creates the upload) and returns where the file is so far. */
export function appendUploadChunk(chunk: UploadChunk, root: string = uploadRoot()): UploadState {
  if (!UPLOAD_NAME_PATTERN.test(chunk.name) || chunk.name.includes('..')) {
    throw inputError(
      'BAD_UPLOAD_NAME',
      `"${chunk.name}" is not a plain file name; rename the file to letters, digits, dots and dashes and upload it again`,
      { name: chunk.name },
    );
  }
  const bytes = Buffer.from(chunk.base64, 'base64');
  let uploadId = chunk.uploadId;
  if (!uploadId) {
    if (chunk.offset !== 0) throw inputError('UPLOAD_OFFSET', 'a new upload starts at offset 0', { offset: chunk.offset });
    ensurePrivateRoot(root);
    pruneOld(root, Date.now());
    uploadId = `upl_${randomBytes(12).toString('hex')}`;
    mkdirSync(join(root, uploadId), { recursive: true, mode: 0o700 });
  }
  const path = join(root, uploadId, chunk.name);
  const stored = chunk.offset === 0 && !chunk.uploadId ? 0 : sizeOf(path);
  if (stored < 0 && chunk.uploadId) {
    throw notFoundError('UPLOAD_NOT_FOUND', `upload ${uploadId} of ${chunk.name} is gone (discarded or expired); choose the file again`, {
      uploadId,
    });
  }
  if (chunk.offset !== stored) {
    throw new BullpenError(
      'conflict',
      'UPLOAD_OFFSET',
      `upload ${uploadId} holds ${stored} bytes but this chunk starts at ${chunk.offset}; choose the file again`,
      { uploadId, stored, offset: chunk.offset },
    );
  }
  if (stored + bytes.length > UPLOAD_MAX_BYTES) {
    throw inputError(
      'UPLOAD_TOO_LARGE',
      `${chunk.name} is larger than ${UPLOAD_MAX_BYTES / 2 ** 20} MiB; import it with the CLI instead (\`bullpen data import …\` reads files of any size)`,
      { name: chunk.name, limit: UPLOAD_MAX_BYTES },
    );
  }
  appendFileSync(path, bytes, { mode: 0o600 });
  return { uploadId, name: chunk.name, path, bytes: stored + bytes.length };
}

/** Removes an upload once imported (or abandoned); unknown ids are fine, so the call can always be made. */
export function discardUpload(uploadId: string, root: string = uploadRoot()): void {
  rmSync(join(root, uploadId), { recursive: true, force: true });
}

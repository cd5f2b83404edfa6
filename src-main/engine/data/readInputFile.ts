import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import { inputError } from '../../shared/errors';

/** One text document read from a user's file; a .zip yields one per member. */
export interface TextDocument {
  /** What error messages call it: `GL2016.zip:GL2016.TXT` for a zip member. */
  name: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Retrosheet and older book files are Latin-1; decode UTF-8 when valid, else Latin-1, never fail on accents. */
function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/** Reads a plain, .gz or .zip file into text documents, naming the file in every error. */
export function readTextDocuments(path: string): TextDocument[] {
  let raw: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    raw = readFileSync(path);
  } catch (err) {
    throw inputError('FILE_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`, { file: path });
  }
  const name = basename(path);
  const lower = name.toLowerCase();
  try {
    if (lower.endsWith('.gz')) return [{ name, text: decode(gunzipSync(raw)) }];
    if (lower.endsWith('.zip')) {
      const members = unzipSync(raw);
      const docs = Object.entries(members)
        .filter(([member, bytes]) => !member.endsWith('/') && bytes.length > 0 && !member.startsWith('__MACOSX'))
        .map(([member, bytes]) => ({ name: `${name}:${member}`, text: decode(bytes) }));
      if (!docs.length) throw new Error('the archive holds no files');
      return docs;
    }
  } catch (err) {
    throw inputError('FILE_CORRUPT', `cannot decompress ${path}: ${(err as Error).message}`, { file: path });
  }
  return [{ name, text: decode(raw) }];
}

import type { BullpenClient } from '../../../../src-main/api/client';
import { UPLOAD_CHUNK_BYTES } from '../../../../src-main/api/contract/ops/data';

/** A file the engine now holds, under its original name, ready to be passed to an import op. */
export interface UploadedFile {
  uploadId: string;
  /** The name the user's file had (made safe for the engine's upload folder). */
  name: string;
  /** Where the engine stored it; import errors that quote this path are shown with `name` instead. */
  path: string;
  bytes: number;
}

/** Characters the engine accepts in an upload name; anything else becomes `_`. */
export function safeUploadName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9 ._()+-]/g, '_')
    .replace(/\.\.+/g, '.')
    .slice(-200);
  return /^[A-Za-z0-9]/.test(cleaned) ? cleaned : `f${cleaned}`.slice(0, 200);
}

/** btoa over a binary string, built in slices so large chunks do not overflow the argument list. */
function toBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(binary);
}

/**
 * Sends a chosen file to the engine in chunks through the `data.upload` op, the same way in the desktop
 * app and in serve mode (where the page cannot name a path on the server). Reports bytes sent so far.
 */
export async function uploadFile(client: BullpenClient, file: File, onProgress?: (sent: number) => void): Promise<UploadedFile> {
  const name = safeUploadName(file.name);
  let uploadId: string | undefined;
  let answer: UploadedFile | undefined;
  let offset = 0;
  do {
    const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    const res = await client.call('data.upload', { ...(uploadId ? { uploadId } : {}), name, offset, base64: toBase64(chunk) });
    uploadId = res.uploadId;
    answer = res;
    offset += chunk.length;
    onProgress?.(offset);
  } while (offset < file.size);
  return answer;
}

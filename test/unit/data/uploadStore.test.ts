import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendUploadChunk, discardUpload } from '../../../src-main/engine/data/uploadStore';
import { BullpenError } from '../../../src-main/shared/errors';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'bullpen-uploads-test-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof BullpenError ? err.code : String(err);
  }
  return null;
};

describe('upload store', () => {
  it('assembles chunks in order under the original file name and discards them', () => {
    const first = appendUploadChunk({ name: 'GL2016.TXT', offset: 0, base64: b64('hello ') }, root);
    const second = appendUploadChunk({ uploadId: first.uploadId, name: 'GL2016.TXT', offset: 6, base64: b64('world') }, root);
    expect(second).toMatchObject({ uploadId: first.uploadId, name: 'GL2016.TXT', bytes: 11 });
    expect(second.path.endsWith('/GL2016.TXT')).toBe(true);
    expect(readFileSync(second.path, 'utf8')).toBe('hello world');
    discardUpload(first.uploadId, root);
    expect(existsSync(second.path)).toBe(false);
  });

  it('refuses names that could leave the upload folder, and out-of-order chunks', () => {
    for (const name of ['../evil.txt', '/etc/passwd', '.hidden', 'a/b.csv', 'a..b']) {
      expect(
        codeOf(() => appendUploadChunk({ name, offset: 0, base64: b64('x') }, root)),
        name,
      ).toBe('BAD_UPLOAD_NAME');
    }
    const first = appendUploadChunk({ name: 'x.csv', offset: 0, base64: b64('abc') }, root);
    expect(codeOf(() => appendUploadChunk({ uploadId: first.uploadId, name: 'x.csv', offset: 1, base64: b64('d') }, root))).toBe(
      'UPLOAD_OFFSET',
    );
    expect(codeOf(() => appendUploadChunk({ name: 'x.csv', offset: 5, base64: b64('d') }, root))).toBe('UPLOAD_OFFSET');
    expect(
      codeOf(() => appendUploadChunk({ uploadId: 'upl_000000000000000000000000', name: 'x.csv', offset: 3, base64: b64('d') }, root)),
    ).toBe('UPLOAD_NOT_FOUND');
  });
});

import { describe, expect, it } from 'vitest';
import { preview } from '../../../src-main/engine/data/textPreview';
import { sniffContent } from '../../../src-main/engine/data/sniffContent';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  importLimits,
  MAX_BYTES_ENV,
  MAX_LINE_BYTES_ENV,
} from '../../../src-main/engine/data/importLimits';
import { BullpenError } from '../../../src-main/shared/errors';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('preview', () => {
  it('escapes control, C1 and invisible characters and cuts long values with an ellipsis', () => {
    expect(preview('a\tb\r\n\u001b[2J\u0085\u202eevil\u200b')).toBe('a\\tb\\r\\n\\x1b[2J\\x85\\u202eevil\\u200b');
    const cut = preview('x'.repeat(10_000_000));
    expect(cut).toBe(`${'x'.repeat(80)}…`);
    expect(preview('short')).toBe('short');
  });
});

describe('sniffContent', () => {
  it('tells text, wide encodings, archives and binary files apart', () => {
    expect(sniffContent(text('20160404,0,Mon,BOS,AL,1,NYA'))).toEqual({ kind: 'text' });
    expect(sniffContent(text('caf\u00e9,\u00e9t\u00e9\n'))).toEqual({ kind: 'text' });
    expect(sniffContent(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ kind: 'text' });
    expect(sniffContent(bytes(0xff, 0xfe, 0x61, 0))).toEqual({ kind: 'wideText', encoding: 'UTF-16LE' });
    expect(sniffContent(bytes(0xff, 0xfe, 0, 0, 0x61, 0, 0, 0))).toEqual({ kind: 'wideText', encoding: 'UTF-32LE' });
    expect(sniffContent(bytes(0, 0, 0xfe, 0xff))).toEqual({ kind: 'wideText', encoding: 'UTF-32BE' });
    expect(sniffContent(bytes(0, 0x64, 0, 0x61, 0, 0x74, 0, 0x65))).toEqual({ kind: 'wideText', encoding: 'UTF-16BE' });
    expect(sniffContent(bytes(0x64, 0, 0, 0, 0x61, 0, 0, 0))).toEqual({ kind: 'wideText', encoding: 'UTF-32LE' });
    expect(sniffContent(bytes(0x1f, 0x8b, 8, 0))).toEqual({ kind: 'archive', format: 'gzip' });
    expect(sniffContent(text('PK\u0003\u0004rest'))).toEqual({ kind: 'archive', format: 'zip' });
    expect(sniffContent(text('BZh91AY&SY'))).toEqual({ kind: 'archive', format: 'bzip2' });
    expect(sniffContent(text('PAR1\u0015\u0004'))).toEqual({ kind: 'binary', what: 'a Parquet file' });
    expect(sniffContent(bytes(1, 2, 3, 0, 0xff, 7, 0, 9, 4, 4))).toMatchObject({ kind: 'binary' });
    expect(sniffContent(bytes(1, 2, 3, 4, 5, 6, 7, 8, 11, 14))).toMatchObject({ kind: 'binary' });
  });
});

describe('importLimits', () => {
  it('defaults, reads sizes with units from the environment, and lets explicit overrides win', () => {
    expect(importLimits({}, {})).toEqual({ maxBytes: DEFAULT_MAX_BYTES, maxLineBytes: DEFAULT_MAX_LINE_BYTES });
    expect(importLimits({}, { [MAX_BYTES_ENV]: '512MiB', [MAX_LINE_BYTES_ENV]: '1000' })).toEqual({
      maxBytes: 512 * 1024 * 1024,
      maxLineBytes: 1000,
    });
    expect(importLimits({ maxLineBytes: 10 }, { [MAX_LINE_BYTES_ENV]: '2k' }).maxLineBytes).toBe(10);
  });

  it('treats a malformed size as bad usage naming the variable', () => {
    const err = (() => {
      try {
        importLimits({}, { [MAX_BYTES_ENV]: 'lots' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).kind).toBe('usage');
    expect((err as BullpenError).message).toContain(MAX_BYTES_ENV);
  });
});

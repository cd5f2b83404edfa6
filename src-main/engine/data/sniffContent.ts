/** How many leading bytes decide what a file is. */
export const SNIFF_BYTES = 4096;

export type ArchiveFormat = 'zip' | 'gzip' | 'bzip2' | 'xz' | '7z' | 'rar' | 'zstd' | 'tar';
export type WideEncoding = 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE';

/** What a file's first bytes say it is; only `text` goes on to a parser. */
export type ContentKind =
  | { kind: 'text' }
  | { kind: 'wideText'; encoding: WideEncoding }
  | { kind: 'archive'; format: ArchiveFormat }
  | { kind: 'binary'; what: string };

interface Magic {
  bytes: number[];
  offset?: number;
  is: ContentKind;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const archive = (format: ArchiveFormat): ContentKind => ({ kind: 'archive', format });
const binary = (what: string): ContentKind => ({ kind: 'binary', what });

/** Signatures of the files people pick by mistake; none of them can start a CSV or a game log. */
const MAGICS: Magic[] = [
  { bytes: [0x1f, 0x8b], is: archive('gzip') },
  { bytes: [0x50, 0x4b, 0x03, 0x04], is: archive('zip') },
  { bytes: [0x50, 0x4b, 0x05, 0x06], is: archive('zip') },
  { bytes: [0x50, 0x4b, 0x07, 0x08], is: archive('zip') },
  ...Array.from({ length: 9 }, (_, i): Magic => ({ bytes: ascii(`BZh${i + 1}`), is: archive('bzip2') })),
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], is: archive('xz') },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], is: archive('7z') },
  { bytes: ascii('Rar!\x1a\x07'), is: archive('rar') },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], is: archive('zstd') },
  { bytes: ascii('ustar'), offset: 257, is: archive('tar') },
  { bytes: ascii('PAR1'), is: binary('a Parquet file') },
  { bytes: ascii('SQLite format 3\0'), is: binary('an SQLite database') },
  { bytes: ascii('DUCK'), offset: 8, is: binary('a DuckDB database') },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], is: binary('an Office document (.xls/.doc)') },
  { bytes: ascii('%PDF-'), is: binary('a PDF document') },
  { bytes: [0x89, 0x50, 0x4e, 0x47], is: binary('a PNG image') },
  { bytes: [0xff, 0xd8, 0xff], is: binary('a JPEG image') },
  { bytes: ascii('GIF8'), is: binary('a GIF image') },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], is: binary('an executable (ELF)') },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], is: binary('an executable (Mach-O)') },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], is: binary('an executable (Mach-O)') },
  { bytes: ascii('ARROW1'), is: binary('an Arrow IPC file') },
];

// UTF-32 BOMs first: the UTF-32LE BOM begins with the UTF-16LE one.
const BOMS: [number[], WideEncoding][] = [
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32LE'],
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32BE'],
  [[0xff, 0xfe], 'UTF-16LE'],
  [[0xfe, 0xff], 'UTF-16BE'],
];

/** Text files hold no C0 control bytes other than tab, line feed, form feed, carriage return and DOS end-of-file. */
const isControl = (b: number): boolean => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1a;
/** A few stray control bytes can be a typo in a text file; more than this share (or count, in a tiny file) is binary. */
const MAX_CONTROL_SHARE = 0.01;
const MAX_STRAY_CONTROLS = 2;
/** Share of the expected NUL positions that must be NUL to call ASCII-range text UTF-16/32 without a BOM. */
const WIDE_NUL_SHARE = 0.9;

const startsWith = (head: Uint8Array, bytes: number[], offset = 0): boolean =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

/** Without a BOM, ASCII-range text in UTF-16/32 shows as NULs in fixed positions of each code unit. */
function wideWithoutBom(head: Uint8Array): WideEncoding | undefined {
  const units4 = Math.floor(head.length / 4);
  if (units4 >= 1) {
    const nul = [0, 0, 0, 0];
    for (let i = 0; i < units4 * 4; i++) if (head[i] === 0) nul[i % 4]++;
    const most = (k: number) => nul[k] >= units4 * WIDE_NUL_SHARE;
    const few = (k: number) => nul[k] <= units4 * (1 - WIDE_NUL_SHARE);
    if (most(1) && most(2) && most(3) && few(0)) return 'UTF-32LE';
    if (most(0) && most(1) && most(2) && few(3)) return 'UTF-32BE';
  }
  const units2 = Math.floor(head.length / 2);
  if (units2 < 1) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < units2 * 2; i++) {
    if (head[i] !== 0) continue;
    if (i % 2) oddNul++;
    else evenNul++;
  }
  if (oddNul >= units2 * WIDE_NUL_SHARE && evenNul <= units2 * (1 - WIDE_NUL_SHARE)) return 'UTF-16LE';
  if (evenNul >= units2 * WIDE_NUL_SHARE && oddNul <= units2 * (1 - WIDE_NUL_SHARE)) return 'UTF-16BE';
  return undefined;
}

/** Says what the first bytes of a file are: single-byte text (UTF-8, Latin-1), wide text, an archive, or binary. */
export function sniffContent(head: Uint8Array): ContentKind {
  for (const [bom, encoding] of BOMS) if (startsWith(head, bom)) return { kind: 'wideText', encoding };
  for (const m of MAGICS) if (startsWith(head, m.bytes, m.offset)) return m.is;
  if (!head.includes(0)) {
    let controls = 0;
    for (const b of head) if (isControl(b)) controls++;
    return controls > Math.max(MAX_STRAY_CONTROLS, head.length * MAX_CONTROL_SHARE)
      ? binary('binary data (control bytes a text file does not hold)')
      : { kind: 'text' };
  }
  const wide = wideWithoutBom(head);
  return wide ? { kind: 'wideText', encoding: wide } : binary('binary data (it holds NUL bytes)');
}

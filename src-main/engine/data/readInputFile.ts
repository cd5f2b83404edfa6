import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Gunzip, Unzip, UnzipInflate } from 'fflate';
import { BullpenError, inputError } from '../../shared/errors';
import { formatBytes, importLimits, MAX_BYTES_ENV, MAX_LINE_BYTES_ENV, type ImportLimits } from './importLimits';
import { sniffContent, SNIFF_BYTES, type ContentKind } from './sniffContent';
import { preview } from './textPreview';

/** One text document read from a user's file; a .zip yields one per member. */
export interface TextDocument {
  /** What error messages call it: `GL2016.zip:GL2016.TXT` for a zip member. */
  name: string;
  text: string;
}

export interface ReadOptions {
  /** What the importer expects, for messages about a file that is something else: `a Retrosheet game log (GLyyyy.TXT)`. */
  expect?: string;
  /** Overrides of the size limits (else the environment, else the defaults; see importLimits.ts). */
  limits?: Partial<ImportLimits>;
}

/**
 * Compressed bytes per push into the decompressor. Deflate expands at most ~1,032×, so one push
 * inflates at most ~16 MiB before the size and line limits see it, and each read hands the event
 * loop back to other callers (serve mode) before the next.
 */
const COMPRESSED_READ_BYTES = 16 * 1024;
const PLAIN_READ_BYTES = 1024 * 1024;
/** Real archives hold one game log or CSV; thousands of members is an archive built to hurt. */
const MAX_ZIP_MEMBERS = 1000;
/** Member names that are archives themselves: refused by name, before a byte of them is inflated. */
const ARCHIVE_NAME = /\.(zip|gz|tgz|bz2|xz|7z|rar|zst|tar|jar)$/i;
const MEMBER_NAME_CHARS = 120;

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

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Refuses anything that is not single-byte text, saying what it is instead (never quoting it). */
function refuseUnlessText(doc: string, kind: ContentKind, expect: string, container: 'gzip' | 'zip' | null): void {
  if (kind.kind === 'text') return;
  if (kind.kind === 'wideText') {
    throw inputError(
      'FILE_ENCODING',
      `${doc} is ${kind.encoding} text; save it as UTF-8 (in Excel: "CSV UTF-8"; or iconv -f ${kind.encoding} -t UTF-8) and import it again; nothing was imported`,
      {
        file: doc,
        encoding: kind.encoding,
      },
    );
  }
  if (kind.kind === 'archive') {
    if (container) {
      throw inputError(
        'NESTED_ARCHIVE',
        `${doc} is a ${kind.format} archive inside a ${container} archive; Bullpen reads one level of compression: unpack the outer archive and import the file inside; nothing was imported`,
        {
          file: doc,
          inner: kind.format,
          outer: container,
        },
      );
    }
    throw inputError(
      'UNSUPPORTED_ARCHIVE',
      `${doc} is a ${kind.format} archive, which Bullpen does not read; unpack it and import the file inside, or compress it as .gz or .zip; nothing was imported`,
      {
        file: doc,
        format: kind.format,
      },
    );
  }
  throw inputError('NOT_TEXT', `${doc} is not a text file: it looks like ${kind.what}; expected ${expect}; nothing was imported`, {
    file: doc,
    looksLike: kind.what,
  });
}

/** Bytes one input file may still yield, shared by every member of a zip. */
class ByteBudget {
  private used = 0;
  constructor(
    private readonly file: string,
    private readonly max: number,
    private readonly compressed: boolean,
  ) {}

  take(n: number): void {
    this.used += n;
    this.refuseOver(this.used);
  }

  /** Compressed data larger than the limit cannot decompress to less, so it is refused before reading. */
  refuseOver(n: number): void {
    if (n > this.max) {
      throw inputError(
        'FILE_TOO_LARGE',
        `${this.file} holds more than ${formatBytes(this.max)} of data${this.compressed ? ' once decompressed' : ''}, the import limit for one file; if the file is right, raise the limit with ${MAX_BYTES_ENV}; nothing was imported`,
        { file: this.file, limit: this.max },
      );
    }
  }
}

/** Collects one document's bytes as they arrive, checking what it is, its size and its line lengths on the way. */
class DocumentSink {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private sniffed = false;
  private line = 1;
  private lineBytes = 0;

  constructor(
    readonly name: string,
    private readonly budget: ByteBudget,
    private readonly limits: ImportLimits,
    private readonly expect: string,
    private readonly container: 'gzip' | 'zip' | null,
  ) {}

  write(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.budget.take(bytes.length);
    this.chunks.push(bytes);
    this.size += bytes.length;
    if (!this.sniffed && this.size >= SNIFF_BYTES) this.sniff();
    this.checkLines(bytes);
  }

  /** The document's text, or null when it holds nothing but whitespace. */
  text(): string | null {
    this.sniff();
    const text = decode(concat(this.chunks, this.size));
    return text.trim() === '' ? null : text;
  }

  private sniff(): void {
    if (this.sniffed) return;
    const head = concat(this.chunks, this.size).subarray(0, SNIFF_BYTES);
    refuseUnlessText(this.name, sniffContent(head), this.expect, this.container);
    this.sniffed = true;
  }

  private checkLines(bytes: Uint8Array): void {
    let pos = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, pos);
      this.lineBytes += (nl === -1 ? bytes.length : nl) - pos;
      if (this.lineBytes > this.limits.maxLineBytes) {
        this.sniff(); // a file that is not text at all says so rather than "line too long"
        throw inputError(
          'LINE_TOO_LONG',
          `${this.name} line ${this.line} is longer than ${formatBytes(this.limits.maxLineBytes)}, the limit for one line (real game logs and odds files have lines under 2 KB): this is not ${this.expect}, or it is damaged; if it is right, raise the limit with ${MAX_LINE_BYTES_ENV}; nothing was imported`,
          { file: this.name, line: this.line, limit: this.limits.maxLineBytes },
        );
      }
      if (nl === -1) return;
      this.line++;
      this.lineBytes = 0;
      pos = nl + 1;
    }
  }
}

/** Reads the file in fresh buffers (decompressors may keep a reference to what they were given). */
async function readChunk(fh: FileHandle, size: number): Promise<Uint8Array> {
  const buf = new Uint8Array(size);
  const { bytesRead } = await fh.read(buf, 0, size, null);
  return buf.subarray(0, bytesRead);
}

/** Pushes the rest of the file through `push`, the first chunk already read; the last push is final. */
async function pump(
  fh: FileHandle,
  first: Uint8Array,
  readBytes: number,
  push: (chunk: Uint8Array, final: boolean) => void,
): Promise<void> {
  let chunk = first;
  while (chunk.length) {
    push(chunk, false);
    chunk = await readChunk(fh, readBytes);
  }
  push(new Uint8Array(0), true);
}

/** fflate reads stored and deflated zip members; others (bzip2, LZMA, deflate64) are refused saying how to re-zip. */
function unsupportedMethod(doc: string, err: Error): BullpenError | undefined {
  const method = /unknown compression type (\d+)/.exec(err.message)?.[1];
  if (method === undefined) return undefined;
  return inputError(
    'UNSUPPORTED_ARCHIVE',
    `${doc} is compressed with zip method ${method}, which Bullpen does not read; re-zip it with standard (deflate) compression, or import the file itself; nothing was imported`,
    {
      file: doc,
      method: Number(method),
    },
  );
}

const EMPTY_MESSAGE = 'holds no data (it is empty or only blank lines)';

/**
 * Reads a plain, .gz or .zip file (recognised by content, not name) into text documents, naming the
 * file in every error. Decompression streams and stops at the first limit crossed (size per file,
 * length per line), so an archive built to expand without end costs a few megabytes, not the machine.
 * Wide encodings, binary files and archives inside archives are refused by what they are, not quoted.
 */
export async function readTextDocuments(path: string, options: ReadOptions = {}): Promise<TextDocument[]> {
  const limits = importLimits(options.limits);
  const expect = options.expect ?? 'a file in one of the formats of FORMATS.md';
  const name = basename(path);
  let fh: FileHandle;
  let fileSize: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    fileSize = st.size;
    fh = await open(path, 'r');
  } catch (err) {
    throw inputError('FILE_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`, { file: path });
  }
  try {
    if (fileSize === 0) throw inputError('FILE_EMPTY', `${name} ${EMPTY_MESSAGE}; nothing was imported`, { file: name });
    const first = await readChunk(fh, COMPRESSED_READ_BYTES);
    const outer = sniffContent(first);
    const container = outer.kind === 'archive' && (outer.format === 'gzip' || outer.format === 'zip') ? outer.format : null;
    const budget = new ByteBudget(name, limits.maxBytes, container !== null);
    budget.refuseOver(fileSize);
    const sinks: DocumentSink[] = [];
    try {
      if (container === 'gzip') {
        const sink = new DocumentSink(name, budget, limits, expect, 'gzip');
        sinks.push(sink);
        const gunzip = new Gunzip((data) => sink.write(data));
        await pump(fh, first, COMPRESSED_READ_BYTES, (c, final) => gunzip.push(c, final));
      } else if (container === 'zip') {
        let members = 0;
        const unzip = new Unzip((file) => {
          if (file.name.endsWith('/') || file.name.startsWith('__MACOSX')) return;
          if (++members > MAX_ZIP_MEMBERS)
            throw inputError(
              'ZIP_TOO_MANY_MEMBERS',
              `${name} holds more than ${MAX_ZIP_MEMBERS} files; import the game log or CSV on its own; nothing was imported`,
              { file: name },
            );
          const doc = `${name}:${preview(file.name, MEMBER_NAME_CHARS)}`;
          if (ARCHIVE_NAME.test(file.name)) {
            throw inputError(
              'NESTED_ARCHIVE',
              `${doc} is an archive inside a zip archive; Bullpen reads one level of compression: unpack ${name} and import the file inside; nothing was imported`,
              {
                file: doc,
                outer: 'zip',
              },
            );
          }
          const sink = new DocumentSink(doc, budget, limits, expect, 'zip');
          sinks.push(sink);
          file.ondata = (err, data) => {
            if (err) throw unsupportedMethod(doc, err) ?? err;
            sink.write(data);
          };
          file.start();
        });
        unzip.register(UnzipInflate);
        await pump(fh, first, COMPRESSED_READ_BYTES, (c, final) => unzip.push(c, final));
      } else {
        const sink = new DocumentSink(name, budget, limits, expect, null);
        sinks.push(sink);
        await pump(fh, first, PLAIN_READ_BYTES, (c) => sink.write(c));
      }
    } catch (err) {
      if (err instanceof BullpenError) throw err;
      throw inputError('FILE_CORRUPT', `cannot decompress ${name}: ${(err as Error).message}; download it again; nothing was imported`, {
        file: name,
      });
    }
    const docs: TextDocument[] = [];
    for (const s of sinks) {
      const text = s.text();
      if (text !== null) docs.push({ name: s.name, text });
    }
    if (!docs.length) {
      const what = container === 'zip' ? 'holds no files with data' : EMPTY_MESSAGE;
      throw inputError('FILE_EMPTY', `${name} ${what}; nothing was imported`, { file: name });
    }
    return docs;
  } finally {
    await fh.close();
  }
}

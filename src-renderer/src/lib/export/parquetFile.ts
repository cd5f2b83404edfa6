/**
 * A minimal Parquet writer for the tables the UI offers as downloads (a few columns, at most tens of
 * thousands of rows): one row group, one uncompressed PLAIN data page per column, metadata in Thrift's
 * compact protocol. The browser cannot ask the server for a file it wrote (remote callers may write
 * into exports/ but read only their uploads), so a download is built here from data the page already
 * has. Readers: DuckDB, pyarrow, pandas, polars (test/unit/parquetFile.test.ts reads it back with DuckDB).
 * Format: https://github.com/apache/parquet-format (parquet.thrift).
 */

export type ParquetColumn =
  | { name: string; type: 'string'; values: (string | null)[] }
  | { name: string; type: 'double'; values: (number | null)[] }
  | { name: string; type: 'int32'; values: (number | null)[] };

// parquet.thrift enums
const PHYSICAL = { int32: 1, double: 5, string: 6 } as const;
const REPETITION_REQUIRED = 0;
const REPETITION_OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const CODEC_UNCOMPRESSED = 0;
const PAGE_DATA = 0;
const FORMAT_VERSION = 1;
const MAGIC = new TextEncoder().encode('PAR1');

// Thrift compact protocol field types
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

/** Growable little-endian byte buffer. */
class Bytes {
  #buf = new Uint8Array(1024);
  #view = new DataView(this.#buf.buffer);
  length = 0;

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }

  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i32(v: number): void {
    this.#room(4);
    this.#view.setInt32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.#room(8);
    this.#view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128, for values below 2^53. */
  varint(v: number): void {
    let n = v;
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  done(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.length);
  }
}

/** Thrift compact protocol: just the field kinds Parquet's metadata needs. */
class Compact {
  readonly out = new Bytes();
  #last: number[] = [0];

  #field(id: number, type: number): void {
    const delta = id - this.#last[this.#last.length - 1];
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.#zigzag(id);
    }
    this.#last[this.#last.length - 1] = id;
  }

  #zigzag(v: number): void {
    this.out.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  i32(id: number, v: number): this {
    this.#field(id, T_I32);
    this.#zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.#field(id, T_I64);
    this.#zigzag(v);
    return this;
  }

  string(id: number, v: string): this {
    this.#field(id, T_BINARY);
    const b = new TextEncoder().encode(v);
    this.out.varint(b.length);
    this.out.bytes(b);
    return this;
  }

  struct(id: number, body: (c: this) => void): this {
    this.#field(id, T_STRUCT);
    this.#nested(body);
    return this;
  }

  #nested(body: (c: this) => void): void {
    this.#last.push(0);
    body(this);
    this.out.byte(0); // stop
    this.#last.pop();
  }

  #listHeader(id: number, size: number, elementType: number): void {
    this.#field(id, T_LIST);
    if (size < 15) this.out.byte((size << 4) | elementType);
    else {
      this.out.byte(0xf0 | elementType);
      this.out.varint(size);
    }
  }

  i32List(id: number, values: number[]): this {
    this.#listHeader(id, values.length, T_I32);
    for (const v of values) this.#zigzag(v);
    return this;
  }

  stringList(id: number, values: string[]): this {
    this.#listHeader(id, values.length, T_BINARY);
    for (const v of values) {
      const b = new TextEncoder().encode(v);
      this.out.varint(b.length);
      this.out.bytes(b);
    }
    return this;
  }

  structList<T>(id: number, items: T[], body: (c: this, item: T) => void): this {
    this.#listHeader(id, items.length, T_STRUCT);
    for (const item of items) this.#nested((c) => body(c, item));
    return this;
  }

  /** A top-level struct (no field header), e.g. a PageHeader or the FileMetaData. */
  static message(body: (c: Compact) => void): Uint8Array<ArrayBuffer> {
    const c = new Compact();
    body(c);
    c.out.byte(0);
    return c.out.done();
  }
}

const isOptional = (col: ParquetColumn): boolean => col.values.some((v) => v === null);

/** Definition levels (1 present, 0 null) in the RLE/bit-packing hybrid, as runs, after their 4-byte length. */
function definitionLevels(values: unknown[], out: Bytes): void {
  const runs = new Bytes();
  let i = 0;
  while (i < values.length) {
    const present = values[i] !== null;
    let j = i + 1;
    while (j < values.length && (values[j] !== null) === present) j++;
    runs.varint((j - i) * 2); // RLE run header: count << 1, low bit 0
    runs.byte(present ? 1 : 0); // bit width 1: one byte per value
    i = j;
  }
  out.u32(runs.length);
  out.bytes(runs.done());
}

/** The page body: definition levels for an optional column, then the non-null values PLAIN-encoded. */
function pageBody(col: ParquetColumn, optional: boolean): Uint8Array {
  const out = new Bytes();
  if (optional) definitionLevels(col.values, out);
  const encoder = new TextEncoder();
  for (const v of col.values) {
    if (v === null) continue;
    if (col.type === 'string') {
      const b = encoder.encode(String(v));
      out.u32(b.length);
      out.bytes(b);
    } else if (col.type === 'double') out.f64(Number(v));
    else out.i32(Number(v));
  }
  return out.done();
}

/** Encodes equal-length columns as one Parquet file. A column with a null is written OPTIONAL, else REQUIRED. */
export function parquetFile(columns: ParquetColumn[]): Uint8Array<ArrayBuffer> {
  const rows = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== rows)) throw new Error('parquetFile: every column needs the same number of rows');
  const file = new Bytes();
  file.bytes(MAGIC);
  const chunks = columns.map((col) => {
    const optional = isOptional(col);
    const body = pageBody(col, optional);
    const header = Compact.message((c) =>
      c
        .i32(1, PAGE_DATA)
        .i32(2, body.length)
        .i32(3, body.length)
        .struct(5, (d) => d.i32(1, rows).i32(2, ENCODING_PLAIN).i32(3, ENCODING_RLE).i32(4, ENCODING_RLE)),
    );
    const offset = file.length;
    file.bytes(header);
    file.bytes(body);
    return { col, optional, offset, size: header.length + body.length };
  });
  const meta = Compact.message((c) =>
    c
      .i32(1, FORMAT_VERSION)
      .structList(2, [null, ...chunks], (s, chunk) => {
        if (chunk === null) s.string(4, 'schema').i32(5, columns.length);
        else {
          s.i32(1, PHYSICAL[chunk.col.type])
            .i32(3, chunk.optional ? REPETITION_OPTIONAL : REPETITION_REQUIRED)
            .string(4, chunk.col.name);
          if (chunk.col.type === 'string') s.i32(6, CONVERTED_UTF8);
        }
      })
      .i64(3, rows)
      .structList(4, [chunks], (g, all) =>
        g
          .structList(1, all, (cc, chunk) =>
            cc
              .i64(2, chunk.offset)
              .struct(3, (m) =>
                m
                  .i32(1, PHYSICAL[chunk.col.type])
                  .i32List(2, [ENCODING_PLAIN, ENCODING_RLE])
                  .stringList(3, [chunk.col.name])
                  .i32(4, CODEC_UNCOMPRESSED)
                  .i64(5, rows)
                  .i64(6, chunk.size)
                  .i64(7, chunk.size)
                  .i64(9, chunk.offset),
              ),
          )
          .i64(
            2,
            all.reduce((n, chunk) => n + chunk.size, 0),
          )
          .i64(3, rows),
      )
      .string(6, 'bullpen'),
  );
  file.bytes(meta);
  file.u32(meta.length);
  file.bytes(MAGIC);
  return file.done();
}

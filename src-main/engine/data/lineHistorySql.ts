import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../workspace/sql';
import { UNMATCHED_EXAMPLES, type UnmatchedReport } from './gameMatcher';
import { stageRows } from './stagingTable';
import type { TextDocument } from './readInputFile';

/**
 * The fast path of the Pinnacle line-history import (650k odds rows for 2016): DuckDB parses the file
 * (read_csv), and matching, unpivoting and open/close flags run as set-based SQL inside the importer's
 * transaction, instead of building and appending 650k JS objects. It gives the same rows as the
 * row-by-row path (pinnacleImporter.ts keeps that path as the reference and for any file this one
 * cannot vouch for): it only runs on plain CSV (no quotes, no blank lines, every line with the header's
 * field count, so line N of the file is row N-1 of the table), and any value the row-by-row path
 * might reject sends the whole import back to that path, which then reports file, line, field and value.
 */

/** Thrown inside the transaction (which rolls back) when the file needs the row-by-row path. */
export class NeedsRowByRow extends Error {
  constructor(reason: string) {
    super(`line history needs the row-by-row import: ${reason}`);
  }
}

/** True when every line is a plain record with `header`'s field count and the header holds `required`. */
export function isPlainCsv(text: string, required: string[]): boolean {
  const firstBreak = text.indexOf('\n');
  if (firstBreak <= 0 || text.includes('"')) return false;
  const header = text
    .slice(0, firstBreak)
    .replace(/\r$/, '')
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => h.trim());
  if (required.some((r) => !header.includes(r)) || new Set(header).size !== header.length) return false;
  const commas = header.length - 1;
  let count = 0;
  let lineLength = 0;
  for (let i = firstBreak + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (lineLength === 0 || count !== commas) return false;
      count = 0;
      lineLength = 0;
    } else if (c !== 13) {
      lineLength++;
      if (c === 44) count++;
    }
  }
  return lineLength === 0 || count === commas;
}

export interface LineCandidate {
  sourceId: string;
  gameId: string;
  openAt: string | null;
  start: string;
}

const ISO_UTC = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`;
const NUMBER = String.raw`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`;
const NUMERIC = ['spread_away', 'total'];
const PRICES = ['spread_us_away', 'spread_us_home', 'ml_away', 'ml_home', 'total_over', 'total_under'];
/** Shared-id lines need the one game open when the line was posted; see pinnacleImporter.ts. */
const SHARED_REASON =
  'game id shared by several games (the source ids carry the UTC date) and the line was posted while more than one, or none, of them was open';
const NOT_MATCHED_REASON = 'game id not matched in the per-game file';

const field = (c: string) => `nullif(trim("${c}"), '')`;
const isEmpty = (c: string) => `(${field(c)} IS NULL OR upper(${field(c)}) = 'NA')`;
const num = (c: string) => `CASE WHEN ${isEmpty(c)} THEN NULL ELSE CAST(${field(c)} AS DOUBLE) END`;
/** American to decimal odds, the same double arithmetic as oddsMath.americanToDecimal. */
const price = (c: string) =>
  `CASE WHEN ${isEmpty(c)} THEN NULL WHEN ${num(c)} > 0 THEN 1 + ${num(c)} / 100 ELSE 1 + 100 / -(${num(c)}) END`;

/**
 * Loads the line-history documents into `temp.<table>` (the odds columns, typed), matched to their
 * games through `candidates`, flagged open/close against each game's start, and reports unmatched
 * lines into `unmatched`. Returns how many lines were read and which games the history covers.
 */
export async function stageLineHistory(
  sql: Sql,
  table: string,
  docs: TextDocument[],
  candidates: LineCandidate[],
  starts: Map<string, string>,
  unmatched: UnmatchedReport,
  meta: { book: string; source: string; importId: string },
): Promise<{ rowsRead: number }> {
  await stageRows(
    sql,
    'line_cands',
    [
      { name: 'source_id', type: 'VARCHAR' },
      { name: 'game_id', type: 'VARCHAR' },
      { name: 'open_at', type: 'VARCHAR' },
      { name: 'start_at', type: 'VARCHAR' },
    ],
    candidates.map((c) => [c.sourceId, c.gameId, c.openAt, c.start]),
  );
  await stageRows(
    sql,
    'line_starts',
    [
      { name: 'game_id', type: 'VARCHAR' },
      { name: 'start_at', type: 'VARCHAR' },
    ],
    [...starts.entries()],
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE lines (doc INTEGER, line INTEGER, source_id VARCHAR, posted_at TIMESTAMPTZ, spread_away DOUBLE, spread_us_away DOUBLE, spread_us_home DOUBLE, ml_away DOUBLE, ml_home DOUBLE, total DOUBLE, total_over DOUBLE, total_under DOUBLE)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'bullpen-lines-'));
  let rowsRead = 0;
  try {
    for (const [i, doc] of docs.entries()) {
      // The decoded text, so DuckDB reads exactly what the row-by-row path would (zip members, Latin-1).
      const path = join(dir, `lines-${i}.csv`);
      writeFileSync(path, doc.text.replace(/^\uFEFF/, ''));
      try {
        await sql.run(
          `CREATE OR REPLACE TEMP TABLE lines_raw AS SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ',', quote = '', escape = '', auto_detect = true)`,
          [path],
        );
      } catch (err) {
        throw new NeedsRowByRow(`DuckDB could not read ${doc.name}: ${(err as Error).message}`);
      }
      const invalid = Number(
        await sql.value(`SELECT count(*) FROM temp.lines_raw WHERE
          NOT (${field('entered_utc')} IS NULL OR regexp_full_match(${field('entered_utc')}, '${ISO_UTC}'))
          OR ${[...NUMERIC, ...PRICES].map((c) => `NOT (${isEmpty(c)} OR regexp_full_match(${field(c)}, '${NUMBER}'))`).join(' OR ')}
          OR ${PRICES.map((c) => `(NOT ${isEmpty(c)} AND regexp_full_match(${field(c)}, '${NUMBER}') AND abs(CAST(${field(c)} AS DOUBLE)) < 100)`).join(' OR ')}`),
      );
      if (invalid > 0) throw new NeedsRowByRow(`${invalid} rows of ${doc.name} hold values to check one by one`);
      // A fresh table numbers its rows in insertion order, which read_csv keeps (preserve_insertion_order is
      // on by default); rowids of transaction-local rows start at an offset, hence the min. The header is line 1.
      await sql.run(`INSERT INTO temp.lines SELECT ${i}, CAST(rowid - (SELECT min(rowid) FROM temp.lines_raw) + 2 AS INTEGER), coalesce(trim(game_id), ''), CAST(${field('entered_utc')} AS TIMESTAMPTZ),
        ${num('spread_away')}, ${price('spread_us_away')}, ${price('spread_us_home')}, ${price('ml_away')}, ${price('ml_home')}, ${num('total')}, ${price('total_over')}, ${price('total_under')}
        FROM temp.lines_raw`);
      rowsRead += Number(await sql.value(`SELECT count(*) FROM temp.lines_raw`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await sql.run(`DROP TABLE IF EXISTS temp.lines_raw`);

  // A line belongs to its id's only game, or, when the id is shared, to the one game open and not yet
  // started when the line was posted (the same rule as the row-by-row path).
  await sql.run(`CREATE OR REPLACE TEMP TABLE owned AS
    WITH counts AS (SELECT source_id, count(*) AS n, any_value(game_id) AS only_game FROM temp.line_cands GROUP BY source_id),
    live AS (
      SELECT l.doc, l.line, count(*) AS n_live, any_value(k.game_id) AS game_id
      FROM temp.lines l JOIN temp.line_cands k ON k.source_id = l.source_id
      WHERE l.posted_at IS NOT NULL AND k.open_at IS NOT NULL AND CAST(k.open_at AS TIMESTAMPTZ) <= l.posted_at AND l.posted_at < CAST(k.start_at AS TIMESTAMPTZ)
      GROUP BY l.doc, l.line)
    SELECT l.*, coalesce(c.n, 0) AS n_cand,
      CASE WHEN c.n = 1 THEN c.only_game WHEN c.n > 1 AND live.n_live = 1 THEN live.game_id END AS game_id
    FROM temp.lines l LEFT JOIN counts c USING (source_id) LEFT JOIN live USING (doc, line)`);

  const reasons = await sql.all<{ shared: boolean; n: number }>(
    `SELECT n_cand > 0 AS shared, count(*) AS n, min(doc * 1e9 + line) AS first FROM temp.owned WHERE game_id IS NULL GROUP BY ALL ORDER BY first`,
  );
  const firstRows = await sql.all<{ doc: number; line: number; shared: boolean }>(
    `SELECT doc, line, n_cand > 0 AS shared FROM temp.owned WHERE game_id IS NULL ORDER BY doc, line LIMIT ${UNMATCHED_EXAMPLES}`,
  );
  const reasonOf = (shared: boolean) => (shared ? SHARED_REASON : NOT_MATCHED_REASON);
  unmatched.addCounted(
    reasons.map((r) => ({ reason: reasonOf(r.shared), count: Number(r.n) })),
    firstRows.map((e) => ({ file: docs[e.doc].name, line: e.line, reason: reasonOf(e.shared) })),
  );

  // One row per posted market, then the first and last pregame row of each game and market are the
  // opening and closing prices (ties in time keep file order, like the stable sort of flagOpenClose).
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
    WITH hist AS (
      SELECT game_id, 'moneyline' AS market, posted_at, ml_home AS home_price, ml_away AS away_price, NULL::DOUBLE AS over_price, NULL::DOUBLE AS under_price, NULL::DOUBLE AS line_value, doc, line
        FROM temp.owned WHERE game_id IS NOT NULL AND ml_home IS NOT NULL AND ml_away IS NOT NULL
      UNION ALL
      SELECT game_id, 'total', posted_at, NULL, NULL, total_over, total_under, total, doc, line
        FROM temp.owned WHERE game_id IS NOT NULL AND total IS NOT NULL AND total_over IS NOT NULL AND total_under IS NOT NULL
      UNION ALL
      SELECT game_id, 'runline', posted_at, spread_us_home, spread_us_away, NULL, NULL, -spread_away, doc, line
        FROM temp.owned WHERE game_id IS NOT NULL AND spread_away IS NOT NULL AND spread_us_home IS NOT NULL AND spread_us_away IS NOT NULL),
    marked AS (
      SELECT h.*, (h.posted_at IS NOT NULL AND s.start_at IS NOT NULL AND h.posted_at < CAST(s.start_at AS TIMESTAMPTZ)) OR (s.start_at IS NULL) AS pre
      FROM hist h LEFT JOIN temp.line_starts s USING (game_id))
    SELECT game_id, ? AS book, market, posted_at AS captured_at, home_price, away_price, over_price, under_price, line_value AS line,
      pre AND row_number() OVER (PARTITION BY game_id, market, pre ORDER BY posted_at ASC NULLS FIRST, doc, line) = 1 AS is_open,
      pre AND row_number() OVER (PARTITION BY game_id, market, pre ORDER BY posted_at DESC NULLS LAST, doc DESC, line DESC) = 1 AS is_close,
      false AS synthetic, ? AS source, ? AS import_id
    FROM marked`,
    [meta.book, meta.source, meta.importId],
  );
  await sql.run(`DROP TABLE temp.owned`);
  await sql.run(`DROP TABLE temp.lines`);
  await sql.run(`DROP TABLE temp.line_cands`);
  await sql.run(`DROP TABLE temp.line_starts`);
  return { rowsRead };
}

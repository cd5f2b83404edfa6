import { extname } from 'node:path';
import { inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { readHeadedCsv, type CsvRecord } from './csvRecords';
import { gameColumns } from './gameColumns';
import { emptyGameRow, gameColumnIndex, makeGameId, upsertGames, type GameRow } from './gameWriter';
import { logImport, newImportId } from './importLog';
import { futureResultError, latestPlayedDate } from './futureResults';
import type { ImportResult } from './retrosheetImporter';
import type { GameOrigin } from './resultChanges';
import { readTextDocuments } from './readInputFile';
import { parseCalendarDate, rowError } from './rowError';
import { TeamResolver } from './teamResolver';

/** The documented games schema (FORMATS.md): these are required, any other games column is optional. */
export const GAMES_REQUIRED = ['date', 'home', 'away'];
const DERIVED = new Set(['game_id', 'season', 'synthetic', 'source', 'import_id']);
const DEFAULT_GAME_TYPE = 'regular';
const GAMES_FORMAT = 'games CSV';
const GAMES_EXPECTED = 'a games CSV (FORMATS.md), or a Parquet file named .parquet';

/** A uniform view of a CSV record or a Parquet row, so both formats share one validator. */
interface SourceRow {
  line: number;
  get(field: string): string;
}

async function readParquetRows(ws: Workspace, file: string): Promise<{ header: string[]; rows: SourceRow[] }> {
  let rows: Record<string, unknown>[];
  try {
    rows = await ws.all(`SELECT * FROM read_parquet(?)`, [file]);
  } catch (err) {
    throw inputError('FILE_UNREADABLE', `cannot read ${file} as Parquet: ${(err as Error).message}`, { file });
  }
  if (!rows.length) throw inputError('FILE_EMPTY', `${file} holds no rows; nothing was imported`, { file });
  const header = Object.keys(rows[0]);
  const str = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));
  return { header, rows: rows.map((r, i) => ({ line: i + 1, get: (f: string) => str(r[f]) })) };
}

/**
 * Imports games from CSV or Parquet files of the documented schema in one transaction. Rows without
 * scores become scheduled games (a day's slate); importing them again with scores fills the results.
 * A row that would undo a final result is refused unless `replaceResults` is set (then reported).
 */
export async function importGames(ws: Workspace, files: string[], options: { replaceResults?: boolean } = {}): Promise<ImportResult> {
  if (!files.length) throw inputError('NO_FILES', 'no games files given');
  const startedAt = new Date();
  const today = latestPlayedDate(startedAt);
  const origins = new Map<string, GameOrigin>();
  const teams = await TeamResolver.load(ws);
  const out: GameRow[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const isParquet = extname(file).toLowerCase() === '.parquet';
    const sources: { name: string; header: string[]; rows: SourceRow[] }[] = isParquet
      ? [{ name: file, ...(await readParquetRows(ws, file)) }]
      : (await readTextDocuments(file, { expect: GAMES_EXPECTED })).map((d) => {
          const csv = readHeadedCsv(d.name, d.text, GAMES_REQUIRED, GAMES_FORMAT);
          return { name: d.name, header: csv.header, rows: csv.records as CsvRecord[] };
        });
    for (const src of sources) {
      const missing = GAMES_REQUIRED.filter((c) => !src.header.includes(c));
      if (missing.length)
        throw inputError('MISSING_COLUMNS', `${src.name}: missing column(s) ${missing.join(', ')}`, { file: src.name, missing });
      const columns = gameColumns.filter((c) => src.header.includes(c.name) && !DERIVED.has(c.name));
      for (const rec of src.rows) {
        const row = emptyGameRow();
        for (const c of columns) {
          const raw = rec.get(c.name);
          if (raw === '') continue;
          if (c.type === 'DATE') {
            const iso = parseCalendarDate(raw.slice(0, 10));
            if (!iso) throw rowError('INVALID_DATE', src.name, rec.line, c.name, raw, 'expected a real date as yyyy-mm-dd');
            row[gameColumnIndex[c.name]] = iso;
          } else if (c.type === 'INTEGER' || c.type === 'DOUBLE') {
            const n = Number(raw);
            if (!Number.isFinite(n) || (c.type === 'INTEGER' && !Number.isInteger(n)))
              throw rowError(
                'INVALID_NUMBER',
                src.name,
                rec.line,
                c.name,
                raw,
                `expected ${c.type === 'INTEGER' ? 'a whole number' : 'a number'}`,
              );
            if (n < 0 && c.name.endsWith('_score'))
              throw rowError('INVALID_NUMBER', src.name, rec.line, c.name, raw, 'expected a number >= 0');
            row[gameColumnIndex[c.name]] = n;
          } else if (c.type === 'TIMESTAMPTZ') {
            if (Number.isNaN(Date.parse(raw)))
              throw rowError('INVALID_TIMESTAMP', src.name, rec.line, c.name, raw, 'expected an ISO timestamp');
            row[gameColumnIndex[c.name]] = new Date(Date.parse(raw)).toISOString();
          } else if (c.type === 'BOOLEAN') {
            row[gameColumnIndex[c.name]] = raw === 'true' || raw === '1';
          } else {
            row[gameColumnIndex[c.name]] = raw;
          }
        }
        const date = row[gameColumnIndex.date] as string | null;
        if (!date) throw rowError('INVALID_DATE', src.name, rec.line, 'date', '', 'expected a real date as yyyy-mm-dd');
        const season = Number(date.slice(0, 4));
        for (const side of ['home', 'away'] as const) {
          const name = rec.get(side);
          const code = teams.isCode(name) ? name : teams.resolve(name, season);
          if (!code)
            throw rowError('UNKNOWN_TEAM', src.name, rec.line, side, name, 'not a team code, name or abbreviation in the teams table');
          row[gameColumnIndex[side]] = code;
        }
        const hs = row[gameColumnIndex.home_score];
        const as = row[gameColumnIndex.away_score];
        if ((hs === null) !== (as === null))
          throw rowError(
            'INVALID_NUMBER',
            src.name,
            rec.line,
            hs === null ? 'home_score' : 'away_score',
            '',
            'give both scores or neither (a scheduled game)',
          );
        const gn = (row[gameColumnIndex.game_number] as number | null) ?? 0;
        row[gameColumnIndex.game_number] = gn;
        row[gameColumnIndex.season] = season;
        row[gameColumnIndex.game_type] ??= DEFAULT_GAME_TYPE;
        row[gameColumnIndex.status] ??= hs === null ? 'scheduled' : 'final';
        row[gameColumnIndex.synthetic] = false;
        row[gameColumnIndex.source] = src.name;
        const id = makeGameId(row[gameColumnIndex.home] as string, date, gn);
        if (seen.has(id))
          throw inputError('DUPLICATE_GAME', `${src.name} line ${rec.line}: game ${id} appears twice; nothing was imported`, {
            file: src.name,
            line: rec.line,
            gameId: id,
          });
        seen.add(id);
        if ((hs !== null || row[gameColumnIndex.status] === 'final') && date > today)
          throw futureResultError(src.name, rec.line, id, date, today);
        origins.set(id, { file: src.name, line: rec.line });
        row[gameColumnIndex.game_id] = id;
        out.push(row);
      }
    }
  }
  const importId = newImportId();
  for (const r of out) r[gameColumnIndex.import_id] = importId;
  const res = await ws.transaction(async (sql) => {
    const r = await upsertGames(sql, out, { replaceResults: options.replaceResults, origin: (id) => origins.get(id) });
    await logImport(sql, importId, {
      kind: 'games',
      files,
      startedAt,
      rowsRead: out.length,
      inserted: r.inserted,
      updated: r.updated,
      unmatched: 0,
      details: { changedResults: r.changedResults },
    });
    return r;
  });
  const seasons = [...new Set(out.map((r) => r[gameColumnIndex.season] as number))].sort();
  return {
    importId,
    files,
    rowsRead: out.length,
    inserted: res.inserted,
    updated: res.updated,
    seasons,
    changedResults: res.changedResults,
  };
}

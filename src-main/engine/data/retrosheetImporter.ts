import { parse } from 'csv-parse/sync';
import { inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { gameColumns } from './gameColumns';
import { emptyGameRow, gameColumnIndex, makeGameId, upsertGames, type GameRow } from './gameWriter';
import { logImport, newImportId } from './importLog';
import { futureResultError, latestPlayedDate } from './futureResults';
import { readTextDocuments } from './readInputFile';
import type { GameOrigin, ResultChange } from './resultChanges';
import { parseCalendarDate, rowError } from './rowError';
import { TeamResolver } from './teamResolver';
import { preview } from './textPreview';

/** Retrosheet game logs have exactly this many fields per line (retrosheet.org gamelogs/glfields.txt). */
export const RETROSHEET_FIELDS = 161;
const MAX_GAME_NUMBER = 3;
const RETROSHEET_EXPECTED = 'a Retrosheet game log (GLyyyy.TXT, .gz or .zip)';
const CSV_MESSAGE_CHARS = 160;

export interface ImportResult {
  importId: string;
  files: string[];
  rowsRead: number;
  inserted: number;
  updated: number;
  seasons: number[];
  /** Final results this import replaced (only with replaceResults; otherwise such an import is refused). */
  changedResults: ResultChange[];
}

const retroColumns = gameColumns.filter((c) => c.retro !== undefined);

/** A file is taken for a game log only when its first line has the 161 fields; otherwise it is described, never quoted. */
function refuseUnlessGameLog(docName: string, text: string): void {
  const firstBreak = text.indexOf('\n');
  let fields: number | null;
  try {
    fields = ((parse(firstBreak === -1 ? text : text.slice(0, firstBreak), { relax_column_count: true }) as string[][])[0] ?? []).length;
  } catch {
    fields = null;
  }
  if (fields === RETROSHEET_FIELDS) return;
  const found = fields === null ? 'line 1 is not comma-separated values' : `line 1 has ${fields}`;
  throw inputError(
    'WRONG_FORMAT',
    `${docName} is not a Retrosheet game log (expected ${RETROSHEET_FIELDS} comma-separated fields; ${found}); nothing was imported`,
    {
      file: docName,
      line: 1,
      expected: 'Retrosheet game log',
      fields,
    },
  );
}

/** Parses one game-log document into games rows, validating every field the engine relies on. */
function parseGameLog(
  docName: string,
  text: string,
  teams: TeamResolver,
  source: string,
  today: string,
  origins: Map<string, GameOrigin>,
): GameRow[] {
  refuseUnlessGameLog(docName, text.trimStart());
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw inputError(
      'CSV_MALFORMED',
      `${docName} line ${e.lines ?? '?'}: not valid CSV (${preview(e.message, CSV_MESSAGE_CHARS)}); nothing was imported`,
      { file: docName, line: e.lines ?? null },
    );
  }
  const out: GameRow[] = [];
  for (const { record: f, info } of records) {
    const line = info.lines;
    if (f.length !== RETROSHEET_FIELDS) {
      throw inputError(
        'FIELD_COUNT',
        `${docName} line ${line}: expected ${RETROSHEET_FIELDS} fields (Retrosheet game log), found ${f.length}; nothing was imported`,
        { file: docName, line, field: null, value: f.length },
      );
    }
    const row = emptyGameRow();
    for (const c of retroColumns) {
      const raw = f[(c.retro as number) - 1].trim();
      const fieldName = `${c.retro} (${c.name})`;
      if (c.type === 'DATE') {
        const iso = parseCalendarDate(raw);
        if (!iso || raw.length !== 8) throw rowError('INVALID_DATE', docName, line, fieldName, raw, 'expected a real date as yyyymmdd');
        row[gameColumnIndex[c.name]] = iso;
      } else if (c.type === 'INTEGER') {
        if (raw === '') {
          if (c.name === 'away_score' || c.name === 'home_score' || c.name === 'game_number') {
            throw rowError('INVALID_NUMBER', docName, line, fieldName, raw, 'expected a whole number');
          }
          row[gameColumnIndex[c.name]] = null;
          continue;
        }
        if (!/^-?\d+$/.test(raw)) throw rowError('INVALID_NUMBER', docName, line, fieldName, raw, 'expected a whole number');
        const n = Number(raw);
        if (n < 0 && (c.name.endsWith('_score') || c.name === 'game_number')) {
          throw rowError('INVALID_NUMBER', docName, line, fieldName, raw, 'expected a number >= 0');
        }
        // Retrosheet writes -1 for an unknown count; NULL says that honestly.
        row[gameColumnIndex[c.name]] = n < 0 ? null : n;
      } else {
        row[gameColumnIndex[c.name]] = raw === '' || raw === '(none)' ? null : raw;
      }
    }
    const gameNumber = row[gameColumnIndex.game_number] as number;
    if (gameNumber > MAX_GAME_NUMBER)
      throw rowError('INVALID_NUMBER', docName, line, '2 (game_number)', String(gameNumber), 'expected 0, 1, 2 or 3');
    for (const [field, col] of [
      ['4', 'away'],
      ['7', 'home'],
    ] as const) {
      const code = row[gameColumnIndex[col]] as string | null;
      if (!code || !teams.isCode(code)) {
        throw rowError('UNKNOWN_TEAM', docName, line, `${field} (${col})`, code ?? '', 'not a Retrosheet team code in the teams table');
      }
    }
    const date = row[gameColumnIndex.date] as string;
    const gameId = makeGameId(row[gameColumnIndex.home] as string, date, gameNumber);
    if (date > today) throw futureResultError(docName, line, gameId, date, today);
    origins.set(gameId, { file: docName, line });
    row[gameColumnIndex.game_id] = gameId;
    row[gameColumnIndex.season] = Number(date.slice(0, 4));
    row[gameColumnIndex.game_type] = 'regular';
    row[gameColumnIndex.status] = 'final';
    row[gameColumnIndex.synthetic] = false;
    row[gameColumnIndex.source] = source;
    out.push(row);
  }
  return out;
}

/**
 * Imports Retrosheet game logs (.TXT, .gz, .zip) in one transaction: every file is parsed and validated
 * before anything is written, a bad row anywhere changes nothing, and re-importing updates in place.
 * A re-import that would change a final score is refused unless `replaceResults` is set (then reported).
 */
export async function importRetrosheet(ws: Workspace, files: string[], options: { replaceResults?: boolean } = {}): Promise<ImportResult> {
  if (!files.length) throw inputError('NO_FILES', 'no Retrosheet files given: pass one or more GLyyyy.TXT[.gz|.zip] paths');
  const startedAt = new Date();
  const today = latestPlayedDate(startedAt);
  const teams = await TeamResolver.load(ws);
  const rows: GameRow[] = [];
  const seenAt = new Map<string, string>();
  const origins = new Map<string, GameOrigin>();
  for (const file of files) {
    for (const doc of await readTextDocuments(file, { expect: RETROSHEET_EXPECTED })) {
      const parsed = parseGameLog(doc.name, doc.text, teams, doc.name, today, origins);
      for (const r of parsed) {
        const id = r[gameColumnIndex.game_id] as string;
        const prev = seenAt.get(id);
        if (prev)
          throw inputError('DUPLICATE_GAME', `${doc.name}: game ${id} appears twice (first in ${prev}); nothing was imported`, {
            file: doc.name,
            gameId: id,
          });
        seenAt.set(id, doc.name);
      }
      rows.push(...parsed);
    }
  }
  const importId = newImportId();
  const importRow = (r: GameRow) => {
    r[gameColumnIndex.import_id] = importId;
    return r;
  };
  const { inserted, updated, changedResults } = await ws.transaction(async (sql) => {
    const res = await upsertGames(sql, rows.map(importRow), { replaceResults: options.replaceResults, origin: (id) => origins.get(id) });
    await logImport(sql, importId, {
      kind: 'retrosheet',
      files,
      startedAt,
      rowsRead: rows.length,
      inserted: res.inserted,
      updated: res.updated,
      unmatched: 0,
      details: { changedResults: res.changedResults },
    });
    return res;
  });
  const seasons = [...new Set(rows.map((r) => r[gameColumnIndex.season] as number))].sort();
  return { importId, files, rowsRead: rows.length, inserted, updated, seasons, changedResults };
}

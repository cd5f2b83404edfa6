import { inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { numberField, readHeadedCsv, timestampField, type CsvRecord } from './csvRecords';
import { GameMatcher, UnmatchedReport, type MatchableGame } from './gameMatcher';
import { logImport, newImportId } from './importLog';
import { americanToDecimal } from './oddsMath';
import { flagOpenClose, ODDS_COLUMN_NAMES, replaceOdds, replaceOddsFromTemp, stageOdds, type OddsRow } from './oddsWriter';
import { isPlainCsv, NeedsRowByRow, stageLineHistory } from './lineHistorySql';
import { readTextDocuments, type TextDocument } from './readInputFile';
import { rowError } from './rowError';
import { TeamResolver } from './teamResolver';
import { preview } from './textPreview';

export const PINNACLE_BOOK = 'pinnacle';
const GAMES_COLUMNS = [
  'game_id',
  'start_utc',
  'away_team',
  'home_team',
  'doubleheader_game',
  'open_entered_utc',
  'open_ml_away',
  'open_ml_home',
  'close_entered_utc',
  'close_ml_away',
  'close_ml_home',
  'close_total',
  'close_total_over',
  'close_total_under',
  'close_spread_away',
  'close_spread_us_away',
  'close_spread_us_home',
];
const LINES_COLUMNS = [
  'game_id',
  'entered_utc',
  'spread_away',
  'spread_us_away',
  'spread_us_home',
  'ml_away',
  'ml_home',
  'total',
  'total_over',
  'total_under',
];
const PINNACLE_EXPECTED = "Pinnacle's per-game CSV (mlb2016_games.csv) or line history (mlb2016_lines.csv.gz)";
/**
 * The source's game ids carry the UTC date, so a 7 pm Eastern start is dated the next day. Shifting the
 * UTC start back 8 hours lands every North American start (11:00–23:59 local) on its local date.
 */
const LOCAL_DATE_SHIFT_MS = 8 * 3600_000;

export interface OddsImportResult {
  importId: string;
  files: string[];
  book: string;
  rowsRead: number;
  matchedGames: number;
  oddsRows: number;
  replaced: number;
  unmatched: ReturnType<UnmatchedReport['toJSON']>;
  /** Matched games whose final score in the file differs from the games table (a sign of a wrong match). */
  scoreMismatches: number;
}

const price = (file: string, rec: CsvRecord, field: string): number | null => {
  const v = numberField(file, rec, field);
  if (v === null) return null;
  const d = americanToDecimal(v);
  if (d === undefined) throw rowError('INVALID_ODDS', file, rec.line, field, rec.get(field), 'expected American odds (<= -100 or >= 100)');
  return d;
};

interface PinnacleGame {
  sourceId: string;
  start: string;
  openAt: string | null;
  game: MatchableGame;
}

export interface PinnacleImportOptions {
  /**
   * `auto` (default) stages plain line-history CSV through DuckDB (lineHistorySql.ts) and falls back to
   * the row-by-row path for anything it cannot vouch for; `rowByRow` forces the reference path (bench, tests).
   */
  lineHistory?: 'auto' | 'rowByRow';
}

/** True when something other than whitespace follows the header line. */
function hasDataLine(text: string): boolean {
  const nonBlank = /\S/g;
  nonBlank.lastIndex = text.indexOf('\n') + 1;
  return text.indexOf('\n') !== -1 && nonBlank.test(text);
}

const isLinesDoc = (d: TextDocument): boolean => {
  const firstLine = d.text.slice(0, d.text.indexOf('\n') >>> 0);
  return firstLine.includes('entered_utc') && !firstLine.includes('home_team');
};

/**
 * Imports Pinnacle's 2016-format files (the per-game file, and optionally the line-history file, which
 * is matched through the per-game file because its ids are ambiguous) in one transaction.
 */
export async function importPinnacle(ws: Workspace, files: string[], options: PinnacleImportOptions = {}): Promise<OddsImportResult> {
  const startedAt = new Date();
  const docs: TextDocument[] = [];
  for (const f of files) docs.push(...(await readTextDocuments(f, { expect: PINNACLE_EXPECTED })));
  const lines = docs.filter(isLinesDoc);
  if (options.lineHistory !== 'rowByRow' && lines.length && lines.every((d) => isPlainCsv(d.text, LINES_COLUMNS))) {
    try {
      return await importDocs(ws, files, docs, startedAt, 'sql');
    } catch (err) {
      if (!(err instanceof NeedsRowByRow)) throw err;
    }
  }
  return importDocs(ws, files, docs, startedAt, 'rowByRow');
}

async function importDocs(
  ws: Workspace,
  files: string[],
  docs: TextDocument[],
  startedAt: Date,
  lineHistory: 'sql' | 'rowByRow',
): Promise<OddsImportResult> {
  // The row-by-row path parses every file up front (so a malformed line history fails before any row
  // check); the SQL path leaves the line history to DuckDB, having checked it is plain CSV.
  const parsed = docs.map((d) => {
    const isLines = isLinesDoc(d);
    if (isLines && lineHistory === 'sql' && !hasDataLine(d.text))
      throw inputError('FILE_EMPTY', `${d.name} has a header but no rows; nothing was imported`, { file: d.name });
    return {
      doc: d,
      isLines,
      csv:
        isLines && lineHistory === 'sql'
          ? null
          : readHeadedCsv(
              d.name,
              d.text,
              isLines ? LINES_COLUMNS : GAMES_COLUMNS,
              isLines ? 'Pinnacle line-history file' : 'Pinnacle per-game file',
            ),
    };
  });
  const gameDocs = parsed.filter((p) => !p.isLines);
  const lineDocs = parsed.filter((p) => p.isLines);
  if (!gameDocs.length) {
    throw inputError(
      'LINES_NEED_GAMES',
      `the Pinnacle line-history file needs its per-game file in the same import (its game ids use UTC dates and a broken NA prefix): pass both, e.g. mlb2016_games.csv mlb2016_lines.csv.gz`,
      { files },
    );
  }
  const teams = await TeamResolver.load(ws);
  const matcher = await GameMatcher.load(ws);
  const unmatched = new UnmatchedReport();
  const bySourceId = new Map<string, PinnacleGame[]>();
  let odds: OddsRow[] = [];
  const starts = new Map<string, string>();
  let rowsRead = 0;
  let scoreMismatches = 0;

  for (const { doc, csv } of gameDocs) {
    for (const rec of csv?.records ?? []) {
      rowsRead++;
      const start = timestampField(doc.name, rec, 'start_utc');
      if (!start) throw rowError('INVALID_TIMESTAMP', doc.name, rec.line, 'start_utc', '', 'expected the scheduled start');
      const localDate = new Date(Date.parse(start) - LOCAL_DATE_SHIFT_MS).toISOString().slice(0, 10);
      const season = Number(localDate.slice(0, 4));
      const dh = numberField(doc.name, rec, 'doubleheader_game') ?? 0;
      const homeName = rec.get('home_team');
      const awayName = rec.get('away_team');
      const home = teams.resolve(homeName, season);
      const away = teams.resolve(awayName, season);
      const where = { file: doc.name, line: rec.line, date: localDate, home: preview(homeName), away: preview(awayName) };
      if (!home || !away) {
        unmatched.add({ ...where, reason: `unknown team name ${!home ? where.home : where.away}` });
        continue;
      }
      const found = matcher.find(localDate, home, dh);
      if (!found.game) {
        unmatched.add({ ...where, reason: found.reason ?? 'no game' });
        continue;
      }
      if (found.game.away !== away) {
        unmatched.add({ ...where, reason: `the game at ${home} that day was against ${found.game.away}, not ${away}` });
        continue;
      }
      const game = found.game;
      const hs = numberField(doc.name, rec, 'home_score');
      const as = numberField(doc.name, rec, 'away_score');
      if (hs !== null && as !== null && game.homeScore !== null && (hs !== game.homeScore || as !== game.awayScore)) scoreMismatches++;
      const sourceId = rec.get('game_id');
      const list = bySourceId.get(sourceId) ?? [];
      list.push({ sourceId, start, game, openAt: timestampField(doc.name, rec, 'open_entered_utc') });
      bySourceId.set(sourceId, list);
      starts.set(game.gameId, start);
      const base = { gameId: game.gameId, book: PINNACLE_BOOK, overPrice: null, underPrice: null };
      const openAt = timestampField(doc.name, rec, 'open_entered_utc');
      const closeAt = timestampField(doc.name, rec, 'close_entered_utc');
      const openMl = {
        ...base,
        market: 'moneyline' as const,
        capturedAt: openAt,
        homePrice: price(doc.name, rec, 'open_ml_home'),
        awayPrice: price(doc.name, rec, 'open_ml_away'),
        line: null,
        isOpen: true,
        isClose: false,
      };
      const closeMl = {
        ...base,
        market: 'moneyline' as const,
        capturedAt: closeAt,
        homePrice: price(doc.name, rec, 'close_ml_home'),
        awayPrice: price(doc.name, rec, 'close_ml_away'),
        line: null,
        isOpen: false,
        isClose: true,
      };
      if (openMl.homePrice !== null && openMl.awayPrice !== null) {
        if (openAt === closeAt && closeMl.homePrice === openMl.homePrice) openMl.isClose = true;
        odds.push(openMl);
      }
      if (closeMl.homePrice !== null && closeMl.awayPrice !== null && !openMl.isClose) odds.push(closeMl);
      const total = numberField(doc.name, rec, 'close_total');
      if (total !== null) {
        odds.push({
          gameId: game.gameId,
          book: PINNACLE_BOOK,
          market: 'total',
          capturedAt: closeAt,
          homePrice: null,
          awayPrice: null,
          overPrice: price(doc.name, rec, 'close_total_over'),
          underPrice: price(doc.name, rec, 'close_total_under'),
          line: total,
          isOpen: false,
          isClose: true,
        });
      }
      const spreadAway = numberField(doc.name, rec, 'close_spread_away');
      if (spreadAway !== null) {
        odds.push({
          ...base,
          market: 'runline',
          capturedAt: closeAt,
          homePrice: price(doc.name, rec, 'close_spread_us_home'),
          awayPrice: price(doc.name, rec, 'close_spread_us_away'),
          line: -spreadAway,
          isOpen: false,
          isClose: true,
        });
      }
    }
  }

  // The line history replaces the per-game summary rows for every game it covers.
  if (lineDocs.length && lineHistory === 'rowByRow') {
    const history: OddsRow[] = [];
    for (const { doc, csv } of lineDocs) {
      for (const rec of csv?.records ?? []) {
        rowsRead++;
        const sourceId = rec.get('game_id');
        const candidates = bySourceId.get(sourceId) ?? [];
        const where = { file: doc.name, line: rec.line };
        const at = timestampField(doc.name, rec, 'entered_utc');
        let owner = candidates.length === 1 ? candidates[0] : undefined;
        if (candidates.length > 1 && at) {
          // Ids repeat when a night game's UTC date equals the next day game's date: a line belongs to
          // the one game that was already open and not yet started when the line was posted.
          const live = candidates.filter(
            (c) => c.openAt !== null && Date.parse(c.openAt) <= Date.parse(at) && Date.parse(at) < Date.parse(c.start),
          );
          owner = live.length === 1 ? live[0] : undefined;
        }
        if (!owner) {
          unmatched.add({
            ...where,
            reason: candidates.length
              ? 'game id shared by several games (the source ids carry the UTC date) and the line was posted while more than one, or none, of them was open'
              : 'game id not matched in the per-game file',
          });
          continue;
        }
        const gameId = owner.game.gameId;
        const base = { gameId, book: PINNACLE_BOOK, capturedAt: at, isOpen: false, isClose: false };
        const mlHome = price(doc.name, rec, 'ml_home');
        const mlAway = price(doc.name, rec, 'ml_away');
        if (mlHome !== null && mlAway !== null)
          history.push({
            ...base,
            market: 'moneyline',
            homePrice: mlHome,
            awayPrice: mlAway,
            overPrice: null,
            underPrice: null,
            line: null,
          });
        const total = numberField(doc.name, rec, 'total');
        const over = price(doc.name, rec, 'total_over');
        const under = price(doc.name, rec, 'total_under');
        if (total !== null && over !== null && under !== null)
          history.push({ ...base, market: 'total', homePrice: null, awayPrice: null, overPrice: over, underPrice: under, line: total });
        const spreadAway = numberField(doc.name, rec, 'spread_away');
        const spHome = price(doc.name, rec, 'spread_us_home');
        const spAway = price(doc.name, rec, 'spread_us_away');
        if (spreadAway !== null && spHome !== null && spAway !== null)
          history.push({
            ...base,
            market: 'runline',
            homePrice: spHome,
            awayPrice: spAway,
            overPrice: null,
            underPrice: null,
            line: -spreadAway,
          });
      }
    }
    flagOpenClose(history, (id) => starts.get(id) ?? null);
    const covered = new Set(history.map((h) => h.gameId));
    odds = odds.filter((o) => !covered.has(o.gameId)).concat(history);
  }

  const importId = newImportId();
  const matchedGames = new Set([...bySourceId.values()].flat().map((g) => g.game.gameId)).size;
  const source = docs.map((d) => d.name).join(',');
  const { inserted, replaced } = await ws.transaction(async (sql) => {
    let res: { inserted: number; replaced: number };
    if (lineDocs.length && lineHistory === 'sql') {
      const candidates = [...bySourceId.values()]
        .flat()
        .map((c) => ({ sourceId: c.sourceId, gameId: c.game.gameId, openAt: c.openAt, start: c.start }));
      const read = await stageLineHistory(
        sql,
        'line_odds',
        lineDocs.map((l) => l.doc),
        candidates,
        starts,
        unmatched,
        { book: PINNACLE_BOOK, source, importId },
      );
      rowsRead += read.rowsRead;
      // Per-game summary rows stay only for games the line history does not cover.
      const summary = await stageOdds(sql, 'summary_odds', odds, { source, importId, synthetic: false });
      await sql.run(
        `INSERT INTO temp.line_odds SELECT ${summary} FROM temp.summary_odds WHERE game_id NOT IN (SELECT game_id FROM temp.line_odds)`,
      );
      await sql.run(`DROP TABLE temp.summary_odds`);
      res = await replaceOddsFromTemp(sql, 'line_odds', ODDS_COLUMN_NAMES.join(', '));
    } else {
      res = await replaceOdds(sql, odds, { source, importId, synthetic: false });
    }
    const stageStarts = [...starts.entries()];
    for (let i = 0; i < stageStarts.length; i += 500) {
      const chunk = stageStarts.slice(i, i + 500);
      await sql.run(
        `UPDATE games SET start_time = s.start::TIMESTAMPTZ FROM (VALUES ${chunk.map(() => '(?, ?)').join(',')}) AS s(id, start) WHERE games.game_id = s.id AND games.start_time IS NULL`,
        chunk.flat(),
      );
    }
    await logImport(sql, importId, {
      kind: 'odds:pinnacle',
      files,
      startedAt,
      rowsRead,
      inserted: res.inserted,
      updated: res.replaced,
      unmatched: unmatched.count,
      details: { matchedGames, unmatched: unmatched.toJSON(), scoreMismatches },
    });
    return res;
  });
  return {
    importId,
    files,
    book: PINNACLE_BOOK,
    rowsRead,
    matchedGames,
    oddsRows: inserted,
    replaced,
    unmatched: unmatched.toJSON(),
    scoreMismatches,
  };
}

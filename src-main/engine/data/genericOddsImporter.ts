import { inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { numberField, readHeadedCsv, timestampField, type CsvRecord } from './csvRecords';
import { GameMatcher, UnmatchedReport } from './gameMatcher';
import { logImport, newImportId } from './importLog';
import { americanToDecimal } from './oddsMath';
import { flagOpenClose, replaceOdds, type OddsRow } from './oddsWriter';
import type { OddsImportResult } from './pinnacleImporter';
import { readTextDocuments } from './readInputFile';
import { parseCalendarDate, rowError } from './rowError';
import { preview } from './textPreview';
import { TeamResolver } from './teamResolver';

export type OddsFormat = 'american' | 'decimal' | 'auto';

/** The documented generic odds CSV (see FORMATS.md): one row per book, game and moment. */
export const GENERIC_ODDS_REQUIRED = ['date', 'home', 'away', 'book'];
const GENERIC_FORMAT = 'generic odds CSV';
const GENERIC_EXPECTED = 'a generic odds CSV (FORMATS.md)';
const PRICE_FIELDS = ['ml_home', 'ml_away', 'over_price', 'under_price', 'runline_home_price', 'runline_away_price'];
/** Decimal odds above this are implausible for MLB markets; American odds are never in (-100, 100). */
const MAX_DECIMAL_ODDS = 50;

/** Decides a file's odds format from its values: any |v| >= 100 or negative value means American. */
function detectFormat(records: CsvRecord[]): 'american' | 'decimal' {
  for (const r of records) {
    for (const f of PRICE_FIELDS) {
      const v = Number(r.get(f));
      if (r.get(f) !== '' && Number.isFinite(v) && (v < 0 || v >= 100)) return 'american';
    }
  }
  return 'decimal';
}

const flag = (file: string, rec: CsvRecord, field: string): boolean => {
  const raw = rec.get(field).toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw rowError('INVALID_FLAG', file, rec.line, field, rec.get(field), 'expected true/false or 1/0');
};

/** Imports generic odds CSV files (American or decimal prices) in one transaction, reporting unmatched rows. */
export async function importGenericOdds(
  ws: Workspace,
  files: string[],
  options: { oddsFormat?: OddsFormat } = {},
): Promise<OddsImportResult> {
  const startedAt = new Date();
  const teams = await TeamResolver.load(ws);
  const matcher = await GameMatcher.load(ws);
  const unmatched = new UnmatchedReport();
  const odds: OddsRow[] = [];
  let rowsRead = 0;
  const books = new Set<string>();
  const anyFlags = { value: false };
  for (const file of files) {
    for (const doc of await readTextDocuments(file, { expect: GENERIC_EXPECTED })) {
      const { header, records } = readHeadedCsv(doc.name, doc.text, GENERIC_ODDS_REQUIRED, GENERIC_FORMAT);
      if (!PRICE_FIELDS.some((f) => header.includes(f))) {
        throw inputError('MISSING_COLUMNS', `${doc.name} line 1: no price columns; expected some of ${PRICE_FIELDS.join(', ')}`, {
          file: doc.name,
          line: 1,
        });
      }
      if (header.includes('is_open') || header.includes('is_close')) anyFlags.value = true;
      const format = !options.oddsFormat || options.oddsFormat === 'auto' ? detectFormat(records) : options.oddsFormat;
      const price = (rec: CsvRecord, field: string): number | null => {
        const v = numberField(doc.name, rec, field);
        if (v === null) return null;
        if (format === 'american') {
          const d = americanToDecimal(v);
          if (d === undefined)
            throw rowError('INVALID_ODDS', doc.name, rec.line, field, rec.get(field), 'expected American odds (<= -100 or >= 100)');
          return d;
        }
        if (v <= 1 || v > MAX_DECIMAL_ODDS)
          throw rowError(
            'INVALID_ODDS',
            doc.name,
            rec.line,
            field,
            rec.get(field),
            `expected decimal odds between 1 and ${MAX_DECIMAL_ODDS}`,
          );
        return v;
      };
      for (const rec of records) {
        rowsRead++;
        const date = parseCalendarDate(rec.get('date'));
        if (!date) throw rowError('INVALID_DATE', doc.name, rec.line, 'date', rec.get('date'), 'expected a real date as yyyy-mm-dd');
        const season = Number(date.slice(0, 4));
        const book = rec.get('book');
        if (!book) throw rowError('MISSING_VALUE', doc.name, rec.line, 'book', '', 'expected the bookmaker name');
        const gn = numberField(doc.name, rec, 'game_number');
        const capturedAt = timestampField(doc.name, rec, 'captured_at');
        // Validate every price before matching, so a malformed row fails the import even when its game is unknown.
        const prices = Object.fromEntries(PRICE_FIELDS.map((f) => [f, price(rec, f)]));
        const total = numberField(doc.name, rec, 'total');
        const runline = numberField(doc.name, rec, 'runline_home');
        const isOpen = flag(doc.name, rec, 'is_open');
        const isClose = flag(doc.name, rec, 'is_close');
        const home = teams.resolve(rec.get('home'), season);
        const away = teams.resolve(rec.get('away'), season);
        const where = { file: doc.name, line: rec.line, date, home: preview(rec.get('home')), away: preview(rec.get('away')) };
        if (!home || !away) {
          unmatched.add({ ...where, reason: `unknown team name ${!home ? where.home : where.away}` });
          continue;
        }
        const found = matcher.find(date, home, gn ?? undefined);
        if (!found.game || found.game.away !== away) {
          unmatched.add({
            ...where,
            reason: found.game ? `the game at ${home} that day was against ${found.game.away}` : (found.reason ?? 'no game'),
          });
          continue;
        }
        books.add(book);
        const base = { gameId: found.game.gameId, book, capturedAt, isOpen, isClose };
        if (prices.ml_home !== null && prices.ml_away !== null) {
          odds.push({
            ...base,
            market: 'moneyline',
            homePrice: prices.ml_home,
            awayPrice: prices.ml_away,
            overPrice: null,
            underPrice: null,
            line: null,
          });
        }
        if (total !== null && prices.over_price !== null && prices.under_price !== null) {
          odds.push({
            ...base,
            market: 'total',
            homePrice: null,
            awayPrice: null,
            overPrice: prices.over_price,
            underPrice: prices.under_price,
            line: total,
          });
        }
        if (runline !== null && prices.runline_home_price !== null && prices.runline_away_price !== null) {
          odds.push({
            ...base,
            market: 'runline',
            homePrice: prices.runline_home_price,
            awayPrice: prices.runline_away_price,
            overPrice: null,
            underPrice: null,
            line: runline,
          });
        }
      }
    }
  }
  if (!anyFlags.value) {
    const starts = new Map<string, string>();
    for (const r of await ws.all<{ game_id: string; s: string }>(
      `SELECT game_id, strftime(start_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.000Z') AS s FROM games WHERE start_time IS NOT NULL`,
    ))
      starts.set(r.game_id, r.s);
    flagOpenClose(odds, (id) => starts.get(id) ?? null);
  }
  const importId = newImportId();
  const matchedGames = new Set(odds.map((o) => o.gameId)).size;
  const res = await ws.transaction(async (sql) => {
    const r = await replaceOdds(sql, odds, { source: files.join(','), importId, synthetic: false });
    await logImport(sql, importId, {
      kind: 'odds:generic',
      files,
      startedAt,
      rowsRead,
      inserted: r.inserted,
      updated: r.replaced,
      unmatched: unmatched.count,
      details: { matchedGames, books: [...books], unmatched: unmatched.toJSON() },
    });
    return r;
  });
  return {
    importId,
    files,
    book: [...books].join(','),
    rowsRead,
    matchedGames,
    oddsRows: res.inserted,
    replaced: res.replaced,
    unmatched: unmatched.toJSON(),
    scoreMismatches: 0,
  };
}

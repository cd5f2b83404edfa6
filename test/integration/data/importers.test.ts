import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importGenericOdds } from '../../../src-main/engine/data/genericOddsImporter';
import { importGames } from '../../../src-main/engine/data/gamesImporter';
import { importPinnacle } from '../../../src-main/engine/data/pinnacleImporter';
import { dataStatus } from '../../../src-main/engine/data/dataStatus';
import { exportTable } from '../../../src-main/engine/data/exportTable';
import { BullpenError } from '../../../src-main/shared/errors';
import { fingerprint, fixture, tempWorkspace } from './workspaceFixture';

let ws: Workspace;
let dir: string;
let dispose: () => void;
beforeEach(async () => ({ ws, dir, dispose } = await tempWorkspace()));
afterEach(() => dispose());

async function expectInputError(p: Promise<unknown>): Promise<BullpenError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BullpenError);
  return err as BullpenError;
}

describe('Retrosheet importer', () => {
  it('imports a plain, a gzipped and a zipped game log to the same nine games', async () => {
    for (const f of ['GL2016mini.TXT', 'GL2016mini.TXT.gz', 'GL2016mini.zip']) {
      const r = await importRetrosheet(ws, [fixture('retrosheet', f)]);
      expect(r.rowsRead).toBe(9);
    }
    expect(await ws.value(`SELECT count(*) FROM games`)).toBe(9);
    const g = await ws.one(
      `SELECT home, away, home_score, away_score, home_sp_id, game_number, status FROM games WHERE game_id = 'TBA201604072'`,
    );
    expect(g).toEqual({ home: 'TBA', away: 'NYA', home_score: 4, away_score: 5, home_sp_id: 'tba_sp4', game_number: 2, status: 'final' });
  });

  it('re-importing a season updates rows in place without duplicates', async () => {
    await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
    const again = await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT.gz')]);
    expect(again).toMatchObject({ inserted: 0, updated: 9 });
    expect(await ws.value(`SELECT count(*) FROM games`)).toBe(9);
  });

  const cases: [string, string, string, string][] = [
    ['bad_field_count.TXT', 'FIELD_COUNT', 'line 4', 'found 160'],
    ['bad_date.TXT', 'INVALID_DATE', 'field 1 (date)', '"20160231"'],
    ['bad_score.TXT', 'INVALID_NUMBER', 'field 11 (home_score)', '"x6"'],
    ['bad_team.TXT', 'UNKNOWN_TEAM', 'field 7 (home)', '"XYZ"'],
    ['bad_quote.TXT', 'CSV_MALFORMED', 'bad_quote.TXT line', ''],
  ];
  for (const [file, code, where, value] of cases) {
    it(`rejects ${file} with ${code} naming file, line, field and value, and changes nothing`, async () => {
      await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
      const before = await fingerprint(ws);
      // The good file first in the same import: a bad file anywhere must roll back the whole import.
      const err = await expectInputError(importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT.gz'), fixture('retrosheet', file)]));
      expect(err.code).toBe(code);
      expect(err.kind).toBe('input');
      expect(err.message).toContain(file);
      expect(err.message).toContain(where);
      expect(err.message).toContain(value);
      expect(await fingerprint(ws)).toEqual(before);
    });
  }

  it('names an unreadable file', async () => {
    const err = await expectInputError(importRetrosheet(ws, ['/nonexistent/GL1999.TXT']));
    expect(err.code).toBe('FILE_UNREADABLE');
    expect(err.message).toContain('/nonexistent/GL1999.TXT');
  });
});

describe('generic odds importer', () => {
  beforeEach(async () => {
    await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
  });

  it('matches American-odds rows by date, home team name or abbreviation and game number, and reports the unmatched ones', async () => {
    const r = await importGenericOdds(ws, [fixture('odds', 'mini_generic_american.csv')]);
    expect(r.matchedGames).toBe(3);
    expect(r.unmatched.count).toBe(2);
    expect(Object.keys(r.unmatched.byReason).join(' ')).toMatch(/doubleheader/);
    expect(Object.keys(r.unmatched.byReason).join(' ')).toMatch(/unknown team name/);
    const close = await ws.one(
      `SELECT home_price, away_price FROM odds WHERE game_id = 'NYA201604040' AND market = 'moneyline' AND is_close`,
    );
    expect(close?.home_price).toBeCloseTo(1 + 100 / 150, 10);
    expect(close?.away_price).toBeCloseTo(2.4, 10);
    const rl = await ws.one(`SELECT line, home_price FROM odds WHERE game_id = 'NYA201604040' AND market = 'runline'`);
    expect(rl).toEqual({ line: -1.5, home_price: 2.5 });
  });

  it('reads decimal odds and flags the single row of a game as both opening and closing', async () => {
    const r = await importGenericOdds(ws, [fixture('odds', 'mini_generic_decimal.csv')]);
    expect(r.matchedGames).toBe(2);
    const o = await ws.one(`SELECT home_price, is_open, is_close FROM odds WHERE game_id = 'NYA201604080'`);
    expect(o).toEqual({ home_price: 1.8, is_open: true, is_close: true });
  });

  for (const [file, code, field] of [
    ['bad_timestamp.csv', 'INVALID_TIMESTAMP', 'captured_at'],
    ['bad_odds.csv', 'INVALID_ODDS', 'ml_home'],
  ] as const) {
    it(`rejects ${file} (${code}) naming line 4 and field ${field}, changing nothing`, async () => {
      const before = await fingerprint(ws);
      const err = await expectInputError(importGenericOdds(ws, [fixture('odds', file)]));
      expect(err.code).toBe(code);
      expect(err.message).toContain(`${file} line 4, field ${field}`);
      expect(await fingerprint(ws)).toEqual(before);
    });
  }
});

describe('games importer, scheduled games and export', () => {
  beforeEach(async () => {
    await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
  });

  it('imports a slate of scheduled games and fills their results when they arrive', async () => {
    const slate = await importGames(ws, [fixture('games', 'slate_2016-04-09.csv')]);
    expect(slate.inserted).toBe(2);
    expect(await ws.value(`SELECT count(*) FROM games WHERE status = 'scheduled' AND home_score IS NULL`)).toBe(2);
    const status = await dataStatus(ws);
    expect(status.seasons[0]).toMatchObject({ season: 2016, games: 11, final: 9, scheduled: 2 });
    const results = await importGames(ws, [fixture('games', 'results_2016-04-09.csv')]);
    expect(results).toMatchObject({ inserted: 0, updated: 2 });
    expect(await ws.one(`SELECT status, home_score, away_score FROM games WHERE game_id = 'TBA201604090'`)).toEqual({
      status: 'final',
      home_score: 1,
      away_score: 8,
    });
  });

  it('rejects a row with only one score, naming the field', async () => {
    const before = await fingerprint(ws);
    const err = await expectInputError(importGames(ws, [fixture('games', 'bad_half_score.csv')]));
    expect(err.message).toContain('bad_half_score.csv line 2, field away_score');
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('exports games to Parquet, CSV and Arrow, and the Parquet re-imports as the same games', async () => {
    for (const format of ['parquet', 'csv', 'arrow'] as const) {
      const out = join(dir, `games.${format}`);
      const r = await exportTable(ws, 'games', format, out);
      expect(r.rows).toBe(9);
      expect(existsSync(out)).toBe(true);
    }
    expect(readFileSync(join(dir, 'games.csv'), 'utf8').split('\n')[0]).toContain('game_id,date,game_number');
    const reimport = await importGames(ws, [join(dir, 'games.parquet')]);
    expect(reimport).toMatchObject({ inserted: 0, updated: 9 });
  });

  it('writes the format the file name says when none is asked for, and refuses a format that contradicts it', async () => {
    const csv = join(dir, 'teams-by-name.csv');
    expect(await exportTable(ws, 'games', undefined, csv)).toMatchObject({ format: 'csv', rows: 9 });
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toContain('game_id,date,game_number');
    expect((await exportTable(ws, 'games', undefined, join(dir, 'games-by-name.arrow'))).format).toBe('arrow');
    expect((await exportTable(ws, 'games', undefined, join(dir, 'games-no-extension'))).format).toBe('parquet');
    const err = await expectInputError(exportTable(ws, 'games', 'parquet', join(dir, 'wrong.csv')));
    expect(err.code).toBe('EXPORT_FORMAT_MISMATCH');
    expect(existsSync(join(dir, 'wrong.csv'))).toBe(false);
  });

  it('refuses to export a table that does not exist', async () => {
    const err = await expectInputError(exportTable(ws, 'games; DROP TABLE games', 'csv', join(dir, 'x.csv')));
    expect(err.code).toBe('TABLE_NOT_FOUND');
  });

  it('asks for the per-game Pinnacle file when only the line history is given', async () => {
    const err = await expectInputError(
      importPinnacle(ws, [
        fixture('odds', 'mini_generic_decimal.csv').replace('mini_generic_decimal.csv', 'pinnacle_lines_only.csv'),
      ]).catch((e) => Promise.reject(e)),
    );
    expect(err.code).toBe('LINES_NEED_GAMES');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importPinnacle } from '../../../src-main/engine/data/pinnacleImporter';
import { isPlainCsv } from '../../../src-main/engine/data/lineHistorySql';
import { BullpenError } from '../../../src-main/shared/errors';
import { hasSharedData, sharedDataPath } from '../../support/sharedData';
import { needs } from '../../support/requirements';
import { fingerprint, fixture, tempWorkspace } from './workspaceFixture';

const GAMES_HEADER =
  'game_id,start_utc,away_team,home_team,doubleheader_game,open_entered_utc,open_ml_away,open_ml_home,close_entered_utc,close_ml_away,close_ml_home,close_total,close_total_over,close_total_under,close_spread_away,close_spread_us_away,close_spread_us_home';
const LINES_HEADER = 'game_id,entered_utc,spread_away,spread_us_away,spread_us_home,ml_away,ml_home,total,total_over,total_under';
/** Two games of GL2016mini.TXT (BOS at NYA on 4 and 5 April 2016), as Pinnacle's per-game file has them. */
const GAMES = [
  GAMES_HEADER,
  'NYA201604040,2016-04-04T17:05:00Z,Boston Red Sox,New York Yankees,0,2016-04-03T15:00:00Z,110,-120,2016-04-04T17:00:00Z,105,-115,8.5,-105,-105,1.5,-180,160',
  'NYA201604050,2016-04-05T23:05:00Z,Boston Red Sox,New York Yankees,0,2016-04-04T15:00:00Z,-105,-105,2016-04-05T23:00:00Z,-110,100,9,-110,100,-1.5,150,-170',
].join('\n');
const LINE_ROWS = [
  'NYA201604040,2016-04-03T15:00:00Z,,,,110,-120,,,',
  'NYA201604040,2016-04-03T18:00:00Z,1.5,-175,155,108,-118,8.5,-105,-105',
  'NYA201604040,2016-04-04T16:59:00Z,1.5,-180,160,105,-115,8.5,-105,-105',
  'NYA201604040,2016-04-04T18:00:00Z,,,,140,-150,,,',
  'XXX201604040,2016-04-04T12:00:00Z,,,,110,-120,,,',
  'NYA201604050,2016-04-04T15:00:00Z,,,,-105,-105,9,-110,100',
  'NYA201604050,2016-04-05T22:00:00Z,,,,-110,100,9,-110,100',
];

let ws: Workspace;
let dir: string;
let dispose: () => void;
beforeEach(async () => {
  ({ ws, dir, dispose } = await tempWorkspace());
  await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
});
afterEach(() => dispose());

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const oddsTable = (w: Workspace) =>
  w.all(
    `SELECT game_id, book, market, epoch_ms(captured_at) AS t, home_price, away_price, over_price, under_price, line, is_open, is_close FROM odds ORDER BY ALL`,
  );

describe('Pinnacle line history staged through DuckDB', () => {
  it('recognises plain CSV and refuses quoted, ragged or blank-line files', () => {
    const required = LINES_HEADER.split(',');
    expect(isPlainCsv([LINES_HEADER, ...LINE_ROWS].join('\n'), required)).toBe(true);
    expect(isPlainCsv([LINES_HEADER, ...LINE_ROWS].join('\r\n') + '\r\n', required)).toBe(true);
    expect(isPlainCsv([LINES_HEADER, '"NYA201604040",2016-04-03T15:00:00Z,,,,110,-120,,,'].join('\n'), required)).toBe(false);
    expect(isPlainCsv([LINES_HEADER, 'NYA201604040,2016-04-03T15:00:00Z,,,,110,-120,,'].join('\n'), required)).toBe(false);
    expect(isPlainCsv([LINES_HEADER, '', LINE_ROWS[0]].join('\n'), required)).toBe(false);
    expect(isPlainCsv('game_id,entered_utc\nX,2016-04-03T15:00:00Z\n', required)).toBe(false);
  });

  it('writes the same odds and the same report as the row-by-row path', async () => {
    const files = [write('mlb2016_games.csv', GAMES), write('mlb2016_lines.csv', [LINES_HEADER, ...LINE_ROWS].join('\n') + '\n')];
    const { importId: _a, ...fast } = await importPinnacle(ws, files);
    const fastOdds = await oddsTable(ws);
    const { importId: _b, ...slow } = await importPinnacle(ws, files, { lineHistory: 'rowByRow' });
    expect(await oddsTable(ws)).toEqual(fastOdds);
    expect(fast).toEqual({ ...slow, replaced: fast.replaced });
    expect(fast.unmatched.count).toBe(1);
    expect(fast.unmatched.examples[0]).toMatchObject({ file: 'mlb2016_lines.csv', line: 6 });
    // The post-start line (18:00 after a 17:05 start) is kept but is neither opening nor closing.
    const ml = fastOdds.filter((o) => o.game_id === 'NYA201604040' && o.market === 'moneyline');
    expect(ml.map((o) => [o.is_open, o.is_close])).toEqual([
      [true, false],
      [false, false],
      [false, true],
      [false, false],
    ]);
  });

  it('reports a bad price in a matched line with file, line, field and value, and changes nothing', async () => {
    const before = await fingerprint(ws);
    const bad = [...LINE_ROWS];
    bad[5] = 'NYA201604050,2016-04-04T15:00:00Z,,,,-105,-5,9,-110,100';
    const files = [write('mlb2016_games.csv', GAMES), write('mlb2016_lines.csv', [LINES_HEADER, ...bad].join('\n'))];
    const err = await importPinnacle(ws, files).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe('INVALID_ODDS');
    expect((err as BullpenError).details).toMatchObject({ file: 'mlb2016_lines.csv', line: 7, field: 'ml_home', value: '-5' });
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('accepts a bad value in a line that matches no game, as the row-by-row path does', async () => {
    const rows = [...LINE_ROWS];
    rows[4] = 'XXX201604040,2016-04-04T12:00:00Z,,,,abc,-120,,,';
    const r = await importPinnacle(ws, [write('mlb2016_games.csv', GAMES), write('mlb2016_lines.csv', [LINES_HEADER, ...rows].join('\n'))]);
    expect(r.unmatched.count).toBe(1);
  });
});

const real = needs(
  'real MLB data at ../shared/data',
  hasSharedData(),
  'place the Retrosheet and Pinnacle files beside the repository (see ../shared/data/README.md) or set BULLPEN_SHARED_DATA',
);

describe.skipIf(!real)('Pinnacle 2016 line history, both paths', () => {
  it('stages the real 2016 line history to exactly the odds rows and report of the row-by-row path', { timeout: 120_000 }, async () => {
    // The mini fixture of beforeEach made up some 2016 scores; the real season replaces them.
    await importRetrosheet(ws, [sharedDataPath('retrosheet', 'GL2016.TXT.gz')], { replaceResults: true });
    const files = [sharedDataPath('pinnacle', 'mlb2016_games.csv'), sharedDataPath('pinnacle', 'mlb2016_lines.csv.gz')];
    const hash = () =>
      ws.value(
        `SELECT md5(string_agg(concat_ws('|', game_id, market, epoch_ms(captured_at), home_price, away_price, over_price, under_price, line, is_open, is_close), ';' ORDER BY game_id, market, captured_at, home_price, away_price, over_price, under_price, line, is_open, is_close)) FROM odds`,
      );
    const { importId: _a, ...fast } = await importPinnacle(ws, files);
    const fastHash = await hash();
    const { importId: _b, ...slow } = await importPinnacle(ws, files, { lineHistory: 'rowByRow' });
    expect(await hash()).toBe(fastHash);
    expect(fast).toEqual({ ...slow, replaced: fast.replaced });
    expect(fast.oddsRows).toBeGreaterThan(600_000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importPinnacle } from '../../../src-main/engine/data/pinnacleImporter';
import { materializeSet } from '../../../src-main/engine/features/materialize';
import { checkSetLeakage } from '../../../src-main/engine/features/featureStore';
import { loadFeatureMatrix } from '../../../src-main/engine/modeling/featureMatrix';
import { needs } from '../../support/requirements';
import { hasSharedData, sharedDataPath } from '../../support/sharedData';
import { tempWorkspace } from './workspaceFixture';

const ok = needs(
  'real MLB data at ../shared/data',
  hasSharedData(),
  'place the Retrosheet and Pinnacle files beside the repository (see ../shared/data/README.md) or set BULLPEN_SHARED_DATA',
);

describe.skipIf(!ok)('real Retrosheet and Pinnacle data', () => {
  let ws: Workspace;
  let dispose: () => void;
  beforeAll(async () => {
    ({ ws, dispose } = await tempWorkspace());
  });
  afterAll(() => dispose?.());

  it('imports all 17 seasons of game logs; the home team wins about 53%', async () => {
    const dir = sharedDataPath('retrosheet');
    const files = readdirSync(dir)
      .filter((f) => /^GL\d{4}\.TXT\.gz$/.test(f))
      .map((f) => `${dir}/${f}`);
    expect(files.length).toBe(17);
    const r = await importRetrosheet(ws, files);
    expect(r.seasons).toEqual(Array.from({ length: 17 }, (_, i) => 2000 + i));
    expect(r.rowsRead).toBe(41298);
    expect(await ws.value(`SELECT count(*) FROM games WHERE season = 2016`)).toBe(2428);
    const hw = Number(await ws.value(`SELECT avg((home_score > away_score)::INT) FROM games`));
    expect(hw).toBeGreaterThan(0.52);
    expect(hw).toBeLessThan(0.55);
    const again = await importRetrosheet(ws, [files[16]]);
    expect(again).toMatchObject({ inserted: 0, updated: 2428 });
    expect(await ws.value(`SELECT count(*) FROM games`)).toBe(41298);
  });

  it('matches Pinnacle 2016 odds to at least 99% of regular-season games; the closing favourite wins ~58.6%', async () => {
    const r = await importPinnacle(ws, [
      sharedDataPath('pinnacle', 'mlb2016_games.csv'),
      sharedDataPath('pinnacle', 'mlb2016_lines.csv.gz'),
    ]);
    const regular = Number(await ws.value(`SELECT count(*) FROM games WHERE season = 2016`));
    const rate = r.matchedGames / regular;
    console.info(
      `[pinnacle] matched ${r.matchedGames}/${regular} regular-season games (${(100 * rate).toFixed(2)}%); unmatched rows ${r.unmatched.count}: ${JSON.stringify(r.unmatched.byReason)}`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.99);
    expect(r.scoreMismatches).toBe(0);
    const s = await ws.one<{ fav: number; ovr: number }>(`
      SELECT avg(((g.home_score > g.away_score) = (o.home_price < o.away_price))::INT) AS fav, avg(1 / o.home_price + 1 / o.away_price - 1) AS ovr
      FROM games g JOIN odds o USING (game_id) WHERE o.market = 'moneyline' AND o.is_close AND o.home_price <> o.away_price`);
    expect(s?.fav).toBeGreaterThan(0.57);
    expect(s?.fav).toBeLessThan(0.6);
    expect(s?.ovr).toBeGreaterThan(0.015);
    expect(s?.ovr).toBeLessThan(0.025);
  });

  it('materializes the default set for every game and passes the leakage guard', async () => {
    const m = await materializeSet(ws, 'default');
    expect(m.rows).toBe(41298);
    expect(m.quality.every((q) => q.schemaOk)).toBe(true);
    const report = await checkSetLeakage(ws, 'default');
    expect(report.leaks).toEqual([]);
    const x = await loadFeatureMatrix(ws, { set: 'default', target: 'home_win', seasons: '2016' });
    expect(x.rows).toBe(2428);
    const p = x.featureNames.indexOf('mkt_close_home_prob');
    let right = 0;
    let n = 0;
    for (let i = 0; i < x.rows; i++) {
      const v = x.features[i * x.cols + p];
      if (Number.isNaN(v) || v === 0.5) continue;
      n++;
      if (v > 0.5 === (x.label[i] === 1)) right++;
    }
    expect(right / n).toBeGreaterThan(0.57);
    expect(right / n).toBeLessThan(0.6);
  });
});

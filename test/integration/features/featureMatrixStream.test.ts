import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { materializeSet } from '../../../src-main/engine/features/materialize';
import { quoteIdent } from '../../../src-main/engine/features/computeFeatures';
import {
  closingMarketsSql,
  loadFeatureMatrix,
  parseSeasons,
  targetSql,
  type FeatureMatrix,
  type FeatureMatrixOptions,
} from '../../../src-main/engine/modeling/featureMatrix';
import { tempWorkspace } from '../data/workspaceFixture';

let ws: Workspace;
let dispose: () => void;
beforeAll(async () => {
  ({ ws, dispose } = await tempWorkspace());
  // Two seasons: ~4900 games, so the streamed read spans several 2048-row chunks.
  await buildDemo(ws, { seed: 7, firstSeason: 2000, lastSeason: 2001, marketInefficiency: true, scoringShift: false });
  // The demo prices every game; take the prices off some games (across a chunk boundary) and the run
  // line off others, so NULL prices are part of the comparison.
  await ws.run(`DELETE FROM odds WHERE game_id IN (SELECT game_id FROM games ORDER BY date, game_id LIMIT 300 OFFSET 1900)`);
  await ws.run(
    `DELETE FROM odds WHERE market = 'runline' AND game_id IN (SELECT game_id FROM games WHERE season = 2001 ORDER BY date, game_id LIMIT 500)`,
  );
});
afterAll(() => dispose());

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/** The plain reading the streamed one must equal: whole result at once, each value converted from JS. */
async function referenceMatrix(opts: FeatureMatrixOptions) {
  const mat = await materializeSet(ws, opts.set);
  const names = mat.features.map((f) => f.name);
  const seasons = parseSeasons(opts.seasons);
  const reader = await ws.connection.runAndReadAll(`
    SELECT m.game_id, strftime(m.date, '%Y-%m-%d'), m.season, ${targetSql[opts.target]}, g.synthetic,
      c.home_close, c.away_close, c.home_open, c.away_open, c.total_line, c.over_price, c.under_price, c.runline_home, c.runline_home_price, c.runline_away_price,
      ${names.map((n) => `m.${quoteIdent(n)}`).join(', ')}
    FROM ${quoteIdent(mat.tableName)} m JOIN games g USING (game_id) LEFT JOIN (${closingMarketsSql}) c USING (game_id)
    WHERE ${seasons ? `m.season IN (${seasons.join(',')})` : 'true'} AND ${opts.includeUnlabeled ? 'true' : `(${targetSql[opts.target]}) IS NOT NULL`}
    ORDER BY m.date, m.game_number, m.game_id`);
  const cols = reader.getColumnsJS();
  const rows = reader.currentRowCount;
  const features = new Float64Array(rows * names.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < names.length; j++) features[i * names.length + j] = num(cols[15 + j][i]);
  const oddsKeys = [
    'homeClose',
    'awayClose',
    'homeOpen',
    'awayOpen',
    'totalLine',
    'overPrice',
    'underPrice',
    'runlineHome',
    'runlineHomePrice',
    'runlineAwayPrice',
  ] as const;
  return {
    names,
    rows,
    features,
    gameIds: cols[0].map(String),
    dates: cols[1].map(String),
    seasons: cols[2].map(Number),
    label: cols[3].map(num),
    synthetic: cols[4].some((v) => v === true),
    odds: Object.fromEntries(oddsKeys.map((k, i) => [k, cols[5 + i].map(num)])) as Record<(typeof oddsKeys)[number], number[]>,
    nulls: cols.slice(3).map((c) => c.filter((v) => v === null).length),
  };
}

/** Same length and every element the same value, NaN matching NaN (Object.is). */
function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, what).toBe(expected.length);
  const differing: number[] = [];
  for (let i = 0; i < expected.length && differing.length < 5; i++) if (!Object.is(actual[i], expected[i])) differing.push(i);
  expect(differing, `${what}: positions whose values differ`).toEqual([]);
}

async function expectSameAsReference(opts: FeatureMatrixOptions): Promise<{ m: FeatureMatrix; nulls: number[] }> {
  const m = await loadFeatureMatrix(ws, opts);
  const ref = await referenceMatrix(opts);
  expect(m.rows).toBe(ref.rows);
  expect(m.cols).toBe(ref.names.length);
  expect(m.featureNames).toEqual(ref.names);
  expect(m.gameIds).toEqual(ref.gameIds);
  expect(m.dates).toEqual(ref.dates);
  expect([...m.seasons]).toEqual(ref.seasons);
  expect(m.synthetic).toBe(ref.synthetic);
  expect(m.features).toBeInstanceOf(Float64Array);
  expect(m.features.buffer.byteLength).toBe(ref.rows * ref.names.length * 8);
  sameValues(m.features, ref.features, 'features');
  sameValues(m.label, ref.label, 'label');
  for (const [k, v] of Object.entries(ref.odds)) sameValues(m.odds[k as keyof FeatureMatrix['odds']], v, `odds.${k}`);
  return { m, nulls: ref.nulls };
}

describe('loadFeatureMatrix streamed read', () => {
  it('equals a plain whole-result read value for value, NULL features and prices as NaN, across several chunks', async () => {
    const { m, nulls } = await expectSameAsReference({ set: 'default', target: 'home_win' });
    expect(m.rows).toBeGreaterThan(2 * 2048);
    expect(m.synthetic).toBe(true);
    // The comparison covers NULLs: early-season form features and some prices are missing.
    expect(nulls.slice(12).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(nulls.slice(2, 12).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Array.from(m.features).some(Number.isNaN)).toBe(true);
  });

  it('equals the plain read for one season, for the totals target and with unlabeled rows kept (NaN labels)', async () => {
    await expectSameAsReference({ set: 'default', target: 'home_win', seasons: '2001' });
    await expectSameAsReference({ set: 'default', target: 'over' });
    const { m, nulls } = await expectSameAsReference({ set: 'default', target: 'over', includeUnlabeled: true });
    expect(nulls[0]).toBeGreaterThan(0);
    expect(Array.from(m.label).some(Number.isNaN)).toBe(true);
  });

  it('reads the whole matrix while other queries keep running on the workspace connection', async () => {
    let done = false;
    let queries = 0;
    const load = loadFeatureMatrix(ws, { set: 'default', target: 'home_win' }).finally(() => {
      done = true;
    });
    while (!done) {
      await ws.value('SELECT count(*) FROM games');
      queries++;
    }
    const m = await load;
    const ref = await referenceMatrix({ set: 'default', target: 'home_win' });
    expect(m.gameIds).toEqual(ref.gameIds);
    sameValues(m.features, ref.features, 'features');
    expect(queries).toBeGreaterThan(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { importGenericOdds } from '../../../src-main/engine/data/genericOddsImporter';
import { importGames } from '../../../src-main/engine/data/gamesImporter';
import { materializeSet } from '../../../src-main/engine/features/materialize';
import { loadFeatureMatrix } from '../../../src-main/engine/modeling/featureMatrix';
import { checkSetLeakage, exportFeatureSet, readRegistrationFile, registerFeatures } from '../../../src-main/engine/features/featureStore';
import { catalog, lineage, recordFeatureUsage, searchCatalog } from '../../../src-main/engine/features/catalog';
import { getDefinition, rollbackFeature } from '../../../src-main/engine/features/definitionStore';
import { BullpenError } from '../../../src-main/shared/errors';
import { fingerprint, fixture, tempWorkspace } from '../data/workspaceFixture';

let ws: Workspace;
let dir: string;
let dispose: () => void;
beforeAll(async () => {
  ({ ws, dir, dispose } = await tempWorkspace());
  await importRetrosheet(ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
  await importGenericOdds(ws, [fixture('odds', 'mini_generic_american.csv')]);
});
afterAll(() => dispose());

async function valuesOf(gameId: string): Promise<Record<string, number | null>> {
  const m = await materializeSet(ws, 'default');
  return (await ws.one(`SELECT * FROM ${m.tableName} WHERE game_id = ?`, [gameId])) as Record<string, number | null>;
}

describe('default feature set on a hand-computed fixture', () => {
  it('computes team form for TOR@NYA on 2016-04-08 from the four and three games before it', async () => {
    const v = await valuesOf('NYA201604080');
    // NYA before: W 5-3, L 2-4 (home), L 1-3, W 5-4 (away, doubleheader on 04-07).
    expect(v.home_games_played_season).toBe(4);
    expect(v.home_win_pct_season).toBe(0.5);
    expect(v.home_runs_scored_pg_season).toBe(13 / 4);
    expect(v.home_runs_allowed_pg_season).toBe(14 / 4);
    expect(v.home_run_diff_pg_season).toBe(-1 / 4);
    expect(v.home_venue_win_pct_season).toBe(0.5);
    expect(v.home_streak).toBe(1);
    expect(v.home_rest_days).toBe(1);
    expect(v.home_pythag_season).toBeCloseTo(13 ** 1.83 / (13 ** 1.83 + 14 ** 1.83), 12);
    // TOR before: W 2-1, L 0-6 (away), L 3-7 (home).
    expect(v.away_win_pct_season).toBeCloseTo(1 / 3, 12);
    expect(v.away_streak).toBe(-2);
    expect(v.away_venue_win_pct_season).toBe(0.5);
    // nya_sp1 started 04-04 (BOS scored 3, NYA won) and starts again 4 days later.
    expect(v.home_sp_starts).toBe(1);
    expect(v.home_sp_rest_days).toBe(4);
    expect(v.home_sp_ra_last5).toBe(3);
    expect(v.home_sp_team_win_pct_season).toBe(1);
    expect(v.park_run_factor).toBeNull();
  });

  it('lets game 2 of a doubleheader see game 1, never the reverse', async () => {
    const g1 = await valuesOf('TBA201604071');
    const g2 = await valuesOf('TBA201604072');
    expect(g1.home_games_played_season).toBe(2);
    expect(g1.home_streak).toBe(1);
    expect(g2.home_games_played_season).toBe(3);
    expect(g2.home_streak).toBe(2);
    expect(g2.home_rest_days).toBe(0);
  });

  it('starts Elo at 1500 and moves it by K times the surprise after each game', async () => {
    const first = await valuesOf('NYA201604040');
    expect(first.elo_home_pre).toBe(1500);
    expect(first.elo_diff).toBe(24);
    expect(first.elo_home_win_prob).toBeCloseTo(1 / (1 + 10 ** (-24 / 400)), 12);
    const second = await valuesOf('NYA201604050');
    const delta = 4 * (1 - 1 / (1 + 10 ** (-24 / 400)));
    expect(second.elo_home_pre).toBeCloseTo(1500 + delta, 10);
    expect(second.elo_away_pre).toBeCloseTo(1500 - delta, 10);
  });

  it('turns opening and closing moneylines into no-vig probabilities and line movement', async () => {
    const v = await valuesOf('NYA201604040');
    const open = 1 / (1 + 100 / 120) / (1 / (1 + 100 / 120) + 1 / 2.1);
    const close = 1 / (1 + 100 / 150) / (1 / (1 + 100 / 150) + 1 / 2.4);
    expect(v.mkt_open_home_prob).toBeCloseTo(open, 12);
    expect(v.mkt_close_home_prob).toBeCloseTo(close, 12);
    expect(v.mkt_line_move).toBeCloseTo(close - open, 12);
    expect(v.mkt_close_total).toBe(8.5);
  });

  it('computes features for scheduled games from completed games only', async () => {
    await importGames(ws, [fixture('games', 'slate_2016-04-09.csv')]);
    const v = await valuesOf('NYA201604090');
    expect(v.home_games_played_season).toBe(5);
    expect(v.home_streak).toBe(-1);
    const m = await loadFeatureMatrix(ws, { set: 'default', target: 'home_win', includeUnlabeled: true });
    const row = m.gameIds.indexOf('NYA201604090');
    expect(Number.isNaN(m.label[row])).toBe(true);
  });

  it('reuses a materialization while definitions and data are unchanged, and records quality', async () => {
    const a = await materializeSet(ws, 'default');
    const b = await materializeSet(ws, 'default');
    expect(b.cached).toBe(true);
    expect(b.contentHash).toBe(a.contentHash);
    const q = b.quality.find((x) => x.feature === 'home_win_pct_season');
    expect(q?.rows).toBe(a.rows);
    expect(q?.schemaOk).toBe(true);
    expect(q?.min).toBe(0);
    expect(q?.max).toBe(1);
  });
});

describe('feature matrix for training', () => {
  it('returns row-major Float64 features, labels and closing prices in time order', async () => {
    const m = await loadFeatureMatrix(ws, { set: 'default', target: 'home_win', seasons: '2016' });
    expect(m.rows).toBe(9);
    expect(m.features.length).toBe(m.rows * m.cols);
    expect(m.featureNames).toContain('elo_diff');
    // (date, game number, id) order: 04-07 has TOR (single game) before both TBA doubleheader games.
    expect([...m.label]).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 1]);
    expect(m.dates).toEqual([...m.dates].sort());
    const r = m.gameIds.indexOf('NYA201604040');
    expect(m.features[r * m.cols + m.featureNames.indexOf('elo_diff')]).toBe(24);
    expect(m.odds.homeClose[r]).toBeCloseTo(1 + 100 / 150, 12);
    const over = await loadFeatureMatrix(ws, { set: 'default', target: 'over' });
    // Three games have a closing total; TBA201604072 landed exactly on 9 (a push) and has no label.
    expect(over.rows).toBe(2);
    expect([...over.label]).toEqual([0, 0]);
  });
});

describe('registration, versions, rollback, catalog and lineage', () => {
  it('refuses a definition that reads its own game outcome and registers nothing', async () => {
    const before = await fingerprint(ws);
    const err = await registerFeatures(ws, readRegistrationFile(fixture('features', 'leaky.json'))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe('FEATURE_LEAKS');
    expect(await fingerprint(ws)).toEqual(before);
  });

  it('versions a changed computation, keeps the old version servable and rolls back', async () => {
    const first = await registerFeatures(ws, readRegistrationFile(fixture('features', 'custom.yaml')));
    expect(first.features[0]).toMatchObject({ name: 'home_rest_edge', version: 1, outcome: 'created' });
    expect(first.sets).toEqual(['small']);
    const second = await registerFeatures(ws, readRegistrationFile(fixture('features', 'custom_v2.yaml')));
    expect(second.features[0]).toMatchObject({ version: 2, outcome: 'new-version' });
    expect(second.features[0].leakage?.passed).toBe(true);
    const again = await registerFeatures(ws, readRegistrationFile(fixture('features', 'custom_v2.yaml')));
    expect(again.features[0].outcome).toBe('unchanged');
    expect((await getDefinition(ws, 'home_rest_edge', 1)).computation).not.toContain('least(');
    const v2 = await materializeSet(ws, 'small');
    await ws.transaction((sql) => rollbackFeature(sql, 'home_rest_edge'));
    expect((await getDefinition(ws, 'home_rest_edge')).version).toBe(1);
    const v1 = await materializeSet(ws, 'small');
    expect(v1.contentHash).not.toBe(v2.contentHash);
  });

  it('finds features by text, tag and owner and reports freshness', async () => {
    expect((await searchCatalog(ws, { tag: 'elo' })).map((e) => e.name).sort()).toEqual([
      'elo_away_pre',
      'elo_diff',
      'elo_home_pre',
      'elo_home_win_prob',
    ]);
    expect((await searchCatalog(ws, { owner: 'tests' })).map((e) => e.name)).toEqual(['home_rest_edge']);
    expect((await searchCatalog(ws, { text: 'pythagorean' })).length).toBe(2);
    const entry = (await catalog(ws)).find((e) => e.name === 'elo_diff');
    expect(entry?.freshness).toBe('fresh');
  });

  it('traces lineage down to source tables and up to sets and models', async () => {
    const m = await materializeSet(ws, 'default');
    await ws.transaction((sql) =>
      recordFeatureUsage(sql, {
        setName: 'default',
        contentHash: m.contentHash,
        features: m.features,
        consumerKind: 'model',
        consumerId: 'm-test',
      }),
    );
    const g = await lineage(ws, 'elo_diff');
    expect(g.upstream).toEqual(['feature:elo_away_pre', 'feature:elo_home_pre', 'source:elo_pre', 'table:games']);
    expect(g.downstream).toEqual(['feature:elo_home_win_prob', 'model:m-test', 'set:default']);
    expect(g.edges).toContainEqual({ from: 'table:games', to: 'source:elo_pre' });
  });

  it('exports a materialized set with targets to Parquet and CSV', async () => {
    const out = join(dir, 'default.csv');
    const r = await exportFeatureSet(ws, 'default', out, 'csv');
    expect(r.rows).toBeGreaterThanOrEqual(9);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^game_id,date,season,.*home_win,over,home_runline,synthetic$/);
    expect((await exportFeatureSet(ws, 'default', join(dir, 'default.parquet'), 'parquet')).rows).toBe(r.rows);
  });

  it('passes the leakage guard for the default set on explicit cutoffs and leaves the workspace unchanged', async () => {
    const before = await fingerprint(ws);
    const report = await checkSetLeakage(ws, 'default', ['2016-04-05', '2016-04-07']);
    expect(report.leaks).toEqual([]);
    expect(report.passed).toBe(true);
    expect(await fingerprint(ws)).toEqual(before);
  });
});

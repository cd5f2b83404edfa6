import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/engine/workspace/workspace';
import { buildDemo, DEMO_META_KEY } from '../../../src-main/engine/demo/buildDemo';
import type { DemoOptions } from '../../../src-main/engine/demo/generateLeague';
import { importRetrosheet } from '../../../src-main/engine/data/retrosheetImporter';
import { materializeSet } from '../../../src-main/engine/features/materialize';
import { BullpenError } from '../../../src-main/shared/errors';
import { fingerprint, fixture, tempWorkspace } from './workspaceFixture';

const disposers: (() => void)[] = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));

async function league(opts: DemoOptions): Promise<Workspace> {
  const t = await tempWorkspace();
  disposers.push(t.dispose);
  await buildDemo(t.ws, opts);
  return t.ws;
}

const data = async (ws: Workspace) => {
  const f = await fingerprint(ws);
  return { games: f.games, odds: f.odds, teams: f.teams };
};

describe('demo league', () => {
  it('is identical for the same seed and different for another seed', async () => {
    const opts: DemoOptions = { seed: 11, firstSeason: 2001, lastSeason: 2003, marketInefficiency: true, scoringShift: true };
    const a = await league(opts);
    const b = await league(opts);
    const c = await league({ ...opts, seed: 12 });
    expect(await data(a)).toEqual(await data(b));
    expect((await data(a)).games).not.toEqual((await data(c)).games);
  });

  it('plays balanced 162-game seasons, 81 at home, with realistic scoring and a ~4% overround, labelled synthetic', async () => {
    const ws = await league({ seed: 3, firstSeason: 2010, lastSeason: 2011, marketInefficiency: false, scoringShift: false });
    const per = await ws.all(
      `SELECT season, team, count(*) AS g, sum(h) AS home FROM (SELECT season, home AS team, 1 AS h FROM games UNION ALL SELECT season, away, 0 FROM games) GROUP BY ALL`,
    );
    expect(per.length).toBe(60);
    expect(per.every((r) => r.g === 162 && r.home === 81)).toBe(true);
    const s = await ws.one<{ runs: number; home_win: number; ties: number }>(
      `SELECT avg(home_score + away_score) AS runs, avg((home_score > away_score)::INT) AS home_win, count(*) FILTER (WHERE home_score = away_score) AS ties FROM games`,
    );
    expect(s?.runs).toBeGreaterThan(8);
    expect(s?.runs).toBeLessThan(10.5);
    expect(s?.home_win).toBeGreaterThan(0.51);
    expect(s?.home_win).toBeLessThan(0.57);
    expect(s?.ties).toBe(0);
    const vig = Number(await ws.value(`SELECT avg(1 / home_price + 1 / away_price - 1) FROM odds WHERE market = 'moneyline'`));
    expect(vig).toBeCloseTo(0.04, 3);
    expect(await ws.value(`SELECT bool_and(synthetic) FROM games`)).toBe(true);
    expect(JSON.parse((await ws.meta(DEMO_META_KEY)) ?? '{}')).toMatchObject({ synthetic: true, seed: 3, seasons: '2010-2011' });
  });

  it('plants a detectable streak-chasing bookmaker and a scoring shift, absent when the effects are off', async () => {
    const measure = async (effects: boolean) => {
      const ws = await league({ seed: 7, firstSeason: 2000, lastSeason: 2019, marketInefficiency: effects, scoringShift: effects });
      const m = await materializeSet(ws, 'default');
      const roi = Number(
        await ws.value(`
        SELECT avg(CASE WHEN g.home_score < g.away_score THEN o.away_price - 1 ELSE -1 END)
        FROM ${m.tableName} f JOIN games g USING (game_id) JOIN odds o USING (game_id)
        WHERE o.market = 'moneyline' AND o.is_close AND f.home_streak >= 4 AND f.away_streak < 4`),
      );
      const shift = Number(
        await ws.value(
          `SELECT avg(home_score + away_score) FILTER (WHERE date >= '2010-07-01') / avg(home_score + away_score) FILTER (WHERE date < '2010-07-01') FROM games`,
        ),
      );
      return { roi, shift };
    };
    const planted = await measure(true);
    const clean = await measure(false);
    // Betting against a home team on a 4+ game winning streak beats the vig only when the book chases streaks.
    expect(planted.roi).toBeGreaterThan(0.02);
    expect(clean.roi).toBeLessThan(0);
    expect(planted.shift - clean.shift).toBeGreaterThan(0.03);
  });

  it('refuses to mix synthetic games into a workspace holding real games', async () => {
    const t = await tempWorkspace();
    disposers.push(t.dispose);
    await importRetrosheet(t.ws, [fixture('retrosheet', 'GL2016mini.TXT')]);
    const before = await fingerprint(t.ws);
    const err = await buildDemo(t.ws, {
      seed: 1,
      firstSeason: 2000,
      lastSeason: 2000,
      marketInefficiency: false,
      scoringShift: false,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as BullpenError).code).toBe('WORKSPACE_HAS_REAL_DATA');
    expect(await fingerprint(t.ws)).toEqual(before);
  });
});

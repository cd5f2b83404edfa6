import type { Sql } from '../workspace/sql';
import { stageRows } from '../data/stagingTable';

/** FiveThirtyEight's MLB Elo constants: small K (baseball is noisy), 24-point home field, 1/3 regression. */
export const ELO = { initial: 1500, k: 4, homeField: 24, seasonCarry: 2 / 3 } as const;

/**
 * Pre-game Elo for every game, computed sequentially in (date, game number) order. Each game's ratings
 * are read before its own result is applied, so they depend on earlier games only. Written to a TEMP
 * table `elo_pre` on the given connection (inside a materialization or a leakage check).
 */
export async function buildEloTable(sql: Sql): Promise<void> {
  const games = await sql.all<{ game_id: string; season: number; home: string; away: string; hs: number | null; as_: number | null }>(
    `SELECT game_id, season, home, away, home_score AS hs, away_score AS as_ FROM games WHERE status <> 'postponed' ORDER BY date, game_number, game_id`,
  );
  const rating = new Map<string, { r: number; season: number }>();
  const get = (team: string, season: number) => {
    let t = rating.get(team);
    if (!t) {
      t = { r: ELO.initial, season };
      rating.set(team, t);
    } else if (t.season !== season) {
      t.r = ELO.initial + (t.r - ELO.initial) * ELO.seasonCarry;
      t.season = season;
    }
    return t;
  };
  const rows = games.map((g) => {
    const h = get(g.home, g.season);
    const a = get(g.away, g.season);
    const out = [g.game_id, h.r, a.r];
    if (g.hs !== null && g.as_ !== null) {
      const expected = 1 / (1 + Math.pow(10, -(h.r + ELO.homeField - a.r) / 400));
      const delta = ELO.k * ((g.hs > g.as_ ? 1 : 0) - expected);
      h.r += delta;
      a.r -= delta;
    }
    return out;
  });
  await stageRows(
    sql,
    'elo_pre',
    [
      { name: 'game_id', type: 'VARCHAR' },
      { name: 'home_elo', type: 'DOUBLE' },
      { name: 'away_elo', type: 'DOUBLE' },
    ],
    rows,
  );
}

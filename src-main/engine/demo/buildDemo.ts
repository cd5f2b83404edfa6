import { BullpenError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { upsertGames } from '../data/gameWriter';
import { logImport } from '../data/importLog';
import { replaceOdds } from '../data/oddsWriter';
import { normalizeTeamAlias } from '../data/teamNames';
import { demoTeams, DEMO_LEAGUES } from './demoTeams';
import { generateLeague, type DemoOptions } from './generateLeague';
import { LEAGUE } from './leagueModel';

export const DEFAULT_DEMO: DemoOptions = { seed: 1, firstSeason: 2000, lastSeason: 2019, marketInefficiency: true, scoringShift: true };
/** Key in bullpen_meta under which the demo's description is stored, so every screen can say "synthetic". */
export const DEMO_META_KEY = 'demo';

export interface DemoProgress {
  progress(fraction: number, message?: string): void;
  throwIfCancelled(): void;
}

/**
 * Builds (or rebuilds) the synthetic demo league in the workspace in one transaction. Refuses a
 * workspace holding real games, so synthetic results never mix with real ones.
 */
export async function buildDemo(ws: Workspace, opts: DemoOptions, ctx?: DemoProgress) {
  if (opts.lastSeason < opts.firstSeason)
    throw new BullpenError('usage', 'BAD_SEASONS', `season range ${opts.firstSeason}-${opts.lastSeason} is empty: write it as 2000-2019`);
  const real = Number(await ws.value(`SELECT count(*) FROM games WHERE NOT synthetic`));
  if (real > 0) {
    throw new BullpenError(
      'conflict',
      'WORKSPACE_HAS_REAL_DATA',
      `this workspace holds ${real} real games; build the synthetic demo in its own workspace (--workspace PATH)`,
      { realGames: real },
    );
  }
  const startedAt = new Date();
  const { games, odds, shiftDate } = generateLeague(opts, (season, i, n) => {
    ctx?.throwIfCancelled();
    ctx?.progress((0.7 * i) / n, `simulating season ${season}`);
  });
  ctx?.progress(0.7, 'writing games and odds');
  const description = {
    synthetic: true as const,
    seed: opts.seed,
    seasons: `${opts.firstSeason}-${opts.lastSeason}`,
    games: games.length,
    effects: {
      marketInefficiency: opts.marketInefficiency
        ? `the book overrates a team on a winning streak of ${LEAGUE.streakThreshold}+ games by ${LEAGUE.streakBias} on the logit scale`
        : null,
      scoringShift: shiftDate
        ? `runs scale by ${LEAGUE.scoringShift} from ${shiftDate}; the book's totals lag ${LEAGUE.bookTotalsLagDays} days`
        : null,
    },
  };
  await ws.transaction(async (sql) => {
    await sql.run(`DELETE FROM odds WHERE synthetic`);
    await sql.run(`DELETE FROM games WHERE synthetic`);
    await sql.run(`DELETE FROM team_names WHERE synthetic`);
    await sql.run(`DELETE FROM teams WHERE synthetic`);
    for (const [i, t] of demoTeams.entries()) {
      await sql.run(`INSERT INTO teams VALUES (?, ?, ?, ?, ?, ?, NULL, true)`, [
        t.code,
        t.code,
        DEMO_LEAGUES[i < 15 ? 0 : 1],
        t.city,
        t.nickname,
        opts.firstSeason,
      ]);
      for (const [alias, kind] of [
        [`${t.city} ${t.nickname}`, 'name'],
        [t.code, 'code'],
      ]) {
        await sql.run(`INSERT INTO team_names VALUES (?, ?, ?, ?, NULL, NULL, true)`, [alias, normalizeTeamAlias(alias), t.code, kind]);
      }
    }
    ctx?.throwIfCancelled();
    await upsertGames(sql, games);
    ctx?.progress(0.85, 'writing odds');
    await replaceOdds(sql, odds, { source: `demo seed ${opts.seed}`, importId: `demo-${opts.seed}`, synthetic: true });
    await sql.run(`INSERT OR REPLACE INTO bullpen_meta VALUES (?, ?)`, [DEMO_META_KEY, JSON.stringify(description)]);
    await logImport(sql, `demo-${opts.seed}-${startedAt.getTime()}`, {
      kind: 'demo',
      files: [],
      startedAt,
      rowsRead: games.length,
      inserted: games.length,
      updated: 0,
      unmatched: 0,
      synthetic: true,
      details: description,
    });
  });
  ctx?.progress(1, 'demo league ready');
  return { ...description, oddsRows: odds.length };
}

/** What a demo build reports: the demo's description (as stored under DEMO_META_KEY) and the odds rows written. */
export type DemoSummary = Awaited<ReturnType<typeof buildDemo>>;

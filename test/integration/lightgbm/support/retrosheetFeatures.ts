// Real-data features for LightGBM tests and benchmarks, computed straight from Retrosheet game logs
// (../shared/data/retrosheet) without the feature store: each team's record before the game.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDataPath } from '../../../support/sharedData';
import type { SyntheticData } from './syntheticData';

export const RETROSHEET_FEATURES = [
  'home_win_rate',
  'home_runs_for',
  'home_runs_against',
  'home_last10_win_rate',
  'home_last10_run_diff',
  'home_games',
  'home_home_win_rate',
  'home_rest_days',
  'away_win_rate',
  'away_runs_for',
  'away_runs_against',
  'away_last10_win_rate',
  'away_last10_run_diff',
  'away_games',
  'away_away_win_rate',
  'away_rest_days',
  'month',
  'day_of_week',
  'night_game',
  'season_day',
] as const;

export function retrosheetDir(): string {
  return sharedDataPath('retrosheet');
}

export function hasRetrosheet(): boolean {
  return existsSync(join(retrosheetDir(), 'GL2016.TXT.gz'));
}

interface TeamState {
  games: number;
  wins: number;
  runsFor: number;
  runsAgainst: number;
  recent: { win: number; diff: number }[];
  venueGames: number;
  venueWins: number;
  lastDay: number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LAST_N = 10;

/**
 * One row per game of the given seasons with the home team's win as label. Rates before a team's
 * first game are NaN (missing), which LightGBM handles natively. Ties are dropped.
 */
export function retrosheetFeatures(seasons: readonly number[]): SyntheticData {
  const cols = RETROSHEET_FEATURES.length;
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const season of seasons) {
    const text = gunzipSync(readFileSync(join(retrosheetDir(), `GL${season}.TXT.gz`))).toString('latin1');
    const teams = new Map<string, TeamState>();
    const state = (team: string): TeamState => {
      let s = teams.get(team);
      if (!s) {
        s = { games: 0, wins: 0, runsFor: 0, runsAgainst: 0, recent: [], venueGames: 0, venueWins: 0, lastDay: Number.NaN };
        teams.set(team, s);
      }
      return s;
    };
    const homeVenue = new Map<string, { g: number; w: number }>();
    const awayVenue = new Map<string, { g: number; w: number }>();
    let firstDay = Number.NaN;
    for (const line of text.split('\n')) {
      if (line.length < 20) continue;
      const f = line.split(',').map((v) => v.replace(/^"|"$/g, ''));
      const date = f[0];
      const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000;
      if (Number.isNaN(firstDay)) firstDay = day;
      const away = f[3];
      const home = f[6];
      const awayRuns = Number(f[9]);
      const homeRuns = Number(f[10]);
      const h = state(home);
      const a = state(away);
      const hv = homeVenue.get(home) ?? { g: 0, w: 0 };
      const av = awayVenue.get(away) ?? { g: 0, w: 0 };
      if (homeRuns !== awayRuns) {
        rows.push([
          ...teamFeatures(h),
          hv.g > 0 ? hv.w / hv.g : Number.NaN,
          Number.isNaN(h.lastDay) ? Number.NaN : day - h.lastDay,
          ...teamFeatures(a),
          av.g > 0 ? av.w / av.g : Number.NaN,
          Number.isNaN(a.lastDay) ? Number.NaN : day - a.lastDay,
          Number(date.slice(4, 6)),
          DAYS.indexOf(f[2]),
          f[12] === 'N' ? 1 : 0,
          day - firstDay,
        ]);
        labels.push(homeRuns > awayRuns ? 1 : 0);
      }
      const homeWin = homeRuns > awayRuns ? 1 : 0;
      record(h, homeWin, homeRuns, awayRuns, day);
      record(a, homeRuns < awayRuns ? 1 : 0, awayRuns, homeRuns, day);
      homeVenue.set(home, { g: hv.g + 1, w: hv.w + homeWin });
      awayVenue.set(away, { g: av.g + 1, w: av.w + (homeRuns < awayRuns ? 1 : 0) });
    }
  }
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => data.set(row, r * cols));
  return { rows: rows.length, cols, data, label: Float64Array.from(labels) };
}

function teamFeatures(s: TeamState): number[] {
  const g = s.games;
  const recentWins = s.recent.reduce((sum, x) => sum + x.win, 0);
  const recentDiff = s.recent.reduce((sum, x) => sum + x.diff, 0);
  const n = s.recent.length;
  return [
    g > 0 ? s.wins / g : Number.NaN,
    g > 0 ? s.runsFor / g : Number.NaN,
    g > 0 ? s.runsAgainst / g : Number.NaN,
    n > 0 ? recentWins / n : Number.NaN,
    n > 0 ? recentDiff / n : Number.NaN,
    g,
  ];
}

function record(s: TeamState, win: number, runsFor: number, runsAgainst: number, day: number): void {
  s.games += 1;
  s.wins += win;
  s.runsFor += runsFor;
  s.runsAgainst += runsAgainst;
  s.recent.push({ win, diff: runsFor - runsAgainst });
  if (s.recent.length > LAST_N) s.recent.shift();
  s.lastDay = day;
}

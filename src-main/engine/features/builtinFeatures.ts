import type { FeatureDefinitionParsed } from './definitionSchema';

/**
 * The default feature set: every value computed from games strictly before the game's start, through
 * the point-in-time views of migration 003 and the Elo table. Registered as data (owner `bullpen`);
 * a user may register new versions of any of them like any other definition.
 */
const OWNER = 'bullpen';
const SLA = 24;
const PYTHAG_EXPONENT = 1.83;

type Side = 'home' | 'away';
const sides: Side[] = ['home', 'away'];
const sideFilter = (side: Side) => (side === 'home' ? 'is_home' : 'NOT is_home');

function teamFeature(
  side: Side,
  key: string,
  description: string,
  expr: string,
  tags: string[],
  dtype: 'double' | 'integer' = 'double',
): FeatureDefinitionParsed {
  return {
    name: `${side}_${key}`,
    description: `${side === 'home' ? 'Home' : 'Away'} team: ${description}`,
    dtype,
    computation: `SELECT game_id, ${expr} AS value FROM team_form_pre WHERE ${sideFilter(side)}`,
    dependencies: ['team_form_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['team-form', ...tags],
  };
}

function pitcherFeature(
  side: Side,
  key: string,
  description: string,
  expr: string,
  dtype: 'double' | 'integer' = 'double',
): FeatureDefinitionParsed {
  return {
    name: `${side}_sp_${key}`,
    description: `${side === 'home' ? 'Home' : 'Away'} starting pitcher: ${description}`,
    dtype,
    computation: `SELECT game_id, ${expr} AS value FROM sp_form_pre WHERE ${sideFilter(side)}`,
    dependencies: ['sp_form_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['starting-pitcher'],
  };
}

const ratio = (num: string, den: string) => `CASE WHEN ${den} > 0 THEN (${num})::DOUBLE / ${den} END`;

export const builtinFeatures: FeatureDefinitionParsed[] = [
  ...sides.flatMap((s) => [
    teamFeature(s, 'games_played_season', 'games played this season before this game', 'gp_season', ['season-to-date'], 'integer'),
    teamFeature(s, 'win_pct_season', 'season-to-date win %', ratio('wins_season', 'gp_season'), ['season-to-date']),
    teamFeature(s, 'runs_scored_pg_season', 'season-to-date runs scored per game', ratio('rs_season', 'gp_season'), ['season-to-date']),
    teamFeature(s, 'runs_allowed_pg_season', 'season-to-date runs allowed per game', ratio('ra_season', 'gp_season'), ['season-to-date']),
    teamFeature(s, 'run_diff_pg_season', 'season-to-date run differential per game', ratio('rs_season - ra_season', 'gp_season'), [
      'season-to-date',
    ]),
    teamFeature(
      s,
      'pythag_season',
      `season-to-date Pythagorean expectation (exponent ${PYTHAG_EXPONENT})`,
      `CASE WHEN rs_season + ra_season > 0 THEN pow(rs_season, ${PYTHAG_EXPONENT}) / (pow(rs_season, ${PYTHAG_EXPONENT}) + pow(ra_season, ${PYTHAG_EXPONENT})) END`,
      ['season-to-date'],
    ),
    teamFeature(s, 'win_pct_last10', 'win % over the last 10 games (across seasons)', 'win_pct_10', ['rolling']),
    teamFeature(s, 'run_diff_pg_last10', 'run differential per game over the last 10 games', 'rd_pg_10', ['rolling']),
    teamFeature(s, 'win_pct_last30', 'win % over the last 30 games (across seasons)', 'win_pct_30', ['rolling']),
    teamFeature(
      s,
      'venue_win_pct_season',
      s === 'home' ? 'season-to-date win % at home' : 'season-to-date win % on the road',
      'venue_win_pct',
      ['split', 'season-to-date'],
    ),
    teamFeature(s, 'rest_days', 'days since the previous game', 'rest_days', ['schedule'], 'integer'),
    teamFeature(s, 'streak', 'current win (+) or losing (-) streak this season', 'streak', ['streak'], 'integer'),
    pitcherFeature(s, 'starts', 'starts before this one (in the workspace)', 'starts', 'integer'),
    pitcherFeature(s, 'ra_last5', "team runs allowed per game in the pitcher's last 5 starts", 'ra_last5'),
    pitcherFeature(s, 'team_win_pct_season', "team win % in the pitcher's starts this season", 'win_pct_season'),
    pitcherFeature(s, 'rest_days', "days since the pitcher's previous start", 'rest_days', 'integer'),
  ]),
  {
    name: 'elo_home_pre',
    description: 'Home team Elo rating before the game (K=4, 1/3 regression to 1500 between seasons)',
    dtype: 'double',
    computation: 'SELECT game_id, home_elo AS value FROM elo_pre',
    dependencies: ['elo_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['elo', 'rating'],
  },
  {
    name: 'elo_away_pre',
    description: 'Away team Elo rating before the game',
    dtype: 'double',
    computation: 'SELECT game_id, away_elo AS value FROM elo_pre',
    dependencies: ['elo_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['elo', 'rating'],
  },
  {
    name: 'elo_diff',
    description: 'Home minus away Elo, plus the home-field bonus',
    dtype: 'double',
    computation: 'SELECT h.game_id, h.value - a.value + 24 AS value FROM feat_elo_home_pre h JOIN feat_elo_away_pre a USING (game_id)',
    dependencies: ['feature:elo_home_pre', 'feature:elo_away_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['elo', 'rating'],
  },
  {
    name: 'elo_home_win_prob',
    description: 'Home win probability implied by Elo',
    dtype: 'double',
    computation: 'SELECT game_id, 1 / (1 + pow(10, -value / 400)) AS value FROM feat_elo_diff',
    dependencies: ['feature:elo_diff'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['elo', 'probability'],
  },
  {
    name: 'park_run_factor',
    description: 'Runs per game at this park over the three previous seasons relative to the league (needs 60+ games)',
    dtype: 'double',
    computation: 'SELECT game_id, CASE WHEN park_games >= 60 THEN run_factor END AS value FROM park_factors_pre',
    dependencies: ['park_factors_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['park'],
  },
  {
    name: 'mkt_open_home_prob',
    description: 'Opening moneyline home win probability without vig (mean over books)',
    dtype: 'double',
    computation: 'SELECT game_id, open_p AS value FROM market_pre',
    dependencies: ['market_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['market'],
  },
  {
    name: 'mkt_close_home_prob',
    description: 'Closing moneyline home win probability without vig (mean over books)',
    dtype: 'double',
    computation: 'SELECT game_id, close_p AS value FROM market_pre',
    dependencies: ['market_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['market', 'closing-line'],
  },
  {
    name: 'mkt_line_move',
    description: 'Closing minus opening no-vig home probability',
    dtype: 'double',
    computation: 'SELECT game_id, close_p - open_p AS value FROM market_pre',
    dependencies: ['market_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['market', 'closing-line'],
  },
  {
    name: 'mkt_close_total',
    description: 'Closing total runs line (mean over books)',
    dtype: 'double',
    computation: 'SELECT game_id, close_total AS value FROM market_pre',
    dependencies: ['market_pre'],
    freshnessSlaHours: SLA,
    owner: OWNER,
    tags: ['market', 'total', 'closing-line'],
  },
];

export const DEFAULT_SET = 'default';

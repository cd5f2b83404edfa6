/**
 * The games table's columns, declared once: the migration, the Retrosheet importer, the generic games
 * importer, the demo league and the leakage guard all read this list, so they never disagree on names.
 */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE' | 'TIMESTAMPTZ' | 'BOOLEAN';

export interface GameColumn {
  name: string;
  type: ColumnType;
  /** 1-based field of the Retrosheet game log, when the column comes straight from one. */
  retro?: number;
  /** True when the value is known only after the game (the leakage guard perturbs these). */
  outcome?: boolean;
  description: string;
}

/** Box-score statistics a game log carries per team, in Retrosheet order (fields 22–49 and 50–77). */
export const boxStats = [
  ['ab', 'at bats'],
  ['h', 'hits'],
  ['d', 'doubles'],
  ['t', 'triples'],
  ['hr', 'home runs'],
  ['rbi', 'RBI'],
  ['sh', 'sacrifice hits'],
  ['sf', 'sacrifice flies'],
  ['hbp', 'hit by pitch'],
  ['bb', 'walks'],
  ['ibb', 'intentional walks'],
  ['k', 'strikeouts'],
  ['sb', 'stolen bases'],
  ['cs', 'caught stealing'],
  ['gidp', 'grounded into double plays'],
  ['ci', 'catcher interference'],
  ['lob', 'left on base'],
  ['pitchers', 'pitchers used'],
  ['ind_er', 'individual earned runs'],
  ['team_er', 'team earned runs'],
  ['wp', 'wild pitches'],
  ['balks', 'balks'],
  ['po', 'putouts'],
  ['a', 'assists'],
  ['e', 'errors'],
  ['pb', 'passed balls'],
  ['dp', 'double plays'],
  ['tp', 'triple plays'],
] as const;

const statColumns = (side: 'away' | 'home', first: number): GameColumn[] =>
  boxStats.map(([key, label], i) => ({
    name: `${side}_${key}`,
    type: 'INTEGER' as const,
    retro: first + i,
    outcome: true,
    description: `${side} team ${label}`,
  }));

export const gameColumns: GameColumn[] = [
  { name: 'game_id', type: 'VARCHAR', description: 'home team code + yyyymmdd + game number, e.g. PIT201604030' },
  { name: 'date', type: 'DATE', retro: 1, description: 'local date of the game' },
  { name: 'game_number', type: 'INTEGER', retro: 2, description: '0 single game, 1/2/3 doubleheader games' },
  { name: 'season', type: 'INTEGER', description: 'season (year of the date)' },
  { name: 'game_type', type: 'VARCHAR', description: 'regular | postseason | exhibition' },
  { name: 'status', type: 'VARCHAR', description: 'final | scheduled | postponed' },
  { name: 'start_time', type: 'TIMESTAMPTZ', description: 'scheduled start (UTC) where known' },
  { name: 'day_of_week', type: 'VARCHAR', retro: 3, description: 'Mon..Sun' },
  { name: 'away', type: 'VARCHAR', retro: 4, description: 'visiting team code' },
  { name: 'away_league', type: 'VARCHAR', retro: 5, description: 'visiting team league' },
  { name: 'away_game_no', type: 'INTEGER', retro: 6, description: "visiting team's game number in the season" },
  { name: 'home', type: 'VARCHAR', retro: 7, description: 'home team code' },
  { name: 'home_league', type: 'VARCHAR', retro: 8, description: 'home team league' },
  { name: 'home_game_no', type: 'INTEGER', retro: 9, description: "home team's game number in the season" },
  { name: 'away_score', type: 'INTEGER', retro: 10, outcome: true, description: 'visiting team runs (NULL until played)' },
  { name: 'home_score', type: 'INTEGER', retro: 11, outcome: true, description: 'home team runs (NULL until played)' },
  { name: 'outs', type: 'INTEGER', retro: 12, outcome: true, description: 'length of the game in outs' },
  { name: 'day_night', type: 'VARCHAR', retro: 13, description: 'D or N' },
  { name: 'completion', type: 'VARCHAR', retro: 14, outcome: true, description: 'completion information' },
  { name: 'forfeit', type: 'VARCHAR', retro: 15, outcome: true, description: 'forfeit information' },
  { name: 'protest', type: 'VARCHAR', retro: 16, outcome: true, description: 'protest information' },
  { name: 'park_id', type: 'VARCHAR', retro: 17, description: 'Retrosheet park id' },
  { name: 'attendance', type: 'INTEGER', retro: 18, outcome: true, description: 'attendance' },
  { name: 'duration_min', type: 'INTEGER', retro: 19, outcome: true, description: 'duration in minutes' },
  { name: 'away_line', type: 'VARCHAR', retro: 20, outcome: true, description: 'visiting line score' },
  { name: 'home_line', type: 'VARCHAR', retro: 21, outcome: true, description: 'home line score' },
  ...statColumns('away', 22),
  ...statColumns('home', 50),
  { name: 'ump_home_id', type: 'VARCHAR', retro: 78, description: 'home plate umpire id' },
  { name: 'ump_home_name', type: 'VARCHAR', retro: 79, description: 'home plate umpire name' },
  { name: 'away_manager_id', type: 'VARCHAR', retro: 90, description: 'visiting manager id' },
  { name: 'away_manager_name', type: 'VARCHAR', retro: 91, description: 'visiting manager name' },
  { name: 'home_manager_id', type: 'VARCHAR', retro: 92, description: 'home manager id' },
  { name: 'home_manager_name', type: 'VARCHAR', retro: 93, description: 'home manager name' },
  { name: 'win_pitcher_id', type: 'VARCHAR', retro: 94, outcome: true, description: 'winning pitcher id' },
  { name: 'win_pitcher_name', type: 'VARCHAR', retro: 95, outcome: true, description: 'winning pitcher name' },
  { name: 'loss_pitcher_id', type: 'VARCHAR', retro: 96, outcome: true, description: 'losing pitcher id' },
  { name: 'loss_pitcher_name', type: 'VARCHAR', retro: 97, outcome: true, description: 'losing pitcher name' },
  { name: 'save_pitcher_id', type: 'VARCHAR', retro: 98, outcome: true, description: 'saving pitcher id' },
  { name: 'save_pitcher_name', type: 'VARCHAR', retro: 99, outcome: true, description: 'saving pitcher name' },
  { name: 'away_sp_id', type: 'VARCHAR', retro: 102, description: 'visiting starting pitcher id' },
  { name: 'away_sp_name', type: 'VARCHAR', retro: 103, description: 'visiting starting pitcher name' },
  { name: 'home_sp_id', type: 'VARCHAR', retro: 104, description: 'home starting pitcher id' },
  { name: 'home_sp_name', type: 'VARCHAR', retro: 105, description: 'home starting pitcher name' },
  { name: 'additional_info', type: 'VARCHAR', retro: 160, description: 'additional information' },
  { name: 'acquisition', type: 'VARCHAR', retro: 161, description: 'acquisition information' },
  { name: 'synthetic', type: 'BOOLEAN', description: 'true for demo-league games' },
  { name: 'source', type: 'VARCHAR', description: 'file or generator the row came from' },
  { name: 'import_id', type: 'VARCHAR', description: 'the import that last wrote the row' },
];

export const gameColumnNames = gameColumns.map((c) => c.name);
export const outcomeColumns = gameColumns.filter((c) => c.outcome).map((c) => c.name);

/** CREATE TABLE body for games, derived from the column list. */
export function gamesTableDdl(table = 'games'): string {
  const cols = gameColumns.map((c) => {
    const notNull = ['game_id', 'date', 'game_number', 'season', 'away', 'home', 'status', 'game_type', 'synthetic'].includes(c.name);
    return `  ${c.name} ${c.type}${notNull ? ' NOT NULL' : ''}`;
  });
  return `CREATE TABLE ${table} (\n${cols.join(',\n')},\n  PRIMARY KEY (game_id)\n)`;
}

import type { Sql } from '../workspace/sql';
import { gameColumns } from './gameColumns';
import { stageRows, type StagedValue } from './stagingTable';

/** A games row in gameColumns order. */
export type GameRow = StagedValue[];

export const gameColumnIndex: Record<string, number> = Object.fromEntries(gameColumns.map((c, i) => [c.name, i]));

/** An empty row to fill by column name: every column null. */
export const emptyGameRow = (): GameRow => gameColumns.map(() => null);

/**
 * Replaces games by id inside the caller's transaction: re-importing a season updates its rows in
 * place (odds keyed by game id stay attached) and never duplicates them.
 */
export async function upsertGames(sql: Sql, rows: GameRow[]): Promise<{ inserted: number; updated: number }> {
  if (!rows.length) return { inserted: 0, updated: 0 };
  const select = await stageRows(sql, 'staged_games', gameColumns, rows);
  const updated = Number(await sql.value(`SELECT count(*) FROM games WHERE game_id IN (SELECT game_id FROM temp.staged_games)`));
  await sql.run(`DELETE FROM games WHERE game_id IN (SELECT game_id FROM temp.staged_games)`);
  await sql.run(`INSERT INTO games (${gameColumns.map((c) => c.name).join(', ')}) SELECT ${select} FROM temp.staged_games`);
  await sql.run(`DROP TABLE temp.staged_games`);
  return { inserted: rows.length - updated, updated };
}

export const makeGameId = (home: string, isoDate: string, gameNumber: number): string => `${home}${isoDate.replaceAll('-', '')}${gameNumber}`;

import type { Sql } from '../workspace/sql';
import { gameColumns } from './gameColumns';
import { findResultChanges, refuseResultChanges, type GameOrigin, type ResultChange } from './resultChanges';
import { stageRows, type StagedValue } from './stagingTable';

/** A games row in gameColumns order. */
export type GameRow = StagedValue[];

export const gameColumnIndex: Record<string, number> = Object.fromEntries(gameColumns.map((c, i) => [c.name, i]));

/** An empty row to fill by column name: every column null. */
export const emptyGameRow = (): GameRow => gameColumns.map(() => null);

export interface UpsertOptions {
  /** Let rows undo final results (a final game made scheduled again, a changed score); each one is returned. */
  replaceResults?: boolean;
  /** Where each row came from, so a refused change names its file and line. */
  origin?: (gameId: string) => GameOrigin | undefined;
}

/**
 * Replaces games by id inside the caller's transaction: re-importing a season updates its rows in
 * place (odds keyed by game id stay attached) and never duplicates them. A row that would undo a final
 * result is refused (the caller's transaction rolls back) unless `replaceResults` is set.
 */
export async function upsertGames(
  sql: Sql,
  rows: GameRow[],
  options: UpsertOptions = {},
): Promise<{ inserted: number; updated: number; changedResults: ResultChange[] }> {
  if (!rows.length) return { inserted: 0, updated: 0, changedResults: [] };
  const select = await stageRows(sql, 'staged_games', gameColumns, rows);
  const changedResults = await findResultChanges(sql, 'staged_games', options.origin);
  if (changedResults.length && !options.replaceResults) throw refuseResultChanges(changedResults);
  const updated = Number(await sql.value(`SELECT count(*) FROM games WHERE game_id IN (SELECT game_id FROM temp.staged_games)`));
  await sql.run(`DELETE FROM games WHERE game_id IN (SELECT game_id FROM temp.staged_games)`);
  await sql.run(`INSERT INTO games (${gameColumns.map((c) => c.name).join(', ')}) SELECT ${select} FROM temp.staged_games`);
  await sql.run(`DROP TABLE temp.staged_games`);
  return { inserted: rows.length - updated, updated, changedResults };
}

export const makeGameId = (home: string, isoDate: string, gameNumber: number): string =>
  `${home}${isoDate.replaceAll('-', '')}${gameNumber}`;

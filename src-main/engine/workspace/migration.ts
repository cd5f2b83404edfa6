import type { Sql } from './sql';

/** One schema change. Versions only grow; a released migration is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  up(sql: Sql): Promise<void>;
}

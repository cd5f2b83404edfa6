import type { Migration } from '../migration';

/**
 * Keys Bullpen itself recorded as text although the text can look like a number ("2016" seasons, a
 * model or CV run named "42"): their old rows stay strings. Every other old value is read the way it
 * was written, JSON-encoded unless it was a string.
 */
export const TEXT_PARAM_KEYS = [
  'trainSeasons',
  'validSeasons',
  'seasons',
  'model',
  'cvRun',
  'materialization',
  'scheme',
  'strategies',
  'strategy',
  'kind',
  'odds',
] as const;

/** The text JSON.stringify gives a finite number: what the old writer stored for number params. */
const NUMBER_TEXT = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$';

/**
 * Run parameters keep their type (number, string, boolean) beside their text, so 0.05 reads back as a
 * number and "2016" as a string. The text stays the value's canonical form, so text search and
 * `param.KEY=VALUE` filters work as before. Old rows get the type their text shows; `null` rows (a
 * setting that did not apply, like early stopping without a validation window) are dropped, as the
 * writer now records nothing for them.
 */
export const typedParamsMigration: Migration = {
  version: 6,
  name: 'runs: run parameters stored with their type (number, string, boolean)',
  async up(sql) {
    const textKeys = TEXT_PARAM_KEYS.map((k) => `'${k}'`).join(', ');
    await sql.run(`CREATE TABLE run_params_typed (
      run_id VARCHAR NOT NULL,
      key VARCHAR NOT NULL,
      value VARCHAR NOT NULL,
      value_type VARCHAR NOT NULL CHECK (value_type IN ('string', 'number', 'boolean')),
      PRIMARY KEY (run_id, key)
    )`);
    await sql.run(`INSERT INTO run_params_typed
      SELECT run_id, key, value,
        CASE
          WHEN key IN (${textKeys}) THEN 'string'
          WHEN value IN ('true', 'false') THEN 'boolean'
          WHEN regexp_full_match(value, '${NUMBER_TEXT}') THEN 'number'
          ELSE 'string'
        END
      FROM run_params
      WHERE value <> 'null' OR key IN (${textKeys})`);
    await sql.run(`DROP TABLE run_params`);
    await sql.run(`ALTER TABLE run_params_typed RENAME TO run_params`);
  },
};

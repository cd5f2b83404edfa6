import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { BullpenError, inputError } from '../../shared/errors';
import { writeAtomically } from '../files/atomicWrite';
import type { Workspace } from '../workspace/workspace';

/** Columns that identify a row of a prediction input file (FORMATS.md, "Prediction input"); any subset, at least game_id or date+home+away. */
export const ID_COLUMNS = ['game_id', 'date', 'home', 'away'] as const;

export interface PredictionInput {
  /** The identifying columns present in the file, in ID_COLUMNS order, as text per row. */
  ids: { name: string; values: string[] }[];
  rows: number;
  /** Row-major rows × featureNames.length, NaN where a value is empty (LightGBM's missing value). */
  x: Float64Array<ArrayBuffer>;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const isParquet = (file: string) => extname(file).toLowerCase() === '.parquet';
const reader = (file: string) => (isParquet(file) ? 'read_parquet(?)' : 'read_csv(?, header = true)');

/** Paths come from the caller (the CLI makes them absolute); a relative one would land in the engine's directory. */
export function assertAbsolute(path: string, flag: string): void {
  if (!isAbsolute(path)) {
    throw new BullpenError(
      'usage',
      'PATH_NOT_ABSOLUTE',
      `${flag} ${path} is relative: give an absolute path (the CLI resolves it against your working directory)`,
      { path },
    );
  }
}

/**
 * The identifying columns of a prediction input file, after checking its header: an id (game_id, or date +
 * home + away) and every feature of the model by name (extra columns are ignored).
 */
export async function checkPredictionInput(ws: Workspace, file: string, featureNames: string[]): Promise<(typeof ID_COLUMNS)[number][]> {
  let header: string[];
  try {
    header = (await ws.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader(file)}`, [file])).map((r) => r.column_name);
  } catch (err) {
    throw inputError('FILE_UNREADABLE', `cannot read ${file} as ${isParquet(file) ? 'Parquet' : 'CSV'}: ${(err as Error).message}`, {
      file,
    });
  }
  const ids = ID_COLUMNS.filter((c) => header.includes(c));
  if (!ids.includes('game_id') && !(ids.includes('date') && ids.includes('home') && ids.includes('away'))) {
    throw inputError('MISSING_ID_COLUMNS', `${file}: needs a game_id column, or date, home and away, to say which game each row is`, {
      file,
      header,
    });
  }
  const missing = featureNames.filter((f) => !header.includes(f));
  if (missing.length) {
    throw inputError(
      'MISSING_FEATURE_COLUMNS',
      `${file}: missing feature column(s) ${missing.join(', ')} (the model needs ${featureNames.length} columns by name)`,
      { file, missing },
    );
  }
  return ids;
}

/** Reads a prediction input file (checked as above); values that are not numbers are input errors. */
export async function readPredictionInput(ws: Workspace, file: string, featureNames: string[]): Promise<PredictionInput> {
  const ids = await checkPredictionInput(ws, file, featureNames);
  const select = [
    ...ids.map((c, k) => `CAST(${quoteIdent(c)} AS VARCHAR) AS id${k}`),
    ...featureNames.map(
      (f, j) =>
        `TRY_CAST(${quoteIdent(f)} AS DOUBLE) AS f${j}, (${quoteIdent(f)} IS NOT NULL AND TRY_CAST(${quoteIdent(f)} AS DOUBLE) IS NULL) AS bad${j}`,
    ),
  ].join(', ');
  const records = await ws.all<Record<string, unknown>>(`SELECT ${select} FROM ${reader(file)}`, [file]);
  if (records.length === 0) throw inputError('NO_ROWS', `${file} has no rows to score`, { file });
  const cols = featureNames.length;
  const x = new Float64Array(records.length * cols);
  records.forEach((r, i) => {
    for (let j = 0; j < cols; j++) {
      if (r[`bad${j}`] === true) {
        throw inputError('INVALID_NUMBER', `${file}: row ${i + 1}, column ${featureNames[j]} is not a number`, {
          file,
          row: i + 1,
          column: featureNames[j],
        });
      }
      const v = r[`f${j}`];
      x[i * cols + j] = v === null || v === undefined ? Number.NaN : Number(v);
    }
  });
  return {
    ids: ids.map((c, k) => ({
      name: c,
      values: records.map((r) => (r[`id${k}`] === null || r[`id${k}`] === undefined ? '' : String(r[`id${k}`]))),
    })),
    rows: records.length,
    x,
  };
}

const csvField = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * Writes the identifying columns and `p` as CSV, or as Parquet (through DuckDB) when the name ends in
 * .parquet; the file appears whole or not at all, and never replaces the workspace or a DuckDB file.
 */
export async function writePredictions(
  ws: Workspace,
  out: string,
  ids: { name: string; values: string[] }[],
  p: ArrayLike<number>,
): Promise<void> {
  const lines = [[...ids.map((c) => c.name), 'p'].join(',')];
  for (let i = 0; i < p.length; i++) lines.push([...ids.map((c) => csvField(c.values[i])), String(p[i])].join(','));
  const csv = `${lines.join('\n')}\n`;
  await writeAtomically(
    out,
    async (temp) => {
      if (!isParquet(out)) {
        writeFileSync(temp, csv);
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'bullpen-predict-'));
      try {
        const tmp = join(dir, 'predictions.csv');
        writeFileSync(tmp, csv);
        const types = `{${[...ids.map((c) => `'${c.name}': 'VARCHAR'`), `'p': 'DOUBLE'`].join(', ')}}`;
        await ws.run(
          `COPY (SELECT * FROM read_csv(?, header = true, columns = ${types})) TO '${temp.replaceAll("'", "''")}' (FORMAT parquet)`,
          [tmp],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { workspacePath: ws.path },
  );
}

import { Dataset, trainWithResult } from '@bullpen/lightgbm';
// The package index does not re-export the addon; its parameter table is the only exact list of names.
import { native } from '@bullpen/lightgbm/dist/native';
import type { LgbParams } from './options';
import { editDistance } from '../../../src-main/shared/editDistance';

/** Rows of the probe data set: enough for LightGBM to bin and split, small enough to be instant. */
const PROBE_ROWS = 256;

let knownNames: Set<string> | undefined;

/** Every parameter name and alias this LightGBM build accepts. */
export function lightgbmParameterNames(): Set<string> {
  if (!knownNames) {
    const aliases = JSON.parse(native().dumpParamAliases()) as Record<string, string[]>;
    knownNames = new Set(Object.entries(aliases).flatMap(([name, list]) => [name, ...list]));
  }
  return knownNames;
}

/** The closest known name, when it is close enough to be a typo. */
function suggestion(key: string, names: Set<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = editDistance(key, n);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : null;
}

/** LightGBM's message without the C++ source location, rephrased where LightGBM's wording says nothing to a user. */
export function plainLightgbmMessage(message: string, params: Record<string, unknown>): string {
  const text = message
    .replace(/^.*?LightGBM:\s*/, '')
    .replace(/\s+at \S+, line \d+\s*\.?\s*$/, '')
    .trim();
  const check = /^Check failed: \((\w+)\) ([<>=!]+) \(([^)]*)\)/.exec(text);
  if (check) return `${check[1]} must be ${check[2]} ${check[3]} (got ${JSON.stringify(params[check[1]])})`;
  const token = /^Unknown token (.+) in data file$/.exec(text);
  if (token) {
    const key = Object.keys(params).find((k) => String(params[k]) === token[1]);
    if (key) return `${key} must be a number (got ${JSON.stringify(params[key])})`;
  }
  return text;
}

export interface ParamCheckInput {
  /** The parameters a run would train with (defaults merged with the user's). */
  params: LgbParams;
  /** The keys the user gave: only these are checked for spelling. */
  userKeys: string[];
  /** Feature columns of the real matrix, so per-feature parameters (monotone constraints, …) are checked at their real length. */
  cols: number;
}

/**
 * Checks LightGBM parameters before a job starts: unknown names (with the closest known one) and values
 * LightGBM refuses, found by building and boosting one round on a small probe data set.
 * Answers with the problems rather than throwing, so the engine can report them as bad input.
 */
export async function checkLightgbmParams(p: ParamCheckInput): Promise<string[]> {
  const names = lightgbmParameterNames();
  const problems: string[] = [];
  for (const key of p.userKeys) {
    if (names.has(key)) continue;
    const near = suggestion(key, names);
    problems.push(`unknown LightGBM parameter ${key}${near ? ` (did you mean ${near}?)` : ''}`);
  }
  if (problems.length) return problems;
  const x = new Float64Array(PROBE_ROWS * p.cols);
  const y = new Float64Array(PROBE_ROWS);
  for (let i = 0; i < PROBE_ROWS; i++) {
    y[i] = i % 2;
    for (let j = 0; j < p.cols; j++) x[i * p.cols + j] = ((i * 31 + j * 17) % 97) / 97 + y[i] * 0.1;
  }
  const params = { ...p.params, num_threads: 1, verbosity: -1 };
  let data: Dataset | null = null;
  try {
    data = Dataset.fromMatrix(x, { rows: PROBE_ROWS, cols: p.cols, label: y, params });
    const { booster } = await trainWithResult(params, data, { numBoostRound: 1 });
    booster.free();
  } catch (err) {
    problems.push(plainLightgbmMessage(err instanceof Error ? err.message : String(err), p.params));
  } finally {
    data?.free();
  }
  return problems;
}

import type { CheckParamsPayload } from '../../../src-workers/tasks/checkParams';
import { inputError } from '../../shared/errors';
import { parseSeasons } from './featureMatrix';
import type { WorkerPool } from '../workers/workerPool';
import type { DataService } from '../data/dataService';
import { resolveParams } from './defaultParams';

/** Seasons as a short text: 2000-2014, 2016. */
export function seasonRanges(seasons: readonly number[]): string {
  const sorted = [...new Set(seasons)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Parses a season option and refuses seasons the workspace has no games for (with results, when
 * `finished`), before a job starts: the user sees the cause at once, as bad input, not as a failed job.
 */
export async function assertSeasonsHaveGames(
  data: Pick<DataService, 'seasons'>,
  spec: string | undefined,
  option: string,
  finished: boolean,
): Promise<number[]> {
  const seasons = parseSeasons(spec) ?? [];
  if (seasons.length === 0) return seasons;
  const have = await data.seasons({ finished });
  const missing = seasons.filter((s) => !have.includes(s));
  if (missing.length) {
    const kind = finished ? 'games with results' : 'games';
    throw inputError(
      'NO_GAMES_IN_SEASONS',
      `${option} ${spec}: the workspace has no ${kind} in ${seasonRanges(missing)} (it has ${have.length ? seasonRanges(have) : 'none'}); import them first (bullpen data status)`,
      { option, seasons: spec, missing, available: have },
    );
  }
  return seasons;
}

/**
 * Refuses LightGBM parameters the library would reject (unknown names, bad values, values of the wrong
 * type) before a job starts; the check runs in a worker because only workers load LightGBM.
 */
export async function assertLightgbmParams(pool: WorkerPool, user: Record<string, unknown> | undefined, cols: number): Promise<void> {
  if (!user || Object.keys(user).length === 0) return;
  for (const [key, value] of Object.entries(user)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw inputError('BAD_PARAMS', `--params: ${key} must be a number, text or true/false (got ${JSON.stringify(value)})`, {
        key,
        value,
      });
    }
  }
  const payload: CheckParamsPayload = { params: resolveParams(user, 0), userKeys: Object.keys(user), cols };
  const { problems } = await pool.run('checkParams', payload);
  if (problems.length) throw inputError('BAD_PARAMS', `--params: ${problems.join('; ')}`, { problems });
}

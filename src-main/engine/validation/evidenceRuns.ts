import type { OddsSide } from '../../shared/vocabulary';
import type { RunService } from '../tracking/runService';
import type { RunSummary } from '../tracking/runTypes';

/** A run validation read its evidence from, and whether it already existed. */
export interface EvidenceRun {
  id: string;
  name: string;
  reused: boolean;
}

/**
 * The newest completed run of `kind` whose recorded parameters equal `params` (as text), started after the
 * model was trained and holding `artifact`: the CV or backtest a user already ran is reused, not repeated.
 */
export async function findReusableRun(
  runs: RunService,
  kind: 'cv' | 'backtest',
  params: Record<string, string | number>,
  artifact: string,
  notBefore: string,
): Promise<RunSummary | null> {
  const candidates = await runs.list({
    kind,
    status: 'completed',
    topLevel: true,
    filters: Object.entries(params).map(([k, v]) => `param.${k}=${v}`),
    sort: 'startedAt',
    order: 'desc',
    limit: 20,
  });
  for (const run of candidates) {
    if (Date.parse(run.startedAt) < Date.parse(notBefore)) continue;
    if (!Object.entries(params).every(([k, v]) => String(run.params[k]) === String(v))) continue;
    if ((await runs.artifact(run.id, artifact)) === undefined) continue;
    return run;
  }
  return null;
}

/** What a backtest that validation reuses must have been bet with (the predictions do not depend on the staking). */
export function backtestMatch(model: string, seasons: string, odds: OddsSide): Record<string, string> {
  return { model, seasons, odds };
}

import { writeFileSync } from 'node:fs';
import { BullpenError } from '../../shared/errors';
import type { SweepSummary, SweepTrial } from '../../shared/results/sweep';
import { DEFAULT_SEARCH_SPACE } from '../../shared/sweep/distributions';
import type { EngineDeps } from '../engineDeps';
import { writeAtomically } from '../files/atomicWrite';
import { SWEEP_TRIALS_TAG } from '../validation/validateModel';
import { optunaJournal } from './optunaJournal';
import { parseSearchSpace, spaceToYaml } from './spaceFile';
import { sweepBaseParams } from './sweepSetup';
import type { SweepRecord } from './sweepStorage';
import { rankTrials, summarize } from './sweepSummary';
import type { TrainInput } from '../training/trainModel';

/** A `running` sweep whose job is gone (the process died) reads `interrupted`, as runs do. */
function withLiveStatus(deps: EngineDeps, r: SweepRecord): SweepRecord {
  if (r.status !== 'running') return r;
  return r.jobId !== null && deps.jobs.liveIds().includes(r.jobId) ? r : { ...r, status: 'interrupted' };
}

/** A sweep's summary: the one written when it finished, or one computed from its trials while it runs. */
export async function showSweep(deps: EngineDeps, ref: string): Promise<SweepSummary> {
  const record = withLiveStatus(deps, await deps.sweeps.get(ref));
  if (record.summary && record.status === 'completed') return record.summary;
  const live = summarize(record, await deps.sweeps.trials(record.id), {
    deflatedSharpe: record.summary?.deflatedSharpe ?? null,
    pbo: record.summary?.pbo ?? null,
    paramImportance: record.summary?.paramImportance ?? [],
    timings: record.summary?.timings ?? null,
  });
  return live;
}

export async function listSweeps(deps: EngineDeps, limit: number): Promise<SweepSummary[]> {
  const records = await deps.sweeps.list(limit);
  return Promise.all(records.map((r) => showSweep(deps, r.id)));
}

export async function sweepTrials(deps: EngineDeps, ref: string): Promise<{ sweepId: string; trials: SweepTrial[] }> {
  const record = await deps.sweeps.get(ref);
  const trials = await deps.sweeps.trials(record.id);
  return {
    sweepId: record.id,
    trials: trials.map((t) => ({
      number: t.number,
      state: t.state,
      params: t.params,
      values: t.values,
      intermediate: t.intermediate,
      durationMs: t.durationMs,
      prunedAt: t.prunedAt,
      reason: t.reason,
      runId: t.runId,
      attempt: t.attempt,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
    })),
  };
}

/** The LightGBM parameters a trial trained with (what `ml train --params` takes to train the same way). */
function trialLgbParams(record: SweepRecord, params: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const { seed: _seed, ...base } = sweepBaseParams(record.config.seed);
  return { ...base, ...record.config.fixed, ...params };
}

export async function bestOfSweep(deps: EngineDeps, ref: string) {
  const summary = await showSweep(deps, ref);
  const record = await deps.sweeps.get(summary.sweepId);
  return {
    sweepId: summary.sweepId,
    best: summary.best,
    paretoFront: summary.paretoFront,
    lgbParams: summary.best ? trialLgbParams(record, summary.best.params) : null,
  };
}

/**
 * What `ml sweeps train` trains: the chosen trial's parameters on the sweep's seasons, the last one
 * held out for early stopping (as each CV fold held out its latest games), tagged with the number of
 * trials it was chosen from so validation deflates its Sharpe for them.
 */
export async function sweepTrainInput(
  deps: EngineDeps,
  ref: string,
  name: string | undefined,
  trialNumber: number | undefined,
): Promise<TrainInput> {
  const record = await deps.sweeps.get(ref);
  const trials = await deps.sweeps.trials(record.id);
  const chosen = trialNumber === undefined ? rankTrials(record.config, trials)[0] : trials.find((t) => t.number === trialNumber);
  if (!chosen)
    throw new BullpenError(
      'usage',
      trialNumber === undefined ? 'SWEEP_HAS_NO_BEST' : 'TRIAL_NOT_FOUND',
      trialNumber === undefined ? `sweep ${record.name} has no complete trial yet` : `sweep ${record.name} has no trial ${trialNumber}`,
    );
  if (chosen.state !== 'complete')
    throw new BullpenError(
      'usage',
      'TRIAL_NOT_COMPLETE',
      `trial ${chosen.number} of sweep ${record.name} is ${chosen.state}: choose a complete trial`,
    );
  const seasons = record.config.seasons
    ? (record.config.seasons.match(/\d{4}/g) ?? []).map(Number)
    : await deps.data.seasons({ finished: true });
  const all = [...new Set(seasons)].sort((a, b) => a - b);
  if (record.config.seasons && /-/.test(record.config.seasons)) {
    const [a, b] = [all[0], all[all.length - 1]];
    all.splice(0, all.length, ...Array.from({ length: b - a + 1 }, (_, i) => a + i));
  }
  if (all.length < 2)
    throw new BullpenError(
      'usage',
      'SWEEP_TRAIN_NEEDS_SEASONS',
      `training the final model needs two seasons or more (one held out for early stopping)`,
    );
  const train = `${all[0]}-${all[all.length - 2]}`;
  return {
    target: record.config.target,
    features: record.config.features,
    train,
    valid: String(all[all.length - 1]),
    params: trialLgbParams(record, chosen.params),
    seed: record.config.seed,
    numBoostRound: record.config.numBoostRound,
    earlyStoppingRounds: record.config.earlyStoppingRounds,
    ...(name !== undefined ? { name } : {}),
    tags: {
      [SWEEP_TRIALS_TAG]: String(trials.filter((t) => t.state !== 'running').length),
      'sweep.id': record.id,
      'sweep.trial': String(chosen.number),
    },
  };
}

export async function exportSweepJournal(deps: EngineDeps, ref: string, out: string) {
  const record = await deps.sweeps.get(ref);
  const trials = await deps.sweeps.trials(record.id);
  const text = optunaJournal(withLiveStatus(deps, record), trials);
  await writeAtomically(out, (temp) => writeFileSync(temp, text), { workspacePath: deps.workspace.path });
  return { sweepId: record.id, out, trials: trials.length, studyName: record.name, bytes: Buffer.byteLength(text) };
}

export function checkSpace(text: string | undefined) {
  if (text === undefined || text.trim() === '')
    return { space: DEFAULT_SEARCH_SPACE, text: spaceToYaml(DEFAULT_SEARCH_SPACE), isDefault: true };
  const space = parseSearchSpace(text, 'the search space text');
  return { space, text: spaceToYaml(space), isDefault: false };
}

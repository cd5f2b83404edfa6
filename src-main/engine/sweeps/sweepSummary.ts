import { bestOfNOverfitting, pairedImprovement } from '../../../src-workers/compute/sweep/bestOfN';
import { hypervolumeOfLosses, paretoFront, referencePoint, toLoss } from '../../../src-workers/compute/sweep/pareto';
import type { JobResultValue } from '../../shared/results';
import type { SweepConfig, SweepSummary } from '../../shared/results/sweep';
import { objectiveDirection } from '../../shared/sweep/trials';
import type { EngineDeps } from '../engineDeps';
import type { StoredTrial, SweepRecord } from './sweepStorage';

export type SweepOutcome = JobResultValue<'ml.optimize'>;

type Timings = NonNullable<SweepSummary['timings']>;

const asBest = (t: StoredTrial) => ({ trialNumber: t.number, params: t.params, values: t.values ?? [] });

/** Trials ranked best first by the first objective (ties: the earlier trial). */
export function rankTrials(config: SweepConfig, trials: readonly StoredTrial[]): StoredTrial[] {
  const sign = objectiveDirection[config.objectives[0]] === 'minimize' ? 1 : -1;
  return trials
    .filter((t) => t.state === 'complete' && t.values)
    .sort((a, b) => sign * (a.values![0] - b.values![0]) || a.number - b.number);
}

/**
 * A sweep's summary from its stored trials: counts, best, Pareto front and hypervolume, the improvement
 * over LightGBM's defaults paired over folds. Importance and the best-of-N statistics are computed once,
 * when the sweep finishes, and carried from `previous`.
 */
export function summarize(
  record: SweepRecord,
  trials: readonly StoredTrial[],
  extras: Pick<SweepSummary, 'deflatedSharpe' | 'pbo' | 'paramImportance' | 'timings'> = {
    deflatedSharpe: null,
    pbo: null,
    paramImportance: [],
    timings: null,
  },
): SweepSummary {
  const config = record.config;
  const directions = config.objectives.map((o) => objectiveDirection[o]);
  const ranked = rankTrials(config, trials);
  const best = ranked[0] ?? null;
  const complete = trials.filter((t) => t.state === 'complete' && t.values);
  let front: StoredTrial[] = best ? [best] : [];
  let hv: number | null = null;
  if (config.objectives.length > 1 && complete.length > 0) {
    const values = complete.map((t) => t.values!);
    front = paretoFront(values, directions).map((i) => complete[i]);
    // Optuna's reference point: 10% beyond the worst of every objective over the complete trials.
    const ref = referencePoint(values.map((v) => toLoss(v, directions)));
    hv = hypervolumeOfLosses(
      front.map((t) => toLoss(t.values!, directions)),
      ref,
    );
  }
  const baseline = record.baseline;
  const improvement =
    best && baseline && best.foldValues
      ? {
          objective: config.objectives[0],
          defaultValue: baseline.values[0],
          bestValue: best.values![0],
          ...pairedImprovement(
            baseline.foldValues.map((f) => f[0]),
            best.foldValues.map((f) => f[0]),
            directions[0],
          ),
        }
      : null;
  const count = (state: StoredTrial['state']) => trials.filter((t) => t.state === state).length;
  return {
    sweepId: record.id,
    name: record.name,
    status: record.status,
    sampler: config.sampler,
    objectives: config.objectives,
    trials: config.trials,
    completed: count('complete'),
    pruned: count('pruned'),
    failed: count('fail'),
    running: count('running'),
    best: best ? asBest(best) : null,
    defaultParams: { params: baseline?.params ?? config.fixed, values: baseline?.values ?? null },
    improvement,
    paretoFront: front.map(asBest),
    hypervolume: hv,
    deflatedSharpe: extras.deflatedSharpe,
    pbo: extras.pbo,
    paramImportance: extras.paramImportance,
    runId: record.runId,
    jobId: record.jobId,
    config,
    timings: extras.timings,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}

/** Parameter importance from a surrogate fitted in a worker (fewer than a handful of trials: none). */
async function importance(deps: EngineDeps, config: SweepConfig, trials: readonly StoredTrial[]): Promise<SweepSummary['paramImportance']> {
  const complete = trials.filter((t) => t.state === 'complete' && t.values);
  if (complete.length < 8) return [];
  const result = await deps.pool.run('sweepImportance', {
    space: config.space,
    trials: complete.map((t) => ({ params: t.params, value: t.values![0] })),
    seed: config.seed,
  });
  return result.importance;
}

/** The finished sweep's summary: written to the sweep, and the sweep's run completed with it. */
export async function buildSweepSummary(
  deps: EngineDeps,
  record: SweepRecord,
  config: SweepConfig,
  timings: Timings,
): Promise<SweepOutcome> {
  const trials = await deps.sweeps.trials(record.id);
  const ranked = rankTrials(config, trials);
  const withReturns = ranked.filter((t) => t.dailyReturns);
  const overfit =
    withReturns.length >= 2
      ? bestOfNOverfitting(
          withReturns.map((t) => t.dailyReturns!),
          0,
        )
      : { deflatedSharpe: null, pbo: null };
  const finishedAt = new Date().toISOString();
  const done: SweepRecord = { ...record, config, status: 'completed', finishedAt };
  const summary = summarize(done, trials, {
    deflatedSharpe: overfit.deflatedSharpe,
    pbo: overfit.pbo,
    paramImportance: await importance(deps, config, trials),
    timings,
  });
  await deps.sweeps.update(record.id, { status: 'completed', summary, finishedAt, error: null });
  if (record.runId) {
    const best = summary.best;
    await deps.runs.finish(record.runId, {
      metrics: [
        { key: 'trials', value: trials.length },
        { key: 'completed', value: summary.completed },
        { key: 'pruned', value: summary.pruned },
        { key: 'failed', value: summary.failed },
        ...(best ? config.objectives.map((k, i) => ({ key: `best.${k}`, value: best.values[i] })) : []),
        ...(summary.improvement?.relative != null ? [{ key: 'improvement.relative', value: summary.improvement.relative }] : []),
        ...(summary.deflatedSharpe != null ? [{ key: 'deflatedSharpe', value: summary.deflatedSharpe }] : []),
        ...(summary.pbo != null ? [{ key: 'pbo', value: summary.pbo }] : []),
      ],
      tags: { 'sweep.best': best ? String(best.trialNumber) : 'none', 'sweep.trials': String(trials.length) },
    });
  }
  return summary;
}

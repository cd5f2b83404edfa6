import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { toDayNumbers } from '../../../src-workers/compute/cv';
import type { EvidenceGames, ValidationEvidence } from '../../../src-workers/compute/validation/evidence';
import { BullpenError, inputError } from '../../shared/errors';
import { decodeArtifact, type JobResultValue } from '../../shared/results';
import type { ValidationPolicy } from '../../shared/validationPolicy';
import type { EngineDeps } from '../engineDeps';
import { backtestModel } from '../evaluation/backtest/backtestModel';
import { runCv } from '../evaluation/cv/runCv';
import { writeAtomically } from '../files/atomicWrite';
import type { JobContext } from '../jobs/jobContext';
import type { JobSpec } from '../jobs/jobSpec';
import { loadFeatureMatrix, parseSeasons, type Target } from '../modeling/featureMatrix';
import { assertSeasonsHaveGames, seasonRanges } from '../modeling/jobPrechecks';
import { marketPrices } from '../modeling/matrixRows';
import type { StoredModel } from '../tracking/modelService';
import { trackRun } from '../tracking/trackRun';
import { pathPredictions } from '../evaluation/cv/cvPaths';
import { backtestMatch, findReusableRun, type EvidenceRun } from './evidenceRuns';
import { jobSlice } from './jobSlice';
import { parseValidationPolicy } from './policyFile';
import { renderValidationReport } from './reportHtml';
import { VALIDATION_TAGS } from './runValidations';
import { buildValidationReport, validationRunStart, type ValidationPlan } from './validationReport';

export interface ValidateInput {
  model: string;
  /** A policy file the caller may read (checked by the API layer). */
  policy?: string;
  seasons?: string;
  /** Where to write the HTML page as well (checked by the API layer). */
  out?: string;
  name?: string;
}

export type ValidateOutcome = JobResultValue<'ml.validate'>;

/** Tag on a training run set by a sweep: how many trials the model was chosen from (deflates its Sharpe). */
export const SWEEP_TRIALS_TAG = 'sweep.trials';

/** The policy a validation is held to: a file given with --policy, else the workspace's. */
async function resolvePolicy(deps: EngineDeps, input: ValidateInput): Promise<{ policy: ValidationPolicy; source: 'file' | 'workspace' }> {
  if (input.policy) {
    let text: string;
    try {
      text = await readFile(input.policy, 'utf8');
    } catch (err) {
      throw inputError('POLICY_UNREADABLE', `cannot read policy file ${input.policy}: ${(err as Error).message}`, { file: input.policy });
    }
    return { policy: parseValidationPolicy(text, input.policy), source: 'file' };
  }
  return { policy: (await deps.validations.policy()).policy, source: 'workspace' };
}

/** Seasons with graded games that start after everything the model saw: the default holdout window. */
async function holdoutSeasons(deps: EngineDeps, model: StoredModel, spec: string | undefined): Promise<number[]> {
  if (spec) return parseSeasons(spec) ?? [];
  const lastSeen = Number(model.lastTrainingDate.slice(0, 4));
  return (await deps.data.seasons({ finished: true })).filter((s) => s > lastSeen);
}

/** Refusals before the job starts: an unknown model, an unreadable or invalid policy (exit 3), seasons without games. */
export async function precheckValidate(deps: EngineDeps, input: ValidateInput): Promise<void> {
  const model = await deps.models.get(input.model);
  await resolvePolicy(deps, input);
  const seasons = await assertSeasonsHaveGames(deps.data, input.seasons, '--seasons', true);
  if (seasons.length && Math.min(...seasons) <= Number(model.lastTrainingDate.slice(0, 4)))
    throw inputError(
      'VALIDATION_IN_SAMPLE',
      `--seasons ${input.seasons}: model ${model.name} saw games up to ${model.lastTrainingDate}; validate it on later seasons, or leave --seasons out to use walk-forward out-of-fold predictions`,
      { model: model.name, lastTrainingDate: model.lastTrainingDate },
    );
}

/** Reads a run's artifact by its schema; a missing or unreadable one is a bug in the run validation just used. */
async function artifactOf<K extends 'predictions.csv' | 'importance.json' | 'oof.csv' | 'paths.json'>(
  deps: EngineDeps,
  runId: string,
  name: K,
) {
  const text = await deps.runs.artifact(runId, name);
  const decoded = text === undefined ? null : decodeArtifact(name, text);
  if (!decoded?.ok)
    throw new BullpenError('internal', 'VALIDATION_EVIDENCE_MISSING', `run ${runId.slice(0, 8)} has no readable ${name}`, { runId, name });
  return decoded.data;
}

/** Games of `seasons` in date order with their labels and prices, and `p` from the given predictions (NaN where none). */
async function evidenceGames(
  deps: EngineDeps,
  model: StoredModel,
  seasons: number[],
  p: Map<string, number>,
): Promise<{ games: EvidenceGames; gameIds: string[]; dates: string[] }> {
  const m = await loadFeatureMatrix(deps.workspace, { set: model.featureSet, target: model.target as Target, seasons });
  const prices = marketPrices(m);
  const rows = Int32Array.from({ length: m.rows }, (_v, i) => i)
    .filter((i) => p.has(m.gameIds[i]) && Number.isFinite(m.label[i]))
    .sort((a, b) => (m.dates[a] < m.dates[b] ? -1 : m.dates[a] > m.dates[b] ? 1 : a - b));
  const pick = (v: ArrayLike<number>) => Float64Array.from(rows, (i) => v[i]);
  const dates = Array.from(rows, (i) => m.dates[i]);
  return {
    games: {
      days: Int32Array.from(toDayNumbers(dates)),
      label: pick(m.label),
      p: Float64Array.from(rows, (i) => p.get(m.gameIds[i]) ?? Number.NaN),
      closeHome: pick(prices.close[0]),
      closeAway: pick(prices.close[1]),
      openHome: pick(prices.open[0]),
      openAway: pick(prices.open[1]),
    },
    gameIds: Array.from(rows, (i) => m.gameIds[i]),
    dates,
  };
}

/**
 * `bullpen ml validate`: gathers honest evidence for a model — out-of-sample predictions (a backtest on
 * the seasons after its training, or walk-forward out-of-fold predictions when there are none), a CV for
 * importance stability, a combinatorially purged CV for the overfitting gate, the leakage guard — reusing
 * runs that already exist and running the missing ones as steps of this job, then computes every gate in
 * a worker and records a `validation` run with the report and its HTML page.
 */
export async function validateModel(deps: EngineDeps, input: ValidateInput, ctx: JobContext): Promise<ValidateOutcome> {
  const started = Date.now();
  const model = await deps.models.get(input.model);
  const { policy, source: policySource } = await resolvePolicy(deps, input);
  const trainParams = await deps.runs.params(model.runId);
  const trainText = String(trainParams.trainSeasons ?? seasonRanges(model.seasons));
  const validText = trainParams.validSeasons ? String(trainParams.validSeasons) : null;
  const seenText = seasonRanges(model.seasons).replace(/, /g, ',');
  const holdout = await holdoutSeasons(deps, model, input.seasons);
  // Where the time goes (recorded as time.* metrics): the CV and backtests reused or run, the guard, the gates.
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (key: string): void => {
    const now = Date.now();
    timings[key] = (timings[key] ?? 0) + (now - mark);
    mark = now;
  };
  const runsUsed: (EvidenceRun & { role: 'training' | 'backtest' | 'cv' | 'cpcv' })[] = [
    { role: 'training', id: model.runId, name: model.name, reused: true },
  ];
  /** A matching run made after the training, else `run` (a step of this job); either way listed in the report's runs. */
  const reuseOrRun = async (
    role: 'backtest' | 'cv' | 'cpcv',
    kind: 'cv' | 'backtest',
    params: Record<string, string | number>,
    artifact: string,
    run: () => Promise<{ runId: string }>,
  ) => {
    const found = await findReusableRun(deps.runs, kind, params, artifact, model.createdAt);
    const used = found ?? (await deps.runs.get((await run()).runId));
    runsUsed.push({ role, id: used.id, name: used.name, reused: found !== null });
    return used;
  };

  // 1. Walk-forward CV over what the model saw: importance per fold, and out-of-fold predictions when there is no holdout.
  ctx.progress(0.01, 'looking for earlier CV and backtest runs');
  const cvParams = { model: model.name, scheme: policy.cv.scheme, splits: policy.cv.splits, seasons: seenText };
  const cvRun = await reuseOrRun('cv', 'cv', cvParams, 'importance.json', () =>
    runCv(
      deps,
      {
        model: model.name,
        seasons: seenText,
        scheme: policy.cv.scheme,
        splits: policy.cv.splits,
        trainDays: 90,
        testDays: 30,
        gap: 1,
        embargo: 1,
      },
      jobSlice(ctx, 0.02, 0.35, 'cross-validation'),
    ),
  );
  lap('cvMs');
  ctx.throwIfCancelled();

  // 2. The out-of-sample predictions, as a backtest run against stored odds.
  const evaluationSource = holdout.length ? ('holdout' as const) : ('walk-forward' as const);
  let evaluationSeasons = holdout;
  if (!holdout.length) {
    const oof = await artifactOf(deps, cvRun.id, 'oof.csv');
    evaluationSeasons = [...new Set(oof.map((r) => r.season))].sort((a, b) => a - b);
  }
  const seasonsText = seasonRanges(evaluationSeasons).replace(/, /g, ',');
  const match =
    evaluationSource === 'holdout'
      ? backtestMatch(model.name, seasonsText, policy.odds)
      : { cvRun: cvRun.id, seasons: seasonsText, odds: policy.odds };
  const backtestRun = await reuseOrRun('backtest', 'backtest', match, 'predictions.csv', () =>
    backtestModel(
      deps,
      {
        ...(evaluationSource === 'holdout' ? { model: model.name } : { run: cvRun.id }),
        seasons: seasonsText,
        strategy: ['flat', 'edge', 'kelly'],
        baselines: false,
        edge: policy.staking.edge,
        kellyFraction: policy.staking.kellyFraction,
        maxStake: policy.staking.cap,
        odds: policy.odds,
        bootstrapResamples: policy.bootstrap.resamples,
        seed: policy.bootstrap.seed,
      },
      jobSlice(ctx, 0.35, 0.45, 'backtest'),
    ),
  );
  lap('backtestMs');
  ctx.throwIfCancelled();

  // 3. Combinatorially purged CV: the distribution of Sharpe ratios behind the overfitting gate.
  let cpcv: ValidationEvidence['cpcv'] = null;
  if (policy.gates.overfitting.enabled && policy.cv.cpcvGroups > 0) {
    const cpcvParams = {
      model: model.name,
      scheme: 'cpcv',
      groups: policy.cv.cpcvGroups,
      testGroups: policy.cv.cpcvTestGroups,
      seasons: seenText,
    };
    const cpcvRun = await reuseOrRun('cpcv', 'cv', cpcvParams, 'paths.json', () =>
      runCv(
        deps,
        {
          model: model.name,
          seasons: seenText,
          scheme: 'cpcv',
          groups: policy.cv.cpcvGroups,
          testGroups: policy.cv.cpcvTestGroups,
          splits: policy.cv.splits,
          trainDays: 90,
          testDays: 30,
          gap: 1,
          embargo: 1,
        },
        jobSlice(ctx, 0.45, 0.85, 'combinatorially purged CV'),
      ),
    );
    const oof = await artifactOf(deps, cpcvRun.id, 'oof.csv');
    const paths = pathPredictions(oof, await artifactOf(deps, cpcvRun.id, 'paths.json'));
    const all = new Map<string, number>();
    for (const r of oof) all.set(r.gameId, r.p);
    const g = await evidenceGames(deps, model, parseSeasons(seenText) ?? model.seasons, all);
    cpcv = { games: g.games, paths: paths.map((path) => Float64Array.from(g.gameIds, (id) => path.get(id) ?? Number.NaN)) };
  }
  lap('cpcvMs');
  ctx.throwIfCancelled();

  // 4. The leakage guard on the model's features (a feature registered past the guard is caught here).
  ctx.progress(0.86, 'checking the features for leakage');
  const guard = await deps.features.checkLeakage(model.featureSet);
  const leaking = [...new Set(guard.leaks.map((l) => l.feature))].filter((f) => model.featureNames.includes(f));

  lap('leakageMs');

  // 5. The gates, in a worker.
  ctx.progress(0.9, 'computing the gates');
  const predictions = await artifactOf(deps, backtestRun.id, 'predictions.csv');
  const p = new Map(predictions.map((r) => [r.gameId, r.p]));
  const evaluation = await evidenceGames(deps, model, evaluationSeasons, p);
  // The per-game probabilities the gates judged, kept with the validation: a deployment's health check
  // (engine/operations/deployments/healthCheck.ts) has the model reproduce them before it is served.
  const evaluated = new Set(evaluation.gameIds);
  const judged = predictions.filter((r) => evaluated.has(r.gameId));
  const importance = await artifactOf(deps, cvRun.id, 'importance.json');
  const trained = await deps.runs.get(model.runId);
  const trainedImportance = trained.data.importance;
  const topFeatures = trainedImportance
    ? trainedImportance.features
        .map((f, j) => ({ f, share: trainedImportance.meanGainShare[j] ?? 0 }))
        .sort((a, b) => b.share - a.share)
        .map((x) => x.f)
    : model.featureNames;
  const sweepTrials = Math.max(1, Number.parseInt(trained.tags[SWEEP_TRIALS_TAG] ?? '1', 10) || 1);
  const evidence: ValidationEvidence = {
    policy,
    games: evaluation.games,
    importance: importance.folds.length >= 2 ? { features: importance.features, foldGains: importance.folds.map((f) => f.gain) } : null,
    leakageGuard: { passed: leaking.length === 0, leakingFeatures: leaking },
    topFeatures,
    cpcv,
    sweepTrials,
  };
  const computed = await deps.pool.run('validationGates', evidence, { signal: ctx.signal });
  lap('gatesMs');
  ctx.throwIfCancelled();

  const plan: ValidationPlan = {
    name: input.name ?? `validate-${model.name}-${Date.now().toString(36)}`,
    model,
    policy,
    policySource,
    trainText,
    validText,
    evaluation: {
      source: evaluationSource,
      seasons: evaluationSeasons,
      firstGame: evaluation.dates[0] ?? null,
      lastGame: evaluation.dates[evaluation.dates.length - 1] ?? null,
    },
    cv: { scheme: policy.cv.scheme, seasons: parseSeasons(seenText) ?? [], folds: importance.folds.length },
    runs: runsUsed,
  };
  const recorded = await trackRun(deps.runs, validationRunStart(plan, ctx.id), ctx.signal, async () => {
    const report = buildValidationReport(plan, computed, new Date().toISOString());
    const html = renderValidationReport(report);
    return {
      value: { report, html },
      results: {
        metrics: [
          ...report.gates.filter((gate) => gate.value !== null).map((gate) => ({ key: `gate.${gate.name}`, value: gate.value as number })),
          ...Object.entries(timings).map(([key, value]) => ({ key: `time.${key}`, value })),
          { key: 'time.totalMs', value: Date.now() - started },
        ],
        tags: {
          [VALIDATION_TAGS.status]: report.status,
          [VALIDATION_TAGS.failed]: report.gates
            .filter((gate) => !gate.passed)
            .map((gate) => gate.name)
            .join(','),
          model: model.name,
        },
        artifacts: [
          { name: 'validation.json', value: report },
          { name: 'report.html', value: html },
          { name: 'predictions.csv', value: judged },
        ],
      },
    };
  });
  // The verdict travels with the model's training run too, so run listings show it.
  await deps.runs.setTags(model.runId, { [VALIDATION_TAGS.status]: recorded.report.status, 'validation.run': recorded.runId }, []);
  let htmlPath: string | null = null;
  if (input.out) {
    const target = input.out;
    await writeAtomically(target, (temp) => writeFileSync(temp, recorded.html), { workspacePath: deps.workspace.path });
    htmlPath = target;
  }
  ctx.progress(1, `validation ${recorded.report.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { runId: recorded.runId, report: recorded.report, htmlPath };
}

/** `ml.validate` as a job. */
export const validateJob: JobSpec<EngineDeps, ValidateInput, 'ml.validate'> = {
  kind: 'ml.validate',
  precheck: precheckValidate,
  run: validateModel,
};

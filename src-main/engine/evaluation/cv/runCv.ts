import { combinatorialPurgedPlan, cpcvSplitCount, dayToIso, splitFolds, type Fold } from '../../../../src-workers/compute/cv';
import type { CvFoldPayload, CvFoldResult } from '../../../../src-workers/tasks/cvFold';
import { BullpenError, inputError } from '../../../shared/errors';
import { loadFeatureMatrix, parseSeasons, type FeatureMatrix, type Target } from '../../modeling/featureMatrix';
import type { JobContext } from '../../jobs/jobContext';
import { trackRun } from '../../tracking/trackRun';
import { DEFAULT_EARLY_STOPPING_ROUNDS, DEFAULT_NUM_BOOST_ROUND, DEFAULT_SEED, resolveParams } from '../../modeling/defaultParams';
import { trainingSettings } from '../../training/trainResults';
import type { EngineDeps } from '../../engineDeps';
import type { JobSpec } from '../../jobs/jobSpec';
import { assertLightgbmParams, assertSeasonsHaveGames } from '../../modeling/jobPrechecks';
import { buildCvResults, cpcvShape, cvRunStart, type CpcvLayout, type CvOptions, type CvOutcome, type CvSetup } from './cvResults';
import { foldGroups } from './foldGroups';

export type { CvOutcome } from './cvResults';

export interface CvInput extends CvOptions {
  params?: Record<string, unknown>;
  features?: string;
  target?: Target;
  seed?: number;
  numBoostRound?: number;
  earlyStoppingRounds?: number;
  name?: string;
  /** Upper bound on parallel fold groups (default: the pool size). */
  workers?: number;
}

/**
 * Days of history the default rolling features read (last 30 games ≈ 30+ days): training rows whose
 * feature window reaches into a guarded test window are purged by the splitter.
 */
export const FEATURE_LOOKBACK_DAYS = 30;

/** How every fold trains: as the named model was trained (its recorded parameters), or from the CV's own options. */
async function resolveCvSetup(deps: EngineDeps, input: CvInput): Promise<CvSetup> {
  const seed = input.seed ?? DEFAULT_SEED;
  if (input.model) {
    const model = await deps.models.get(input.model);
    // The model's training run, read back from its recorded (typed) parameters: a CV of it trains the same way.
    const trained = trainingSettings(await deps.runs.params(model.runId));
    return {
      target: model.target as Target,
      features: model.featureSet,
      params: resolveParams({ ...trained.lgb, ...(input.params ?? {}) }, input.seed ?? trained.seed ?? seed),
      numBoostRound: input.numBoostRound ?? trained.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
      earlyStoppingRounds: input.earlyStoppingRounds ?? trained.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS,
      seed,
    };
  }
  if (!input.features || !input.target)
    throw new BullpenError(
      'usage',
      'CV_NEEDS_MODEL_OR_SPEC',
      'give --model NAME, or --features SET and --target T (with optional --params JSON)',
    );
  return {
    target: input.target,
    features: input.features,
    params: resolveParams(input.params, seed),
    numBoostRound: input.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
    earlyStoppingRounds: input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS,
    seed,
  };
}

/** Refusals checked before the job starts: an unknown model or set, seasons without games, bad parameters. */
export async function precheckCv(deps: EngineDeps, input: CvInput): Promise<void> {
  if (input.scheme === 'cpcv') {
    const { groups, testGroups } = cpcvShape(input);
    cpcvSplitCount(groups, testGroups);
  }
  await assertSeasonsHaveGames(deps.data, input.seasons, '--seasons', true);
  if (input.model) {
    const model = await deps.models.get(input.model);
    await assertLightgbmParams(deps.pool, input.params, model.featureNames.length);
    return;
  }
  if (!input.features || !input.target)
    throw new BullpenError(
      'usage',
      'CV_NEEDS_MODEL_OR_SPEC',
      'give --model NAME, or --features SET and --target T (with optional --params JSON)',
    );
  const cols = await deps.features.setSize(input.features);
  await assertLightgbmParams(deps.pool, input.params, cols);
}

type FoldInput = Pick<CvInput, 'scheme' | 'splits' | 'trainDays' | 'testDays' | 'gap' | 'embargo' | 'groups' | 'testGroups'>;

/** The folds of a CV on a matrix (defaults: 5 splits, 90-day train, 30-day test, 1-day gap and embargo). */
export function cvFolds(m: FeatureMatrix, input: FoldInput): Fold[] {
  return splitFolds(
    input.scheme,
    { dates: m.dates, seasons: m.seasons, lookbackDays: FEATURE_LOOKBACK_DAYS, horizonDays: 0 },
    {
      nSplits: input.splits,
      trainDays: input.trainDays,
      testDays: input.testDays,
      gapDays: input.gap,
      embargoDays: input.embargo,
      ...(input.scheme === 'cpcv' ? cpcvShape(input) : {}),
    },
  );
}

/** The folds, and for cpcv the groups, splits and backtest paths its results are assembled from. */
export function cvPlan(m: FeatureMatrix, input: FoldInput): { folds: Fold[]; cpcv: CpcvLayout | null } {
  if (input.scheme !== 'cpcv') return { folds: cvFolds(m, input), cpcv: null };
  const plan = combinatorialPurgedPlan(
    { dates: m.dates, seasons: m.seasons, lookbackDays: FEATURE_LOOKBACK_DAYS, horizonDays: 0 },
    { ...cpcvShape(input), gapDays: input.gap, embargoDays: input.embargo },
  );
  return { folds: plan.folds, cpcv: plan };
}

/**
 * How many of a fold's training rows precede its last test window. The matrix is in date order and
 * fold.train is sorted, so they are a prefix of fold.train: the worker takes the inner early-stopping
 * hold-out from its end (innerHoldout in compute/boosting/fitFolds.ts says why).
 */
export function trainBeforeLastTest(fold: Fold, dates: readonly string[]): number {
  const lastStart = dayToIso(fold.testWindows[fold.testWindows.length - 1].start);
  let k = 0;
  while (k < fold.train.length && dates[fold.train[k]] < lastStart) k++;
  return k;
}

/**
 * `bullpen ml cv`: one matrix from the workspace, folds from the time-series splitters, fold groups in
 * parallel in the pool (each worker bins the matrix once and subsets it per fold), out-of-fold
 * predictions, per-fold importance and the split boundaries, recorded as one run with a child per fold.
 */
export async function runCv(deps: EngineDeps, input: CvInput, ctx: JobContext): Promise<CvOutcome> {
  const started = Date.now();
  const s = await resolveCvSetup(deps, input);
  const seasons = parseSeasons(input.seasons);
  ctx.progress(0.01, 'building the feature matrix');
  const m = await loadFeatureMatrix(deps.workspace, { set: s.features, target: s.target, ...(seasons ? { seasons } : {}) });
  if (m.rows === 0)
    throw inputError('NO_GAMES', `no labelled games for target ${s.target}${input.seasons ? ` in ${input.seasons}` : ''}`, {});
  ctx.throwIfCancelled();
  const { folds, cpcv } = cvPlan(m, input);
  const name = input.name ?? `cv-${input.scheme}-${s.target}-${s.features}-${Date.now().toString(36)}`;
  return trackRun(deps.runs, cvRunStart(m, s, input, name, ctx.id, deps.pool.threadsPerTask), ctx.signal, async () => {
    const groups = foldGroups(folds, Math.min(deps.pool.size, input.workers ?? deps.pool.size));
    const weight = groups.map((g) => g.reduce((acc, f) => acc + f.train.length, 0));
    const totalWeight = weight.reduce((a, b) => a + b, 0);
    const fraction = new Array<number>(groups.length).fill(0);
    const report = (message?: string) =>
      ctx.progress(0.05 + 0.9 * fraction.reduce((acc, f, g) => acc + (f * weight[g]) / totalWeight, 0), message);
    // One failing group stops the others: no reason to keep training a CV that cannot complete.
    const local = new AbortController();
    const stop = () => local.abort();
    ctx.signal.addEventListener('abort', stop, { once: true });
    let results: CvFoldResult[];
    try {
      const outs = await Promise.all(
        groups.map((group, g) => {
          // Each worker gets its own copy of the matrix, transferred (not cloned) into the thread.
          const x = m.features.slice();
          const y = m.label.slice();
          const payload: CvFoldPayload = {
            x,
            y,
            rows: m.rows,
            cols: m.cols,
            featureNames: m.featureNames,
            folds: group.map((f) => ({
              index: f.index,
              train: f.train.slice(),
              test: f.test.slice(),
              trainBeforeLastTest: trainBeforeLastTest(f, m.dates),
            })),
            params: s.params,
            numBoostRound: s.numBoostRound,
            earlyStoppingRounds: s.earlyStoppingRounds,
            numThreads: deps.pool.threadsPerTask,
          };
          return deps.pool
            .run('cvFold', payload, {
              transferList: [x.buffer, y.buffer],
              signal: local.signal,
              onProgress: (f, message) => {
                fraction[g] = f;
                report(message);
              },
            })
            .catch((err: unknown) => {
              local.abort();
              throw err;
            });
        }),
      );
      results = outs.flatMap((o) => o.folds).sort((a, b) => a.index - b.index);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
    }
    ctx.throwIfCancelled();
    return buildCvResults(m, folds, results, name, input, s, Date.now() - started, cpcv);
  });
}

/** `ml.cv` as a job. */
export const cvJob: JobSpec<EngineDeps, CvInput, 'ml.cv'> = { kind: 'ml.cv', precheck: precheckCv, run: runCv };

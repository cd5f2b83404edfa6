import { randomUUID } from 'node:crypto';
import { compareChampionChallenger } from '../../../../src-workers/compute/retraining';
import { BullpenError, inputError } from '../../../shared/errors';
import type { RetrainRecord } from '../../../shared/results/retraining';
import type { Deployment } from '../../../shared/results/operations';
import type { EngineDeps } from '../../engineDeps';
import type { JobContext } from '../../jobs/jobContext';
import type { JobSpec } from '../../jobs/jobSpec';
import { DEFAULT_EARLY_STOPPING_ROUNDS, DEFAULT_NUM_BOOST_ROUND, DEFAULT_SEED, resolveParams } from '../../modeling/defaultParams';
import { loadFeatureMatrix, type FeatureMatrix, type Target } from '../../modeling/featureMatrix';
import { marketPrices } from '../../modeling/matrixRows';
import type { StoredModel } from '../../tracking/modelService';
import { trainingSettings } from '../../training/trainResults';
import { jobSlice } from '../../validation/jobSlice';
import { validateModel } from '../../validation/validateModel';
import { liveClock } from '../clock';
import { clockDay } from '../deployments/duckDbDeployments';
import { boundModel } from '../deployments/servedModel';
import { shiftDay } from '../monitoring/duckDbMonitoring';
import type { Scope } from '../operationsTypes';
import type { TriggerName } from './triggers';
import { sweepTagsOf, warmStartedSweep } from './retrainSweep';
import { trainOnRows } from './trainOnRows';

/**
 * The retraining pipeline of one deployment, each step recorded in its history row:
 *   refresh    materialize the deployment's feature set, so newly imported games have rows;
 *   windows    the comparison window is the last `comparison.days` days of settled games before the clock's
 *              day, and only games after the champion's training data (both models are out of sample on it);
 *              the challenger trains on settled games before that window (the policy's training window);
 *   challenger trained with the champion's target, features and LightGBM parameters, early stopping on the
 *              latest tenth of its own window (or a model given with --challenger, refused when its training
 *              data reaches into the comparison window);
 *   score, compare  both models score the comparison games; compareChampionChallenger decides whether the
 *              challenger is better (threshold and paired bootstrap, compute/retraining);
 *   refit      a better challenger is trained again on every settled game before the clock's day, with the
 *              challenger's best iteration (nothing left to stop on);
 *   validate, register, promote  (live) the refit is validated under the workspace's policy, registered as a
 *              new version of the deployment's registry model, and promoted as far as `autoPromote` allows,
 *              every registry change by `auto:<deployment>` with the evidence; the registry's gates still
 *              apply. When production changes, the deployment serves the new version and probation starts.
 * A replay registers nothing: there a winner that `autoPromote: production` would have put in production is
 * served by the replay's deployment from the next day on. Only games dated before the clock's day, with a
 * result, are ever used. A pipeline killed part-way changes nothing in the registry (every registry change is
 * its last step) and its row reads `interrupted`.
 */

export interface RetrainRequest {
  /** The deployment's name (in the scope). */
  deployment: string;
  trigger: TriggerName;
  reason: string;
  /** The schedule slot a schedule trigger serves (ISO). */
  scheduledFor?: string | null;
  /** A trained model to compare instead of training a challenger. */
  challenger?: string;
  /** The interrupted retraining this one runs again. */
  resumes?: string | null;
  /** A history row written before the job started (maybeRetrain), which this run continues. */
  id?: string;
}

/** Share of the challenger's training rows, at the end of its window, that early stopping watches (as CV's inner hold-out). */
export const EARLY_STOPPING_SHARE = 0.1;
/** The paired bootstrap's seed: the same games and models always give the same interval. */
const COMPARISON_SEED = 1;

export const autoActor = (deployment: string): string => `auto:${deployment}`;

const iso = (d: Date): string => d.toISOString();
const cancelled = (err: unknown): boolean => err instanceof BullpenError && err.kind === 'cancelled';

/** A job context for work run inline without one (nothing to report to, never cancelled). */
export function quietContext(id: string): JobContext {
  return { id, signal: new AbortController().signal, progress: () => undefined, throwIfCancelled: () => undefined, log: () => undefined };
}

/** The trained model a deployment serves now (a registry version's training, which must still be the model's). */
export async function servedModel(deps: Pick<EngineDeps, 'models' | 'registry'>, dep: Deployment): Promise<StoredModel> {
  if (dep.version === null) return deps.models.get(dep.sourceModel);
  const v = await deps.registry.version(dep.modelName, dep.version);
  return boundModel(deps.models, { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId });
}

/** The deployment a retraining is for: active in the scope. */
export async function activeDeployment(deps: Pick<EngineDeps, 'deployments'>, name: string, scope: Scope): Promise<Deployment> {
  const dep = await deps.deployments.get(name, scope);
  if (dep.status !== 'active')
    throw new BullpenError(
      'conflict',
      'DEPLOYMENT_STOPPED',
      `deployment ${name} was stopped at ${dep.stoppedAt ?? '?'}: a stopped deployment is not retrained; start a new one with \`bullpen deploy start --model ${dep.modelName}\``,
      { name, id: dep.id },
    );
  return dep;
}

/** The rows of the matrix whose date lies in [from, to] (either end open when null), in date order. */
function rowsBetween(m: FeatureMatrix, rows: Int32Array, from: string | null, to: string | null): Int32Array {
  return rows.filter((r) => (from === null || m.dates[r] >= from) && (to === null || m.dates[r] <= to));
}

const windowOf = (m: FeatureMatrix, rows: ArrayLike<number>) =>
  rows.length ? { from: m.dates[rows[0]], to: m.dates[rows[rows.length - 1]], games: rows.length } : null;

/** The model's features, in its order, for the listed rows (the set may have gained features since it was trained). */
function featuresFor(m: FeatureMatrix, model: StoredModel, rows: Int32Array): Float64Array<ArrayBuffer> {
  const index = new Map(m.featureNames.map((n, j) => [n, j]));
  const cols = model.featureNames.map((n) => {
    const j = index.get(n);
    if (j === undefined)
      throw inputError(
        'RETRAIN_FEATURE_MISSING',
        `model ${model.name} uses feature ${n}, which feature set ${model.featureSet} no longer has: it cannot score the comparison games`,
        { model: model.name, feature: n },
      );
    return j;
  });
  const x = new Float64Array(rows.length * cols.length);
  for (let i = 0; i < rows.length; i++)
    for (let k = 0; k < cols.length; k++) x[i * cols.length + k] = m.features[rows[i] * m.cols + cols[k]];
  return x;
}

export async function score(
  deps: Pick<EngineDeps, 'pool' | 'models'>,
  m: FeatureMatrix,
  model: StoredModel,
  rows: Int32Array,
): Promise<Float64Array> {
  const x = featuresFor(m, model, rows);
  const { p } = await deps.pool.run(
    'predict',
    {
      modelText: await deps.models.text(model),
      x,
      rows: rows.length,
      cols: model.featureNames.length,
      numThreads: deps.pool.threadsPerTask,
    },
    { transferList: [x.buffer] },
  );
  return p;
}

/** Refuses a challenger that saw a game of the comparison window: it would be judged on games it learned from. */
export function assertOutOfSample(challenger: { name: string; lastTrainingDate: string }, window: { from: string; to: string }): void {
  if (challenger.lastTrainingDate >= window.from)
    throw inputError(
      'CHALLENGER_IN_COMPARISON_WINDOW',
      `challenger ${challenger.name} was trained on games up to ${challenger.lastTrainingDate}, inside the comparison window ${window.from}..${window.to}: ` +
        `it would be judged on games it learned from; use a model trained only on games before ${window.from}, or let the pipeline train one`,
      { challenger: challenger.name, lastTrainingDate: challenger.lastTrainingDate, window },
    );
}

/** A model name for the pipeline's models, kept within the name rule. */
function modelName(deployment: string, role: 'challenger' | 'refit' | 'sweep', day: string, id: string): string {
  const suffix = `-${role}-${day.replace(/-/g, '')}-${id.slice(0, 6)}`;
  return `${deployment.slice(0, 100 - suffix.length)}${suffix}`;
}

/** The first history row of a retraining, written before any work. */
export function openRecord(dep: Deployment, champion: StoredModel, req: RetrainRequest, scope: Scope, jobId: string | null): RetrainRecord {
  const now = scope.clock.now();
  return {
    id: req.id ?? randomUUID(),
    deploymentId: dep.id,
    deployment: dep.name,
    replayId: scope.replayId,
    trigger: req.trigger,
    reason: req.reason,
    scheduledFor: req.scheduledFor ?? null,
    resumes: req.resumes ?? null,
    state: 'running',
    step: 'refresh',
    at: iso(now),
    dataDay: clockDay(scope.clock),
    startedAt: iso(liveClock.now()),
    finishedAt: null,
    jobId,
    champion: { modelName: dep.modelName, version: dep.version, sourceModel: champion.name, lastTrainingDate: champion.lastTrainingDate },
    trainWindow: null,
    earlyStopping: null,
    comparisonWindow: null,
    challenger: null,
    sweep: null,
    comparison: null,
    decision: null,
    decisionReason: null,
    refit: null,
    validation: null,
    newVersion: null,
    probationUntil: null,
    rolledBackAt: null,
    rollbackReason: null,
    error: null,
    durationMs: null,
  };
}

/** Validation, which the pipeline runs through its own job code, takes the whole engine. */
export type RetrainDeps = EngineDeps;

/** Runs the pipeline for a deployment in a scope (live, or a replay's day) and answers its history row. */
export async function runRetrain(deps: RetrainDeps, req: RetrainRequest, scope: Scope, ctx: JobContext): Promise<RetrainRecord> {
  const started = Date.now();
  let dep: Deployment;
  let champion: StoredModel;
  try {
    dep = await activeDeployment(deps, req.deployment, scope);
    champion = await servedModel(deps, dep);
  } catch (err) {
    // A row written before the job started must not stay `running` (it would read interrupted and be resumed forever).
    if (req.id !== undefined) {
      const message = err instanceof Error ? err.message : String(err);
      const open = await deps.retraining.get(req.id);
      await deps.retraining.save({
        ...open,
        jobId: ctx.id,
        state: 'failed',
        decision: 'failed',
        decisionReason: message,
        error: message,
        finishedAt: iso(liveClock.now()),
      });
    }
    throw err;
  }
  let r: RetrainRecord;
  if (req.id !== undefined) {
    r = { ...(await deps.retraining.get(req.id)), jobId: ctx.id, state: 'running' };
    await deps.retraining.save(r);
  } else {
    r = openRecord(dep, champion, req, scope, ctx.id);
    await deps.retraining.insert(r);
  }
  const step = async (name: string, fraction: number, message: string): Promise<void> => {
    ctx.throwIfCancelled();
    r.step = name;
    await deps.retraining.save(r);
    ctx.progress(fraction, message);
    ctx.log(`${name}: ${message}`);
  };
  const finish = async (decision: NonNullable<RetrainRecord['decision']>, reason: string): Promise<RetrainRecord> => {
    r.decision = decision;
    r.decisionReason = reason;
    r.state = 'completed';
    r.step = 'done';
    r.finishedAt = iso(liveClock.now());
    r.durationMs = Date.now() - started;
    await deps.retraining.save(r);
    ctx.progress(1, `${decision}: ${reason}`);
    return r;
  };

  try {
    const policy = dep.policy.retraining;
    const day = r.dataDay;
    const target = champion.target as Target;

    // 1. Refresh: newly imported games get their feature rows.
    await step('refresh', 0.01, `materializing feature set ${champion.featureSet}`);
    await deps.features.materialize(champion.featureSet, {
      force: false,
      onProgress: (f, message) => ctx.progress(0.01 + 0.09 * f, message),
    });

    // 2. Windows: what is settled at the clock's day, what the champion has not seen, what the challenger may learn from.
    await step('windows', 0.1, `choosing the windows: games settled before ${day}`);
    const m = await loadFeatureMatrix(deps.workspace, { set: champion.featureSet, target });
    const settled = Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => m.dates[i] < day);
    if (!settled.length)
      throw inputError('RETRAIN_NO_SETTLED_GAMES', `no game before ${day} has a result for target ${target}: nothing to retrain on`, {
        day,
      });
    const lastSettled = m.dates[settled[settled.length - 1]];
    const currentSeason = m.seasons[settled[settled.length - 1]];
    const firstSeason = policy.window.rule === 'lastSeasons' ? currentSeason - policy.window.seasons + 1 : Number.NEGATIVE_INFINITY;
    const inWindow = settled.filter((i) => m.seasons[i] >= firstSeason);
    const afterChampion = shiftDay(champion.lastTrainingDate, -1);
    const recent = shiftDay(lastSettled, policy.comparison.days - 1);
    const compFrom = recent > afterChampion ? recent : afterChampion;
    const compRows = rowsBetween(m, settled, compFrom, null);
    r.comparisonWindow = compRows.length ? { from: compFrom, to: lastSettled, games: compRows.length } : null;
    if (compRows.length < policy.comparison.minGames)
      return await finish(
        'kept',
        `only ${compRows.length} settled games after the champion's training data (it ends ${champion.lastTrainingDate}) in the last ${policy.comparison.days} days before ${day}; ` +
          `the comparison needs ${policy.comparison.minGames}: the champion stays`,
      );
    const compWindow = { from: compFrom, to: lastSettled };

    // 3. The challenger: the champion's recipe on games before the comparison window.
    const trained = trainingSettings(await deps.runs.params(champion.runId));
    const seed = trained.seed ?? DEFAULT_SEED;
    const params = resolveParams(trained.lgb, seed);
    const tags = {
      'retrain.id': r.id,
      'retrain.deployment': dep.name,
      'retrain.dataDay': day,
      ...(scope.replayId ? { 'retrain.replay': scope.replayId } : {}),
    };
    let challenger: StoredModel;
    if (req.challenger !== undefined) {
      await step('challenger', 0.15, `comparing the given challenger ${req.challenger}`);
      challenger = await deps.models.get(req.challenger);
      if (challenger.target !== champion.target || challenger.featureSet !== champion.featureSet)
        throw inputError(
          'CHALLENGER_DIFFERENT_SPEC',
          `challenger ${challenger.name} predicts ${challenger.target} from ${challenger.featureSet}; the champion ${champion.name} predicts ${champion.target} from ${champion.featureSet}: compare models of the same target and feature set`,
          { challenger: challenger.name, champion: champion.name },
        );
      assertOutOfSample(challenger, compWindow);
      r.challenger = {
        model: challenger.name,
        runId: challenger.runId,
        bestIteration: challenger.bestIteration,
        logLoss: null,
        accuracy: null,
      };
    } else {
      const trainRows = rowsBetween(m, inWindow, null, shiftDay(compFrom, 1));
      const esr = trained.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS;
      const holdout = Math.max(1, Math.floor(trainRows.length * EARLY_STOPPING_SHARE));
      if (trainRows.length < 2 * holdout || trainRows.length < 10)
        throw inputError(
          'RETRAIN_NO_TRAINING_GAMES',
          `only ${trainRows.length} settled games before the comparison window (${compFrom}) in the training window: too few to train a challenger`,
          { games: trainRows.length, comparisonFrom: compFrom },
        );
      const fitRows = trainRows.subarray(0, trainRows.length - holdout);
      const stopRows = trainRows.subarray(trainRows.length - holdout);
      r.trainWindow = windowOf(m, trainRows);
      r.earlyStopping = windowOf(m, stopRows);
      let challengerParams = params;
      let sweepTags: Record<string, string> = {};
      if (policy.sweepTrials > 0) {
        const found = await warmStartedSweep(deps, r, {
          champion,
          params,
          trials: policy.sweepTrials,
          before: compFrom,
          seasons: policy.window.rule === 'lastSeasons' ? `${firstSeason}-${currentSeason}` : undefined,
          seed,
          numBoostRound: trained.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
          earlyStoppingRounds: esr,
          name: modelName(dep.name, 'sweep', day, r.id),
          step,
          ctx: jobSlice(ctx, 0.15, 0.35, 'sweep'),
        });
        challengerParams = found.params;
        sweepTags = found.tags;
      }
      const name = modelName(dep.name, 'challenger', day, r.id);
      const from = policy.sweepTrials > 0 ? 0.35 : 0.15;
      await step(
        'challenger',
        from,
        `training challenger ${name} on ${trainRows.length} games ${r.trainWindow?.from}..${r.trainWindow?.to}`,
      );
      const out = await trainOnRows(
        deps,
        m,
        {
          name,
          fitRows,
          stopRows,
          params: challengerParams,
          numBoostRound: trained.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
          earlyStoppingRounds: esr,
          seed,
          tags: { ...tags, ...sweepTags, 'retrain.role': 'challenger' },
        },
        jobSlice(ctx, from, 0.45, 'challenger'),
      );
      challenger = await deps.models.get(out.modelName);
      // Guards the window arithmetic above: the challenger must not have seen a comparison game.
      assertOutOfSample(challenger, compWindow);
      r.challenger = {
        model: out.modelName,
        runId: out.runId,
        bestIteration: out.bestIteration,
        logLoss: out.logLoss,
        accuracy: out.accuracy,
      };
    }

    // 4. Both models score the comparison games; 5. compare.
    await step('score', 0.45, `scoring ${compRows.length} games ${compFrom}..${lastSettled} with ${champion.name} and ${challenger.name}`);
    const pChampion = await score(deps, m, champion, compRows);
    const pChallenger = await score(deps, m, challenger, compRows);
    await step('compare', 0.5, `comparing on ${policy.comparison.metric}`);
    const [closeHome, closeAway] = marketPrices(m).close;
    const comparison = compareChampionChallenger(
      {
        y: Float64Array.from(compRows, (i) => m.label[i]),
        champion: pChampion,
        challenger: pChallenger,
        priceHome: Float64Array.from(compRows, (i) => closeHome[i]),
        priceAway: Float64Array.from(compRows, (i) => closeAway[i]),
      },
      { ...policy.comparison, seed: COMPARISON_SEED },
    );
    r.comparison = comparison;
    ctx.log(comparison.explanation);
    if (!comparison.better) return await finish('kept', comparison.explanation);

    // 6. Refit the winner on everything settled before the clock's day, with the challenger's best iteration.
    const refitName = modelName(dep.name, 'refit', day, r.id);
    await step('refit', 0.55, `refitting as ${refitName} on ${inWindow.length} games up to ${lastSettled}`);
    // The winner's own recipe (a given model's, or the challenger's with the sweep's parameters).
    const winnerSettings = trainingSettings(await deps.runs.params(challenger.runId));
    const winnerSeed = winnerSettings.seed ?? seed;
    const refit = await trainOnRows(
      deps,
      m,
      {
        name: refitName,
        fitRows: inWindow,
        stopRows: new Int32Array(0),
        params: resolveParams(winnerSettings.lgb, winnerSeed),
        numBoostRound: Math.max(1, challenger.bestIteration),
        earlyStoppingRounds: null,
        seed: winnerSeed,
        tags: { ...tags, ...(r.sweep ? sweepTagsOf(r.sweep) : {}), 'retrain.role': 'refit', 'retrain.challenger': challenger.name },
      },
      jobSlice(ctx, 0.55, 0.7, 'refit'),
    );
    r.refit = {
      model: refit.modelName,
      runId: refit.runId,
      window: windowOf(m, inWindow) as NonNullable<RetrainRecord['refit']>['window'],
    };
    await deps.retraining.save(r);

    const probationUntil = shiftDay(day, -policy.probation.days);
    const evidence = `retraining ${r.id.slice(0, 8)} (${r.trigger}: ${r.reason}): ${comparison.explanation}`;
    if (scope.replayId !== null) {
      // A replay registers nothing: it serves the winner from now on when production would have changed.
      if (policy.autoPromote !== 'production')
        return await finish(
          'registered',
          `a replay registers nothing: live, ${refit.modelName} would be registered as a new version of ${dep.modelName}, and with autoPromote ${policy.autoPromote} production would not change`,
        );
      await step('promote', 0.95, `serving ${refit.modelName} from now on`);
      await deps.deployments.serve(dep.name, { version: null, sourceModel: refit.modelName }, scope);
      deps.monitoring.forget(dep.id, scope);
      r.probationUntil = probationUntil;
      return await finish('promoted', `the replay's deployment serves ${refit.modelName} from ${day}; ${evidence}`);
    }

    // 7. Validate (when the policy lets it promote anything): the registry's gates ask for a passing validation.
    const actor = autoActor(dep.name);
    const stage = policy.autoPromote;
    let blocked: string | null = null;
    if (stage !== 'none') {
      await step('validate', 0.7, `validating ${refit.modelName}`);
      try {
        const v = await validateModel(deps, { model: refit.modelName }, jobSlice(ctx, 0.7, 0.93, 'validation'));
        r.validation = { runId: v.runId, status: v.report.status === 'passed' ? 'passed' : 'failed' };
        if (r.validation.status !== 'passed')
          blocked = `its validation failed (run ${v.runId.slice(0, 8)}): \`bullpen ml validation show --model ${refit.modelName}\``;
      } catch (err) {
        if (cancelled(err) || ctx.signal.aborted) throw err;
        blocked = `it could not be validated: ${err instanceof Error ? err.message : String(err)}`;
      }
    }

    // 8. Register, and promote as far as the policy allows; every change by auto:<deployment>, with the evidence.
    await step('register', 0.94, `registering ${refit.modelName} as a new version of ${dep.modelName}`);
    const version = await deps.registry.register(refit.modelName, { as: dep.modelName, actor });
    r.newVersion = { modelName: version.modelName, version: version.version, stage: version.stage };
    await deps.retraining.save(r);
    if (stage === 'none')
      return await finish(
        'registered',
        `registered as version ${version.version} of ${dep.modelName}; the policy's autoPromote is none: promote it with \`bullpen registry promote ${dep.modelName}:${version.version}\`. ${comparison.explanation}`,
      );
    if (blocked !== null)
      return await finish(
        'registered',
        `registered as version ${version.version} of ${dep.modelName}, not promoted to ${stage}: ${blocked}`,
      );
    await step('promote', 0.96, `promoting version ${version.version} of ${dep.modelName} to ${stage}`);
    await deps.registry.approve(
      dep.modelName,
      version.version,
      stage,
      `pre-authorized by deployment ${dep.name}'s retraining policy (autoPromote: ${stage}); ${evidence}`,
      actor,
    );
    const gate = await deps.registry.check(dep.modelName, version.version, stage);
    if (!gate.allowed)
      return await finish(
        'registered',
        `registered as version ${version.version} of ${dep.modelName}, not promoted to ${stage}: ${gate.reason}`,
      );
    const promoted = await deps.registry.promote(dep.modelName, version.version, stage, actor, evidence);
    r.newVersion = { modelName: promoted.modelName, version: promoted.version, stage: promoted.stage };
    if (stage === 'production') {
      await deps.deployments.serve(dep.name, { version: promoted.version, sourceModel: promoted.sourceModel }, scope);
      deps.monitoring.forget(dep.id, scope);
      r.probationUntil = probationUntil;
      return await finish(
        'promoted',
        `version ${promoted.version} of ${dep.modelName} is in production and deployment ${dep.name} serves it; probation until ${probationUntil}. ${comparison.explanation}`,
      );
    }
    return await finish(
      'promoted',
      `version ${promoted.version} of ${dep.modelName} is in ${stage} (autoPromote: ${stage}). ${comparison.explanation}`,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A job stopped by the engine's shutdown was interrupted; one a person cancelled, cancelled.
    r.state = ctx.signal.aborted ? (cancelled(ctx.signal.reason) ? 'cancelled' : 'interrupted') : cancelled(err) ? 'cancelled' : 'failed';
    r.decision = r.state === 'failed' ? 'failed' : null;
    r.decisionReason = r.state === 'failed' ? message : null;
    r.error = message;
    r.finishedAt = iso(liveClock.now());
    r.durationMs = Date.now() - started;
    await deps.retraining.save(r).catch((e: unknown) => ctx.log(`could not record the retraining's end: ${(e as Error).message}`));
    throw err;
  }
}

/** Refusals before a retraining job starts: no such active deployment, a champion that cannot be served, an unknown challenger. */
export async function precheckRetrain(deps: RetrainDeps, req: RetrainRequest): Promise<void> {
  const scope: Scope = { replayId: null, clock: liveClock };
  const dep = await activeDeployment(deps, req.deployment, scope);
  // One retraining of a deployment at a time, whoever starts it (the page, the CLI, a trigger).
  const [last] = await deps.retraining.history(dep.id, null, 1);
  const live = new Set(deps.jobs.liveIds());
  const jobs = await Promise.all([...live].map((id) => deps.jobs.get(id)));
  const runningJob = jobs.find((j) => j.kind === 'deploy.retrain' && (j.params as { deployment?: string }).deployment === dep.name);
  if (runningJob)
    throw new BullpenError('conflict', 'RETRAIN_RUNNING', `a retraining of ${dep.name} is already running (job ${runningJob.id})`, {
      deployment: dep.name,
      jobId: runningJob.id,
    });
  if (last?.state === 'running')
    throw new BullpenError(
      'conflict',
      'RETRAIN_RUNNING',
      `a retraining of ${dep.name} is already running (job ${last.jobId ?? 'starting'})`,
      {
        deployment: dep.name,
        jobId: last.jobId,
      },
    );
  await servedModel(deps, dep);
  if (req.challenger !== undefined) await deps.models.get(req.challenger);
}

/** `deploy.retrain` as a job: a live deployment's pipeline on the wall clock. */
export const retrainJob: JobSpec<RetrainDeps, RetrainRequest, 'deploy.retrain'> = {
  kind: 'deploy.retrain',
  precheck: precheckRetrain,
  run: (deps, req, ctx) => runRetrain(deps, req, { replayId: null, clock: liveClock }, ctx),
};

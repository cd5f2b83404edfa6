import { decide as decideBet, HOME, NO_BET } from '../../../../src-workers/compute/backtest';
import { bucketRanges, chooseVariant, hashV2, splitWeights } from '../../../../src-workers/compute/experiments/routing';
import { BullpenError, inputError } from '../../../shared/errors';
import { registryRefSchema } from '../../../shared/registry';
import type { Deployment } from '../../../shared/results/operations';
import {
  SRM_ALERT_P,
  type Experiment,
  type ExperimentDecision,
  type ExperimentStatusResult,
  type ExperimentVariant,
  type RoutedPrediction,
} from '../../../shared/results/experiments';
import type { Target } from '../../modeling/featureMatrix';
import type { RegistryService, RegistryVersion } from '../../registry/registryService';
import type { ModelService, StoredModel } from '../../tracking/modelService';
import type { WorkerPool } from '../../workers/workerPool';
import type { Sql } from '../../workspace/sql';
import type { Workspace } from '../../workspace/workspace';
import { applyAlerts, type AlertEvent } from '../monitoring/alertLifecycle';
import { EDGE_STRATEGY } from '../monitoring/references';
import { clockDay } from '../deployments/duckDbDeployments';
import { featureRows, MaterializationCache } from '../deployments/featureRows';
import { boundModel, ModelTextCache, resolveBinding, type ModelBinding } from '../deployments/servedModel';
import type { DeploymentService, Scope } from '../operationsTypes';
import { rampAction } from './canaryRamp';
import { boundaryTimeline, evaluateExperiment, type ExperimentEvaluation } from './evaluateExperiment';
import { experimentNotFound, ExperimentStore, type NewExperimentPrediction, type StoredExperiment } from './experimentStore';
import { defaultExperimentName, experimentConfig, initialRamp, initialShare, type ExperimentOptions } from './experimentSettings';
import type { VariantPrediction } from './experimentSample';

export interface ExperimentDeps {
  workspace: Workspace;
  pool: Pick<WorkerPool, 'run' | 'threadsPerTask'>;
  models: Pick<ModelService, 'find' | 'get' | 'text'>;
  registry: Pick<RegistryService, 'show' | 'version' | 'list' | 'check' | 'promote' | 'rollbackCheck' | 'rollback' | 'appendAudit'>;
  /** Read at call time: the deployments service is built with this one as its scoring hook. */
  deployments: () => Pick<DeploymentService, 'get' | 'serve'>;
  /** Hears the SRM alerts opened and resolved, after their commit (the monitoring's alert listeners). */
  publishAlerts?: (events: AlertEvent[]) => void;
}

/** A game the deployment just scored and logged: what routing needs of it. */
export interface ScoredForExperiment {
  gameId: string;
  date: string;
  /** The deployment's (control's) probability and its log row. */
  p: number;
  seq: number;
  priceFirst: number | null;
  priceSecond: number | null;
}

/** What the deployments' scoring path calls after logging its predictions (engine wiring; absent in bare test services). */
export interface ExperimentRouting {
  route(deployment: Deployment, scored: readonly ScoredForExperiment[], scope: Scope): Promise<Map<string, RoutedPrediction>>;
}

/** The SRM monitor's name in the alerts table (subject: the experiment name). */
export const SRM_MONITOR = 'experimentSrm';

const autoActor = (deployment: string): string => `auto:${deployment}`;
const ref = (m: { modelName: string; version: number | null }) => (m.version === null ? m.modelName : `${m.modelName}:${m.version}`);

/** The bet the deployment's strategy places with a probability at the logged prices (flat one unit on a 2% edge), or none. */
function betOf(p: number, priceFirst: number | null, priceSecond: number | null): Pick<VariantPrediction, 'side' | 'stake'> {
  if (priceFirst === null || priceSecond === null || !(priceFirst > 1 && priceSecond > 1)) return { side: null, stake: 0 };
  const out = { side: NO_BET, stake: 0 };
  decideBet(EDGE_STRATEGY, p, priceFirst, priceSecond, out);
  if (out.side === NO_BET) return { side: null, stake: 0 };
  return { side: out.side === HOME ? 'first' : 'second', stake: out.stake };
}

/** Tries a write transaction again when it lost a write-write conflict with a concurrent one (a few times, then fails). */
const WRITE_ATTEMPTS = 4;
async function withWriteRetry<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= WRITE_ATTEMPTS || !/conflict|duplicate key/i.test(message)) throw err;
    }
  }
}

const samePrediction = (a: VariantPrediction | undefined, b: VariantPrediction) =>
  a !== undefined &&
  a.p === b.p &&
  a.priceFirst === b.priceFirst &&
  a.priceSecond === b.priceSecond &&
  a.side === b.side &&
  a.stake === b.stake;

/**
 * A/B experiments on deployments (migration 011). While an experiment runs, every game the deployment scores
 * is also scored by the challenger; its variant is GrowthBook's v2 hash of (salt, game id) in the bucket ranges of
 * the challenger's share, fixed at the game's first routing; the routed variant's bet is placed and the other
 * prediction is logged as shadow. Before routing, the experiment is looked at on what the clock knows: the
 * circuit breaker routes the challenger 0%, a decision ends it, a sample-ratio mismatch opens an alert.
 */
export class DuckDbExperiments implements ExperimentRouting {
  readonly store: ExperimentStore;
  private readonly texts: ModelTextCache;
  private readonly mats = new MaterializationCache();
  private readonly targets = new Map<string, Target>();

  constructor(private readonly deps: ExperimentDeps) {
    this.store = new ExperimentStore(deps.workspace);
    this.texts = new ModelTextCache(deps.models);
  }

  // ---- lifecycle

  /**
   * Starts an experiment on an active deployment. Refused before anything is written: an unknown or stopped
   * deployment, a challenger that is unknown, the control itself, or of another target, a bad split, a name
   * taken, or an experiment already running on the deployment.
   */
  async start(
    input: { deployment: string; challenger: string; name?: string; options: ExperimentOptions },
    scope: Scope,
  ): Promise<Experiment> {
    const config = experimentConfig(input.options);
    const dep = await this.deps.deployments().get(input.deployment, scope);
    if (dep.status !== 'active')
      throw new BullpenError(
        'conflict',
        'DEPLOYMENT_STOPPED',
        `deployment ${dep.name} was stopped at ${dep.stoppedAt ?? '?'}: an experiment needs an active deployment (\`bullpen deploy list\`)`,
        { deployment: dep.name },
      );
    const control = await this.controlModel(dep);
    const challengerBinding = await this.checkChallenger(control, input.challenger, `deployment ${dep.name} (${ref(dep)})`);
    const ramp = initialRamp(config);
    const share = initialShare(config, ramp);
    const id = await this.deps.workspace.transaction(async (sql) => {
      const running = await this.store.running(sql, dep.id, scope);
      if (running)
        throw new BullpenError(
          'conflict',
          'EXPERIMENT_RUNNING',
          `deployment ${dep.name} already runs experiment ${running.name}: stop it first (\`bullpen ab stop ${running.name}\`)`,
          { deployment: dep.name, experiment: running.name },
        );
      const name = input.name ?? (await this.freeName(sql, defaultExperimentName(challengerBinding.modelName, dep.modelName), scope));
      if (await this.store.byName(sql, name, scope))
        throw new BullpenError('conflict', 'EXPERIMENT_EXISTS', `an experiment named ${name} exists already: choose another --name`, {
          name,
        });
      return this.store.insert(
        sql,
        {
          name,
          deploymentId: dep.id,
          control: { modelName: dep.modelName, version: dep.version, sourceModel: dep.sourceModel, runId: control.runId },
          challenger: { ...challengerBinding },
          // The name is the salt: a client that knows the experiment's name reproduces every assignment.
          salt: name,
          config,
          share,
          ramp,
          startDay: clockDay(scope.clock),
        },
        scope,
      );
    });
    return this.public(await this.store.byId(id));
  }

  /** The refusals of `deploy replay --challenger` before its job starts: a bad split, an unknown challenger, the control itself, another target. */
  async precheck(controlRef: string, challenger: string, options: ExperimentOptions): Promise<void> {
    experimentConfig(options);
    const control = await boundModel(this.deps.models, await resolveBinding(this.deps, controlRef, true));
    await this.checkChallenger(control, challenger, `--model ${controlRef}`);
  }

  async list(filter: { deployment?: string; all: boolean }, scope: Scope): Promise<Experiment[]> {
    const deploymentId = filter.deployment !== undefined ? (await this.deps.deployments().get(filter.deployment, scope)).id : undefined;
    return (await this.store.list({ deploymentId, all: filter.all }, scope)).map((e) => this.public(e));
  }

  async get(name: string, scope: Scope): Promise<StoredExperiment> {
    const e = await this.store.byName(this.deps.workspace, name, scope);
    if (!e) throw experimentNotFound(name);
    return e;
  }

  /** `ab status`: the look at the clock's time, the boundary by day, SRM, breaker, events, and what stop/promote/rollback would do. Reads only. */
  async status(name: string, scope: Scope): Promise<ExperimentStatusResult> {
    const e = await this.get(name, scope);
    const games = await this.store.games(e, await this.target(e), scope);
    // An ended experiment's days stop at its end (a replay's experiment is read on the wall clock, years later).
    const clock = clockDay(scope.clock);
    const today = e.endedAt !== null && e.endedAt.slice(0, 10) < clock ? e.endedAt.slice(0, 10) : clock;
    const ev = evaluateExperiment(e, games, today);
    return {
      experiment: this.public(e),
      asOf: scope.clock.now().toISOString(),
      day: ev.day,
      variants: ev.variants,
      routed: ev.routed,
      paired: ev.paired,
      pairedGames: ev.pairedGames,
      timeline: boundaryTimeline(e, games, today),
      srm: ev.srm,
      circuitBreaker: ev.circuitBreaker,
      decision:
        e.status === 'running'
          ? ev.decision
          : (e.decision ?? { outcome: 'continue', by: 'manual', date: null, reason: `${e.status} by hand` }),
      events: await this.store.events(e.id, scope),
      actions: {
        stop:
          e.status === 'running'
            ? { allowed: true, reason: 'ends the experiment: the deployment serves and bets control only' }
            : { allowed: false, reason: `the experiment is ${e.status} already` },
        promote: await this.promoteGate(e, ev, scope),
        rollback: await this.rollbackGate(e, scope),
      },
    };
  }

  async stop(name: string, reason: string | undefined, actor: string, scope: Scope): Promise<Experiment> {
    const e = await this.get(name, scope);
    if (e.status !== 'running') throw this.notRunning(e, 'stop');
    await this.deps.workspace.transaction((sql) =>
      this.store.update(
        sql,
        e,
        scope,
        { status: 'stopped', share: 0 },
        { kind: 'stopped', message: `stopped by ${actor}${reason ? `: ${reason}` : ''}` },
      ),
    );
    return this.public(await this.store.byId(e.id));
  }

  /** Promotes the challenger to production through the registry's gates; the deployment serves it when it is a version of the deployment's registry name. */
  async promote(
    name: string,
    reason: string | undefined,
    actor: string,
    scope: Scope,
  ): Promise<{ experiment: Experiment; modelName: string; version: number; stage: string; served: boolean; note: string }> {
    const e = await this.get(name, scope);
    const games = await this.store.games(e, await this.target(e), scope);
    const ev = evaluateExperiment(e, games, clockDay(scope.clock));
    const gate = await this.promoteGate(e, ev, scope);
    if (!gate.allowed)
      throw new BullpenError('negative', 'PROMOTION_BLOCKED', `experiment ${e.name} cannot be promoted: ${gate.reason}`, {
        experiment: e.name,
      });
    const version = (await this.challengerVersion(e)) as RegistryVersion;
    const evidence = `experiment ${e.name}: ${(e.decision ?? ev.decision).reason}${reason ? ` (${reason})` : ''}`;
    const promoted = await this.deps.registry.promote(version.modelName, version.version, 'production', actor, evidence);
    const dep = await this.deps.deployments().get(e.deployment, scope);
    const served = dep.status === 'active' && dep.modelName === promoted.modelName;
    if (served) await this.deps.deployments().serve(dep.name, { version: promoted.version, sourceModel: promoted.sourceModel }, scope);
    await this.deps.workspace.transaction(async (sql) => {
      const fresh = await this.store.byId(e.id);
      await this.store.update(
        sql,
        fresh,
        scope,
        { status: 'promoted', share: 0, decision: fresh.decision ?? ev.decision },
        {
          kind: 'promoted',
          message: `${ref(promoted)} promoted to production by ${actor}${served ? `; deployment ${dep.name} serves it` : ''}`,
        },
      );
    });
    return {
      experiment: this.public(await this.store.byId(e.id)),
      modelName: promoted.modelName,
      version: promoted.version,
      stage: promoted.stage,
      served,
      note: served
        ? `deployment ${dep.name} serves ${ref(promoted)} from now on`
        : `deployment ${dep.name} serves ${ref(dep)}, another registry name: deploy ${promoted.modelName} to serve it (\`bullpen deploy start --model ${promoted.modelName}\`)`,
    };
  }

  /** A running experiment routes the challenger 0% at once; a promoted one restores the previous production version through the registry. */
  async rollback(name: string, reason: string | undefined, actor: string, scope: Scope): Promise<Experiment> {
    const e = await this.get(name, scope);
    const why = reason ?? 'rolled back by hand';
    if (e.status === 'running') {
      await this.cutOff(
        e,
        scope,
        { outcome: 'circuitBreaker', by: 'manual', date: clockDay(scope.clock), reason: `Rolled back by ${actor}: ${why}` },
        actor,
      );
      return this.public(await this.store.byId(e.id));
    }
    if (e.status !== 'promoted') throw this.notRunning(e, 'roll back');
    const gate = await this.rollbackGate(e, scope);
    if (!gate.allowed)
      throw new BullpenError('negative', 'ROLLBACK_BLOCKED', `experiment ${e.name} cannot be rolled back: ${gate.reason}`, {
        experiment: e.name,
      });
    const restored = await this.deps.registry.rollback(e.challenger.modelName, actor, `experiment ${e.name}: ${why}`);
    const dep = await this.deps.deployments().get(e.deployment, scope);
    if (dep.status === 'active' && dep.modelName === restored.modelName)
      await this.deps.deployments().serve(dep.name, { version: restored.version, sourceModel: restored.sourceModel }, scope);
    await this.deps.workspace.transaction(async (sql) =>
      this.store.update(
        sql,
        await this.store.byId(e.id),
        scope,
        { status: 'rolledBack', share: 0 },
        { kind: 'rolledBack', message: `promotion rolled back by ${actor} to ${ref(restored)}: ${why}` },
      ),
    );
    return this.public(await this.store.byId(e.id));
  }

  /** A stopped deployment scores nothing more: its running experiment ends with it. */
  async deploymentStopped(deployment: Deployment, scope: Scope): Promise<void> {
    const e = await this.store.running(this.deps.workspace, deployment.id, scope);
    if (e) await this.end(e, scope, `deployment ${deployment.name} was stopped`);
  }

  // ---- routing (the deployments' scoring path)

  async route(deployment: Deployment, scored: readonly ScoredForExperiment[], scope: Scope): Promise<Map<string, RoutedPrediction>> {
    const out = new Map<string, RoutedPrediction>();
    if (!scored.length) return out;
    let e = await this.store.running(this.deps.workspace, deployment.id, scope);
    if (!e) return out;
    if (e.control.version !== deployment.version || e.control.sourceModel !== deployment.sourceModel) {
      await this.end(
        e,
        scope,
        `deployment ${deployment.name} now serves ${ref(deployment)}, not the experiment's control ${ref(e.control)}`,
      );
      return out;
    }
    e = (await this.evaluate(e, scope)).experiment;
    if (e.status !== 'running') return out;
    let challenger: StoredModel;
    try {
      challenger = await boundModel(this.deps.models, { ...e.challenger, runId: e.challengerRun });
    } catch (err) {
      await this.end(e, scope, `the challenger can no longer score: ${err instanceof Error ? err.message : String(err)}`);
      return out;
    }
    let rows: Map<string, Float64Array>;
    try {
      rows = await featureRows(
        this.deps.workspace,
        this.mats,
        challenger,
        scored.map((g) => g.gameId),
      );
    } catch (err) {
      // The challenger's features changed under it: the control's predictions stand, the experiment ends.
      if (!(err instanceof BullpenError) || err.kind !== 'input') throw err;
      await this.end(e, scope, `the challenger can no longer score: ${err.message}`);
      return out;
    }
    // A game the challenger cannot score (no feature row, in its training window) stays out of the experiment.
    const both = scored.filter((g) => {
      const x = rows.get(g.gameId);
      return g.date > challenger.lastTrainingDate && x !== undefined && !x.every((v) => Number.isNaN(v));
    });
    if (!both.length) return out;
    const cols = challenger.featureNames.length;
    const x = new Float64Array(both.length * cols);
    both.forEach((g, i) => x.set(rows.get(g.gameId) as Float64Array, i * cols));
    const { p } = await this.deps.pool.run(
      'predict',
      { modelText: await this.texts.get(challenger), x, rows: both.length, cols, numThreads: this.deps.pool.threadsPerTask },
      { transferList: [x.buffer] },
    );
    const ranges = bucketRanges(splitWeights(e.challengerShare));
    const running = e;
    // Two calls scoring the same new game at once both write its assignment; the one that commits second
    // conflicts, and its retry reads the assignment the first one wrote.
    await withWriteRetry(() =>
      this.deps.workspace.transaction(async (sql) => {
        const assigned = await this.store.assign(
          sql,
          running,
          scope,
          both.map((g) => {
            const bucket = hashV2(running.salt, g.gameId);
            const variant: ExperimentVariant = chooseVariant(bucket, ranges) === 1 ? 'challenger' : 'control';
            return { gameId: g.gameId, variant, bucket, share: running.challengerShare };
          }),
        );
        const latest = await this.store.latest(
          sql,
          running.id,
          both.map((g) => g.gameId),
        );
        const fresh: NewExperimentPrediction[] = [];
        both.forEach((g, i) => {
          const routedTo = assigned.get(g.gameId)?.variant ?? 'control';
          const predictions: Record<ExperimentVariant, VariantPrediction> = {
            control: { p: g.p, priceFirst: g.priceFirst, priceSecond: g.priceSecond, ...betOf(g.p, g.priceFirst, g.priceSecond) },
            challenger: { p: p[i], priceFirst: g.priceFirst, priceSecond: g.priceSecond, ...betOf(p[i], g.priceFirst, g.priceSecond) },
          };
          for (const variant of ['control', 'challenger'] as const) {
            const prediction = predictions[variant];
            if (!samePrediction(latest.get(`${g.gameId}\u0000${variant}`), prediction))
              fresh.push({
                gameId: g.gameId,
                gameDate: g.date,
                variant,
                routed: variant === routedTo,
                model: running[variant],
                prediction,
                logSeq: variant === 'control' ? g.seq : null,
              });
          }
          const routed = predictions[routedTo];
          out.set(g.gameId, {
            experiment: running.name,
            variant: routedTo,
            p: routed.p,
            shadowP: predictions[routedTo === 'control' ? 'challenger' : 'control'].p,
            side: routed.side,
            stake: routed.stake,
          });
        });
        await this.store.appendPredictions(sql, running, scope, fresh);
      }),
    );
    return out;
  }

  /**
   * Looks at a running experiment on what the clock knows and acts on it: the circuit breaker routes the
   * challenger 0% (and writes the registry's audit trail, live), a decision ends it, a sample-ratio mismatch
   * opens an alert (resolved when the ratio recovers). Answers the experiment as it is now, and the look.
   */
  async evaluate(e: StoredExperiment, scope: Scope): Promise<{ experiment: StoredExperiment; evaluation: ExperimentEvaluation }> {
    const games = await this.store.games(e, await this.target(e), scope);
    const evaluation = evaluateExperiment(e, games, clockDay(scope.clock));
    if (e.status !== 'running') return { experiment: e, evaluation };
    await this.srmAlert(e, evaluation, scope);
    const d = evaluation.decision;
    if (d.outcome === 'circuitBreaker') await this.cutOff(e, scope, d, autoActor(e.deployment));
    else if (d.outcome !== 'continue')
      await this.deps.workspace.transaction((sql) =>
        this.store.update(sql, e, scope, { status: 'completed', share: 0, decision: d }, { kind: 'decision', message: d.reason }),
      );
    else if (await this.moveRamp(e, games, scope)) return { experiment: await this.store.byId(e.id), evaluation };
    return { experiment: d.outcome === 'continue' ? e : await this.store.byId(e.id), evaluation };
  }

  /**
   * A canary's step at this look (canaryRamp.ts): the next share, or the challenger rolled back on a regression.
   * The step is written only if the ramp is still where this look read it, so two concurrent looks move it once.
   */
  private async moveRamp(e: StoredExperiment, games: Awaited<ReturnType<ExperimentStore['games']>>, scope: Scope): Promise<boolean> {
    const action = rampAction(e, games, scope.clock.now().toISOString());
    if (action.kind === 'rollback') {
      await this.cutOff(
        e,
        scope,
        { outcome: 'circuitBreaker', by: 'guardrail', date: clockDay(scope.clock), reason: `Canary rolled back: ${action.reason}` },
        autoActor(e.deployment),
      );
      return true;
    }
    if (action.kind !== 'advance') return false;
    return withWriteRetry(() =>
      this.deps.workspace.transaction(async (sql) => {
        const now = await this.store.running(sql, e.deploymentId, scope);
        if (!now || now.id !== e.id || now.ramp.current !== e.ramp.current || now.ramp.completed.length !== e.ramp.completed.length)
          return false;
        const done = action.ramp.status === 'completed';
        await this.store.update(
          sql,
          now,
          scope,
          { share: action.share, ramp: action.ramp },
          {
            kind: 'rampStep',
            message: done
              ? `canary complete at ${Math.round(action.share * 100)}%: ${action.check}`
              : `canary step to ${Math.round(action.share * 100)}%: ${action.check}`,
            details: { step: action.ramp.current, completed: action.ramp.completed.length },
          },
        );
        return true;
      }),
    );
  }

  // ---- internals

  /** The experiment without the stored training runs. */
  private public(e: StoredExperiment): Experiment {
    const { controlRun: _c, challengerRun: _x, ...rest } = e;
    return rest;
  }

  private async target(e: StoredExperiment): Promise<Target> {
    let t = this.targets.get(e.id);
    if (!t) {
      t = ((await this.deps.models.find(e.control.sourceModel))?.target ?? 'home_win') as Target;
      this.targets.set(e.id, t);
    }
    return t;
  }

  private async controlModel(dep: Deployment): Promise<StoredModel> {
    if (dep.version === null) return this.deps.models.get(dep.sourceModel);
    const v = await this.deps.registry.version(dep.modelName, dep.version);
    return boundModel(this.deps.models, { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId });
  }

  /**
   * NAME:VERSION is that registry version; a plain NAME is the trained model of that name (the usual
   * challenger, not registered yet), else the registry's production or latest version of that name.
   */
  private async resolveChallenger(text: string): Promise<ModelBinding> {
    const parsed = registryRefSchema.safeParse(text);
    if (!parsed.success)
      throw inputError('BAD_MODEL_REF', `--challenger ${text} is not NAME or NAME:VERSION (a trained model or a registry version)`, {
        challenger: text,
      });
    if (parsed.data.version === undefined && !(await this.deps.models.find(parsed.data.name))) {
      try {
        const v = await this.deps.registry.version(parsed.data.name);
        return { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId };
      } catch (err) {
        if (err instanceof BullpenError && err.kind === 'notFound')
          throw new BullpenError(
            'notFound',
            'CHALLENGER_NOT_FOUND',
            `--challenger ${text} is neither a trained model nor a registered one: list them with \`bullpen ml models list\` and \`bullpen registry list\``,
            { challenger: text },
          );
        throw err;
      }
    }
    // A plain NAME is the trained model first, as in a replay: a challenger is usually trained, not yet registered.
    return resolveBinding(this.deps, text, true);
  }

  /** The challenger's binding, refused when it is unknown, the control's own training, or of another target than the control. */
  private async checkChallenger(control: StoredModel, text: string, controlLabel: string): Promise<ModelBinding> {
    const binding = await this.resolveChallenger(text);
    const challenger = await boundModel(this.deps.models, binding);
    if (challenger.runId === control.runId)
      throw inputError('CHALLENGER_IS_CONTROL', `--challenger ${text} is the control's own model (${controlLabel}): choose another model`, {
        challenger: text,
      });
    if (challenger.target !== control.target)
      throw inputError(
        'CHALLENGER_TARGET_MISMATCH',
        `--challenger ${text} predicts ${challenger.target}, but ${controlLabel} predicts ${control.target}: an experiment compares models of the same target`,
        { challenger: text, challengerTarget: challenger.target, controlTarget: control.target },
      );
    return binding;
  }

  /** A free name: the default, else the default with -2, -3, … */
  private async freeName(sql: Sql, base: string, scope: Scope): Promise<string> {
    const taken = await this.store.names(sql, base, scope);
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  /** The registry version holding the challenger's training: its own version, or one registered since with the same run. */
  private async challengerVersion(e: StoredExperiment): Promise<RegistryVersion | null> {
    if (e.challenger.version !== null) return this.deps.registry.version(e.challenger.modelName, e.challenger.version);
    for (const m of await this.deps.registry.list())
      for (const v of m.versions) if (v.sourceModel === e.challenger.sourceModel && v.runId === e.challengerRun) return v;
    return null;
  }

  private async promoteGate(e: StoredExperiment, ev: ExperimentEvaluation, scope: Scope): Promise<{ allowed: boolean; reason: string }> {
    if (scope.replayId !== null)
      return { allowed: false, reason: "a replay's experiment is evidence only: start the experiment live to promote its challenger" };
    if (e.status !== 'running' && e.status !== 'completed') return { allowed: false, reason: `the experiment is ${e.status}` };
    const decision = e.status === 'completed' && e.decision ? e.decision : ev.decision;
    if (decision.outcome !== 'challenger')
      return { allowed: false, reason: `the analysis has not chosen the challenger (${decision.outcome}: ${decision.reason})` };
    const version = await this.challengerVersion(e);
    if (!version)
      return {
        allowed: false,
        reason: `challenger ${e.challenger.sourceModel} is not registered: \`bullpen registry register ${e.challenger.sourceModel}\`, then validate and approve it`,
      };
    const gate = await this.deps.registry.check(version.modelName, version.version, 'production');
    return gate.allowed
      ? { allowed: true, reason: `promotes ${ref(version)} to production (${gate.reason})` }
      : { allowed: false, reason: gate.reason };
  }

  private async rollbackGate(e: StoredExperiment, scope: Scope): Promise<{ allowed: boolean; reason: string }> {
    if (e.status === 'running')
      return { allowed: true, reason: 'routes the challenger 0% at once; the deployment serves and bets control only' };
    if (e.status !== 'promoted' || scope.replayId !== null)
      return { allowed: false, reason: `the experiment is ${e.status}: nothing to roll back` };
    const gate = await this.deps.registry.rollbackCheck(e.challenger.modelName);
    return { allowed: gate.allowed, reason: gate.reason };
  }

  private notRunning(e: StoredExperiment, what: string): BullpenError {
    return new BullpenError('conflict', 'EXPERIMENT_NOT_RUNNING', `cannot ${what} experiment ${e.name}: it is ${e.status}`, {
      experiment: e.name,
      status: e.status,
    });
  }

  /** Routes the challenger 0% and ends the experiment (status rolledBack), recorded in the registry's audit trail when live. */
  private async cutOff(e: StoredExperiment, scope: Scope, decision: ExperimentDecision, actor: string): Promise<void> {
    await this.deps.workspace.transaction((sql) =>
      this.store.update(
        sql,
        e,
        scope,
        { status: 'rolledBack', share: 0, decision, ramp: { ...e.ramp, status: e.ramp.status === 'off' ? 'off' : 'rolledBack' } },
        { kind: 'circuitBreaker', message: decision.reason, details: { actor, previousShare: e.challengerShare } },
      ),
    );
    // A replay writes nothing outside its own rows: the registry's trail records live experiments only.
    if (scope.replayId === null)
      await this.deps.registry.appendAudit({
        actor,
        action: 'experiment',
        modelName: e.challenger.modelName,
        version: e.challenger.version,
        before: { experiment: e.name, deployment: e.deployment, challengerShare: e.challengerShare },
        after: { experiment: e.name, deployment: e.deployment, challengerShare: 0, status: 'rolledBack' },
        reason: decision.reason,
      });
  }

  private async end(e: StoredExperiment, scope: Scope, why: string): Promise<void> {
    await this.deps.workspace.transaction((sql) =>
      this.store.update(sql, e, scope, { status: 'stopped', share: 0 }, { kind: 'stopped', message: `stopped: ${why}` }),
    );
  }

  /** Opens (or refreshes) the SRM alert of the experiment's deployment below p = 0.001, and resolves it once the ratio is back. */
  private async srmAlert(e: StoredExperiment, ev: ExperimentEvaluation, scope: Scope): Promise<void> {
    if (!ev.srm || ev.srm.pValue === null) return;
    const mismatch = ev.srm.mismatch;
    const [c, x] = ev.srm.counts;
    const [ec, ex] = ev.srm.expected;
    const explanation = `experiment ${e.name}: ${c} games routed to control and ${x} to the challenger where the split expects ${ec.toFixed(1)} and ${ex.toFixed(1)} (chi-square p = ${ev.srm.pValue.toExponential(2)}${mismatch ? `, below ${SRM_ALERT_P}` : ''}): ${mismatch ? 'the routing or the logging loses games of one variant; its results cannot be trusted until found' : 'back within the split'}`;
    const at = scope.clock.now().getTime();
    const events = await this.deps.workspace.transaction(async (sql) => {
      const firing = await sql.value<number>(
        `SELECT count(*) FROM alerts WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR AND monitor = ? AND subject = ? AND status = 'firing'`,
        [e.deploymentId, scope.replayId, SRM_MONITOR, e.name],
      );
      if (!mismatch && !Number(firing)) return [];
      const opened = await applyAlerts(sql, { deploymentId: e.deploymentId, replayId: scope.replayId, at }, [
        {
          monitor: SRM_MONITOR,
          subject: e.name,
          value: ev.srm?.pValue ?? null,
          threshold: SRM_ALERT_P,
          status: mismatch ? 'alert' : 'ok',
          explanation,
        },
      ]);
      if (opened.some((o) => o.event === 'opened')) await this.store.event(sql, e.id, scope, 'srm', e.challengerShare, explanation);
      return opened;
    });
    if (events.length) this.deps.publishAlerts?.(events);
  }
}

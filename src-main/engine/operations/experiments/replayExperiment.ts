import type { ExperimentOptions, ReplayExperiment } from '../../../shared/results/experiments';
import type { Deployment } from '../../../shared/results/operations';
import type { Scope } from '../operationsTypes';
import type { DuckDbExperiments } from './duckDbExperiments';
import type { ExperimentEvaluation } from './evaluateExperiment';

export type ReplayExperiments = Pick<DuckDbExperiments, 'start' | 'get' | 'evaluate' | 'stop' | 'precheck'>;

interface Stop {
  date: string;
  evaluation: ExperimentEvaluation;
}

/**
 * An A/B experiment inside `deploy replay --challenger`: started with the replay's deployment on its first
 * day, routed and shadow-scored by the same scoring path as live, looked at after each replayed day's
 * outcomes (the look that can stop it, trip its circuit breaker or open its SRM alert), and summarized as the
 * replay's `experiments` entry. The first day each early-stopping rule (sequential, Bayesian) would have
 * stopped is recorded while the experiment runs, whichever rule the experiment itself stops by.
 */
export class ReplayAbTest {
  private readonly stops: { sequential: Stop | null; bayesian: Stop | null } = { sequential: null, bayesian: null };
  private breaker: { date: string; reason: string } | null = null;
  private last: ExperimentEvaluation | null = null;
  private ended = false;

  private constructor(
    private readonly experiments: ReplayExperiments,
    private readonly name: string,
  ) {}

  static async start(
    experiments: ReplayExperiments,
    deployment: Deployment,
    input: { challenger: string; options: ExperimentOptions },
    scope: Scope,
  ): Promise<ReplayAbTest> {
    const e = await experiments.start({ deployment: deployment.name, challenger: input.challenger, options: input.options }, scope);
    return new ReplayAbTest(experiments, e.name);
  }

  /** The look after `day`'s outcomes (the replay's clock is past the day's games). */
  async afterDay(day: string, scope: Scope): Promise<void> {
    if (this.ended) return;
    const e = await this.experiments.get(this.name, scope);
    if (e.status !== 'running') {
      this.ended = true;
      return;
    }
    const { experiment, evaluation } = await this.experiments.evaluate(e, scope);
    this.last = evaluation;
    if (!this.stops.sequential && evaluation.stops.sequential.by === 'sequential') this.stops.sequential = { date: day, evaluation };
    if (!this.stops.bayesian && evaluation.stops.bayesian.by === 'bayesian') this.stops.bayesian = { date: day, evaluation };
    if (evaluation.decision.outcome === 'circuitBreaker') this.breaker = { date: day, reason: evaluation.decision.reason };
    if (experiment.status !== 'running') this.ended = true;
  }

  /** Ends a still-running experiment with the replay, and answers its summary (control first). */
  async finish(scope: Scope): Promise<ReplayExperiment> {
    let e = await this.experiments.get(this.name, scope);
    if (e.status === 'running') {
      await this.experiments.stop(this.name, 'the replayed range ended', 'replay', scope);
      e = await this.experiments.get(this.name, scope);
    }
    const final = (await this.experiments.evaluate(e, scope)).evaluation;
    const candidates = [this.stops.sequential, this.stops.bayesian].filter((s): s is Stop => s !== null);
    const first = candidates.sort((a, b) => a.date.localeCompare(b.date))[0] ?? null;
    const firstRule = first === null ? null : first === this.stops.sequential ? 'sequential' : 'bayesian';
    const at = first?.evaluation ?? this.last ?? final;
    const stopDecision = first === null ? null : first.evaluation.stops[firstRule as 'sequential' | 'bayesian'];
    const decision = stopDecision
      ? { outcome: stopDecision.outcome, by: stopDecision.by, reason: stopDecision.reason }
      : e.decision
        ? { outcome: e.decision.outcome, by: e.decision.by, reason: e.decision.reason }
        : { outcome: 'continue' as const, by: null, reason: 'the replayed range ended before any decision' };
    return {
      name: e.name,
      variants: final.variants.map((v) => ({ name: v.name, variant: v.variant, games: v.games, metrics: v.metrics })),
      srmPValue: final.srm?.pValue ?? null,
      stoppedOn: first?.date ?? null,
      decision: decision.outcome,
      decidedBy: decision.by,
      reason: decision.reason,
      metric: e.config.metric,
      analysis: e.config.analysis,
      effect: at.deciding.effect,
      relativeEffect: at.deciding.relativeEffect,
      ci: at.deciding.sequential.ci,
      probabilityToBeat: at.deciding.bayesian.probabilityToBeat,
      stops: { sequential: this.stops.sequential?.date ?? null, bayesian: this.stops.bayesian?.date ?? null },
      circuitBreaker: this.breaker,
      days: (this.last ?? final).day,
      pairedGames: final.pairedGames,
      ramp: e.ramp.status === 'off' ? null : e.ramp,
    };
  }
}

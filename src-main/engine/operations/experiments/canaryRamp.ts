import type { AnalyzedMetric, Experiment, RampState } from '../../../shared/results/experiments';
import { analyze, METRIC_LABELS } from './evaluateExperiment';
import { pairedGames, type ExperimentGame } from './experimentSample';

/**
 * A canary ramp: the challenger's share climbs through the ramp's steps (5 → 10 → 25 → 50 → 100% by default)
 * and each step must pass a guardrail check before the next. The check uses the paired analysis whatever
 * the experiment decides on: both models score every game, so a 5% canary is judged on all games rather than on
 * the one game in twenty it bets (routed, a 5% step would need months of MLB games to say anything). A step
 * passes once `stepGames` more settled games were paired since the last step and neither the primary metric
 * nor any guardrail is significantly worse for the challenger on the always-valid sequential test (cumulative
 * over the experiment: a sequence may be looked at after every game, so checking at each step costs no error).
 * A significant regression rolls the challenger back to 0%. The ramp's state is one row, changed in one
 * transaction per step, so a process killed between steps resumes at the last step it completed.
 */

export type RampAction =
  | { kind: 'none' }
  | { kind: 'hold'; reason: string }
  | { kind: 'advance'; ramp: RampState; share: number; check: string }
  | { kind: 'rollback'; metric: AnalyzedMetric; reason: string };

const LABELS = METRIC_LABELS;

/** Paired settled games counted when the current step began (0 before the first step completed). */
export const stepStartGames = (ramp: RampState): number => (ramp.completed.length ? ramp.completed[ramp.completed.length - 1].games : 0);

/** What the ramp does at this look: nothing (no ramp running), hold, move to the next step, or roll back. */
export function rampAction(e: Experiment, games: readonly ExperimentGame[], at: string): RampAction {
  const ramp = e.ramp;
  if (ramp.status !== 'ramping' || ramp.current === null) return { kind: 'none' };
  const metrics: AnalyzedMetric[] = [e.config.metric, ...e.config.guardrails];
  const checks = metrics.map((metric) => ({ metric, a: analyze(e, games, 'paired', metric) }));
  const regressed = checks.find((c) => c.a.sequential.significant && (c.a.effect ?? 0) < 0);
  if (regressed)
    return {
      kind: 'rollback',
      metric: regressed.metric,
      reason: `canary at ${ramp.steps[ramp.current]}%: ${LABELS[regressed.metric]} is significantly worse for the challenger on the always-valid test (${regressed.a.explanation})`,
    };
  const paired = pairedGames(games);
  const inStep = paired - stepStartGames(ramp);
  const need = e.config.canaryStepGames;
  if (inStep < need)
    return {
      kind: 'hold',
      reason: `step ${ramp.current + 1} of ${ramp.steps.length} (${ramp.steps[ramp.current]}%): ${inStep} of ${need} paired games`,
    };
  const check = `${inStep} paired games at ${ramp.steps[ramp.current]}% (${paired} in all); no regression on ${metrics.map((m) => LABELS[m]).join(', ')} (always-valid, α ${e.config.alpha})`;
  const completed = [...ramp.completed, { step: ramp.current, share: ramp.steps[ramp.current], at, check, games: paired }];
  const last = ramp.current + 1 >= ramp.steps.length;
  const next: RampState = last ? { ...ramp, status: 'completed', completed } : { ...ramp, current: ramp.current + 1, completed };
  return { kind: 'advance', ramp: next, share: (last ? ramp.steps[ramp.current] : ramp.steps[ramp.current + 1]) / 100, check };
}

import type { z } from 'zod';
import { inputError } from '../../../src-main/shared/errors';
import type { GateResult, ValidationCharts, validationSummarySchema } from '../../../src-main/shared/results/validation';
import { gateNames, type GateName } from '../../../src-main/shared/validationPolicy';
import { calibrationGate } from './calibrationGate';
import type { ValidationEvidence } from './evidence';
import { featureStabilityGate } from './featureStabilityGate';
import { finiteOrNull } from './gateResult';
import { leakageGate, marketLogLossGate } from './marketGates';
import { type Measures, measure } from './measures';
import { overfittingGate } from './overfittingGate';
import { accuracyGate, betsGate, maxDrawdownGate, noBetsReason, roiGate, sharpeGate } from './performanceGates';
import { accuracySignificanceGate, roiSignificanceGate } from './significanceGates';
import { TRIAL_STRATEGIES, runPlan } from './stakingPlan';

export type ValidationSummary = z.output<typeof validationSummarySchema>;

/** What a validation computes from its evidence; the engine adds the model, windows and runs to make the report. */
export interface GateComputation {
  /** The enabled gates, in the order of gateNames. */
  gates: GateResult[];
  /** Gates the policy turned off (`enabled: false`), in the order of gateNames. */
  disabledGates: GateName[];
  summary: ValidationSummary;
  charts: ValidationCharts;
}

function overfitting(m: Measures): GateResult {
  const planIndex = TRIAL_STRATEGIES.indexOf(m.policy.staking.strategy);
  // The plan's own run already has these returns; the others are the same games under the other stakings.
  const trialReturns = TRIAL_STRATEGIES.map((kind, i) =>
    i === planIndex ? m.plan.result.daily.returns : runPlan(m.evidence.games, m.policy, { kind }).daily.returns,
  );
  return overfittingGate({
    trialReturns,
    trialNames: TRIAL_STRATEGIES,
    plan: planIndex,
    planBets: m.plan.result.metrics.bets,
    noBetsReason: noBetsReason(m),
    sweepTrials: m.evidence.sweepTrials,
    pathSharpesDaily: m.pathSharpesDaily,
    policy: m.policy.gates.overfitting,
  });
}

/**
 * Every enabled gate of the evidence's policy, with the summary and the charts the report draws. Pure and
 * deterministic: the same evidence gives the same result (the ROI bootstrap is seeded by policy.bootstrap).
 * A value that cannot be measured (no games, no priced games, no bets, no CV) fails its gate with the reason.
 */
export function computeGates(evidence: ValidationEvidence): GateComputation {
  if (!Number.isInteger(evidence.sweepTrials) || evidence.sweepTrials < 1)
    throw inputError('VALIDATION_EVIDENCE', `sweepTrials must be a whole number ≥ 1 (1 when no sweep ran), got ${evidence.sweepTrials}`, {
      sweepTrials: evidence.sweepTrials,
    });
  const m = measure(evidence);
  const policy = m.policy;
  const stability = featureStabilityGate(evidence.importance, policy.gates.featureStability);
  const builders: Record<GateName, () => GateResult> = {
    accuracy: () => accuracyGate(m),
    roi: () => roiGate(m),
    maxDrawdown: () => maxDrawdownGate(m),
    sharpe: () => sharpeGate(m),
    featureStability: () => stability.gate,
    bets: () => betsGate(m),
    roiSignificance: () => roiSignificanceGate(m),
    accuracySignificance: () => accuracySignificanceGate(m),
    marketLogLoss: () => marketLogLossGate(m),
    calibration: () => calibrationGate(m),
    leakage: () => leakageGate(m),
    overfitting: () => overfitting(m),
  };
  const gates: GateResult[] = [];
  const disabledGates: GateName[] = [];
  for (const name of gateNames) {
    if (policy.gates[name].enabled) gates.push(builders[name]());
    else disabledGates.push(name);
  }

  const r = m.plan.result.metrics;
  const hasBets = r.bets > 0;
  const summary: ValidationSummary = {
    games: evidence.games.days.length,
    pricedGames: m.plan.pricedGames,
    accuracy: finiteOrNull(m.model?.accuracy),
    logLoss: finiteOrNull(m.model?.logLoss),
    marketAccuracy: finiteOrNull(m.market?.marketAccuracy),
    marketLogLoss: finiteOrNull(m.market?.marketLogLoss),
    bets: r.bets,
    roi: hasBets ? finiteOrNull(r.roi) : null,
    sharpe: hasBets ? finiteOrNull(r.sharpe) : null,
    maxDrawdown: hasBets ? finiteOrNull(m.plan.curves.maxDrawdown) : null,
    trials: TRIAL_STRATEGIES.length * evidence.sweepTrials,
  };
  const c = m.plan.curves;
  const charts: ValidationCharts = {
    calibration: (m.model?.calibration ?? []).map((b) => ({
      lower: b.lower,
      upper: b.upper,
      count: b.count,
      meanPredicted: finiteOrNull(b.meanPredicted),
      observedRate: finiteOrNull(b.observedRate),
    })),
    roi: {
      value: summary.roi,
      low: finiteOrNull(r.roiCi?.[0]),
      high: finiteOrNull(r.roiCi?.[1]),
      level: policy.gates.roiSignificance.level,
    },
    equity: {
      dates: c.dates,
      bankroll: Array.from(c.bankroll, finiteOrNull),
      drawdown: Array.from(c.drawdown, finiteOrNull),
      flatUnits: Array.from(c.flatUnits, finiteOrNull),
    },
    importanceStability: stability.chart,
    pathSharpes: m.pathSharpes.map(finiteOrNull),
  };
  return { gates, disabledGates, summary, charts };
}

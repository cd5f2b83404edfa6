import type { ValidationReport, ValidationCharts, GateResult } from '../../shared/results';
import type { GateName, ValidationPolicy } from '../../shared/validationPolicy';
import type { OddsSide } from '../../shared/vocabulary';
import type { StoredModel } from '../tracking/modelService';
import type { RunStart } from '../tracking/runTypes';
import type { EvidenceRun } from './evidenceRuns';
import type { z } from 'zod';
import type { validationSummarySchema } from '../../shared/results';

/** What a validation was asked and what it found to read, before the gates are computed. */
export interface ValidationPlan {
  name: string;
  model: StoredModel;
  policy: ValidationPolicy;
  policySource: 'file' | 'workspace' | 'input';
  trainText: string;
  validText: string | null;
  evaluation: { source: 'holdout' | 'walk-forward'; seasons: number[]; firstGame: string | null; lastGame: string | null };
  cv: { scheme: string; seasons: number[]; folds: number } | null;
  runs: (EvidenceRun & { role: 'training' | 'backtest' | 'cv' | 'cpcv' })[];
}

/** What the gate computation answers (src-workers/compute/validation). */
export interface ComputedGates {
  gates: GateResult[];
  disabledGates: GateName[];
  summary: z.input<typeof validationSummarySchema>;
  charts: ValidationCharts;
}

/** The run a validation records: the model, the policy's settings that decide the verdict, and the evidence runs. */
export function validationRunStart(plan: ValidationPlan, jobId: string): RunStart {
  return {
    name: plan.name,
    kind: 'validation',
    jobId,
    target: plan.model.target,
    featureSet: plan.model.featureSet,
    featureVersions: plan.model.featureVersions,
    params: {
      model: plan.model.name,
      trainedAt: plan.model.createdAt,
      policySource: plan.policySource,
      policy: JSON.stringify(plan.policy),
      evaluationSource: plan.evaluation.source,
      seasons: plan.evaluation.seasons.join(','),
      odds: plan.policy.odds as OddsSide,
      runs: plan.runs.map((r) => `${r.role}:${r.id}`).join(','),
    },
  };
}

/** The report: the gates as computed, the status they decide, and where every number came from. Pure. */
export function buildValidationReport(plan: ValidationPlan, computed: ComputedGates, validatedAt: string): ValidationReport {
  return {
    status: computed.gates.every((g) => g.passed) ? 'passed' : 'failed',
    modelName: plan.model.name,
    modelRunId: plan.model.runId,
    validatedAt,
    trainedAt: plan.model.createdAt,
    policy: plan.policy,
    policySource: plan.policySource,
    windows: {
      train: plan.trainText,
      valid: plan.validText,
      evaluation: { ...plan.evaluation, odds: plan.policy.odds },
      cv: plan.cv,
    },
    runs: plan.runs.map((r) => ({ role: r.role, id: r.id, name: r.name, reused: r.reused })),
    gates: computed.gates,
    disabledGates: computed.disabledGates,
    summary: {
      ...computed.summary,
    } as ValidationReport['summary'],
    charts: computed.charts,
  };
}

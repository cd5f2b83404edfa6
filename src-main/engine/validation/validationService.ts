import type { ValidationRecord, ValidationReport } from '../../shared/results';
import type { ModelStage } from '../../shared/vocabulary';
import type { PromotionDecision } from './promotion';
import type { StoredPolicy } from './policyStore';

/**
 * Validations of models: each is a completed `validation` run holding the report (validation.json) and
 * its HTML page (report.html); the service lists them, reads them back, keeps the project's policy and
 * answers whether a model may be promoted. The registry asks `promotion` before every stage change.
 */
export interface ValidationService {
  policy(): Promise<StoredPolicy>;
  setPolicy(text: string, source: string): Promise<StoredPolicy>;
  resetPolicy(): Promise<StoredPolicy>;
  /** Newest first. */
  list(query: { model?: string; limit: number }): Promise<ValidationRecord[]>;
  /** The latest completed validation of a model, or null. */
  latest(model: string): Promise<ValidationRecord | null>;
  /** A validation by run id (or unique prefix), or the latest of a model; not-found errors say how to make one. */
  show(ref: { id?: string; model?: string }): Promise<{ record: ValidationRecord; report: ValidationReport }>;
  html(ref: { id?: string; model?: string }): Promise<{ runId: string; html: string }>;
  promotion(model: string, stage: ModelStage): Promise<PromotionDecision & { validation: ValidationRecord | null }>;
}

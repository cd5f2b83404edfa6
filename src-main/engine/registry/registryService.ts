import type { AuditAction, PromotionGate, RollbackGate } from '../../shared/registry';
import type { ModelStage } from '../../shared/vocabulary';

/** One approval: for one version and one stage, by a configured user. */
export interface Approval {
  actor: string;
  stage: 'staging' | 'production';
  decision: 'approved' | 'rejected';
  comment: string;
  at: string;
}

/** A registered model version: a trained model (by its Bullpen name) under a registry name, with its stage. */
export interface RegistryVersion {
  /** The registry name (`registry register MODEL --as NAME`; default the trained model's name). */
  modelName: string;
  version: number;
  stage: ModelStage;
  /** The trained model this version holds (engine.models), and its training run. */
  sourceModel: string;
  runId: string;
  registeredAt: string;
  stageChangedAt: string;
  approvals: Approval[];
  /** The source model's latest validation, or null when it was never validated. */
  validation: { status: 'passed' | 'failed'; at: string } | null;
}

// Declared with the registry's JSON schemas (shared/registry.ts), which the contract and the UI share.
export { auditActions, type AuditAction } from '../../shared/registry';
export type { PromotionGate, RollbackGate } from '../../shared/registry';

/** One entry of the append-only audit trail; `hash` covers every field and `prevHash` (the previous entry's hash). */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: AuditAction;
  modelName: string;
  version: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string;
  prevHash: string;
  hash: string;
}

/** A stage move, as listeners (the MLflow exporter, which moves aliases) see it after it is committed. */
export interface StageChange {
  modelName: string;
  version: number;
  from: ModelStage;
  to: ModelStage;
  actor: string;
}

/**
 * The local model registry: versions and stages, approvals, the hash-chained audit trail, rollback.
 * Promotion to staging or production asks `ValidationService.promotion` (a passing, current validation)
 * and needs a recorded approval for that version and stage. The workspace's DuckDB store is one implementation.
 */
export interface RegistryService {
  list(): Promise<{ modelName: string; versions: RegistryVersion[] }[]>;
  show(modelName: string): Promise<RegistryVersion[]>;
  /** One version; without `version`, the production version, else the latest. */
  version(modelName: string, version?: number): Promise<RegistryVersion>;
  register(sourceModel: string, options: { as?: string; actor: string }): Promise<RegistryVersion>;
  approve(
    modelName: string,
    version: number | undefined,
    stage: 'staging' | 'production',
    comment: string,
    actor: string,
  ): Promise<RegistryVersion>;
  reject(
    modelName: string,
    version: number | undefined,
    stage: 'staging' | 'production',
    comment: string,
    actor: string,
  ): Promise<RegistryVersion>;
  /** Whether `promote` would move the version to `to` now, with every reason it would not: the rule promote applies. */
  check(modelName: string, version: number | undefined, to: ModelStage): Promise<PromotionGate>;
  /** Which version `rollback` would restore now, or why it cannot. */
  rollbackCheck(modelName: string): Promise<RollbackGate>;
  promote(modelName: string, version: number | undefined, to: ModelStage, actor: string, reason?: string): Promise<RegistryVersion>;
  rollback(modelName: string, actor: string, reason?: string): Promise<RegistryVersion>;
  archive(modelName: string, version: number | undefined, actor: string, reason?: string): Promise<RegistryVersion>;
  audit(modelName?: string): Promise<AuditEntry[]>;
  /** Checks the hash chain: the first entry whose hash or link does not match, or null when the chain is whole. */
  verifyAudit(): Promise<{ ok: boolean; entries: number; firstBad: { seq: number; reason: string } | null }>;
  /** Appends an entry for work done elsewhere (an MLflow export), in the same chain. */
  appendAudit(entry: Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>): Promise<AuditEntry>;
  /**
   * Called after every committed stage move (the MLflow exporter moves aliases), in the order the moves were
   * made (a replaced production version's move to archived comes before the new one's move to production);
   * the change waits for its listeners, and a throwing listener is logged and never undoes the move.
   */
  onStageChange(listener: (change: StageChange) => void | Promise<void>): () => void;
}

/** Kinds of run the tracking store holds; children point at their parent (a CV's folds, a backtest's strategies). */
export type RunKind = 'train' | 'cv' | 'cv-fold' | 'backtest' | 'backtest-strategy';
/** `interrupted` is never stored: it is what a `running` run reads as once its job is no longer alive. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface RunStart {
  name: string;
  kind: RunKind;
  parentId?: string | null;
  jobId?: string | null;
  target?: string | null;
  featureSet?: string | null;
  featureVersions?: { name: string; version: number }[] | null;
  dataHash?: string | null;
  seed?: number | null;
  synthetic?: boolean;
  /** Immutable once written (MLflow's rule): everything that decided the result. */
  params: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface MetricPoint {
  key: string;
  value: number;
  /** 0 for a run's summary value; 1.. for a curve (boosting iteration, fold). */
  step?: number;
}

export interface ArtifactInput {
  name: string;
  mediaType: 'application/json' | 'text/plain' | 'text/csv';
  content: string;
}

export interface ModelRecord {
  name: string;
  target: string;
  featureSet: string;
  featureNames: string[];
  featureVersions: { name: string; version: number }[];
  seasons: number[];
  /** The latest game date any training or early-stopping row came from: backtests must start after it. */
  lastTrainingDate: string;
  bestIteration: number;
}

/** Everything a finished run adds, written in one transaction with its final status. */
export interface RunResults {
  metrics: MetricPoint[];
  artifacts?: ArtifactInput[];
  tags?: Record<string, string>;
  model?: ModelRecord;
  /** Child runs finished with the parent (folds of a CV, strategies of a backtest). */
  children?: (RunStart & { metrics: MetricPoint[]; artifacts?: ArtifactInput[] })[];
}

export interface RunSummary {
  id: string;
  name: string;
  kind: RunKind;
  status: RunStatus;
  parentId: string | null;
  jobId: string | null;
  target: string | null;
  featureSet: string | null;
  dataHash: string | null;
  seed: number | null;
  codeVersion: string | null;
  synthetic: boolean;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Summary metrics (step 0). */
  metrics: Record<string, number | null>;
}

export interface RunDetail extends RunSummary {
  featureVersions: { name: string; version: number }[] | null;
  /** Curves: metric key → values by step (boosting iterations, folds). */
  curves: Record<string, { step: number; value: number | null }[]>;
  artifacts: { name: string; mediaType: string; bytes: number }[];
  /** JSON artifacts inlined (calibration, importance, folds, equity); large text artifacts (the model) are not. */
  data: Record<string, unknown>;
  children: RunSummary[];
}

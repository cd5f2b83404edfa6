import type { RunKind, RunStatus } from '../../shared/vocabulary';
import type { ArtifactValue, RunArtifactName, RunData } from '../../shared/results';
export type { RunKind, RunStatus };

/** A run parameter as it was given: stored and returned with its type (0.05 stays a number, "2016" a string). */
export type ParamValue = string | number | boolean;
export type RunParams = Record<string, ParamValue>;

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
  /** Immutable once written (MLflow's rule): everything that decided the result. Null or undefined: not recorded. */
  params: Record<string, ParamValue | null | undefined>;
  tags?: Record<string, string>;
}

export interface MetricPoint {
  key: string;
  value: number;
  /** 0 for a run's summary value; 1.. for a curve (boosting iteration, fold). */
  step?: number;
}

/**
 * An artifact a run stores, by its file name: the value is checked against that name's schema
 * (shared/results/artifacts.ts) when the run finishes, and parsed by it when read back.
 */
export type ArtifactInput = { [K in RunArtifactName]: { name: K; value: ArtifactValue<K> } }[RunArtifactName];

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
  params: RunParams;
  tags: Record<string, string>;
  /** Summary metrics (step 0). */
  metrics: Record<string, number | null>;
}

export interface RunDetail extends RunSummary {
  featureVersions: { name: string; version: number }[] | null;
  /** Curves: metric key → values by step (boosting iterations, folds). */
  curves: Record<string, { step: number; value: number | null }[]>;
  artifacts: { name: string; mediaType: string; bytes: number }[];
  /** JSON artifacts inlined and parsed by their schemas (calibration, importance, folds, equity…); text artifacts (the model) are not. */
  data: RunData;
  /** JSON artifacts that do not match their schema (a run from an older version): listed, not inlined. */
  unreadableData: { name: string; issue: string }[];
  children: RunSummary[];
}

/** Which runs a listing returns, in what order. */
export interface RunQuery {
  ids?: string[];
  kind?: RunKind;
  status?: RunStatus;
  /** Only runs without a parent (the default for listings; children are shown under their parent). */
  topLevel?: boolean;
  /** Free text matched against name, id, tag values and param values. */
  search?: string;
  /** `metric.logLoss<0.69`, `param.learning_rate=0.05`, `tag.note!=draft` (all must hold). */
  filters?: string[];
  /** `startedAt` (default), `name`, `durationMs` or `metric.KEY`. */
  sort?: string;
  order?: 'asc' | 'desc';
  limit: number;
}

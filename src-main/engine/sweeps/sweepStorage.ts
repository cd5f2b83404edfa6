import type { SweepConfig, SweepStatus, SweepSummary } from '../../shared/results/sweep';
import type { TrialParams } from '../../shared/sweep/distributions';
import type { FrozenTrial, IntermediatePoint, TrialState } from '../../shared/sweep/trials';

export interface SweepRecord {
  id: string;
  name: string;
  status: SweepStatus;
  config: SweepConfig;
  jobId: string | null;
  runId: string | null;
  /** The summary written when the sweep last finished (or stopped); null while it never has. */
  summary: SweepSummary | null;
  error: string | null;
  /** LightGBM's default parameters evaluated on the same CV (the improvement's baseline); null until done. */
  baseline: BaselineResult | null;
  heartbeatAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface StoredTrial extends FrozenTrial {
  attempt: number;
  runId: string | null;
  startedAt: string | null;
  heartbeatAt: string | null;
  finishedAt: string | null;
  /** Test log loss (and the other objectives) per CV fold, for the paired comparison with the defaults. */
  foldValues: number[][] | null;
  /** The trial's out-of-fold betting returns per day, for the deflated Sharpe and PBO of the best of N. */
  dailyReturns: number[] | null;
}

export interface BaselineResult {
  params: TrialParams;
  values: number[];
  foldValues: number[][];
  dailyReturns: number[] | null;
}

export interface TrialEnd {
  state: Exclude<TrialState, 'running'>;
  values: number[] | null;
  durationMs: number;
  prunedAt: number | null;
  reason: string | null;
  foldValues: number[][] | null;
  dailyReturns: number[] | null;
}

/**
 * Where sweeps and their trials live (Optuna's BaseStorage, for what Bullpen's sweep loop needs). The
 * workspace's DuckDB is the one implementation today; a database shared by several machines would
 * implement the same calls (the heartbeat is what lets a second process tell a live trial from a dead one).
 * Every write is durable when its promise resolves: a kill -9 after it loses nothing it wrote.
 */
export interface SweepStorage {
  /**
   * True when no other process can reach this storage while this one has it open (the workspace's DuckDB
   * file is locked by its process): a `running` sweep whose job is not alive here is then surely
   * interrupted, whatever its heartbeat says. A shared database sets false and relies on the heartbeat.
   */
  readonly exclusive: boolean;
  create(name: string, config: SweepConfig, jobId: string): Promise<SweepRecord>;
  /** By id, a unique id prefix (6+ characters) or name; SWEEP_NOT_FOUND otherwise. */
  get(ref: string): Promise<SweepRecord>;
  list(limit: number): Promise<SweepRecord[]>;
  update(
    id: string,
    patch: Partial<Pick<SweepRecord, 'status' | 'jobId' | 'runId' | 'summary' | 'error' | 'finishedAt' | 'baseline'>> & {
      config?: SweepConfig;
    },
  ): Promise<void>;
  trials(sweepId: string): Promise<StoredTrial[]>;
  /** Records trial `number` as running with its parameters; a re-run of an interrupted trial bumps its attempt and clears its curves. */
  startTrial(sweepId: string, number: number, params: TrialParams, runId: string | null): Promise<void>;
  /** Appends intermediate values of a running trial. */
  report(sweepId: string, number: number, points: readonly IntermediatePoint[]): Promise<void>;
  finishTrial(sweepId: string, number: number, end: TrialEnd): Promise<void>;
  /** Moves the heartbeat of the sweep and of its running trials to now. */
  heartbeat(sweepId: string): Promise<void>;
}

import type { RunDetail, RunParams, RunQuery, RunResults, RunStart, RunSummary } from './runTypes';

/**
 * What a job needs to record its work as a run (trackRun): a run is started `running`, then finished with
 * all of its results at once, or abandoned with the cause. An implementation must never let a run look
 * complete without every result it was finished with.
 */
export interface RunRecorder {
  /** Records a run as `running` with its parameters; answers with its id. */
  start(start: RunStart): Promise<string>;
  /** Adds the results (metrics, artifacts, tags, children, model) and marks the run `completed`, all or nothing. */
  finish(id: string, results: RunResults): Promise<void>;
  /** Marks a run that did not finish; its partial results are never written. */
  abandon(id: string, status: 'failed' | 'cancelled', error: string): Promise<void>;
}

/** Reading runs back: listings, one run in full, its typed parameters and its artifacts. */
export interface RunReader {
  list(query: RunQuery): Promise<RunSummary[]>;
  get(idOrPrefix: string): Promise<RunDetail>;
  /** A full id, or a unique prefix of at least 6 characters (what the CLI prints). */
  resolveId(idOrPrefix: string): Promise<string>;
  /** The parameters as recorded, typed (0.05 is a number, "2016" a string). */
  params(idOrPrefix: string): Promise<RunParams>;
  /** An artifact's content, or undefined when the run has none by that name. */
  artifact(runId: string, name: string): Promise<string | undefined>;
}

/**
 * The runs of the tracking store, as every stage sees them (Optuna's BaseStorage plays this part). The
 * workspace's DuckDB store (runStore.ts) is one implementation; an MLflow export or a database shared by
 * sweep workers implements the same surface. Nothing here names a storage type.
 */
export interface RunService extends RunRecorder, RunReader {
  /** Sets and removes tags (the only thing about a run that changes after it started). */
  setTags(id: string, set: Record<string, string>, remove: string[]): Promise<RunSummary>;
}

import type { z } from 'zod';
import type { JobKind } from '../../shared/results';

/**
 * What an operation does: a `query` only reads, a `command` changes the workspace, a `job` starts long
 * work and answers at once with a job id. Every kind travels the same way (IPC in the desktop,
 * `POST /api/ops/<op>` in serve mode): serve mode has no GET route for ops, so nothing here promises
 * that a query may be sent as a GET or retried by a transport.
 */
export type OpKind = 'query' | 'command' | 'job';

/** How the CLI exposes an operation: its words (`["jobs", "run"]`) and positional arguments. */
export interface CliSpec {
  path: string[];
  /** Input fields taken positionally, in order; a trailing field ending in `...` takes the rest. */
  positionals?: string[];
  /** One-line usage help shown in `bullpen --help`. */
  help?: string;
  /**
   * Input fields that name files on the caller's machine: the CLI makes them absolute against its own
   * working directory, because the engine serving the op (`bullpen serve`) may run somewhere else.
   */
  files?: string[];
  /**
   * When the op ran but its answer is negative (a failed validation, a blocked promotion): the sentence for
   * the last line of standard error, and the CLI exits 1 (docs/CONVENTIONS.md). Reads a job's result, or a
   * query's output; null when the answer is positive.
   */
  negative?: (answer: unknown) => string | null;
}

/** One operation, declared once; IPC, HTTP, the renderer client and the CLI are derived from it. */
export interface OpDef<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> {
  kind: OpKind;
  summary: string;
  input: I;
  output: O;
  /**
   * A job's result: the schema of `job.result` once the job completes (read it with `jobResult`), the same
   * one the engine checks the result against (shared/results). Every job op declares one.
   */
  result?: R;
  /** The kind the engine records on the job, when it is not the op's name (`jobs.runDemo` runs `demo`). */
  jobKind?: JobKind;
  cli?: CliSpec;
}

export function defineOp<I extends z.ZodType, O extends z.ZodType, R extends z.ZodType | undefined = undefined>(
  def: OpDef<I, O, R>,
): OpDef<I, O, R> {
  return def;
}

export type InputOf<D> = D extends OpDef<infer I, z.ZodType> ? z.input<I> : never;
export type ParsedInputOf<D> = D extends OpDef<infer I, z.ZodType> ? z.output<I> : never;
export type OutputOf<D> = D extends OpDef<z.ZodType, infer O> ? z.output<O> : never;
/** What a completed job of this op holds in `result`. */
export type ResultOf<D> = D extends OpDef<z.ZodType, z.ZodType, infer R> ? (R extends z.ZodType ? z.output<R> : never) : never;

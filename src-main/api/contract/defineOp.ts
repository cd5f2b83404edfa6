import type { z } from 'zod';

/**
 * How an operation behaves for its transports: a `query` only reads (HTTP GET-safe, retried freely),
 * a `command` changes the workspace, a `job` starts long work and answers at once with a job id.
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
}

/** One operation, declared once; IPC, HTTP, the renderer client and the CLI are derived from it. */
export interface OpDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: OpKind;
  summary: string;
  input: I;
  output: O;
  cli?: CliSpec;
}

export function defineOp<I extends z.ZodType, O extends z.ZodType>(def: OpDef<I, O>): OpDef<I, O> {
  return def;
}

export type InputOf<D> = D extends OpDef<infer I, z.ZodType> ? z.input<I> : never;
export type ParsedInputOf<D> = D extends OpDef<infer I, z.ZodType> ? z.output<I> : never;
export type OutputOf<D> = D extends OpDef<z.ZodType, infer O> ? z.output<O> : never;

import type { z } from 'zod';
import type { TaskResult } from '../protocol';
import type { TaskContext } from './taskContext';

/**
 * A compute task: the schema its payload must pass (the worker entry checks it before `run` sees it, so
 * `run` gets the parsed value with defaults applied) and the result it answers with.
 */
export interface TaskDefinition<Schema extends z.ZodType = z.ZodType, Output = unknown> {
  readonly payload: Schema;
  run(payload: z.output<Schema>, ctx: TaskContext): TaskResult<Output> | Promise<TaskResult<Output>>;
}

/** Any task, as the worker entry dispatches it by name. */
export type TaskTable = Record<string, TaskDefinition>;

/** Pairs a payload schema with the function that runs it, keeping both types for the engine's pool. */
export function defineTask<Schema extends z.ZodType, Output>(
  payload: Schema,
  run: (payload: z.output<Schema>, ctx: TaskContext) => TaskResult<Output> | Promise<TaskResult<Output>>,
): TaskDefinition<Schema, Output> {
  return { payload, run };
}

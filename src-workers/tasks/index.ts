import type { TaskResult } from '../protocol';
import type { TaskContext } from './taskContext';
import { checkParams } from './checkParams';
import { checksum } from './checksum';
import { cvFold } from './cvFold';
import { predict } from './predict';
import { predictBacktest } from './predictBacktest';
import { train } from './train';

export type Task = (payload: unknown, ctx: TaskContext) => TaskResult | Promise<TaskResult>;

/** Every compute task a worker can run, by the name the engine's pool uses. Add new tasks here. */
export const tasks: Record<string, Task> = {
  checksum,
  checkParams,
  train,
  cvFold,
  predict,
  predictBacktest,
};

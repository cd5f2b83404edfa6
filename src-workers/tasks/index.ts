import type { z } from 'zod';
import type { TaskTable } from './defineTask';
import { checkParams } from './checkParams';
import { checksum } from './checksum';
import { cvFold } from './cvFold';
import { predict } from './predict';
import { predictBacktest } from './predictBacktest';
import { train } from './train';
import { validationGates } from './validationGates';
import { sweepSession } from './sweepSession';
import { sweepImportance } from './sweepImportance';

/**
 * Every compute task a worker can run, by the name the engine's pool uses. Add new tasks here: the
 * pool's `run(name, payload)` takes its payload and result types from this table.
 */
export const tasks = {
  checksum,
  checkParams,
  train,
  cvFold,
  predict,
  predictBacktest,
  validationGates,
  sweepSession,
  sweepImportance,
} satisfies TaskTable;

type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
/** What the engine sends: the schema's input, so fields with defaults may be left out. */
export type TaskPayload<N extends TaskName> = z.input<Tasks[N]['payload']>;
/** What the task answers with, once its buffers arrive in the engine. */
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<Tasks[N]['run']>>['value'];

export { type TaskDefinition, type TaskTable } from './defineTask';

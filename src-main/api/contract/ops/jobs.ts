import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema, jobStateSchema } from '../../../shared/events';
import { demoJobResultSchema } from '../../../shared/results';

export const jobOps = {
  'jobs.list': defineOp({
    kind: 'query',
    summary: 'Jobs, newest first',
    input: z.object({ state: jobStateSchema.optional(), limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: z.object({ jobs: z.array(jobSchema) }),
    cli: { path: ['jobs', 'list'], help: 'list jobs, newest first' },
  }),
  'jobs.get': defineOp({
    kind: 'query',
    summary: 'One job by id',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: jobSchema,
    cli: { path: ['jobs', 'show'], positionals: ['id'], help: 'show one job' },
  }),
  'jobs.cancel': defineOp({
    kind: 'command',
    summary: 'Ask a queued or running job to stop; it ends as cancelled',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: jobSchema,
    cli: { path: ['jobs', 'cancel'], positionals: ['id'], help: 'cancel a job' },
  }),
  'jobs.runDemo': defineOp({
    kind: 'job',
    summary: 'Demo job: counts the rows of every table and checksums them in the worker pool, step by step',
    input: z
      .object({
        /** Pause between steps so progress and cancellation are visible to a person. */
        stepDelayMs: z.number().int().min(0).max(10_000).default(250),
        rounds: z.number().int().min(1).max(1000).default(4),
      })
      .strict(),
    output: jobSchema,
    result: demoJobResultSchema,
    jobKind: 'demo',
    cli: { path: ['jobs', 'run', 'demo'], help: 'run the demo job (counts and checksums every table)' },
  }),
};

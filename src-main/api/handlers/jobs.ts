import { demoJob } from '../../engine/jobs/demoJob';
import type { jobOps } from '../contract/ops/jobs';
import type { HandlersFor } from './handler';

export const jobHandlers: HandlersFor<keyof typeof jobOps> = {
  'jobs.list': async (input, engine) => ({ jobs: await engine.jobs.list({ state: input.state, limit: input.limit }) }),
  'jobs.get': async (input, engine) => engine.jobs.get(input.id),
  'jobs.cancel': async (input, engine) => engine.jobs.cancel(input.id),
  'jobs.runDemo': async (input, engine) => engine.startJob(demoJob, input),
};

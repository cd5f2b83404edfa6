import type { DataService, DemoBuildInput } from '../data/dataService';
import type { JobSpec } from '../jobs/jobSpec';

/** `bullpen demo` and the first start: builds the demo league as a job with progress and cancellation. */
export const demoBuildJob: JobSpec<{ data: DataService }, DemoBuildInput, 'demo.build'> = {
  kind: 'demo.build',
  run: (deps, input, ctx) => deps.data.buildDemo(input, ctx),
};

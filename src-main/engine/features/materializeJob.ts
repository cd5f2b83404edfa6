import type { JobSpec } from '../jobs/jobSpec';
import type { FeatureService } from './featureService';

/** `features.materialize` as a job: an unknown set is refused before it starts. */
export const materializeJob: JobSpec<{ features: FeatureService }, { set: string; force: boolean }, 'features.materialize'> = {
  kind: 'features.materialize',
  precheck: async (deps, input) => {
    await deps.features.setSize(input.set);
  },
  run: (deps, input, ctx) =>
    deps.features.materialize(input.set, { force: input.force, onProgress: (f, message) => ctx.progress(f, message) }),
};

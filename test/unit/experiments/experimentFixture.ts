import { experimentConfig, initialRamp, initialShare } from '../../../src-main/engine/operations/experiments/experimentSettings';
import { experimentOptionsSchema, type Experiment } from '../../../src-main/shared/results/experiments';

/** A running experiment started on 2016-04-01 with `ab start`'s options (defaults for the rest), as the engine stores it. */
export function experimentWith(options: Record<string, unknown> = {}): Experiment {
  const config = experimentConfig(experimentOptionsSchema.parse(options));
  const ramp = initialRamp(config);
  return {
    id: 'e',
    name: 'e',
    deploymentId: 'd',
    deployment: 'd',
    replayId: null,
    control: { modelName: 'a', version: 1, sourceModel: 'a' },
    challenger: { modelName: 'b', version: null, sourceModel: 'b' },
    salt: 'e',
    config,
    status: 'running',
    challengerShare: initialShare(config, ramp),
    ramp,
    decision: null,
    startedAt: '2016-04-01T00:00:00.000Z',
    startDay: '2016-04-01',
    endedAt: null,
  };
}

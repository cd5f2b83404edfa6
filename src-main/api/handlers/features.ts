import { materializeJob } from '../../engine/features/materializeJob';
import type { featureOps } from '../contract/ops/features';
import type { HandlersFor } from './handler';

export const featureHandlers: HandlersFor<keyof typeof featureOps> = {
  'features.list': async (_input, engine) => ({ features: await engine.features.catalog(), sets: await engine.features.sets() }),
  'features.show': async (input, engine) => engine.features.show(input.name),
  'features.search': async (input, engine) => ({ features: await engine.features.search(input) }),
  'features.register': async (input, engine, caller) =>
    engine.features.register(engine.files.readable(input.file, caller, 'FILE'), { skipLeakageCheck: input.skipLeakageCheck }),
  'features.rollback': async (input, engine) => engine.features.rollback(input.name, input.version),
  'features.materialize': async (input, engine) => engine.startJob(materializeJob, input),
  'features.materializations': async (_input, engine) => ({ materializations: await engine.features.materializations() }),
  'features.quality': async (input, engine) => engine.features.quality(input.set),
  'features.lineage': async (input, engine) => engine.features.lineage(input.name, input.version),
  'features.checkLeakage': async (input, engine) => engine.features.checkLeakage(input.set, input.cutoffs),
  'features.export': async (input, engine, caller) =>
    engine.features.export(input.set, engine.files.writable(input.out, caller, '--out'), input.format),
};

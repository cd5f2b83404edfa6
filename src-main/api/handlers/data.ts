import { demoBuildJob } from '../../engine/demo/demoBuildJob';
import type { Engine } from '../../engine/engine';
import type { Caller } from '../../shared/caller';
import type { dataOps } from '../contract/ops/data';
import type { HandlersFor } from './handler';

/** Import files as this caller may read them (remote callers: uploads only), checked before any is opened. */
const readableFiles = (engine: Engine, files: string[], caller: Caller): string[] =>
  files.map((f) => engine.files.readable(f, caller, 'file'));

export const dataHandlers: HandlersFor<keyof typeof dataOps> = {
  'demo.build': async (input, engine) => engine.startJob(demoBuildJob, input),
  'demo.firstStart': async (_input, engine) => engine.data.firstStart(),
  'data.upload': async (input, engine) => engine.data.upload(input),
  'data.discardUpload': async (input, engine) => {
    engine.data.discardUpload(input.uploadId);
    return { uploadId: input.uploadId };
  },
  'data.importRetrosheet': async (input, engine, caller) =>
    engine.data.importRetrosheet(readableFiles(engine, input.files, caller), { replaceResults: input.replaceResults }),
  'data.importOdds': async (input, engine, caller) =>
    engine.data.importOdds(readableFiles(engine, input.files, caller), { format: input.format, oddsFormat: input.oddsFormat }),
  'data.importGames': async (input, engine, caller) =>
    engine.data.importGames(readableFiles(engine, input.files, caller), { replaceResults: input.replaceResults }),
  'data.status': async (_input, engine) => engine.data.status(),
  'data.export': async (input, engine, caller) =>
    engine.data.export(input.table, input.format, engine.files.writable(input.out, caller, '--out')),
};

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
  'data.importGames': async (input, engine, caller) => {
    const imported = await engine.data.importGames(readableFiles(engine, input.files, caller), { replaceResults: input.replaceResults });
    // Scheduled games just imported are scored by every active deployment (item 1b of operations); never fails the import.
    const scored = await engine.deployments.onGamesImported(imported.importId);
    for (const s of scored.filter((d) => d.error !== null))
      engine.emit({
        type: 'log',
        level: 'warn',
        message: `deployment ${s.deployment} could not score the imported games: ${s.error}`,
        at: new Date().toISOString(),
      });
    return imported;
  },
  'data.status': async (_input, engine) => engine.data.status(),
  'data.export': async (input, engine, caller) =>
    engine.data.export(input.table, input.format, engine.files.writable(input.out, caller, '--out')),
};

import type { dataOps } from '../contract/ops/data';
import type { HandlersFor } from './handler';
import { importRetrosheet } from '../../engine/data/retrosheetImporter';
import { importPinnacle } from '../../engine/data/pinnacleImporter';
import { importGenericOdds } from '../../engine/data/genericOddsImporter';
import { importGames } from '../../engine/data/gamesImporter';
import { dataStatus } from '../../engine/data/dataStatus';
import { exportTable } from '../../engine/data/exportTable';
import { buildDemo, DEFAULT_DEMO, DEMO_META_KEY } from '../../engine/demo/buildDemo';
import { parseSeasons } from '../../engine/modeling/featureMatrix';
import { AUTO_DEMO_ENV, decideFirstStart, FIRST_START_META_KEY } from '../../engine/demo/firstStart';
import { appendUploadChunk, discardUpload } from '../../engine/data/uploadStore';
import type { Engine } from '../../engine/engine';
import type { Job } from '../../shared/events';
import type { Caller } from '../../shared/caller';

/** Import files as this caller may read them (remote callers: uploads only), checked before any is opened. */
const readableFiles = (engine: Engine, files: string[], caller: Caller): string[] => files.map((f) => engine.files.readable(f, caller, 'file'));

function startDemoJob(engine: Engine, input: { seed: number; seasons: string; effects: boolean }): Promise<Job> {
  const seasons = parseSeasons(input.seasons) ?? [];
  const opts = { seed: input.seed, firstSeason: Math.min(...seasons), lastSeason: Math.max(...seasons), marketInefficiency: input.effects, scoringShift: input.effects };
  return engine.jobs.start('demo.build', input, (ctx) => buildDemo(engine.workspace, opts, ctx));
}

/** One first-start decision at a time per engine, so two windows opening together start one build. */
const firstStartQueue = new WeakMap<Engine, Promise<unknown>>();

export const dataHandlers: HandlersFor<keyof typeof dataOps> = {
  'demo.build': async (input, engine) => startDemoJob(engine, input),
  'demo.firstStart': async (_input, engine) => {
    const decide = async () => {
      const active = [...(await engine.jobs.list({ state: 'running', limit: 100 })), ...(await engine.jobs.list({ state: 'queued', limit: 100 }))].find((j) => j.kind === 'demo.build');
      const decision = await decideFirstStart(engine.workspace, process.env[AUTO_DEMO_ENV], active !== undefined);
      if (!decision.build) return { started: false, reason: decision.reason, job: active ?? null };
      await engine.workspace.setMeta(FIRST_START_META_KEY, new Date().toISOString());
      const job = await startDemoJob(engine, { seed: DEFAULT_DEMO.seed, seasons: decision.seasons, effects: true });
      return { started: true, reason: 'emptyWorkspace' as const, job };
    };
    const next = (firstStartQueue.get(engine) ?? Promise.resolve()).catch(() => undefined).then(decide);
    firstStartQueue.set(engine, next);
    return next;
  },
  'data.upload': async (input) => appendUploadChunk(input),
  'data.discardUpload': async (input) => {
    discardUpload(input.uploadId);
    return { uploadId: input.uploadId };
  },
  'data.importRetrosheet': async (input, engine, caller) => importRetrosheet(engine.workspace, readableFiles(engine, input.files, caller), { replaceResults: input.replaceResults }),
  'data.importOdds': async (input, engine, caller) => {
    const files = readableFiles(engine, input.files, caller);
    return input.format === 'pinnacle' ? importPinnacle(engine.workspace, files) : importGenericOdds(engine.workspace, files, { oddsFormat: input.oddsFormat });
  },
  'data.importGames': async (input, engine, caller) => importGames(engine.workspace, readableFiles(engine, input.files, caller), { replaceResults: input.replaceResults }),
  'data.status': async (_input, engine) => {
    const demo = await engine.workspace.meta(DEMO_META_KEY);
    return { ...(await dataStatus(engine.workspace)), demo: demo ? (JSON.parse(demo) as Record<string, unknown>) : null };
  },
  'data.export': async (input, engine, caller) => exportTable(engine.workspace, input.table, input.format, engine.files.writable(input.out, caller, '--out')),
};

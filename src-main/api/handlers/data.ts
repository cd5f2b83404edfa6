import type { dataOps } from '../contract/ops/data';
import type { HandlersFor } from './handler';
import { importRetrosheet } from '../../engine/data/retrosheetImporter';
import { importPinnacle } from '../../engine/data/pinnacleImporter';
import { importGenericOdds } from '../../engine/data/genericOddsImporter';
import { importGames } from '../../engine/data/gamesImporter';
import { dataStatus } from '../../engine/data/dataStatus';
import { exportTable } from '../../engine/data/exportTable';
import { buildDemo, DEMO_META_KEY } from '../../engine/demo/buildDemo';
import { parseSeasons } from '../../engine/features/featureMatrix';

export const dataHandlers: HandlersFor<keyof typeof dataOps> = {
  'demo.build': async (input, engine) => {
    const seasons = parseSeasons(input.seasons) ?? [];
    const opts = { seed: input.seed, firstSeason: Math.min(...seasons), lastSeason: Math.max(...seasons), marketInefficiency: input.effects, scoringShift: input.effects };
    return engine.jobs.start('demo.build', input, (ctx) => buildDemo(engine.workspace, opts, ctx));
  },
  'data.importRetrosheet': async (input, engine) => importRetrosheet(engine.workspace, input.files),
  'data.importOdds': async (input, engine) =>
    input.format === 'pinnacle' ? importPinnacle(engine.workspace, input.files) : importGenericOdds(engine.workspace, input.files, { oddsFormat: input.oddsFormat }),
  'data.importGames': async (input, engine) => importGames(engine.workspace, input.files),
  'data.status': async (_input, engine) => {
    const demo = await engine.workspace.meta(DEMO_META_KEY);
    return { ...(await dataStatus(engine.workspace)), demo: demo ? (JSON.parse(demo) as Record<string, unknown>) : null };
  },
  'data.export': async (input, engine) => exportTable(engine.workspace, input.table, input.format, input.out),
};

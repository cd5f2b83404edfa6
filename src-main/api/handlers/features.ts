import type { featureOps } from '../contract/ops/features';
import type { HandlersFor } from './handler';
import { catalog, lineage, searchCatalog } from '../../engine/features/catalog';
import { checkSetLeakage, exportFeatureSet, readRegistrationFile, registerFeatures } from '../../engine/features/featureStore';
import { allMaterializations, latestMaterialization, materializeSet } from '../../engine/features/materialize';
import { loadQuality } from '../../engine/features/quality';
import { allDefinitions, ensureBuiltins, resolveSet, rollbackFeature } from '../../engine/features/definitionStore';
import { notFoundError } from '../../shared/errors';
import type { Engine } from '../../engine/engine';

/** Every features op first makes sure the built-in definitions and the default set exist. */
const ready = async (engine: Engine) => engine.workspace.transaction((sql) => ensureBuiltins(sql));

export const featureHandlers: HandlersFor<keyof typeof featureOps> = {
  'features.list': async (_input, engine) => {
    await ready(engine);
    const sets = await engine.workspace.all<{ name: string; description: string; features: string }>(`SELECT name, description, features::VARCHAR AS features FROM feature_sets ORDER BY name`);
    return { features: await catalog(engine.workspace), sets: sets.map((s) => ({ name: s.name, description: s.description, features: JSON.parse(s.features) as string[] })) };
  },
  'features.show': async (input, engine) => {
    await ready(engine);
    const entry = (await catalog(engine.workspace)).find((e) => e.name === input.name);
    if (!entry) throw notFoundError('FEATURE_NOT_FOUND', `no feature ${input.name}; see \`bullpen features list\``, { name: input.name });
    const versions = (await allDefinitions(engine.workspace)).filter((d) => d.name === input.name);
    let quality = null;
    for (const m of await allMaterializations(engine.workspace)) {
      const q = (await loadQuality(engine.workspace, m.id)).find((x) => x.feature === input.name);
      if (q) {
        quality = q;
        break;
      }
    }
    return { entry, versions, quality, lineage: await lineage(engine.workspace, input.name) };
  },
  'features.search': async (input, engine) => {
    await ready(engine);
    return { features: await searchCatalog(engine.workspace, input) };
  },
  'features.register': async (input, engine, caller) =>
    registerFeatures(engine.workspace, readRegistrationFile(engine.files.readable(input.file, caller, 'FILE')), { skipLeakageCheck: input.skipLeakageCheck }),
  'features.rollback': async (input, engine) => engine.workspace.transaction((sql) => rollbackFeature(sql, input.name, input.version)),
  'features.materialize': async (input, engine) => {
    await ready(engine);
    await resolveSet(engine.workspace, input.set);
    return engine.jobs.start('features.materialize', input, async (ctx) => {
      const m = await materializeSet(engine.workspace, input.set, { force: input.force, onProgress: (f, msg) => ctx.progress(f, msg) });
      return { id: m.id, setName: m.setName, contentHash: m.contentHash, tableName: m.tableName, rows: m.rows, features: m.features.length, durationMs: Math.round(m.durationMs), cached: m.cached, degraded: m.quality.filter((q) => !q.schemaOk).map((q) => q.feature) };
    });
  },
  'features.materializations': async (_input, engine) => ({ materializations: await allMaterializations(engine.workspace) }),
  'features.quality': async (input, engine) => {
    await ready(engine);
    await resolveSet(engine.workspace, input.set);
    const m = await latestMaterialization(engine.workspace, input.set);
    return { set: input.set, materialization: m ?? null, features: m ? await loadQuality(engine.workspace, m.id) : [] };
  },
  'features.lineage': async (input, engine) => {
    await ready(engine);
    return lineage(engine.workspace, input.name, input.version);
  },
  'features.checkLeakage': async (input, engine) => checkSetLeakage(engine.workspace, input.set, input.cutoffs),
  'features.export': async (input, engine, caller) => exportFeatureSet(engine.workspace, input.set, engine.files.writable(input.out, caller, '--out'), input.format),
};

import { notFoundError } from '../../shared/errors';
import type { ExportFormat } from '../data/exportTable';
import type { Workspace } from '../workspace/workspace';
import { catalog, lineage, searchCatalog } from './catalog';
import { allDefinitions, ensureBuiltinsIn, featuresWithTag, listSets, resolveSet, rollbackFeature } from './definitionStore';
import type { FeatureDetail, FeatureService, MaterializeSummary, SetQuality } from './featureService';
import { checkSetLeakage, exportFeatureSet, readRegistrationFile, registerFeatures } from './featureStore';
import { allMaterializations, latestMaterialization, materializeSet } from './materialize';
import { latestQualityOf, loadQuality } from './quality';

/** The feature store in the workspace's DuckDB file. */
export class DuckDbFeatures implements FeatureService {
  constructor(private readonly ws: Workspace) {}

  /** The built-in definitions and the default set exist before any answer (a new build may add some). */
  private ready(): Promise<void> {
    return ensureBuiltinsIn(this.ws);
  }

  async catalog() {
    await this.ready();
    return catalog(this.ws);
  }

  async search(query: { text?: string; tag?: string; owner?: string }) {
    await this.ready();
    return searchCatalog(this.ws, query);
  }

  async sets() {
    await this.ready();
    return listSets(this.ws);
  }

  async show(name: string): Promise<FeatureDetail> {
    await this.ready();
    const entry = (await catalog(this.ws)).find((e) => e.name === name);
    if (!entry) throw notFoundError('FEATURE_NOT_FOUND', `no feature ${name}; see \`bullpen features list\``, { name });
    const versions = (await allDefinitions(this.ws)).filter((d) => d.name === name);
    return { entry, versions, quality: await latestQualityOf(this.ws, name), lineage: await lineage(this.ws, name) };
  }

  async lineage(name: string, version?: number) {
    await this.ready();
    return lineage(this.ws, name, version);
  }

  register(file: string, options: { skipLeakageCheck: boolean }) {
    return registerFeatures(this.ws, readRegistrationFile(file), options);
  }

  rollback(name: string, version?: number) {
    return this.ws.transaction((sql) => rollbackFeature(sql, name, version));
  }

  withTag(features: { name: string; version: number }[], tag: string) {
    return featuresWithTag(this.ws, features, tag);
  }

  async setSize(name: string): Promise<number> {
    await this.ready();
    return (await resolveSet(this.ws, name)).features.length;
  }

  async materialize(
    set: string,
    options: { force: boolean; onProgress?: (fraction: number, message: string) => void },
  ): Promise<MaterializeSummary> {
    const m = await materializeSet(this.ws, set, options);
    return {
      id: m.id,
      setName: m.setName,
      contentHash: m.contentHash,
      tableName: m.tableName,
      rows: m.rows,
      features: m.features.length,
      durationMs: Math.round(m.durationMs),
      cached: m.cached,
      degraded: m.quality.filter((q) => !q.schemaOk).map((q) => q.feature),
    };
  }

  materializations() {
    return allMaterializations(this.ws);
  }

  async quality(set: string): Promise<SetQuality> {
    await this.ready();
    await resolveSet(this.ws, set);
    const m = await latestMaterialization(this.ws, set);
    return { set, materialization: m ?? null, features: m ? await loadQuality(this.ws, m.id) : [] };
  }

  checkLeakage(set: string, cutoffs?: string[]) {
    return checkSetLeakage(this.ws, set, cutoffs);
  }

  export(set: string, out: string, format?: ExportFormat) {
    return exportFeatureSet(this.ws, set, out, format);
  }
}

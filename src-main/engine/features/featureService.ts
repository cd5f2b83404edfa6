import type { MaterializeResult } from '../../shared/results';
import type { ExportFormat } from '../data/exportTable';
import type { CatalogEntry, LineageGraph } from './catalog';
import type { FeatureDefinition } from './definitionSchema';
import type { FeatureSetSummary } from './definitionStore';
import type { RegisterResult } from './featureStore';
import type { LeakageReport } from './leakageGuard';
import type { Materialization } from './materialize';
import type { FeatureQuality } from './quality';

/** One feature in full: its catalog entry, every version, its latest measured quality and its lineage. */
export interface FeatureDetail {
  entry: CatalogEntry;
  versions: FeatureDefinition[];
  quality: FeatureQuality | null;
  lineage: LineageGraph;
}

/** What a materialization job reports (its result schema is shared with the contract). */
export type MaterializeSummary = MaterializeResult;

export interface SetQuality {
  set: string;
  materialization: Materialization | null;
  features: FeatureQuality[];
}

/**
 * The feature store: versioned definitions and sets, their point-in-time materializations with quality,
 * the catalog and lineage. The workspace's DuckDB store (duckDbFeatures.ts) is one implementation. The
 * built-in definitions and the default set are always there when a method answers.
 */
export interface FeatureService {
  catalog(): Promise<CatalogEntry[]>;
  /** Case-insensitive text over name, description, tags and owner; exact tag and owner filters. */
  search(query: { text?: string; tag?: string; owner?: string }): Promise<CatalogEntry[]>;
  sets(): Promise<FeatureSetSummary[]>;
  show(name: string): Promise<FeatureDetail>;
  lineage(name: string, version?: number): Promise<LineageGraph>;
  /** Registers the definitions and sets of a JSON or YAML file (a path the caller may read). */
  register(file: string, options: { skipLeakageCheck: boolean }): Promise<RegisterResult>;
  rollback(name: string, version?: number): Promise<{ name: string; from: number; to: number }>;
  /** Of the given feature versions, the names of those tagged `tag` (e.g. closing-line), sorted. */
  withTag(features: { name: string; version: number }[], tag: string): Promise<string[]>;
  /** The number of features in a set; refuses an unknown set. */
  setSize(name: string): Promise<number>;
  materialize(
    set: string,
    options: { force: boolean; onProgress?: (fraction: number, message: string) => void },
  ): Promise<MaterializeSummary>;
  /** Newest first. */
  materializations(): Promise<Materialization[]>;
  /** The quality of a set's latest materialization (none yet: null and no features). */
  quality(set: string): Promise<SetQuality>;
  checkLeakage(set: string, cutoffs?: string[]): Promise<LeakageReport & { set: string; contentHash: string }>;
  /** Writes a set's values with game id, date, season and the targets to `out` (a path the caller may write). */
  export(
    set: string,
    out: string,
    format?: ExportFormat,
  ): Promise<{ set: string; contentHash: string; out: string; format: ExportFormat; rows: number; features: number }>;
}

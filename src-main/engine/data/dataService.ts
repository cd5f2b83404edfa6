import type { DemoDescription } from '../../shared/results';
import type { Job } from '../../shared/events';
import type { DemoProgress, DemoSummary } from '../demo/buildDemo';
import type { FirstStartReason } from '../demo/firstStart';
import type { DataStatus } from './dataStatus';
import type { ExportFormat } from './exportTable';
import type { OddsFormat } from './genericOddsImporter';
import type { OddsImportResult } from './pinnacleImporter';
import type { ImportResult } from './retrosheetImporter';
import type { UploadChunk, UploadState } from './uploadStore';

/** The demo league to build: a seed, a season range like 2000-2019, and whether to plant the two effects. */
export interface DemoBuildInput {
  seed: number;
  seasons: string;
  effects: boolean;
}

export interface FirstStartOutcome {
  started: boolean;
  reason: FirstStartReason;
  /** The build this call started, or the one already running. */
  job: Job | null;
}

/**
 * Games, odds and teams: imports (each in one transaction, refusing anything that would erase a final
 * result unless asked), what is loaded, exports, and the synthetic demo league. File paths are the
 * caller's to check (the API layer asks the path policy) before they get here.
 */
export interface DataService {
  importRetrosheet(files: string[], options: { replaceResults: boolean }): Promise<ImportResult>;
  importOdds(files: string[], options: { format: 'pinnacle' | 'generic'; oddsFormat: OddsFormat }): Promise<OddsImportResult>;
  importGames(files: string[], options: { replaceResults: boolean }): Promise<ImportResult>;
  /** Seasons, coverage, imports and quality checks, with the demo's description when the league is the demo. */
  status(): Promise<DataStatus & { demo: DemoDescription | null }>;
  /** Seasons that have games, in order; with `finished`, only games with a final score count. */
  seasons(options: { finished: boolean }): Promise<number[]>;
  /** Whether the workspace holds synthetic data: the demo league was built in it, or any game is synthetic. */
  synthetic(): Promise<boolean>;
  export(
    table: string,
    format: ExportFormat | undefined,
    out: string,
  ): Promise<{ table: string; format: ExportFormat; out: string; rows: number }>;
  /** Appends a chunk of a file sent by a client that cannot name server paths (serve mode). */
  upload(chunk: UploadChunk): UploadState;
  discardUpload(uploadId: string): void;
  /** Builds (or rebuilds) the demo league; refuses a workspace holding real games. */
  buildDemo(input: DemoBuildInput, progress?: DemoProgress): Promise<DemoSummary>;
  /**
   * Called when the app opens: starts the demo build for an empty workspace that never had one. One
   * decision at a time, so two windows opening together start one build.
   */
  firstStart(): Promise<FirstStartOutcome>;
}

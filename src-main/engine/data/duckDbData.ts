import { demoDescriptionSchema, type DemoDescription } from '../../shared/results';
import { buildDemo, DEFAULT_DEMO, DEMO_META_KEY, type DemoProgress } from '../demo/buildDemo';
import { demoBuildJob } from '../demo/demoBuildJob';
import { AUTO_DEMO_ENV, decideFirstStart, FIRST_START_META_KEY } from '../demo/firstStart';
import type { JobService } from '../jobs/jobService';
import { startJob } from '../jobs/jobSpec';
import { parseSeasons } from '../modeling/featureMatrix';
import type { Workspace } from '../workspace/workspace';
import type { DataService, DemoBuildInput, FirstStartOutcome } from './dataService';
import { dataStatus } from './dataStatus';
import { exportTable, type ExportFormat } from './exportTable';
import { importGenericOdds, type OddsFormat } from './genericOddsImporter';
import { importGames } from './gamesImporter';
import { importPinnacle } from './pinnacleImporter';
import { importRetrosheet } from './retrosheetImporter';
import { appendUploadChunk, discardUpload, type UploadChunk } from './uploadStore';

/** How many running (and queued) jobs the first-start check looks through for a demo build. */
const ACTIVE_JOBS_SCANNED = 100;

/** Games, odds and the demo league in the workspace's DuckDB file; demo builds run as jobs of `jobs`. */
export class DuckDbData implements DataService {
  /** The first-start decision in progress: the next one waits for it. */
  private firstStartQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ws: Workspace,
    private readonly jobs: JobService,
  ) {}

  importRetrosheet(files: string[], options: { replaceResults: boolean }) {
    return importRetrosheet(this.ws, files, options);
  }

  importOdds(files: string[], options: { format: 'pinnacle' | 'generic'; oddsFormat: OddsFormat }) {
    return options.format === 'pinnacle'
      ? importPinnacle(this.ws, files)
      : importGenericOdds(this.ws, files, { oddsFormat: options.oddsFormat });
  }

  importGames(files: string[], options: { replaceResults: boolean }) {
    return importGames(this.ws, files, options);
  }

  async status() {
    return { ...(await dataStatus(this.ws)), demo: readDemoDescription(await this.ws.meta(DEMO_META_KEY)) };
  }

  async seasons(options: { finished: boolean }): Promise<number[]> {
    const rows = await this.ws.all<{ season: number }>(
      `SELECT DISTINCT season FROM games WHERE ${options.finished ? 'home_score IS NOT NULL AND away_score IS NOT NULL' : 'TRUE'} ORDER BY season`,
    );
    return rows.map((r) => Number(r.season));
  }

  async synthetic(): Promise<boolean> {
    if ((await this.ws.meta(DEMO_META_KEY)) !== undefined) return true;
    return (await this.ws.value<boolean>(`SELECT EXISTS (SELECT 1 FROM games WHERE synthetic)`)) === true;
  }

  export(table: string, format: ExportFormat | undefined, out: string) {
    return exportTable(this.ws, table, format, out);
  }

  upload(chunk: UploadChunk) {
    return appendUploadChunk(chunk);
  }

  discardUpload(uploadId: string): void {
    discardUpload(uploadId);
  }

  buildDemo(input: DemoBuildInput, progress?: DemoProgress) {
    const seasons = parseSeasons(input.seasons) ?? [];
    const opts = {
      seed: input.seed,
      firstSeason: Math.min(...seasons),
      lastSeason: Math.max(...seasons),
      marketInefficiency: input.effects,
      scoringShift: input.effects,
    };
    return buildDemo(this.ws, opts, progress);
  }

  firstStart(): Promise<FirstStartOutcome> {
    const next = this.firstStartQueue.catch(() => undefined).then(() => this.decideFirstStart());
    this.firstStartQueue = next;
    return next;
  }

  private async decideFirstStart(): Promise<FirstStartOutcome> {
    const active = [
      ...(await this.jobs.list({ state: 'running', limit: ACTIVE_JOBS_SCANNED })),
      ...(await this.jobs.list({ state: 'queued', limit: ACTIVE_JOBS_SCANNED })),
    ].find((j) => j.kind === demoBuildJob.kind);
    const decision = await decideFirstStart(this.ws, process.env[AUTO_DEMO_ENV], active !== undefined);
    if (!decision.build) return { started: false, reason: decision.reason, job: active ?? null };
    await this.ws.setMeta(FIRST_START_META_KEY, new Date().toISOString());
    const job = await startJob(this.jobs, { data: this }, demoBuildJob, {
      seed: DEFAULT_DEMO.seed,
      seasons: decision.seasons,
      effects: true,
    });
    return { started: true, reason: 'emptyWorkspace', job };
  }
}

/** The stored demo description, or null when there is none or an older build wrote it in another shape. */
function readDemoDescription(stored: string | undefined): DemoDescription | null {
  if (!stored) return null;
  try {
    const parsed = demoDescriptionSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: written by something else, so not a description we can show
  }
}

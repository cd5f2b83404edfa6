import { type Contract, type DemoDescription, type OutputOf } from '../../../../src-main/api/contract';
import type { Job } from '../../../../src-main/shared/events';
import { completedKinds, DomainService, type ServiceDeps } from '../domainService.svelte';
import { describeImportError, type ImportProblem } from './importHints';
import { uploadFile, type UploadedFile } from './uploadFile';

export type DataStatus = OutputOf<Contract['data.status']>;
export type GamesImport = OutputOf<Contract['data.importRetrosheet']>;
export type OddsImport = OutputOf<Contract['data.importOdds']>;
export type ImportOutcome = { kind: 'games'; result: GamesImport } | { kind: 'odds'; result: OddsImport };
export type ImportKind = 'retrosheet' | 'pinnacle' | 'generic' | 'games';
export type OddsFormat = 'auto' | 'american' | 'decimal';

export interface ImportRequest {
  kind: ImportKind;
  files: File[];
  /** Off unless the user said so for this import: a file may then replace final results (each is listed). */
  replaceResults: boolean;
  oddsFormat: OddsFormat;
  /** Bytes sent so far over all files. */
  onProgress: (sent: number) => void;
  /** Called once the files are on the engine and the import itself starts. */
  onImporting: () => void;
}

/** How many demo builds the Data screen lists. */
const SHOWN_BUILDS = 3;

/** Games, odds and teams: what is loaded, imports through uploads, and the demo league. */
export class DataService extends DomainService {
  readonly status = this.query('load the data status', () => this.client.call('data.status', {}));
  readonly jobList = this.recentJobs();
  readonly demoBuild = this.launch('demo.build');
  /** The first-start build the engine chose to run, followed on every screen. */
  readonly firstStartBuild = this.launch('demo.build');

  constructor(deps: ServiceDeps) {
    super(deps);
    this.refreshAfter(completedKinds('demo.build'), this.status);
  }

  /** What the demo league in this workspace was built with (seed, seasons, planted effects), if it is one. */
  get demo(): DemoDescription | null {
    return this.status.current?.demo ?? null;
  }

  /** The last demo builds, newest first, whoever started them. */
  get builds(): Job[] {
    return this.deps.jobs.ofKind('demo.build', SHOWN_BUILDS);
  }

  /** Both reads answered: the screen's `data-loaded`. */
  get ready(): boolean {
    return this.status.ready && this.jobList.ready;
  }

  async open(): Promise<void> {
    await Promise.all([this.status.refresh(), this.jobList.refresh()]);
  }

  buildDemo(seed: number, seasons: string, effects: boolean): void {
    void this.demoBuild.start('start the demo build', () => this.client.call('demo.build', { seed, seasons, effects }));
  }

  /**
   * Asks the engine once, when the app opens, whether to build the demo league (the engine decides:
   * empty workspace, no build running, never auto-built before; see engine/demo/firstStart.ts).
   */
  async askFirstStart(): Promise<void> {
    try {
      const answer = await this.client.call('demo.firstStart', {});
      if (answer.job) this.firstStartBuild.follow(answer.job);
    } catch {
      // The app still works without a demo; the Data screen offers the build and shows its errors.
    }
  }

  /**
   * Sends the files to the engine (data.upload: the same in the desktop app and in serve mode, where the
   * page cannot name a path on the server), imports them in one transaction, and always discards the
   * uploads. Import failures come back as an ImportProblem naming file, line, field and value.
   */
  async importFiles(request: ImportRequest): Promise<{ outcome: ImportOutcome } | { problem: ImportProblem }> {
    const uploads: UploadedFile[] = [];
    let sent = 0;
    try {
      for (const f of request.files) {
        const before = sent;
        uploads.push(await uploadFile(this.client, f, (n) => request.onProgress((sent = before + n))));
      }
      request.onImporting();
      const outcome = await this.#import(
        request,
        uploads.map((u) => u.path),
      );
      void this.status.refresh();
      return { outcome };
    } catch (err) {
      return { problem: describeImportError(err, uploads) };
    } finally {
      for (const u of uploads) void this.client.call('data.discardUpload', { uploadId: u.uploadId }).catch(() => undefined);
    }
  }

  async #import({ kind, replaceResults, oddsFormat }: ImportRequest, files: string[]): Promise<ImportOutcome> {
    if (kind === 'retrosheet') return { kind: 'games', result: await this.client.call('data.importRetrosheet', { files, replaceResults }) };
    if (kind === 'games') return { kind: 'games', result: await this.client.call('data.importGames', { files, replaceResults }) };
    return { kind: 'odds', result: await this.client.call('data.importOdds', { files, format: kind, oddsFormat }) };
  }
}
